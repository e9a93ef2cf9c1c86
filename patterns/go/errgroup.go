//go:build ignore

// errgroup.go - the Go original of patterns/errgroup.c: fetchers in an
// errgroup; the first error cancels the group's context; main collects
// results until the context is done, then gives the group a grace period to
// return, as a goleak check would.
//
// Real code imports golang.org/x/sync/errgroup (errgroup.WithContext,
// g.Go, g.Wait, g.SetLimit). That module is not in the standard library and
// this file runs with a bare `go run`, so it carries a small stand-in,
// `group`, with the same methods and the same behaviour: the first error
// cancels ctx, Wait returns it, and with SetLimit g.Go blocks for a slot.
//
// Run: go run errgroup.go [correct|background-ctx|blocked-send|set-limit]
// background-ctx prints the pages fetched after the cancel and exits 1;
// blocked-send prints the goroutines still blocked in their send, exits 1.
package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

const (
	tasks  = 4
	fail   = 3 // the fetcher that fails (fetcher i fetches i*i pages)
	failAt = 3 // at this page
	limit  = 2 // set-limit: most fetchers at work at once
	work   = 10 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

// group stands in for golang.org/x/sync/errgroup.Group.
type group struct {
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	sem     chan struct{}
	errOnce sync.Once
	err     error
}

func withContext(ctx context.Context) (*group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &group{cancel: cancel}, ctx
}

func (g *group) SetLimit(n int) { g.sem = make(chan struct{}, n) }

func (g *group) Go(f func() error) {
	if g.sem != nil {
		g.sem <- struct{}{}
	}
	g.wg.Add(1)
	go func() {
		defer func() {
			if g.sem != nil {
				<-g.sem
			}
			g.wg.Done()
		}()
		if err := f(); err != nil {
			g.errOnce.Do(func() { g.err = err; g.cancel() })
		}
	}()
}

func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

var errFetch = errors.New("fetch failed")

var wasted, running, peak int64

// fetchPages: fetcher id fetches id*id pages under ctx; it returns how many
// it got, and ctx.Err() if ctx was done first. group is the group's ctx,
// only to count the pages finished after it was cancelled.
func fetchPages(ctx, group context.Context, id int) (int, error) {
	pages := 0
	for s := 1; s <= id*id; s++ {
		now := atomic.AddInt64(&running, 1)
		for p := atomic.LoadInt64(&peak); now > p && !atomic.CompareAndSwapInt64(&peak, p, now); p = atomic.LoadInt64(&peak) {
		}
		t := time.NewTimer(latency(work))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			atomic.AddInt64(&running, -1)
			return pages, ctx.Err()
		}
		atomic.AddInt64(&running, -1)
		if group.Err() != nil {
			atomic.AddInt64(&wasted, 1)
		}
		pages = s
		if id == fail && s == failAt {
			fmt.Printf("fetcher %d fails\n", id)
			return pages, errFetch
		}
	}
	return pages, nil
}

type member func(ctx context.Context, id int, results chan<- int) error

func correctMember(ctx context.Context, id int, results chan<- int) error {
	n, err := fetchPages(ctx, ctx, id)
	if err != nil {
		return err
	}
	select {
	case results <- n:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func backgroundMember(ctx context.Context, id int, results chan<- int) error {
	n, err := fetchPages(context.Background(), ctx, id) // MISTAKE(background-ctx): context.Background() instead of the group's ctx
	if err != nil {
		return err
	}
	select {
	case results <- n:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func blockedSendMember(ctx context.Context, id int, results chan<- int) error {
	n, err := fetchPages(ctx, ctx, id)
	results <- n // MISTAKE(blocked-send): results <- n, no select on ctx.Done()
	return err
}

func run(m member, setLimit bool) bool {
	atomic.StoreInt64(&wasted, 0)
	atomic.StoreInt64(&peak, 0)
	before := runtime.NumGoroutine()
	g, ctx := withContext(context.Background())
	if setLimit {
		g.SetLimit(limit)
	}
	results := make(chan int)
	errc := make(chan error, 1)
	// g.Go and Wait from their own goroutine: with SetLimit, g.Go blocks
	// until a member returns, and main must keep receiving meanwhile.
	go func() {
		for id := 1; id <= tasks; id++ {
			id := id
			g.Go(func() error { return m(ctx, id, results) })
		}
		errc <- g.Wait()
	}()
loop:
	for got := 0; got < tasks; got++ {
		select {
		case n := <-results:
			fmt.Printf("main has %d pages\n", n)
			time.Sleep(latency(4 * work)) // use(n)
		case <-ctx.Done():
			break loop
		}
	}
	ok := true
	select {
	case err := <-errc:
		fmt.Println("main: Wait returned", err)
	case <-time.After(50*work + time.Millisecond):
		buf := make([]byte, 1<<16)
		fmt.Printf("leak: %d goroutines still running after the grace period:\n%s\n",
			runtime.NumGoroutine()-before, buf[:runtime.Stack(buf, true)])
		ok = false
	}
	if w := atomic.LoadInt64(&wasted); w > tasks {
		fmt.Printf("metric wasted_steps = %d > limit %d\n", w, tasks)
		ok = false
	}
	if p := atomic.LoadInt64(&peak); setLimit && p > limit {
		fmt.Printf("metric running = %d > limit %d\n", p, limit)
		ok = false
	}
	return ok
}

func main() {
	variants := map[string]func() bool{
		"correct":        func() bool { return run(correctMember, false) },
		"background-ctx": func() bool { return run(backgroundMember, false) },
		"blocked-send":   func() bool { return run(blockedSendMember, false) },
		"set-limit":      func() bool { return run(correctMember, true) },
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	variant, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for attempt := int64(1); attempt <= 10; attempt++ {
		rand.Seed(attempt)
		if !variant() {
			fmt.Printf("attempt %d failed\n", attempt)
			os.Exit(1)
		}
	}
	fmt.Println("10 attempts, every one clean")
}
