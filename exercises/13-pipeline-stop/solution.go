// Pipeline stages that stop when the consumer stops: every send selects
// on done.  Run with: go run solution.go
package main

import (
	"fmt"
	"runtime"
	"time"
)

func gen(done <-chan struct{}, n int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 1; i <= n; i++ {
			select {
			case out <- i:
			case <-done:
				return
			}
		}
	}()
	return out
}

func square(done <-chan struct{}, in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for v := range in {
			select {
			case out <- v * v:
			case <-done:
				return
			}
		}
	}()
	return out
}

func main() {
	done := make(chan struct{})
	out := square(done, gen(done, 10))
	fmt.Println(<-out, <-out, <-out)
	close(done)
	time.Sleep(5 * time.Millisecond)
	fmt.Println("goroutines left:", runtime.NumGoroutine())
}
