//go:build ignore

// lock_during_io.go - the Go original of patterns/lock_during_io.c:
// updaters change counters under a mutex; a reporter writes snapshots to a
// slow sink and sends them to a consumer, which records them under the same
// mutex. The fix: copy under the lock, release, then do the I/O and the send.
//
// Run: go run lock_during_io.go [correct|lock-across-call|lock-across-send]
// lock-across-call prints how long updaters waited for the mutex and exits
// 1; lock-across-send usually ends in "all goroutines are asleep -
// deadlock!" (when the consumer happens to be waiting to receive each time,
// an attempt passes).
package main

import (
	"fmt"
	"math/rand"
	"os"
	"sync"
	"time"
)

const (
	updaters = 3
	updates  = 6
	reports  = 4
	io       = 5 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type Stats struct {
	mu       sync.Mutex
	hits     int
	acked    int
	lockWait time.Duration // the longest wait for mu
}

func (s *Stats) lock() {
	t0 := time.Now()
	s.mu.Lock()
	if w := time.Since(t0); w > s.lockWait {
		s.lockWait = w
	}
}

func slowWrite(snapshot int) {
	time.Sleep(latency(io)) // a disk or a network
}

func run(style string) bool {
	s := &Stats{}
	out := make(chan int)
	var wg sync.WaitGroup
	wg.Add(updaters + 1)
	for i := 0; i < updaters; i++ {
		go func() {
			defer wg.Done()
			for j := 0; j < updates; j++ {
				time.Sleep(latency(io / 2))
				s.lock()
				s.hits++
				s.mu.Unlock()
			}
		}()
	}
	go func() { // the consumer
		defer wg.Done()
		for v := range out {
			time.Sleep(latency(io))
			s.lock()
			s.acked = v
			s.mu.Unlock()
		}
	}()
	for r := 0; r < reports; r++ {
		time.Sleep(latency(io))
		s.mu.Lock()
		snap := s.hits
		switch style {
		case "correct":
			s.mu.Unlock() // copy, then release: the slow part runs unlocked
			slowWrite(snap)
			out <- snap
		case "lock-across-call":
			slowWrite(snap) // MISTAKE(lock-across-call): the slow write with mu held: every updater waits
			s.mu.Unlock()
			out <- snap
		case "lock-across-send":
			s.mu.Unlock()
			slowWrite(snap)
			s.mu.Lock()
			out <- snap // MISTAKE(lock-across-send): a send with mu held: the consumer needs mu to come back for it
			s.mu.Unlock()
		}
	}
	close(out)
	wg.Wait()
	if s.hits != updaters*updates {
		fmt.Printf("invariant all-updates failed: hits is %d\n", s.hits)
		return false
	}
	// Real time: a lock held only for a copy shows microseconds; one held
	// during the write shows milliseconds.
	if s.lockWait > time.Millisecond {
		fmt.Printf("metric lock_wait = %v (an updater waited for the slow write)\n", s.lockWait)
		return false
	}
	return true
}

func main() {
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	switch name {
	case "correct", "lock-across-call", "lock-across-send":
	default:
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for attempt := int64(1); attempt <= 10; attempt++ {
		rand.Seed(attempt)
		if !run(name) {
			fmt.Printf("attempt %d failed\n", attempt)
			os.Exit(1)
		}
	}
	fmt.Println("10 attempts: nobody waited for the slow write")
}
