//go:build ignore

// loop_capture.go - the Go original of patterns/loop_capture.c: the
// loop-variable capture bug, which this file shows under Go before 1.22
// (Debian's Go 1.19 is one). From Go 1.22 on, in a module whose go.mod says
// go 1.22 or later, each iteration has its own variable and both broken
// variants behave like correct.
//
// go vet reports the shared-var variant, and only it, with its loopclosure
// check: "loop variable i captured by func literal". That is the one vet
// finding this file is meant to have (tests/patterns/test_go.c expects
// exactly it). vet does not see address-of-var: taking &v is not a closure.
//
// Run: go run -race loop_capture.go [correct|shared-var|address-of-var]
// shared-var: "WARNING: DATA RACE" with -race; without it the goroutines
// mostly print the final i. address-of-var prints the same value for every
// handler and exits 1.
package main

import (
	"fmt"
	"os"
	"sync"
)

const tasks = 3

func check(seen []int) bool {
	for k, c := range seen {
		if c != 1 {
			fmt.Printf("invariant own-value failed: %d goroutines saw i = %d, want exactly 1\n", c, k)
			return false
		}
	}
	return true
}

func correct() bool {
	var mu sync.Mutex
	var wg sync.WaitGroup
	seen := make([]int, tasks+1)
	for i := 0; i < tasks; i++ {
		i := i // a new variable for this iteration, holding its value
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Println("goroutine sees i =", i)
			mu.Lock()
			seen[i]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return check(seen[:tasks])
}

func sharedVar() bool {
	var mu sync.Mutex
	var wg sync.WaitGroup
	seen := make([]int, tasks+1)
	for i := 0; i < tasks; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := i // MISTAKE(shared-var): every goroutine reads the loop's one i
			fmt.Println("goroutine sees i =", v)
			mu.Lock()
			seen[v]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return check(seen[:tasks])
}

func addressOfVar() bool {
	values := []int{0, 1, 2}
	var handlers []*int
	for _, v := range values {
		handlers = append(handlers, &v) // MISTAKE(address-of-var): &v is the same address every iteration
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	seen := make([]int, tasks)
	for _, h := range handlers {
		wg.Add(1)
		go func(h *int) {
			defer wg.Done()
			fmt.Println("handler sees v =", *h)
			mu.Lock()
			seen[*h]++
			mu.Unlock()
		}(h)
	}
	wg.Wait()
	return check(seen)
}

func main() {
	variants := map[string]func() bool{
		"correct":        correct,
		"shared-var":     sharedVar,
		"address-of-var": addressOfVar,
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	variant, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	if !variant() {
		os.Exit(1)
	}
}
