//go:build ignore

// false_sharing.go - the Go original of patterns/false_sharing.c: one
// goroutine per P increments its own atomic counter; the counters padded
// to a cache line each (correct), side by side in one array (shared-line),
// or one counter for all (one-counter).
//
// Run: go run false_sharing.go [correct|shared-line|one-counter]
// The broken variants print "metric slowdown_pct = N > limit 200" and exit
// 1 on a machine whose cores are free to run the goroutines at the same
// time. Lines bounce only while two goroutines run at the same instant, so
// each one, as in the C twin, times its adds in chunks of 2048 and keeps a
// chunk only if another made progress meanwhile (published every 256 adds
// on a line of its own); its figure is the median of 200 such chunks,
// against the median of 200 chunks alone. Go cannot show the mistake when
// no two CPUs are free (one CPU, or CPUs busy with other programs): the
// goroutines then seldom run at once and get too few chunks; the program
// says so instead, after 5 attempts.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

const (
	step       = 256        // adds between two progress stores
	chunk      = 8 * step   // adds per timed chunk
	overlapMax = 16 * chunk // another's progress beyond this: this one was switched out
	samples    = 200        // chunks timed beside another goroutine
	minSamples = 50         // fewer: the goroutines did not run at the same time
	maxIters   = 50_000_000 // the most adds per goroutine
)

type padded struct {
	n int64
	_ [56]byte // the rest of a 64-byte line
}

type counters struct {
	padded    [64]padded
	packed    [64]int64
	one       int64
	progress  [64]padded // how far each goroutine is: a line each
	satisfied padded     // goroutines with all their samples
}

func ownLine(c *counters, i int) *int64 { return &c.padded[i].n }

func sameLine(c *counters, i int) *int64 {
	return &c.packed[i] // MISTAKE(shared-line): adjacent int64s: eight workers' counters on one 64-byte line
}

func sameCounter(c *counters, i int) *int64 {
	return &c.one // MISTAKE(one-counter): one counter for every worker: each add waits for the line
}

// timeChunk makes chunk atomic adds to n, publishing *done every step.
func timeChunk(n, done *int64) time.Duration {
	t0 := time.Now()
	d := atomic.LoadInt64(done)
	for s := 0; s < chunk/step; s++ {
		for k := 0; k < step; k++ {
			atomic.AddInt64(n, 1)
		}
		d += step
		atomic.StoreInt64(done, d)
	}
	return time.Since(t0)
}

// medianNs is the median ns per add of chunk times (0 if none).
func medianNs(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	sort.Slice(ds, func(a, b int) bool { return ds[a] < ds[b] })
	return float64(ds[len(ds)/2].Nanoseconds()) / chunk
}

// run returns the slowdown (% of the time alone) and the fewest samples a
// goroutine got.
func run(counterOf func(*counters, int) *int64) (slowdown int64, fewest int) {
	c := new(counters)
	var alone, aloneDone int64
	base := make([]time.Duration, samples)
	for k := range base {
		base[k] = timeChunk(&alone, &aloneDone)
	}
	baseNs := medianNs(base)
	n := runtime.GOMAXPROCS(0)
	if n > 64 {
		n = 64
	}
	var ready, wg sync.WaitGroup
	start := make(chan struct{})
	medians := make([]float64, n)
	got := make([]int, n)
	ready.Add(n)
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			counter, mine := counterOf(c, i), &c.progress[i].n
			kept := make([]time.Duration, 0, samples)
			before := make([]int64, n)
			ready.Done()
			<-start
			for done := 0; done < maxIters; done += chunk {
				for j := range before {
					before[j] = atomic.LoadInt64(&c.progress[j].n)
				}
				took := timeChunk(counter, mine)
				most := int64(0) // the most another goroutine did meanwhile
				for j := range before {
					if d := atomic.LoadInt64(&c.progress[j].n) - before[j]; j != i && d > most {
						most = d
					}
				}
				if most >= step && most <= overlapMax && len(kept) < samples {
					kept = append(kept, took)
					if len(kept) == samples {
						atomic.AddInt64(&c.satisfied.n, 1)
					}
				}
				if atomic.LoadInt64(&c.satisfied.n) == int64(n) {
					break
				}
			}
			medians[i], got[i] = medianNs(kept), len(kept)
		}(i)
	}
	ready.Wait()
	close(start)
	wg.Wait()
	worst := 0.0
	fewest = samples
	for i := 0; i < n; i++ {
		if got[i] > 0 && medians[i] > worst {
			worst = medians[i]
		}
		if got[i] < fewest {
			fewest = got[i]
		}
	}
	if worst == 0 || baseNs == 0 {
		return 100, fewest
	}
	return int64(worst * 100 / baseNs), fewest
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
		slowdown, fewest := run(counterOf)
		if fewest < minSamples || runtime.GOMAXPROCS(0) < 2 {
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
