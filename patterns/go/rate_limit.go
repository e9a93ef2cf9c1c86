//go:build ignore

// rate_limit.go - the Go original of patterns/rate_limit.c: a bursty
// client, a bounded queue that drops when full (backpressure with the drop
// policy), and a worker that takes a token from a ticker before each
// request.
//
// Run: go run rate_limit.go [correct|unbounded-queue|no-limit]
// unbounded-queue prints the longest queue and exits 1; no-limit prints how
// many requests went through within one period and exits 1.
//
// Go 1.23 changed timers: a ticker's channel no longer keeps a stale tick
// after Stop or Reset, and an unreferenced ticker is collected even if not
// stopped. Go 1.19 (this file) keeps the old rules: stop it (defer
// ticker.Stop()).
package main

import (
	"fmt"
	"math/rand"
	"os"
	"time"
)

const (
	requests = 24
	burst    = 6
	queueCap = 4
	period   = 2 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

func run(capacity int, limit bool) bool {
	queue := make(chan int, capacity)
	ticker := time.NewTicker(period)
	defer ticker.Stop()
	done := make(chan struct{})
	served, perPeriod := 0, 0
	go func() { // the worker
		defer close(done)
		var window time.Time
		inWindow := 0
		for range queue {
			if limit {
				<-ticker.C // wait for a token
			} // MISTAKE(no-limit): without <-ticker.C nothing limits the rate
			now := time.Now()
			if window.IsZero() || now.Sub(window) >= period {
				window, inWindow = now, 0
			}
			inWindow++
			if inWindow > perPeriod {
				perPeriod = inWindow
			}
			served++
		}
	}()
	dropped, longest := 0, 0
	for i := 1; i <= requests; i++ {
		if i%burst == 1 {
			time.Sleep(latency(period * burst))
		}
		if capacity == queueCap {
			select {
			case queue <- i:
			default:
				dropped++ // the queue is full: drop rather than wait
			}
		} else {
			queue <- i
		}
		if len(queue) > longest {
			longest = len(queue)
		}
	}
	close(queue)
	<-done
	fmt.Printf("%d served, %d dropped\n", served, dropped)
	if longest > queueCap {
		fmt.Printf("metric queue_len = %d > limit %d\n", longest, queueCap)
		return false
	}
	// The C version's limit is 2 (the token kept while the worker was idle,
	// and the next tick); a real clock's jitter can put one more tick into
	// a measured period, so Go allows 3.
	if perPeriod > 3 {
		fmt.Printf("metric per_period = %d > limit 3\n", perPeriod)
		return false
	}
	return served+dropped == requests
}

func main() {
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	var capacity int
	limit := true
	switch name {
	case "correct":
		capacity = queueCap
	case "unbounded-queue":
		capacity = requests // MISTAKE(unbounded-queue): the queue holds everything: it grows instead of pushing back
	case "no-limit":
		capacity, limit = queueCap, false
	default:
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for attempt := int64(1); attempt <= 10; attempt++ {
		rand.Seed(attempt)
		if !run(capacity, limit) {
			fmt.Printf("attempt %d failed\n", attempt)
			os.Exit(1)
		}
	}
	fmt.Println("10 attempts: the queue stayed bounded and the rate limited")
}
