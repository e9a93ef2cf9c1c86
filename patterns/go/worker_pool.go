//go:build ignore

// worker_pool.go - the Go original of patterns/worker_pool.c: a bounded pool
// of workers, jobs and results channels, a context, and the closer; and a
// second correct form, the dispatcher, where idle workers advertise their
// own job channel on a channel of channels (chan chan int).
//
// Run: go run worker_pool.go [correct|never-close-jobs|unbounded|dispatcher]
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
	workers = 4
	jobs    = 20
	work    = 10 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type Result struct{ Job, Worker int }

func worker(ctx context.Context, id int, jobs <-chan int, results chan<- Result, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-jobs:
			if !ok {
				return
			}
			fmt.Printf("worker %d takes job %d\n", id, j)
			time.Sleep(latency(work)) // do the job
			select {
			case results <- Result{j, id}:
			case <-ctx.Done():
				return
			}
		}
	}
}

func producer(ctx context.Context, jobs chan<- int, n int) {
	defer close(jobs)
	for i := 1; i <= n; i++ {
		select {
		case jobs <- i:
		case <-ctx.Done():
			return
		}
	}
}

func producerNeverClose(ctx context.Context, jobs chan<- int, n int) {
	for i := 1; i <= n; i++ {
		select {
		case jobs <- i:
		case <-ctx.Done():
			return
		}
	}
	// MISTAKE(never-close-jobs): no close(jobs): the workers wait for more jobs forever
}

// collect ranges over results, watching how many goroutines are alive:
// limit is the pool's bound (main, the producer, the workers, the closer,
// and the dispatcher in that form).
func collect(cancel context.CancelFunc, results <-chan Result, limit int) {
	seen := map[int]int{}
	peak := 0
	for r := range results {
		n := runtime.NumGoroutine()
		if n > peak {
			peak = n
		}
		fmt.Printf("main has the result of job %d from worker %d (goroutines: %d)\n",
			r.Job, r.Worker, n)
		seen[r.Job]++
	}
	cancel()
	if peak > limit {
		fmt.Printf("metric peak_goroutines = %d > limit %d: %d goroutines were alive at once; a pool needs at most %d\n",
			peak, limit, peak, limit)
	}
	for j := 1; j <= jobs; j++ {
		if seen[j] != 1 {
			fmt.Printf("invariant exactly-once failed: job %d came back %d times\n", j, seen[j])
			return
		}
	}
}

// correct: a fixed pool.
func correct() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	jobsCh := make(chan int, workers)
	results := make(chan Result, workers)
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 1; w <= workers; w++ {
		go worker(ctx, w, jobsCh, results, &wg)
	}
	go producer(ctx, jobsCh, jobs)
	go func() { wg.Wait(); close(results) }()
	collect(cancel, results, workers+3)
}

// neverCloseJobs: the producer forgets to close jobs.
func neverCloseJobs() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	jobsCh := make(chan int, workers)
	results := make(chan Result, workers)
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 1; w <= workers; w++ {
		go worker(ctx, w, jobsCh, results, &wg)
	}
	go producerNeverClose(ctx, jobsCh, jobs)
	go func() { wg.Wait(); close(results) }()
	collect(cancel, results, workers+3)
}

// unbounded: a goroutine per job.
func unbounded() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	jobsCh := make(chan int, workers)
	results := make(chan Result, workers)
	var wg sync.WaitGroup
	// MISTAKE(unbounded): instead of a fixed pool, one spawner that starts a goroutine per job
	wg.Add(1)
	go func() {
		defer wg.Done()
		for j := range jobsCh {
			wg.Add(1)
			go func(j int) {
				defer wg.Done()
				fmt.Printf("task %d takes job %d\n", j, j)
				time.Sleep(latency(work))
				select {
				case results <- Result{j, j}:
				case <-ctx.Done():
				}
			}(j)
		}
	}()
	go producer(ctx, jobsCh, jobs)
	go func() { wg.Wait(); close(results) }()
	collect(cancel, results, workers+3)
}

// idleWorker advertises its own job channel whenever it is free.
func idleWorker(id int, idle chan<- chan int, results chan<- Result, wg *sync.WaitGroup) {
	defer wg.Done()
	mine := make(chan int) // this worker's own job channel
	for {
		idle <- mine // "I am free: give me a job on this channel"
		j, ok := <-mine
		if !ok {
			return
		}
		fmt.Printf("worker %d takes job %d\n", id, j)
		time.Sleep(latency(work))
		results <- Result{j, id}
	}
}

func dispatch(jobs <-chan int, idle <-chan chan int, workers int) {
	for j := range jobs {
		w := <-idle
		w <- j
	}
	for i := 0; i < workers; i++ { // send everyone home
		w := <-idle
		close(w)
	}
}

// dispatcher: the second correct form.
func dispatcher() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	jobsCh := make(chan int, workers)
	results := make(chan Result, workers)
	idle := make(chan chan int)
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 1; w <= workers; w++ {
		go idleWorker(w, idle, results, &wg)
	}
	go dispatch(jobsCh, idle, workers)
	go producer(ctx, jobsCh, jobs)
	go func() { wg.Wait(); close(results) }()
	collect(cancel, results, workers+4)
}

func main() {
	rand.Seed(1) // explicit, as on Go 1.19: the simulated latencies are the same every run
	variants := map[string]func(){
		"correct":          correct,
		"never-close-jobs": neverCloseJobs,
		"unbounded":        unbounded,
		"dispatcher":       dispatcher,
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
	run()
}
