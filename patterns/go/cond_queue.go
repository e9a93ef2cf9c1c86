//go:build ignore

// cond_queue.go - the Go original of patterns/cond_queue.c: a bounded queue
// on a mutex and one sync.Cond shared by producers (waiting while it is
// full) and consumers (waiting while it is empty).
//
// Run: go run cond_queue.go [correct|if-wait|signal]
// if-wait reports a consumer that took from an empty queue and exits 1;
// signal usually ends in Go's "all goroutines are asleep - deadlock!" (a
// lost wake-up; when no attempt loses one, it says so and exits 0).
package main

import (
	"fmt"
	"math/rand"
	"os"
	"sync"
	"time"
)

const (
	producers = 2
	consumers = 4
	items     = 6
	capacity  = 2
	work      = 5 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type Queue struct {
	mu       sync.Mutex
	cond     *sync.Cond // one Cond for both "not full" and "not empty"
	buf      [capacity]int
	head     int
	count    int
	closed   bool
	consumed int
	bad      bool // a consumer took from an empty queue
	signal   bool // variant signal: Signal instead of Broadcast
	useIf    bool // variant if-wait
}

func (q *Queue) wake() {
	if q.signal {
		q.cond.Signal() // MISTAKE(signal): Signal wakes one waiter, maybe of the wrong kind
	} else {
		q.cond.Broadcast()
	}
}

func (q *Queue) Put(v int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.count == capacity {
		q.cond.Wait()
	}
	q.buf[(q.head+q.count)%capacity] = v
	q.count++
	q.wake()
}

func (q *Queue) pop() (int, bool) {
	if q.count == 0 {
		q.bad = true
		fmt.Println("invariant pop-from-empty failed: a consumer woke up and found the queue empty")
		return 0, false
	}
	v := q.buf[q.head]
	q.head = (q.head + 1) % capacity
	q.count--
	q.consumed++
	return v, true
}

func (q *Queue) Get() (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.useIf {
		if q.count == 0 && !q.closed { // MISTAKE(if-wait): if, not for -- nobody re-checks after Wait
			q.cond.Wait()
		}
	} else {
		for q.count == 0 && !q.closed {
			q.cond.Wait()
		}
	}
	ok := false
	v := 0
	if q.count > 0 || !q.closed {
		v, ok = q.pop()
	}
	if ok {
		q.wake()
	}
	return v, ok || !q.closed
}

func run(useIf, signal bool) bool {
	q := &Queue{useIf: useIf, signal: signal}
	q.cond = sync.NewCond(&q.mu)
	var prod, cons sync.WaitGroup
	cons.Add(consumers)
	for i := 1; i <= consumers; i++ {
		go func() {
			defer cons.Done()
			for {
				if _, more := q.Get(); !more {
					return
				}
				time.Sleep(latency(work)) // use(v)
			}
		}()
	}
	prod.Add(producers)
	for i := 1; i <= producers; i++ {
		go func(id int) {
			defer prod.Done()
			for j := 0; j < items; j++ {
				time.Sleep(latency(work))
				q.Put(id*1000 + j)
			}
		}(i)
	}
	prod.Wait()
	q.mu.Lock()
	q.closed = true
	q.wake()
	q.mu.Unlock()
	cons.Wait()
	if q.consumed != producers*items {
		fmt.Printf("invariant all-consumed failed: %d items consumed of %d\n", q.consumed, producers*items)
		return false
	}
	return !q.bad
}

func main() {
	variants := map[string][2]bool{
		"correct": {false, false},
		"if-wait": {true, false},
		"signal":  {false, true},
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	v, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for attempt := int64(1); attempt <= 20; attempt++ {
		rand.Seed(attempt)
		if !run(v[0], v[1]) {
			fmt.Printf("attempt %d failed\n", attempt)
			os.Exit(1)
		}
	}
	fmt.Println("20 attempts, every item consumed once")
}
