//go:build ignore

// priority_select.go - the Go original of patterns/priority_select.c: a
// consumer of a high- and a low-priority channel; true priority with a
// nested select, and the single select that is only a random pick.
//
// Run: go run priority_select.go [correct|one-select|no-default]
// one-select prints how often low work was taken while high work waited
// and exits 1; no-default ends in "all goroutines are asleep - deadlock!".
package main

import (
	"fmt"
	"math/rand"
	"os"
	"time"
)

const (
	nHigh = 6
	nLow  = 12
	work  = 5 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

func produce(out chan<- int, n, base int) {
	for i := 1; i <= n; i++ {
		time.Sleep(latency(work))
		out <- base + i
	}
}

// takePriority: high alone first, then both.
func takePriority(high, low <-chan int) (int, bool) {
	select {
	case v := <-high:
		return v, true
	default:
	}
	select {
	case v := <-high:
		return v, true
	case v := <-low:
		return v, false
	}
}

func takeOneSelect(high, low <-chan int) (int, bool) {
	select { // MISTAKE(one-select): one select over both: a random pick, not a priority
	case v := <-high:
		return v, true
	case v := <-low:
		return v, false
	}
}

func takeNoDefault(high, low <-chan int) (int, bool) {
	select { // MISTAKE(no-default): no default: it blocks on high even when only low has work
	case v := <-high:
		return v, true
	}
	// (the select over both, which would follow, is never reached)
}

func consume(take func(high, low <-chan int) (int, bool)) bool {
	high := make(chan int, 4)
	low := make(chan int, 4)
	go produce(high, nHigh, 1000)
	go produce(low, nLow, 0)
	lowBeforeHigh := 0
	for k := 0; k < nHigh+nLow; k++ {
		v, isHigh := take(high, low)
		if !isHigh && len(high) > 0 {
			lowBeforeHigh++
			fmt.Printf("main takes low %d while %d high items wait\n", v, len(high))
		}
		time.Sleep(latency(work)) // handle(v)
	}
	if lowBeforeHigh > 0 {
		fmt.Printf("metric low_before_high = %d > limit 0\n", lowBeforeHigh)
		return false
	}
	return true
}

func main() {
	variants := map[string]func(high, low <-chan int) (int, bool){
		"correct":    takePriority,
		"one-select": takeOneSelect,
		"no-default": takeNoDefault,
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	take, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for attempt := int64(1); attempt <= 10; attempt++ {
		rand.Seed(attempt)
		if !consume(take) {
			fmt.Printf("attempt %d failed\n", attempt)
			os.Exit(1)
		}
	}
	fmt.Println("10 attempts: high work was always taken first")
}
