// Bounded queue on a Cond: wait in a for loop, never an if.
// Run with: go run solution.go
package main

import (
	"fmt"
	"sync"
)

const capacity = 2

type queue struct {
	mu                sync.Mutex
	notEmpty, notFull *sync.Cond
	items             [capacity]int
	head, count       int
}

func newQueue() *queue {
	q := &queue{}
	q.notEmpty = sync.NewCond(&q.mu)
	q.notFull = sync.NewCond(&q.mu)
	return q
}

func (q *queue) Put(v int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.count == capacity {
		q.notFull.Wait()
	}
	q.items[(q.head+q.count)%capacity] = v
	q.count++
	q.notEmpty.Signal()
}

func (q *queue) Get() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.count == 0 {
		q.notEmpty.Wait()
	}
	v := q.items[q.head]
	q.head = (q.head + 1) % capacity
	q.count--
	q.notFull.Signal()
	return v
}

func main() {
	q := newQueue()
	var wg sync.WaitGroup
	for p := 0; p < 2; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				q.Put(p*10 + i)
			}
		}(p)
	}
	sum := 0
	for i := 0; i < 6; i++ {
		sum += q.Get()
	}
	wg.Wait()
	fmt.Println("sum:", sum)
}
