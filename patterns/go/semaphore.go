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
// bare `go run`, so it carries a small stand-in with the same two methods.
//
// Run: go run semaphore.go [correct|forgotten-release|acquire-late|weighted]
// forgotten-release ends in Go's "all goroutines are asleep - deadlock!";
// acquire-late prints how many worked at once and exits 1.
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

// weightedSem stands in for golang.org/x/sync/semaphore.Weighted.
type weightedSem struct {
	mu   sync.Mutex
	cond *sync.Cond
	free int64
}

func newWeighted(n int64) *weightedSem {
	s := &weightedSem{free: n}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *weightedSem) Acquire(ctx context.Context, n int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.free < n {
		s.cond.Wait()
	}
	s.free -= n
	return ctx.Err()
}

func (s *weightedSem) Release(n int64) {
	s.mu.Lock()
	s.free += n
	s.mu.Unlock()
	s.cond.Broadcast()
}

func fetchAll(task func(sem chan struct{}, w *weightedSem, i int, results []int)) bool {
	atomic.StoreInt64(&peak, 0)
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

func main() {
	variants := map[string]func(chan struct{}, *weightedSem, int, []int){
		"correct":           correct,
		"forgotten-release": forgottenRelease,
		"acquire-late":      acquireLate,
		"weighted":          weighted,
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
