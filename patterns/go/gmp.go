//go:build ignore

// gmp.go - the Go original of patterns/gmp.c: CPU-bound goroutines spread
// over GOMAXPROCS processors by work stealing, and two ways to lose the
// parallelism (one mutex around every job; waiting for each goroutine
// before starting the next).
//
// Run: go run gmp.go [correct|global-lock|one-at-a-time]
// The broken variants print "metric idle_procs = N > limit 0" and exit 1.
// GOMAXPROCS is at least 2 here, so a one-CPU machine shows it too (its
// two Ps then take turns on the CPU, but both hold goroutines).
// To see the steals themselves: runtime/trace, then `go tool trace`.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

const work = 5 * time.Millisecond

type gmp struct {
	wg      sync.WaitGroup
	mu      sync.Mutex
	running int64 // goroutines computing right now
	peak    int64 // the most at once
}

// compute keeps its P: a loop that only computes (time.Since is a call,
// so since Go 1.14 the loop could be preempted, but nothing else waits).
func compute(d time.Duration) {
	start := time.Now()
	x := 0
	for time.Since(start) < d {
		for i := 0; i < 1000; i++ {
			x += i * 7
		}
	}
	_ = x
}

func (g *gmp) job() {
	now := atomic.AddInt64(&g.running, 1)
	for {
		seen := atomic.LoadInt64(&g.peak)
		if now <= seen || atomic.CompareAndSwapInt64(&g.peak, seen, now) {
			break
		}
	}
	compute(work)
	atomic.AddInt64(&g.running, -1)
}

func correct(g *gmp, n int) {
	g.wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer g.wg.Done()
			g.job()
		}()
	}
	g.wg.Wait()
}

func globalLock(g *gmp, n int) {
	g.wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer g.wg.Done()
			g.mu.Lock()
			g.job() // MISTAKE(global-lock): the whole job under one mutex: one goroutine computes at a time
			g.mu.Unlock()
		}()
	}
	g.wg.Wait()
}

func oneAtATime(g *gmp, n int) {
	for i := 0; i < n; i++ {
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			g.job()
		}()
		g.wg.Wait() // MISTAKE(one-at-a-time): waits for each goroutine before starting the next
	}
}

func main() {
	variants := map[string]func(*gmp, int){
		"correct":       correct,
		"global-lock":   globalLock,
		"one-at-a-time": oneAtATime,
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
	procs := runtime.GOMAXPROCS(0)
	if procs < 2 {
		procs = 2
		runtime.GOMAXPROCS(procs)
	}
	// A goroutine counts as computing from job's start to its end, even
	// while the OS has its thread off the CPU: the count is of Ps, so a
	// busy machine does not change it.
	for attempt := 1; attempt <= 3; attempt++ {
		g := &gmp{}
		run(g, 4*procs)
		if idle := int64(procs) - g.peak; idle > 0 {
			fmt.Printf("metric idle_procs = %d > limit 0: %d of %d Ps computed at once\n", idle,
				g.peak, procs)
			os.Exit(1)
		}
	}
	fmt.Printf("3 attempts: all %d Ps computed at once\n", procs)
}
