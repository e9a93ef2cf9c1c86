//go:build ignore

// semaphore.go - the Go original of patterns/semaphore.c: a goroutine per
// job, at most limit of them working at once, with a buffered channel as
// the semaphore; and the weighted form.
//
// The weighted form is golang.org/x/sync/semaphore in real code:
//
//	sem := semaphore.NewWeighted(limit)
//	if err := sem.Acquire(ctx, 1); err != nil { return }
//	defer sem.Release(1)
//
// That module is not in the standard library, and this file runs with a
// bare `go run`, so it carries a small stand-in with the same two methods
// and the same order: waiters are served first come, first served, and a
// large request at the head holds back later small ones that would fit.
//
// Run: go run semaphore.go [correct|forgotten-release|acquire-late|weighted|
// weighted-batch|nested-acquire]
// forgotten-release and nested-acquire end in Go's "all goroutines are
// asleep - deadlock!"; acquire-late prints how many worked at once and
// exits 1.
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
	tasks = 12
	limit = 3
	work  = 10 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

var running, peak int64

// fetch is the work the limit protects.
func fetch(i int) int {
	now := atomic.AddInt64(&running, 1)
	for {
		p := atomic.LoadInt64(&peak)
		if now <= p || atomic.CompareAndSwapInt64(&peak, p, now) {
			break
		}
	}
	time.Sleep(latency(work))
	atomic.AddInt64(&running, -1)
	return i * i
}

// weightedSem stands in for golang.org/x/sync/semaphore.Weighted: a count
// and a FIFO queue of waiters, each with the weight it asks for.  It leaves
// out cancellation (every caller here passes context.Background()).
type weightedSem struct {
	mu      sync.Mutex
	size    int64
	cur     int64
	waiters []semWaiter
}

type semWaiter struct {
	n     int64
	ready chan struct{}
}

func newWeighted(n int64) *weightedSem {
	return &weightedSem{size: n}
}

func (s *weightedSem) Acquire(ctx context.Context, n int64) error {
	s.mu.Lock()
	if s.size-s.cur >= n && len(s.waiters) == 0 {
		s.cur += n
		s.mu.Unlock()
		return ctx.Err()
	}
	w := semWaiter{n, make(chan struct{})}
	s.waiters = append(s.waiters, w) // behind everyone already waiting, whatever they ask for
	s.mu.Unlock()
	<-w.ready
	return ctx.Err()
}

func (s *weightedSem) Release(n int64) {
	s.mu.Lock()
	s.cur -= n
	for len(s.waiters) > 0 && s.size-s.cur >= s.waiters[0].n {
		s.cur += s.waiters[0].n
		close(s.waiters[0].ready)
		s.waiters = s.waiters[1:]
	}
	s.mu.Unlock()
}

var units, peakUnits int64

// take and give count the units held, for the units metric.
func take(w *weightedSem, n int64) {
	_ = w.Acquire(context.Background(), n)
	now := atomic.AddInt64(&units, n)
	for {
		p := atomic.LoadInt64(&peakUnits)
		if now <= p || atomic.CompareAndSwapInt64(&peakUnits, p, now) {
			break
		}
	}
}

func give(w *weightedSem, n int64) {
	atomic.AddInt64(&units, -n)
	w.Release(n)
}

// weight: one job in four is a batch that needs every unit; the others are
// two steps (fetch, then store) of one unit each, both held at once.
func weight(i int) int64 {
	if i%4 == 3 {
		return limit
	}
	return 2
}

// store is the second step of a small job.
func store(i, r int, results []int) {
	time.Sleep(latency(work))
	results[i] = r
}

func fetchAll(task func(sem chan struct{}, w *weightedSem, i int, results []int)) bool {
	atomic.StoreInt64(&peak, 0)
	atomic.StoreInt64(&peakUnits, 0)
	sem := make(chan struct{}, limit)
	w := newWeighted(limit)
	results := make([]int, tasks)
	var wg sync.WaitGroup
	for i := 0; i < tasks; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			task(sem, w, i, results)
		}(i)
	}
	wg.Wait()
	for i, r := range results {
		if r != i*i {
			fmt.Printf("invariant all-done failed: task %d's result is missing\n", i)
			return false
		}
	}
	if p := atomic.LoadInt64(&peak); p > limit {
		fmt.Printf("metric running = %d > limit %d\n", p, limit)
		return false
	}
	if p := atomic.LoadInt64(&peakUnits); p > limit {
		fmt.Printf("metric units = %d > limit %d\n", p, limit)
		return false
	}
	return true
}

func correct(sem chan struct{}, _ *weightedSem, i int, results []int) {
	sem <- struct{}{}        // acquire: blocks while limit goroutines hold a slot
	defer func() { <-sem }() // release the slot on every way out
	results[i] = fetch(i)
}

func forgottenRelease(sem chan struct{}, _ *weightedSem, i int, results []int) {
	sem <- struct{}{} // MISTAKE(forgotten-release): no defer func() { <-sem }()
	results[i] = fetch(i)
}

func acquireLate(sem chan struct{}, _ *weightedSem, i int, results []int) {
	r := fetch(i) // MISTAKE(acquire-late): the work runs before sem <- struct{}{}
	sem <- struct{}{}
	defer func() { <-sem }()
	results[i] = r
}

func weighted(_ chan struct{}, w *weightedSem, i int, results []int) {
	if err := w.Acquire(context.Background(), 1); err != nil {
		return
	}
	defer w.Release(1)
	results[i] = fetch(i)
}

// weightedBatch acquires each job's whole weight in one request.
func weightedBatch(_ chan struct{}, w *weightedSem, i int, results []int) {
	n := weight(i)
	take(w, n)
	defer give(w, n)
	r := fetch(i)
	if i%4 == 3 {
		results[i] = r // a batch stores as part of its work
		return
	}
	store(i, r, results)
}

// nestedAcquire takes a unit per step, the second while holding the first.
func nestedAcquire(_ chan struct{}, w *weightedSem, i int, results []int) {
	if i%4 == 3 { // a batch
		take(w, limit)
		defer give(w, limit)
		results[i] = fetch(i)
		return
	}
	take(w, 1) // for the fetch
	r := fetch(i)
	take(w, 1) // MISTAKE(nested-acquire): a second Acquire while holding a unit queues behind a waiting batch
	defer give(w, 2)
	store(i, r, results)
}

func main() {
	variants := map[string]func(chan struct{}, *weightedSem, int, []int){
		"correct":           correct,
		"forgotten-release": forgottenRelease,
		"acquire-late":      acquireLate,
		"weighted":          weighted,
		"weighted-batch":    weightedBatch,
		"nested-acquire":    nestedAcquire,
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	task, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for attempt := int64(1); attempt <= 10; attempt++ {
		rand.Seed(attempt)
		if !fetchAll(task) {
			fmt.Printf("attempt %d failed\n", attempt)
			os.Exit(1)
		}
	}
	fmt.Println("10 attempts: at most", limit, "worked at once, every result there")
}
