// Bounded worker pool with cancellation: feeder and workers both select
// on ctx.Done(); the feeder closes jobs; Wait for every worker.
// Run with: go run solution.go
package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

func runPool(ctx context.Context, workers, njobs int, process func(int)) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case id, ok := <-jobs:
					if !ok {
						return
					}
					process(id)
				case <-ctx.Done():
					return
				}
			}
		}()
	}
feed:
	for id := 0; id < njobs; id++ {
		select {
		case jobs <- id:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Millisecond)
	defer cancel()
	var mu sync.Mutex
	done := 0
	runPool(ctx, 3, 12, func(int) {
		time.Sleep(time.Millisecond)
		mu.Lock()
		done++
		mu.Unlock()
	})
	fmt.Println("jobs processed before the deadline:", done)
}
