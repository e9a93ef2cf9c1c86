// Go counterparts of the contended rows of `chanlab bench` (bench/programs.c):
// buffered MPMC, contended mutex, atomic add, and a stack pushed and popped
// by GOMAXPROCS goroutines, lock-free (Treiber) and under a mutex.  One op
// is one item, one lock/unlock, one add, or one push+pop pair; RunParallel's
// ns/op is wall time over all ops, as chanlab's rows are.
package bench

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// 4 producers, 4 consumers over one channel of capacity 64: one op is one item.
func BenchmarkMPMC4x4(b *testing.B) {
	ch := make(chan int, 64)
	per := b.N / 4
	var consumers, producers sync.WaitGroup
	for c := 0; c < 4; c++ {
		consumers.Add(1)
		go func() {
			defer consumers.Done()
			for range ch {
			}
		}()
	}
	for p := 0; p < 4; p++ {
		producers.Add(1)
		go func() {
			defer producers.Done()
			for i := 0; i < per; i++ {
				ch <- i
			}
		}()
	}
	producers.Wait()
	close(ch)
	consumers.Wait()
}

// mutex_contended's work (bench/programs.h): each locker computes
// mutexOutside, then holds the mutex for mutexHold, so a locker coming back
// finds the other one inside and the mutex goes back and forth.  The time
// outside is longer than a spinning waiter of Go's takes to notice an
// unlock (30 PAUSEs between looks, about 1 us on the machine it was tuned
// on): in a tight Lock-Unlock loop Go's unlocker takes the mutex again
// first, the waiter parks, and one goroutine runs alone.
const (
	mutexHold    = 2000 * time.Nanosecond
	mutexOutside = 1500 * time.Nanosecond
)

// Computes (reads the clock) for d.
func busy(d time.Duration) {
	for t := time.Now(); time.Since(t) < d; {
	}
}

// One op: compute outside, lock, increment, compute inside, unlock; by
// GOMAXPROCS goroutines at once.
func BenchmarkMutexContended(b *testing.B) {
	var mu sync.Mutex
	n := 0
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			busy(mutexOutside)
			mu.Lock()
			n++
			busy(mutexHold)
			mu.Unlock()
		}
	})
	_ = n
}

// One uncontended atomic add per op.
func BenchmarkAtomicAdd(b *testing.B) {
	var n int64
	for i := 0; i < b.N; i++ {
		atomic.AddInt64(&n, 1)
	}
}

type tnode struct {
	v    int
	next *tnode
}

type treiber struct{ head atomic.Pointer[tnode] }

func (s *treiber) push(n *tnode) {
	for {
		old := s.head.Load()
		n.next = old
		if s.head.CompareAndSwap(old, n) {
			return
		}
	}
}

func (s *treiber) pop() *tnode {
	for {
		old := s.head.Load()
		if old == nil {
			return nil
		}
		if s.head.CompareAndSwap(old, old.next) {
			return old
		}
	}
}

// Treiber stack: each goroutine pushes a node and pops one, GOMAXPROCS at
// once; one op is one push+pop pair.  (Go's GC makes ABA impossible here,
// so the nodes can be reused as chanlab's pool reuses them.)
func BenchmarkStackLockfree(b *testing.B) {
	var s treiber
	b.RunParallel(func(pb *testing.PB) {
		n := &tnode{v: 1}
		for pb.Next() {
			s.push(n)
			if n = s.pop(); n == nil {
				n = &tnode{v: 1}
			}
		}
	})
}

type mstack struct {
	mu sync.Mutex
	xs []int
}

// The same work on a slice under a mutex: lock, push, unlock, lock, pop, unlock.
func BenchmarkStackMutex(b *testing.B) {
	var s mstack
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.mu.Lock()
			s.xs = append(s.xs, 1)
			s.mu.Unlock()
			s.mu.Lock()
			s.xs = s.xs[:len(s.xs)-1]
			s.mu.Unlock()
		}
	})
}
