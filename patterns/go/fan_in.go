//go:build ignore

// fan_in.go - the Go original of patterns/fan_in.c: several producers, each
// with its own channel, merged into one channel that a single consumer
// ranges over; a closer closes merged once every forwarder is done.
//
// Run: go run fan_in.go [correct|close-early|never-close|add-inside]
//
// A broken variant runs in a loop of attempts, each seeding math/rand with
// its number (Go 1.19 does not seed it), until one shows the mistake (at
// most 20).  close-early's mistake is the panic "send on closed channel",
// which ends the program; an attempt in which main had already returned
// with the values it got shows only a lost value, so the loop goes on.
package main

import (
	"fmt"
	"math/rand"
	"os"
	"sync"
	"time"
)

const (
	producers = 3
	values    = 3
	work      = 5 * time.Millisecond
	use       = 200 * time.Microsecond // the consumer's work on each value
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

func producer(id int, out chan<- int) {
	for j := 1; j <= values; j++ {
		out <- id*100 + j
		time.Sleep(latency(work))
	}
	close(out) // the only sender closes
}

// fanIn is the correct form.
func fanIn(inputs ...<-chan int) <-chan int {
	var wg sync.WaitGroup
	merged := make(chan int)
	forward := func(c <-chan int) {
		defer wg.Done()
		for v := range c {
			merged <- v
		}
	}
	wg.Add(len(inputs)) // before any forwarder starts
	for _, c := range inputs {
		go forward(c)
	}
	go func() { wg.Wait(); close(merged) }()
	return merged
}

// fanInCloseEarly: the closer does not wait for the forwarders.
func fanInCloseEarly(inputs ...<-chan int) <-chan int {
	var wg sync.WaitGroup
	merged := make(chan int)
	forward := func(c <-chan int) {
		defer wg.Done()
		for v := range c {
			merged <- v
		}
	}
	wg.Add(len(inputs))
	for _, c := range inputs {
		go forward(c)
	}
	go func() { close(merged) }() // MISTAKE(close-early): no wg.Wait(): merged is closed while forwarders still send
	return merged
}

// fanInNeverClose: nobody closes merged.
func fanInNeverClose(inputs ...<-chan int) <-chan int {
	var wg sync.WaitGroup
	merged := make(chan int)
	forward := func(c <-chan int) {
		defer wg.Done()
		for v := range c {
			merged <- v
		}
	}
	wg.Add(len(inputs))
	for _, c := range inputs {
		go forward(c)
	}
	// MISTAKE(never-close): no closer: the consumer's range over merged never ends
	return merged
}

// fanInAddInside: each forwarder counts itself in, too late.
func fanInAddInside(inputs ...<-chan int) <-chan int {
	var wg sync.WaitGroup
	merged := make(chan int)
	forward := func(c <-chan int) {
		wg.Add(1) // MISTAKE(add-inside): Add inside the goroutine: wg.Wait() may already have seen zero
		defer wg.Done()
		for v := range c {
			merged <- v
		}
	}
	for _, c := range inputs {
		go forward(c)
	}
	go func() { wg.Wait(); close(merged) }()
	return merged
}

// lost records that an attempt lost a value (add-inside's mistake).
var lost bool

func consume(fanIn func(...<-chan int) <-chan int) {
	inputs := make([]<-chan int, 0, producers)
	for i := 1; i <= producers; i++ {
		c := make(chan int)
		go producer(i, c)
		inputs = append(inputs, c)
	}

	seen := map[int]int{}
	got := 0
	for v := range fanIn(inputs...) {
		fmt.Println("consumer got", v)
		seen[v]++
		got++
		time.Sleep(latency(use)) // the consumer works on each value
	}
	for i := 1; i <= producers; i++ {
		for j := 1; j <= values; j++ {
			if v := i*100 + j; seen[v] != 1 {
				fmt.Printf("invariant all-delivered failed: value %d arrived %d times (%d of %d arrived)\n",
					v, seen[v], got, producers*values)
				lost = true
				return
			}
		}
	}
	fmt.Println("consumer got all", got, "values")
}

func main() {
	variants := map[string]func(...<-chan int) <-chan int{
		"correct":     fanIn,
		"close-early": fanInCloseEarly,
		"never-close": fanInNeverClose,
		"add-inside":  fanInAddInside,
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	f, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	attempts := 20
	if name == "correct" || name == "never-close" { // never-close deadlocks at once
		attempts = 1
	}
	for attempt := 1; attempt <= attempts; attempt++ {
		rand.Seed(int64(attempt))
		fmt.Printf("--- attempt %d (math/rand seeded with %d)\n", attempt, attempt)
		lost = false
		consume(f)
		if lost && name == "add-inside" {
			fmt.Printf("--- attempt %d shows the mistake of %s\n", attempt, name)
			os.Exit(1)
		}
		// Goroutines an attempt left behind run on before the next one, as
		// they would in a program that went on after consume returned.
		time.Sleep(20 * time.Millisecond)
	}
	if name != "correct" {
		fmt.Printf("--- %d attempts, none showed the mistake of %s\n", attempts, name)
	}
}
