// Reply channel with a timeout: the reply channel has capacity 1 so the
// server never blocks on an answer the caller stopped waiting for.
// Run with: go run solution.go
package main

import (
	"fmt"
	"math/rand"
	"time"
)

type request struct {
	n     int
	reply chan int
}

func server(requests <-chan request, done chan<- struct{}) {
	for r := range requests {
		time.Sleep(time.Duration(rand.Intn(20)) * time.Millisecond)
		r.reply <- r.n * r.n
	}
	close(done)
}

func ask(requests chan<- request, n int, timeout time.Duration) (int, bool) {
	reply := make(chan int, 1)
	requests <- request{n, reply}
	select {
	case v := <-reply:
		return v, true
	case <-time.After(timeout):
		return 0, false
	}
}

func main() {
	requests := make(chan request, 4)
	done := make(chan struct{})
	go server(requests, done)
	for n := 2; n <= 4; n++ {
		v, ok := ask(requests, n, 10*time.Millisecond)
		fmt.Println(n, v, ok)
	}
	close(requests)
	<-done
}
