//go:build ignore

// drain.go - the Go original of patterns/drain.c: a queue that drains in two
// stages. Push returns ErrClosed once the drain has begun; Drain, the owner
// of the input channel, closes it and waits for drained, and forces the
// workers to abandon the rest when its deadline passes first.
//
// Run: go run drain.go [correct|push-after-close|no-deadline|receiver-closes]
//
// Each run tries up to `attempts` times, seeding math/rand with the attempt
// number (Go 1.19 does not seed it for you). push-after-close and
// receiver-closes end in Go's "panic: send on closed channel" or "panic:
// close of closed channel"; no-deadline prints the drain time over budget.
package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"sync"
	"time"
)

const (
	workers   = 2
	producers = 2
	queueCap  = 8
	work      = 10 * time.Millisecond // typical time per item (long tail)
	pace      = 3 * time.Millisecond  // typical time between pushes
	runFor    = 40 * time.Millisecond
	budget    = 50 * time.Millisecond
	attempts  = 20
)

var ErrClosed = errors.New("queue closed")

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type Queue struct {
	in        chan int     // closed by Drain, its owner
	mu        sync.RWMutex // Push holds it shared while it sends; Drain exclusively to close in
	closed    bool         // in is closed (guarded by mu)
	stopReq   chan struct{}
	forceStop chan struct{}
	drained   chan struct{}
	wg        sync.WaitGroup
}

func (q *Queue) Push(item int) error {
	q.mu.RLock() // Drain cannot close in while we send
	defer q.mu.RUnlock()
	if q.closed { // a select would pick a send on the closed in
		return ErrClosed
	}
	select {
	case q.in <- item:
		return nil
	case <-q.stopReq:
		return ErrClosed
	}
}

func (q *Queue) PushUnguarded(item int) error {
	q.in <- item // MISTAKE(push-after-close): no check: once Drain has closed in, the next Push panics
	return nil
}

func (q *Queue) process(item int) bool {
	select {
	case <-time.After(latency(work)):
		return true
	case <-q.forceStop:
		fmt.Println("abandons item", item)
		return false
	}
}

func (q *Queue) worker() {
	defer q.wg.Done()
	for {
		select {
		case <-q.forceStop:
			return
		case item, ok := <-q.in:
			if !ok || !q.process(item) {
				return
			}
		}
	}
}

func (q *Queue) workerCloses() {
	defer q.wg.Done()
	for {
		select {
		case <-q.forceStop:
			return
		case item, ok := <-q.in:
			if !ok || !q.process(item) {
				return
			}
		case <-q.stopReq:
			close(q.in) // MISTAKE(receiver-closes): a receiver does not own in; a second worker or a Push still sending panics
		}
	}
}

func (q *Queue) run(worker func(*Queue)) {
	q.wg.Add(workers)
	for i := 0; i < workers; i++ {
		go worker(q)
	}
	q.wg.Wait()
	close(q.drained)
}

func (q *Queue) Drain(ctx context.Context) error {
	close(q.stopReq) // Push refuses from now on
	q.mu.Lock()      // no Push is in the middle of a send
	q.closed = true
	close(q.in)
	q.mu.Unlock()
	select {
	case <-q.drained:
		return nil
	case <-ctx.Done():
		close(q.forceStop)
		<-q.drained
		return ctx.Err()
	}
}

func (q *Queue) DrainNoDeadline(ctx context.Context) error {
	close(q.stopReq)
	q.mu.Lock()
	q.closed = true
	close(q.in)
	q.mu.Unlock()
	<-q.drained // MISTAKE(no-deadline): no select on ctx.Done(): slow workers stretch the drain past its budget
	return nil
}

func (q *Queue) DrainLeaveClose(ctx context.Context) error {
	close(q.stopReq)
	select {
	case <-q.drained:
		return nil
	case <-ctx.Done():
		close(q.forceStop)
		<-q.drained
		return ctx.Err()
	}
}

// attempt runs producers and workers, then a drain; it returns a failure or "".
func attempt(push func(*Queue, int) error, worker func(*Queue), drain func(*Queue, context.Context) error) string {
	q := &Queue{in: make(chan int, queueCap), stopReq: make(chan struct{}),
		forceStop: make(chan struct{}), drained: make(chan struct{})}
	go q.run(worker)
	var pwg sync.WaitGroup
	pwg.Add(producers)
	for p := 1; p <= producers; p++ {
		go func(id int) {
			defer pwg.Done()
			for i := 1; ; i++ {
				time.Sleep(latency(pace))
				if push(q, id*1000+i) != nil {
					return
				}
			}
		}(p)
	}
	time.Sleep(runFor)
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	began := time.Now()
	err := drain(q, ctx)
	took := time.Since(began)
	fmt.Printf("main: drained in %v (%v)\n", took.Round(time.Millisecond), err)
	pwg.Wait()
	// Generous slack for the real clock (timers fire late on a loaded machine);
	// chanlab's virtual clock needs none.
	if took > budget+budget/2 {
		return fmt.Sprintf("metric drain_ms = %d > limit %d", took.Milliseconds(), budget.Milliseconds())
	}
	return ""
}

func main() {
	variants := map[string]func() string{
		"correct":          func() string { return attempt((*Queue).Push, (*Queue).worker, (*Queue).Drain) },
		"push-after-close": func() string { return attempt((*Queue).PushUnguarded, (*Queue).worker, (*Queue).Drain) },
		"no-deadline":      func() string { return attempt((*Queue).Push, (*Queue).worker, (*Queue).DrainNoDeadline) },
		"receiver-closes":  func() string { return attempt((*Queue).Push, (*Queue).workerCloses, (*Queue).DrainLeaveClose) },
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	run, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for a := 1; a <= attempts; a++ {
		rand.Seed(int64(a))
		if f := run(); f != "" {
			fmt.Printf("attempt %d: %s\n", a, f)
			os.Exit(1)
		}
	}
	fmt.Printf("%d attempts, no failure\n", attempts)
}
