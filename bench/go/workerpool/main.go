// A worker pool of W workers over N small jobs (jobs and results channels
// of capacity 128, a closer that closes results when the workers are done,
// main summing the results): the Go counterpart of `chanlab bench`'s
// workerpool_1m_jobs_s row (bench/programs.c).  Usage: workerpool N [W]
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

// A small job: a few rounds of xorshift.
func work(j uint64) uint64 {
	x := j*2654435761 + 1
	for i := 0; i < 4; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: workerpool N [WORKERS]")
		os.Exit(64)
	}
	n, err := strconv.Atoi(os.Args[1])
	workers := 8
	if err == nil && len(os.Args) > 2 {
		workers, err = strconv.Atoi(os.Args[2])
	}
	if err != nil || n < 1 || workers < 1 {
		fmt.Fprintln(os.Stderr, "usage: workerpool N [WORKERS]")
		os.Exit(64)
	}
	start := time.Now()
	jobs := make(chan uint64, 128)
	results := make(chan uint64, 128)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- work(j)
			}
		}()
	}
	go func() {
		for i := 0; i < n; i++ {
			jobs <- uint64(i)
		}
		close(jobs)
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var sum uint64
	count := 0
	for r := range results {
		sum += r
		count++
	}
	elapsed := time.Since(start)
	if count != n {
		fmt.Fprintf(os.Stderr, "workerpool: %d results for %d jobs\n", count, n)
		os.Exit(1)
	}
	fmt.Printf("seconds=%.4f jobs=%d checksum=%d\n", elapsed.Seconds(), n, sum)
}
