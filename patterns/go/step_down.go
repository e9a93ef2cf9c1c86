//go:build ignore

// step_down.go - the Go original of patterns/step_down.c: the old leader is
// asked to step down (stepDown, closed once however many ask), hands over
// and closes steppedDown; Promote waits for steppedDown before the new
// leader serves.
//
// Run: go run step_down.go [correct|promote-early|check-then-close]
//
// Each run tries up to `attempts` times, seeding math/rand with the attempt
// number (Go 1.19 does not seed it for you). promote-early prints the
// invariant that failed. Go cannot show check-then-close reliably: it may
// end in "panic: close of closed channel", but rarely, because the window between the select and the close
// is a few instructions, and the race detector does not flag it (channel
// operations are synchronised). chanlab's scheduler can switch tasks inside
// that window, so `chanlab run step-down --variant check-then-close` shows
// it on about a third of the seeds.
package main

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

const (
	pace     = 5 * time.Millisecond  // typical time between writes
	handOver = 10 * time.Millisecond // typical time to step down (long tail)
	runFor   = 30 * time.Millisecond // when the lease is lost
	writes   = 3
	timeout  = 500 * time.Millisecond
	attempts = 20
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type Election struct {
	stepDown    chan struct{}
	steppedDown chan struct{}
	promoted    chan struct{}
	once        sync.Once
	leaders     atomic.Int64
	failures    chan string
}

func (e *Election) write(node string, n int) {
	if l := e.leaders.Load(); l > 1 {
		select {
		case e.failures <- fmt.Sprintf("invariant one-leader failed: %s accepted write %d while %d nodes were leaders", node, n, l):
		default:
		}
		return
	}
	fmt.Printf("%s accepts write %d\n", node, n)
}

func (e *Election) oldLeader() {
	e.leaders.Add(1)
	for n := 1; ; n++ {
		select {
		case <-e.stepDown:
			fmt.Println("old leader steps down")
			time.Sleep(latency(handOver)) // finish the writes in progress, hand over
			e.leaders.Add(-1)
			close(e.steppedDown)
			return
		case <-time.After(latency(pace)):
			e.write("old leader", n)
		}
	}
}

func (e *Election) StepDown(ctx context.Context) error {
	e.once.Do(func() { close(e.stepDown) }) // however many callers
	select {
	case <-e.steppedDown:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (e *Election) StepDownCheckThenClose(ctx context.Context) error {
	select {
	case <-e.stepDown:
	default:
		close(e.stepDown) // MISTAKE(check-then-close): another caller can pass the same check before this close: both close, the second panics
	}
	select {
	case <-e.steppedDown:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (e *Election) Promote(ctx context.Context) error {
	select {
	case <-e.steppedDown: // the key line: wait for the old leader's confirmation
	case <-ctx.Done():
		return ctx.Err()
	}
	e.leaders.Add(1)
	close(e.promoted)
	return nil
}

func (e *Election) PromoteEarly(ctx context.Context) error {
	e.leaders.Add(1) // MISTAKE(promote-early): no wait on e.steppedDown: the new leader serves while the old one still accepts writes
	close(e.promoted)
	return nil
}

func attempt(stepDown, promote func(*Election, context.Context) error) string {
	e := &Election{stepDown: make(chan struct{}), steppedDown: make(chan struct{}),
		promoted: make(chan struct{}), failures: make(chan string, 1)}
	leaseLost := make(chan struct{})
	go e.oldLeader()
	var wg sync.WaitGroup
	wg.Add(3)
	for _, who := range []string{"lease watcher", "operator"} {
		go func(who string) {
			defer wg.Done()
			<-leaseLost
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			fmt.Printf("%s: StepDown returned %v\n", who, stepDown(e, ctx))
		}(who)
	}
	time.Sleep(runFor)
	close(leaseLost) // the lease expires
	go func() {
		defer wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		if err := promote(e, ctx); err != nil {
			fmt.Println("new leader: Promote:", err)
			return
		}
		for n := 1; n <= writes; n++ {
			time.Sleep(latency(pace))
			e.write("new leader", n)
		}
	}()
	wg.Wait()
	select {
	case f := <-e.failures:
		return f
	default:
		return ""
	}
}

func main() {
	variants := map[string]func() string{
		"correct":          func() string { return attempt((*Election).StepDown, (*Election).Promote) },
		"promote-early":    func() string { return attempt((*Election).StepDown, (*Election).PromoteEarly) },
		"check-then-close": func() string { return attempt((*Election).StepDownCheckThenClose, (*Election).Promote) },
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
