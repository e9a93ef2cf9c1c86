// chan chan dispatcher: free workers send their own job channel on ready.
// Run with: go run solution.go
package main

import (
	"fmt"
	"sync"
	"time"
)

func dispatch(workers, njobs int, work func(w, j int)) {
	ready := make(chan chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			mine := make(chan int)
			for {
				ready <- mine
				j := <-mine
				if j < 0 {
					return
				}
				work(w, j)
			}
		}(w)
	}
	for j := 0; j < njobs; j++ {
		(<-ready) <- j
	}
	for w := 0; w < workers; w++ {
		(<-ready) <- -1
	}
	wg.Wait()
}

func main() {
	var mu sync.Mutex
	done := 0
	dispatch(3, 8, func(w, j int) {
		time.Sleep(time.Millisecond)
		mu.Lock()
		done++
		mu.Unlock()
	})
	fmt.Println("jobs done:", done)
}
