//go:build ignore

// waitgroup_mistakes.go - the Go original of patterns/waitgroup_mistakes.c:
// two batches of jobs and one WaitGroup; a job that Waits for its own group,
// and Adds made after Wait began.
//
// The third classic mistake, copying a WaitGroup by value, is not a variant
// here, because go vet's copylocks check rejects it and this file must pass
// vet:
//
//	func worker(wg sync.WaitGroup) { defer wg.Done() } // Done on a copy
//	go worker(wg)                                       // vet: "passes lock by value"
//
// main's wg never sees that Done, and its Wait blocks forever. Pass *sync.WaitGroup.
//
// Run: go run waitgroup_mistakes.go [correct|wait-inside|add-after-wait]
// wait-inside ends in "all goroutines are asleep - deadlock!"; add-after-wait
// prints how many jobs had finished when Wait returned and exits 1 (in some
// attempts the first batch is still running when the late Adds come, and
// Wait then waits for them: it is a matter of timing).
package main

import (
	"fmt"
	"math/rand"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

const (
	jobs = 3
	work = 10 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

func run(waitInside, addLate bool) bool {
	var wg sync.WaitGroup
	var finished int64
	job := func() {
		defer wg.Done()
		time.Sleep(latency(work))
		atomic.AddInt64(&finished, 1)
		if waitInside {
			wg.Wait() // MISTAKE(wait-inside): Wait in a goroutine the group counts: it waits for its own Done
		}
	}
	wg.Add(jobs)
	for i := 0; i < jobs; i++ {
		go job()
	}
	if !addLate {
		wg.Add(jobs) // the second batch's Adds, before Wait can start
	}
	go func() {
		time.Sleep(latency(work))
		for i := 0; i < jobs; i++ {
			if addLate {
				wg.Add(1) // MISTAKE(add-after-wait): Add after main's Wait began: if the counter was zero, Wait has returned
			}
			go job()
		}
	}()
	wg.Wait()
	done := atomic.LoadInt64(&finished)
	time.Sleep(20 * work) // let the stragglers finish before the next attempt
	if done != 2*jobs {
		fmt.Printf("invariant all-done failed: Wait returned when %d of %d jobs had finished\n", done, 2*jobs)
		return false
	}
	return true
}

func main() {
	variants := map[string][2]bool{
		"correct":        {false, false},
		"wait-inside":    {true, false},
		"add-after-wait": {false, true},
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	v, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for attempt := int64(1); attempt <= 40; attempt++ {
		rand.Seed(attempt)
		if !run(v[0], v[1]) {
			fmt.Printf("attempt %d failed\n", attempt)
			os.Exit(1)
		}
	}
	fmt.Println("40 attempts: Wait returned after every job")
}
