//go:build ignore

// word_count.go - the Go original of patterns/word_count.c: a concurrent
// word count across files held in memory; one reader per file counts into
// its own map and merges it into the total under a mutex.
//
// Run: go run -race word_count.go [correct|shared-map|add-inside]
// shared-map: "WARNING: DATA RACE" with -race (exit 66); without -race Go
// may stop it with "fatal error: concurrent map writes", or lose counts.
// add-inside prints the words whose counts are missing and exits 1.
package main

import (
	"fmt"
	"math/rand"
	"os"
	"strings"
	"sync"
	"time"
)

var files = []string{
	"go chan go select mutex go",
	"chan chan select go mutex mutex",
	"select go chan chan go select",
	"mutex select go chan select chan",
}

const work = 5 * time.Millisecond

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

func readFile(i int) []string {
	time.Sleep(latency(work)) // reading takes a while
	return strings.Fields(files[i])
}

func want() map[string]int {
	m := map[string]int{}
	for _, f := range files {
		for _, w := range strings.Fields(f) {
			m[w]++
		}
	}
	return m
}

func check(total map[string]int) bool {
	for w, n := range want() {
		if total[w] != n {
			fmt.Printf("invariant all-counted failed: %q counted %d times, the files have %d\n", w, total[w], n)
			return false
		}
	}
	return true
}

func merge(mu *sync.Mutex, total map[string]int, words []string) {
	local := map[string]int{} // this reader's own map
	for _, w := range words {
		local[w]++
	}
	mu.Lock()
	for w, n := range local {
		total[w] += n
	}
	mu.Unlock()
}

func correct() bool {
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := map[string]int{}
	for i := range files {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			merge(&mu, total, readFile(i))
		}(i)
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return check(total)
}

func sharedMap() bool {
	var wg sync.WaitGroup
	total := map[string]int{}
	for i := range files {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for _, w := range readFile(i) {
				total[w]++ // MISTAKE(shared-map): total[word]++ on the shared map with no lock
			}
		}(i)
	}
	wg.Wait()
	return check(total)
}

func addInside() bool {
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := map[string]int{}
	for i := range files {
		go func(i int) {
			words := readFile(i)
			wg.Add(1) // MISTAKE(add-inside): wg.Add inside the goroutine: Wait may already have returned
			defer wg.Done()
			merge(&mu, total, words)
		}(i)
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return check(total)
}

func main() {
	variants := map[string]func() bool{
		"correct":    correct,
		"shared-map": sharedMap,
		"add-inside": addInside,
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
	for attempt := int64(1); attempt <= 10; attempt++ {
		rand.Seed(attempt)
		if !variant() {
			fmt.Printf("attempt %d failed\n", attempt)
			os.Exit(1)
		}
	}
	fmt.Println("10 attempts, every word counted")
}
