// Semaphore from a buffered channel: at most limit jobs at once.
// Run with: go run solution.go
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

func runAll(n, limit int, job func(i int)) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			job(i)
		}(i)
	}
	wg.Wait()
}

func main() {
	var busy, peak int64
	runAll(6, 2, func(i int) {
		b := atomic.AddInt64(&busy, 1)
		for {
			p := atomic.LoadInt64(&peak)
			if b <= p || atomic.CompareAndSwapInt64(&peak, p, b) {
				break
			}
		}
		time.Sleep(time.Millisecond)
		atomic.AddInt64(&busy, -1)
	})
	fmt.Println("most at once:", peak)
}
