// Rate limiter with backpressure: a bucket of one token refilled by a
// ticker with a non-blocking send.  Run with: go run solution.go
package main

import (
	"fmt"
	"time"
)

type limiter struct {
	tokens        chan struct{}
	stop, stopped chan struct{}
}

func start(interval time.Duration) *limiter {
	l := &limiter{make(chan struct{}, 1), make(chan struct{}), make(chan struct{})}
	go func() {
		defer close(l.stopped)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
				select {
				case l.tokens <- struct{}{}:
				default:
				}
			}
		}
	}()
	return l
}

func (l *limiter) Wait() { <-l.tokens }

func (l *limiter) Stop() {
	close(l.stop)
	<-l.stopped
}

func main() {
	l := start(2 * time.Millisecond)
	start := time.Now()
	for i := 0; i < 5; i++ {
		l.Wait()
	}
	l.Stop()
	fmt.Println("5 passes took at least 10 ms:", time.Since(start) >= 9*time.Millisecond)
}
