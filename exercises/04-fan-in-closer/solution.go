// Fan-in with a closer: Add before go, Done when an input is drained, and
// one closer that closes out after Wait.  Run with: go run solution.go
package main

import (
	"fmt"
	"sync"
)

func merge(inputs ...<-chan int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, in := range inputs {
		wg.Add(1)
		go func(in <-chan int) {
			defer wg.Done()
			for v := range in {
				out <- v
			}
		}(in)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func producer(id int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < 3; i++ {
			ch <- id*10 + i
		}
	}()
	return ch
}

func main() {
	total := 0
	for range merge(producer(0), producer(1), producer(2)) {
		total++
	}
	fmt.Println("values:", total)
}
