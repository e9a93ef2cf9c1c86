//go:build ignore

// false_sharing.go - the Go original of patterns/false_sharing.c: one
// goroutine per P increments its own atomic counter; the counters padded
// to a cache line each (correct), side by side in one array (shared-line),
// or one counter for all (one-counter).
//
// Run: go run false_sharing.go [correct|shared-line|one-counter]
// The broken variants print "metric slowdown_pct = N > limit 200" and exit
// 1 on a machine whose cores are free to run the goroutines at the same
// time. Go cannot show it when they are not (one CPU, or CPUs busy with
// other programs): the cores then take turns and never contend for the
// line; the program measures that (CPU time against wall time of each
// goroutine's thread) and says so instead, after 5 attempts.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const iters = 5000000

type padded struct {
	n int64
	_ [56]byte // the rest of a 64-byte line
}

type counters struct {
	padded [64]padded
	packed [64]int64
	one    int64
}

func ownLine(c *counters, i int) *int64 { return &c.padded[i].n }

func sameLine(c *counters, i int) *int64 {
	return &c.packed[i] // MISTAKE(shared-line): adjacent int64s: eight workers' counters on one 64-byte line
}

func sameCounter(c *counters, i int) *int64 {
	return &c.one // MISTAKE(one-counter): one counter for every worker: each add waits for the line
}

// threadCPU: CPU time of this thread (the goroutine is locked to it).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// increment returns the CPU time and wall time of iters atomic adds.
func increment(n *int64) (cpu, wall time.Duration) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0, c0 := time.Now(), threadCPU()
	for k := 0; k < iters; k++ {
		atomic.AddInt64(n, 1)
	}
	return threadCPU() - c0, time.Since(t0)
}

// run returns the slowdown (% of the time alone) and the least CPU share.
func run(counterOf func(*counters, int) *int64) (slowdown, share int64) {
	var alone int64
	base, _ := increment(&alone)
	c := new(counters)
	n := runtime.GOMAXPROCS(0)
	if n > 64 {
		n = 64
	}
	var ready, wg sync.WaitGroup
	start := make(chan struct{})
	var mu sync.Mutex
	worst, least := time.Duration(0), int64(100)
	ready.Add(n)
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			defer wg.Done()
			ready.Done()
			<-start
			cpu, wall := increment(counterOf(c, i))
			mu.Lock()
			if cpu > worst {
				worst = cpu
			}
			if s := int64(cpu * 100 / wall); s < least {
				least = s
			}
			mu.Unlock()
		}(i)
	}
	ready.Wait()
	close(start)
	wg.Wait()
	if base < 1 {
		base = 1
	}
	return int64(worst * 100 / base), least
}

func main() {
	variants := map[string]func(*counters, int) *int64{
		"correct":     ownLine,
		"shared-line": sameLine,
		"one-counter": sameCounter,
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	counterOf, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	busy := 0
	for attempt := 1; attempt <= 5; attempt++ {
		slowdown, share := run(counterOf)
		if share < 80 || runtime.GOMAXPROCS(0) < 2 {
			busy++ // the goroutines did not run at the same time: nothing to see
			continue
		}
		if slowdown > 200 {
			fmt.Printf("metric slowdown_pct = %d > limit 200: each increment took %d%% of "+
				"its time alone\n", slowdown, slowdown)
			os.Exit(1)
		}
	}
	if busy == 5 {
		fmt.Println("5 attempts, none showed the mistake: the goroutines never had CPUs " +
			"at the same time (one CPU, or CPUs busy with other programs)")
		return
	}
	fmt.Println("5 attempts, no failure: no increment slower than 200% of its time alone")
}
