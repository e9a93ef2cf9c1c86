// Lock-free stack of reused nodes with a tagged head word (ABA-safe).
// Run with: go run solution.go
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

const pool = 3

type stack struct {
	head atomic.Uint64 // tag<<32 | node
	next [pool + 1]atomic.Uint64
}

func word(tag, node uint64) uint64 { return tag<<32 | node }

func (s *stack) push(node uint64) {
	for {
		old := s.head.Load()
		s.next[node].Store(old & 0xffffffff)
		if s.head.CompareAndSwap(old, word(old>>32+1, node)) {
			return
		}
	}
}

func (s *stack) pop() uint64 {
	for {
		old := s.head.Load()
		top := old & 0xffffffff
		if top == 0 {
			return 0
		}
		below := s.next[top].Load()
		if s.head.CompareAndSwap(old, word(old>>32+1, below)) {
			return top
		}
	}
}

func main() {
	var s stack
	for i := uint64(1); i <= pool; i++ {
		s.push(i)
	}
	var wg sync.WaitGroup
	for t := 0; t < 3; t++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 1000; r++ {
				if n := s.pop(); n != 0 {
					s.push(n)
				}
			}
		}()
	}
	wg.Wait()
	count := 0
	for s.pop() != 0 {
		count++
	}
	fmt.Println("nodes at the end:", count)
}
