//go:build ignore

// barrier.go - the Go original of patterns/barrier.c: an N-way startup
// barrier in three correct forms (per-child started channels, a start wait
// group, one shared ready channel), cancelling every child through a context
// when one fails to start.
//
// Run: go run barrier.go [correct|waitgroup|ready-channel|no-cancel|unbuffered-errors|add-inside]
//
// Each run tries up to `attempts` times, seeding math/rand with the attempt
// number (Go 1.19 does not seed it for you). unbuffered-errors ends in Go's
// "all goroutines are asleep - deadlock!"; add-inside prints the invariant
// that failed. Go cannot show no-cancel by itself: a leaked goroutine is
// silent, so the attempt counts the goroutines still alive after start
// returned (what goleak would report in a test).
package main

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"sync"
	"time"
)

const (
	children = 3
	initTime = 20 * time.Millisecond // typical time to initialise (long tail)
	fail     = 30                    // chance in percent that a child fails to start
	deadline = 500 * time.Millisecond
	attempts = 20
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type Child struct {
	id      int
	Started chan error // per-child form: nil = ready, else the failure
	ready   bool
}

type Barrier struct {
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup // every child, until it returns
	startWG sync.WaitGroup // waitgroup form
	ready   chan struct{}  // ready-channel form
	errs    chan error
	c       []*Child
	mu      sync.Mutex // guards ready flags for the check
}

// loadConfig: every child first reads its configuration, a short step.
func loadConfig(c *Child) {
	time.Sleep(latency(time.Millisecond))
}

func (b *Barrier) initialise(c *Child) error {
	select {
	case <-time.After(latency(initTime)):
	case <-b.ctx.Done():
		return b.ctx.Err()
	}
	if rand.Intn(100) < fail {
		return fmt.Errorf("child %d: connection refused", c.id)
	}
	b.mu.Lock()
	c.ready = true
	b.mu.Unlock()
	return nil
}

func (b *Barrier) mainLoop(c *Child) {
	<-b.ctx.Done() // serve until cancelled
}

func newBarrier(errsCap int) *Barrier {
	b := &Barrier{errs: make(chan error, errsCap)}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	for i := 1; i <= children; i++ {
		b.c = append(b.c, &Child{id: i, Started: make(chan error, 1)})
	}
	return b
}

// ---- per-child started channels ----

func (b *Barrier) childStarted(c *Child) {
	defer b.wg.Done()
	loadConfig(c)
	err := b.initialise(c)
	c.Started <- err
	if err == nil {
		b.mainLoop(c)
	}
}

func (b *Barrier) startPerChild(cancelOnFailure bool) error {
	for _, c := range b.c {
		b.wg.Add(1)
		go b.childStarted(c)
	}
	startCtx, cancelStart := context.WithTimeout(b.ctx, deadline)
	defer cancelStart()
	for _, c := range b.c {
		var err error
		select {
		case err = <-c.Started:
		case <-startCtx.Done():
			err = startCtx.Err()
		}
		if err != nil {
			if cancelOnFailure {
				b.cancel()  // stop the children that did start ...
				b.wg.Wait() // ... and wait for them
			}
			return err
		}
	}
	return nil
}

// ---- one shared ready channel ----

func (b *Barrier) childReady(c *Child) {
	defer b.wg.Done()
	loadConfig(c)
	if err := b.initialise(c); err != nil {
		b.errs <- err
		return
	}
	b.ready <- struct{}{}
	b.mainLoop(c)
}

func (b *Barrier) startReadyChannel() error {
	b.ready = make(chan struct{}, children)
	for _, c := range b.c {
		b.wg.Add(1)
		go b.childReady(c)
	}
	startCtx, cancelStart := context.WithTimeout(b.ctx, deadline)
	defer cancelStart()
	for i := 0; i < children; i++ {
		var err error
		select {
		case <-b.ready:
		case err = <-b.errs:
		case <-startCtx.Done():
			err = startCtx.Err()
		}
		if err != nil {
			b.cancel()
			b.wg.Wait()
			return err
		}
	}
	return nil
}

// ---- a start wait group ----

func (b *Barrier) childWG(c *Child) {
	defer b.wg.Done()
	loadConfig(c)
	err := b.initialise(c)
	if err != nil {
		b.errs <- err
	}
	b.startWG.Done()
	if err == nil {
		b.mainLoop(c)
	}
}

func (b *Barrier) childWGAddInside(c *Child) {
	defer b.wg.Done()
	loadConfig(c)
	b.startWG.Add(1) // MISTAKE(add-inside): inside the child: the parent's Wait can run before any child has added itself
	err := b.initialise(c)
	if err != nil {
		b.errs <- err
	}
	b.startWG.Done()
	if err == nil {
		b.mainLoop(c)
	}
}

func (b *Barrier) startWaitGroup(child func(*Barrier, *Child), addBeforeGo bool) error {
	for _, c := range b.c {
		b.wg.Add(1)
		if addBeforeGo {
			b.startWG.Add(1) // before the go statement
		}
		go child(b, c)
	}
	b.startWG.Wait() // a wait group cannot be selected on: no deadline here
	select {
	case err := <-b.errs:
		b.cancel()
		b.wg.Wait()
		return err
	default:
		return nil
	}
}

// finish: on success every child must be ready; then cancel and wait.
func (b *Barrier) finish(err error) string {
	if err != nil {
		fmt.Println("main: startup failed:", err)
		return ""
	}
	failure := ""
	b.mu.Lock()
	for _, c := range b.c {
		if !c.ready && failure == "" {
			failure = fmt.Sprintf("invariant all-ready failed: the barrier let main through while child %d had not finished initialising", c.id)
		}
	}
	b.mu.Unlock()
	fmt.Printf("main: all %d children started\n", children)
	b.cancel()
	b.wg.Wait()
	return failure
}

// leaked reports goroutines left behind by an attempt, as goleak would.
func leaked(before int) string {
	time.Sleep(50 * time.Millisecond) // let cancelled children return
	if n := runtime.NumGoroutine() - before; n > 0 {
		return fmt.Sprintf("leak: %d goroutines still running after start returned", n)
	}
	return ""
}

func main() {
	variants := map[string]func() string{
		"correct": func() string { b := newBarrier(children); return b.finish(b.startPerChild(true)) },
		"waitgroup": func() string {
			b := newBarrier(children)
			return b.finish(b.startWaitGroup((*Barrier).childWG, true))
		},
		"ready-channel": func() string { b := newBarrier(children); return b.finish(b.startReadyChannel()) },
		"no-cancel": func() string {
			b := newBarrier(children)
			return b.finish(b.startPerChild(false)) // MISTAKE(no-cancel): on a failure startPerChild just returns the error: no cancel(), the started children run on
		},
		"unbuffered-errors": func() string {
			b := newBarrier(0) // MISTAKE(unbuffered-errors): errs := make(chan error): after the first error the other failing children block on their send
			return b.finish(b.startReadyChannel())
		},
		"add-inside": func() string {
			b := newBarrier(children)
			return b.finish(b.startWaitGroup((*Barrier).childWGAddInside, false))
		},
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
	for attempt := 1; attempt <= attempts; attempt++ {
		rand.Seed(int64(attempt))
		before := runtime.NumGoroutine()
		f := run()
		if f == "" {
			f = leaked(before)
		}
		if f != "" {
			fmt.Printf("attempt %d: %s\n", attempt, f)
			os.Exit(1)
		}
	}
	fmt.Printf("%d attempts, no failure\n", attempts)
}
