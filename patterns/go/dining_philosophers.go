//go:build ignore

// dining_philosophers.go - the Go original of patterns/dining_philosophers.c:
// five philosophers, five forks (sync.Mutex), and two fixes of the
// deadlock: the lower-numbered fork first, or a waiter who seats at most
// four (a buffered channel as a semaphore).
//
// Run: go run dining_philosophers.go [correct|left-then-right|waiter]
// left-then-right usually ends in Go's "all goroutines are asleep -
// deadlock!" within a few attempts (each goroutine's dump shows it in
// sync.(*Mutex).Lock: the cycle of waits).
package main

import (
	"fmt"
	"math/rand"
	"os"
	"sync"
	"time"
)

const (
	philosophers = 5
	meals        = 3
	think        = 2 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type manners int

const (
	leftThenRight manners = iota
	lowerFirst
	waiter
)

func dinner(m manners) bool {
	forks := make([]sync.Mutex, philosophers) // forks[i] lies between philosopher i and i+1
	seats := make(chan struct{}, philosophers-1)
	eaten := make([]int, philosophers)
	var wg sync.WaitGroup
	wg.Add(philosophers)
	for i := 0; i < philosophers; i++ {
		go func(id int) {
			defer wg.Done()
			left, right := &forks[id], &forks[(id+1)%philosophers]
			for meal := 0; meal < meals; meal++ {
				time.Sleep(latency(think)) // think
				if m == waiter {
					seats <- struct{}{} // ask the waiter for a seat
				}
				first, second := left, right // MISTAKE(left-then-right): left, then right, for everyone: a cycle of waits
				if m == lowerFirst && (id+1)%philosophers < id {
					first, second = right, left // one global order: the lower number first
				}
				first.Lock()
				time.Sleep(latency(think)) // reaching for the other fork takes a moment
				second.Lock()
				time.Sleep(latency(think)) // eat
				eaten[id]++
				second.Unlock()
				first.Unlock()
				if m == waiter {
					<-seats
				}
			}
		}(i)
	}
	wg.Wait()
	for i, n := range eaten {
		if n != meals {
			fmt.Printf("invariant all-fed failed: philosopher %d ate %d of %d meals\n", i, n, meals)
			return false
		}
	}
	return true
}

func main() {
	variants := map[string]manners{
		"correct":         lowerFirst,
		"left-then-right": leftThenRight,
		"waiter":          waiter,
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	m, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for attempt := int64(1); attempt <= 50; attempt++ {
		rand.Seed(attempt)
		if !dinner(m) {
			os.Exit(1)
		}
	}
	fmt.Println("50 dinners, everyone fed")
}
