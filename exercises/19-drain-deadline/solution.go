// Drain with a deadline: close the queue, wait for the drain or the
// budget; on the budget cancel and wait for the drainer to stop.
// Run with: go run solution.go
package main

import (
	"context"
	"fmt"
	"time"
)

type drainer struct {
	queue     chan int
	processed int
	cancel    context.CancelFunc
	finished  chan struct{}
}

func start(queue chan int) *drainer {
	ctx, cancel := context.WithCancel(context.Background())
	d := &drainer{queue: queue, cancel: cancel, finished: make(chan struct{})}
	go func() {
		defer close(d.finished)
		for range d.queue {
			if ctx.Err() != nil {
				return
			}
			time.Sleep(2 * time.Millisecond)
			d.processed++
		}
	}()
	return d
}

func (d *drainer) Shutdown(budget time.Duration) error {
	close(d.queue)
	defer d.cancel()
	select {
	case <-d.finished:
		return nil
	case <-time.After(budget):
	}
	d.cancel()
	<-d.finished
	return context.DeadlineExceeded
}

func main() {
	q := make(chan int, 8)
	for i := 0; i < 4; i++ {
		q <- i
	}
	d := start(q)
	err := d.Shutdown(3 * time.Millisecond)
	fmt.Println(err, d.processed)
}
