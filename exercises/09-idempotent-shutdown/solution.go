// Idempotent shutdown: sync.Once closes quit once; every caller waits on
// stopped.  Run with: go run solution.go
package main

import (
	"fmt"
	"sync"
	"time"
)

type server struct {
	quit, stopped chan struct{}
	once          sync.Once
	cleaned       bool
}

func start() *server {
	s := &server{quit: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		<-s.quit
		time.Sleep(time.Millisecond)
		s.cleaned = true
		close(s.stopped)
	}()
	return s
}

func (s *server) Close() {
	s.once.Do(func() { close(s.quit) })
	<-s.stopped
}

func main() {
	s := start()
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Close()
		}()
	}
	wg.Wait()
	s.Close()
	fmt.Println("cleaned:", s.cleaned)
}
