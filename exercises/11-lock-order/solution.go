// Dining philosophers with a lock order: the lower fork first.
// Run with: go run solution.go
package main

import (
	"fmt"
	"sync"
	"time"
)

const seats, meals = 3, 2

func main() {
	var forks [seats]sync.Mutex
	var eaten [seats]int
	var wg sync.WaitGroup
	for i := 0; i < seats; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			a, b := i, (i+1)%seats
			if b < a {
				a, b = b, a
			}
			for m := 0; m < meals; m++ {
				forks[a].Lock()
				forks[b].Lock()
				time.Sleep(time.Millisecond)
				eaten[i]++
				forks[b].Unlock()
				forks[a].Unlock()
			}
		}(i)
	}
	wg.Wait()
	fmt.Println("meals:", eaten)
}
