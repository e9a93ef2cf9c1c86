// Stop and stopped: close(stop) asks, close(stopped) answers.
// Run with: go run solution.go
package main

import (
	"fmt"
	"runtime"
	"time"
)

type service struct {
	ticks         int
	stop, stopped chan struct{}
}

func (s *service) tick() {
	s.ticks++
	runtime.Gosched()
}

func (s *service) start() {
	s.stop = make(chan struct{})
	s.stopped = make(chan struct{})
	go func() {
		defer close(s.stopped)
		ticker := time.NewTicker(time.Millisecond)
		defer ticker.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-ticker.C:
				s.tick()
			}
		}
	}()
}

func (s *service) Stop() {
	close(s.stop)
	<-s.stopped
}

func main() {
	s := &service{}
	s.start()
	time.Sleep(3 * time.Millisecond)
	s.Stop()
	after := s.ticks
	time.Sleep(5 * time.Millisecond)
	fmt.Println("no work after stop:", s.ticks == after)
}
