//go:build ignore

// nil_channel_merge.go - the Go original of patterns/nil_channel_merge.c:
// merging two channels with one select, switching each case off with
// a = nil once its channel is closed.
//
// Run: go run nil_channel_merge.go [correct|keep-closed|stop-at-first-close]
// keep-closed prints how many receives found a channel closed (thousands:
// the loop spins at full speed) and exits 1; stop-at-first-close prints how
// many values were merged and exits 1.
package main

import (
	"fmt"
	"math/rand"
	"os"
	"time"
)

const (
	na   = 4
	nb   = 8
	work = 5 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

func source(n, base int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 1; i <= n; i++ {
			time.Sleep(latency(work))
			out <- base + i
		}
	}()
	return out
}

func merge(setNil, stop bool) bool {
	a, b := source(na, 0), source(nb, 1000)
	aOpen, bOpen := true, true
	got, closedReceives := 0, 0
loop:
	for aOpen || bOpen {
		select {
		case v, ok := <-a:
			if !ok {
				closedReceives++
				aOpen = false
				if stop {
					break loop // MISTAKE(stop-at-first-close): stop at the first close: the other input's values are lost
				}
				if setNil {
					a = nil // a nil channel's case is never ready
				} // MISTAKE(keep-closed): without a = nil the closed channel stays in the select, always ready
				continue
			}
			fmt.Println("main gets", v)
			got++
		case v, ok := <-b:
			if !ok {
				closedReceives++
				bOpen = false
				if stop {
					break loop
				}
				if setNil {
					b = nil
				}
				continue
			}
			fmt.Println("main gets", v)
			got++
		}
	}
	if got != na+nb {
		fmt.Printf("invariant all-merged failed: main got %d values of %d\n", got, na+nb)
		return false
	}
	if closedReceives > 2 {
		fmt.Printf("metric closed_receives = %d > limit 2 (a busy loop)\n", closedReceives)
		return false
	}
	return true
}

func main() {
	variants := map[string][2]bool{
		"correct":             {true, false},
		"keep-closed":         {false, false},
		"stop-at-first-close": {false, true},
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
	for attempt := int64(1); attempt <= 10; attempt++ {
		rand.Seed(attempt)
		if !merge(v[0], v[1]) {
			fmt.Printf("attempt %d failed\n", attempt)
			os.Exit(1)
		}
	}
	fmt.Println("10 attempts: every value merged, each input's close seen once")
}
