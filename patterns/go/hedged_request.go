//go:build ignore

// hedged_request.go - the Go original of patterns/hedged_request.c: ask one
// replica; if it has not answered after a hedge delay, ask the next one too;
// the first answer wins and the others are cancelled.  The results channel
// has room for every replica.  Then measure p50/p95/p99 with and without
// hedging over many calls.
//
// Run: go run hedged_request.go [correct|unbuffered-results|no-cancel]
package main

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"sync"
	"time"
)

const (
	replicas = 3
	hedge    = 15 * time.Millisecond
	typical  = 10 * time.Millisecond // replica latency, long tail
	calls    = 3
	requests = 1000 // for the figures
	grace    = time.Second
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type result struct {
	Replica int
	Err     error
}

type queryFunc func(ctx context.Context, replica int, results chan<- result, wg *sync.WaitGroup)

// query is the correct form: the work watches ctx.
func query(ctx context.Context, replica int, results chan<- result, wg *sync.WaitGroup) {
	defer wg.Done()
	var r result
	select {
	case <-time.After(latency(typical)):
		r = result{replica, nil}
	case <-ctx.Done():
		r = result{replica, ctx.Err()}
	}
	results <- r // always one answer, even "canceled"
}

// wasted is the time replicas went on working after their call was
// answered (their context canceled): hedging's cost, which must be 0.
var (
	wastedMu sync.Mutex
	wasted   time.Duration
)

// countWasted adds the work a replica did after ctx was canceled at
// canceledAt (zero: it was not).
func countWasted(ctx context.Context, canceledAt *time.Time, mu *sync.Mutex) {
	mu.Lock()
	defer mu.Unlock()
	if ctx.Err() != nil && !canceledAt.IsZero() {
		wastedMu.Lock()
		wasted += time.Since(*canceledAt)
		wastedMu.Unlock()
	}
}

// queryNoCancel: the work does not watch ctx.
func queryNoCancel(ctx context.Context, replica int, results chan<- result, wg *sync.WaitGroup) {
	defer wg.Done()
	var mu sync.Mutex
	var canceledAt time.Time
	done := make(chan struct{})
	defer close(done)
	go func() { // notes when the call no longer needs this replica
		select {
		case <-ctx.Done():
			mu.Lock()
			canceledAt = time.Now()
			mu.Unlock()
		case <-done:
		}
	}()
	time.Sleep(latency(typical)) // MISTAKE(no-cancel): ignores ctx: a loser keeps working after the answer is in
	countWasted(ctx, &canceledAt, &mu)
	results <- result{replica, nil}
}

type hedgedFunc func(ctx context.Context, replicas int, hedge time.Duration, q queryFunc, wg *sync.WaitGroup) result

// hedged is the correct form.
func hedged(ctx context.Context, replicas int, hedge time.Duration, q queryFunc, wg *sync.WaitGroup) result {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan result, replicas) // room for every replica
	launched := 1
	wg.Add(1)
	go q(ctx, launched, results, wg)
	for {
		var hedgeTimer <-chan time.Time
		if launched < replicas {
			hedgeTimer = time.After(hedge)
		}
		select {
		case r := <-results:
			return r
		case <-hedgeTimer:
			launched++
			wg.Add(1)
			go q(ctx, launched, results, wg)
		}
	}
}

// hedgedUnbufferedResults: no room for the losers' answers.
func hedgedUnbufferedResults(ctx context.Context, replicas int, hedge time.Duration, q queryFunc, wg *sync.WaitGroup) result {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan result) // MISTAKE(unbuffered-results): unbuffered: after we return, every loser blocks on its send forever
	launched := 1
	wg.Add(1)
	go q(ctx, launched, results, wg)
	for {
		var hedgeTimer <-chan time.Time
		if launched < replicas {
			hedgeTimer = time.After(hedge)
		}
		select {
		case r := <-results:
			return r
		case <-hedgeTimer:
			launched++
			wg.Add(1)
			go q(ctx, launched, results, wg)
		}
	}
}

func client(h hedgedFunc, q queryFunc) {
	var wg sync.WaitGroup
	for k := 1; k <= calls; k++ {
		start := time.Now()
		r := h(context.Background(), replicas, hedge, q, &wg)
		fmt.Printf("call %d answered by replica %d after %v\n", k, r.Replica,
			time.Since(start).Round(time.Millisecond))
	}
	// Shut down: wait for replicas still running, at most a grace period.
	allDone := make(chan struct{})
	go func() { wg.Wait(); close(allDone) }()
	select {
	case <-allDone:
	case <-time.After(grace):
		fmt.Println("replicas still running after the grace period")
	}
	wastedMu.Lock()
	defer wastedMu.Unlock()
	if wasted > 0 {
		fmt.Printf("metric wasted_work = %v > limit 0: the losing replicas went on working for %v after the answer was in; canceled work should stop at once\n",
			wasted.Round(time.Microsecond), wasted.Round(time.Microsecond))
	}
}

// measure runs n calls at once with the given number of replicas.
func measure(replicas, n int) []time.Duration {
	lat := make([]time.Duration, n)
	var calls, wg sync.WaitGroup
	for k := 0; k < n; k++ {
		calls.Add(1)
		go func(k int) {
			defer calls.Done()
			start := time.Now()
			hedged(context.Background(), replicas, hedge, query, &wg)
			lat[k] = time.Since(start)
		}(k)
	}
	calls.Wait()
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat
}

func summarize(label string, lat []time.Duration) {
	for _, p := range []int{50, 95, 99} {
		fmt.Printf("  p%d %-18s %8.1f ms\n", p, label, float64(lat[p*len(lat)/100])/1e6)
	}
	buckets := []time.Duration{0, 5, 10, 15, 20, 30, 40, 60, 80, 100}
	count := make([]int, len(buckets))
	for _, d := range lat {
		i := len(buckets) - 1
		for i > 0 && d < buckets[i]*time.Millisecond {
			i--
		}
		count[i]++
	}
	for i, c := range count {
		fmt.Printf("  %4d ms %s %d\n", buckets[i], bar(c, len(lat)), c)
	}
}

func bar(c, n int) string {
	s := ""
	for i := 0; i < c*60/n; i++ {
		s += "#"
	}
	return s
}

func main() {
	rand.Seed(1) // explicit, as on Go 1.19: the simulated latencies are the same every run
	variants := map[string]func(){
		"correct":            func() { client(hedged, query) },
		"unbuffered-results": func() { client(hedgedUnbufferedResults, query) },
		"no-cancel":          func() { client(hedged, queryNoCancel) },
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
	fmt.Println("\nwithout hedging:")
	summarize("without hedging", measure(1, requests))
	fmt.Println("\nwith hedging:")
	summarize("with hedging", measure(replicas, requests))
}
