// Hedged request: ask the backup only after the hedge delay; the reply
// channel has room for both answers.  Run with: go run solution.go
package main

import (
	"fmt"
	"math/rand"
	"time"
)

type hreq struct {
	n     int
	reply chan int
}

func replica(requests <-chan hreq, latency func() time.Duration) {
	for q := range requests {
		time.Sleep(latency())
		q.reply <- q.n + 1000
	}
}

func hedged(primary, backup chan<- hreq, n int, hedge time.Duration) int {
	q := hreq{n, make(chan int, 2)}
	primary <- q
	select {
	case v := <-q.reply:
		return v
	case <-time.After(hedge):
	}
	backup <- q
	return <-q.reply
}

func main() {
	primary, backup := make(chan hreq, 1), make(chan hreq, 1)
	go replica(primary, func() time.Duration { return time.Duration(rand.Intn(15)) * time.Millisecond })
	go replica(backup, func() time.Duration { return 2 * time.Millisecond })
	start := time.Now()
	v := hedged(primary, backup, 7, 5*time.Millisecond)
	fmt.Println(v, time.Since(start) < 20*time.Millisecond)
}
