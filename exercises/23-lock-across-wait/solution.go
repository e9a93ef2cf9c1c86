// Collecting under a mutex: lock only around the append (defer Unlock),
// wait before locking to read.  Run with: go run solution.go
package main

import (
	"fmt"
	"sync"
)

func collectAll(workers int, produce func(int) int) []int {
	var mu sync.Mutex
	var items []int
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			v := produce(i)
			mu.Lock()
			defer mu.Unlock()
			if v < 0 {
				return
			}
			items = append(items, v)
		}(i)
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return items
}

func main() {
	items := collectAll(4, func(i int) int {
		if i == 1 {
			return -1
		}
		return i * 10
	})
	fmt.Println(len(items), "values")
}
