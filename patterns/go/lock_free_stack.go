//go:build ignore

// lock_free_stack.go - the Go original of patterns/lock_free_stack.c: a
// Treiber stack over a pool of nodes recycled through a free list.  With
// pointers, Go's garbage collector prevents ABA (a node is not reused while
// anyone still holds it); with a node pool, as here and in C, it does not,
// so the head packs a 32-bit node index and a 32-bit counter into one uint64.
//
// Run: go run lock_free_stack.go [correct|aba|no-retry|mutex]
//
// A broken variant runs in a loop of attempts, each a fresh stack, until one
// shows the mistake (at most 2000).  Go cannot show these mistakes
// reliably: the window between a load and its CAS is a few nanoseconds, so
// two goroutines must hit it at once on two processors, and go run -race
// sees nothing (every access is atomic: there is no data race, only a
// lost update).  no-retry shows within some hundred attempts on a machine
// with two or more cores; aba needs a pop to be preempted inside that window
// while others pop and push the same node back, which real runs almost
// never do: that is what chanlab's explorer is for
// (chanlab explore lock-free-stack --variant aba).
package main

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

const (
	tasks  = 4
	rounds = 40
	values = tasks * rounds * 2
	nilIdx = 0 // node index 0 means "no node"; nodes are 1..values
)

// Pool holds the nodes: value[i] and next[i] belong to node i.
type Pool struct {
	value [values + 1]int
	next  [values + 1]atomic.Uint32
	fresh atomic.Uint32 // how many nodes were ever handed out
}

type Stack interface {
	Push(p *Pool, n uint32)
	Pop(p *Pool) uint32
}

func pack(index, counter uint32) uint64 { return uint64(counter)<<32 | uint64(index) }
func index(head uint64) uint32          { return uint32(head) }
func counter(head uint64) uint32        { return uint32(head >> 32) }

// TaggedStack is the correct form: the counter goes up on every change, so
// a head that was popped and pushed back never compares equal.
type TaggedStack struct{ head atomic.Uint64 }

func (s *TaggedStack) Push(p *Pool, n uint32) {
	for {
		old := s.head.Load()
		p.next[n].Store(index(old))
		if s.head.CompareAndSwap(old, pack(n, counter(old)+1)) {
			return
		}
	}
}

func (s *TaggedStack) Pop(p *Pool) uint32 {
	for {
		old := s.head.Load()
		top := index(old)
		if top == nilIdx {
			return nilIdx
		}
		below := p.next[top].Load() // may be stale; then the counter moved and the CAS fails
		if s.head.CompareAndSwap(old, pack(below, counter(old)+1)) {
			return top
		}
	}
}

// ABAStack has no counter.
type ABAStack struct{ head atomic.Uint64 }

func (s *ABAStack) Push(p *Pool, n uint32) {
	for {
		old := s.head.Load()
		p.next[n].Store(index(old))
		if s.head.CompareAndSwap(old, pack(n, 0)) { // the push half of the mistake: no counter, like a plain pointer CAS
			return
		}
	}
}

func (s *ABAStack) Pop(p *Pool) uint32 {
	for {
		old := s.head.Load()
		top := index(old)
		if top == nilIdx {
			return nilIdx
		}
		below := p.next[top].Load()
		if s.head.CompareAndSwap(old, pack(below, 0)) { // MISTAKE(aba): a recycled head "looks the same"
			return top
		}
	}
}

// NoRetryStack tries its CAS once.
type NoRetryStack struct{ head atomic.Uint64 }

func (s *NoRetryStack) Push(p *Pool, n uint32) {
	old := s.head.Load()
	p.next[n].Store(index(old))
	s.head.CompareAndSwap(old, pack(n, counter(old)+1)) // MISTAKE(no-retry): no loop: a failed CAS loses the node
}

func (s *NoRetryStack) Pop(p *Pool) uint32 {
	old := s.head.Load()
	top := index(old)
	if top == nilIdx {
		return nilIdx
	}
	below := p.next[top].Load()
	if s.head.CompareAndSwap(old, pack(below, counter(old)+1)) { // the pop half of the mistake: no loop
		return top
	}
	return nilIdx
}

// MutexStack is the second correct form.
type MutexStack struct {
	mu    sync.Mutex
	top   uint32
	below [values + 1]uint32
}

func (s *MutexStack) Push(p *Pool, n uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.below[n] = s.top
	s.top = n
}

func (s *MutexStack) Pop(p *Pool) uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	top := s.top
	if top != nilIdx {
		s.top = s.below[top]
	}
	return top
}

func nodeNew(p *Pool, free Stack) uint32 {
	if n := free.Pop(p); n != nilIdx {
		return n
	}
	return p.fresh.Add(1)
}

func worker(id int, p *Pool, stack, free Stack, got map[int]int, wg *sync.WaitGroup) {
	defer wg.Done()
	for r := 0; r < rounds; r++ {
		for k := 0; k < 2; k++ {
			n := nodeNew(p, free)
			p.value[n] = id*1000 + r*2 + k
			stack.Push(p, n)
		}
		for k := 0; k < 2; k++ {
			n := stack.Pop(p)
			if n == nilIdx {
				continue
			}
			got[p.value[n]]++
			free.Push(p, n) // recycle the node
		}
	}
}

func runStack(stack, free Stack) {
	p := &Pool{}
	var wg sync.WaitGroup
	got := make([]map[int]int, tasks)
	for i := 1; i <= tasks; i++ {
		got[i-1] = map[int]int{}
		wg.Add(1)
		go worker(i, p, stack, free, got[i-1], &wg)
	}
	wg.Wait()

	seen := map[int]int{}
	for left := 0; ; left++ {
		n := stack.Pop(p)
		if n == nilIdx {
			break
		}
		if left >= values {
			fmt.Println("invariant exactly-once failed: the stack's links form a cycle")
			shown = true
			return
		}
		seen[p.value[n]]++
	}
	for _, g := range got {
		for v, c := range g {
			seen[v] += c
		}
	}
	for i := 1; i <= tasks; i++ {
		for v := i * 1000; v < i*1000+rounds*2; v++ {
			if seen[v] != 1 {
				fmt.Printf("invariant exactly-once failed: value %d came out %d times\n", v, seen[v])
				shown = true
				return
			}
		}
	}
	if verbose {
		fmt.Printf("every one of the %d values came out exactly once\n", values)
	}
}

// shown records that an attempt showed the variant's mistake; verbose is
// off for the attempts after the first.
var shown, verbose = false, true

func main() {
	variants := map[string]func(){
		"correct":  func() { runStack(&TaggedStack{}, &TaggedStack{}) },
		"aba":      func() { runStack(&ABAStack{}, &ABAStack{}) },
		"no-retry": func() { runStack(&NoRetryStack{}, &NoRetryStack{}) },
		"mutex":    func() { runStack(&MutexStack{}, &MutexStack{}) },
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	run, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	attempts := 2000
	if name == "correct" || name == "mutex" {
		attempts = 1
	}
	for attempt := 1; attempt <= attempts; attempt++ {
		verbose = attempt == 1
		run()
		if shown {
			fmt.Printf("--- attempt %d shows the mistake of %s\n", attempt, name)
			os.Exit(1)
		}
	}
	if attempts > 1 {
		fmt.Printf("--- %d attempts, none showed the mistake of %s\n", attempts, name)
	}
}
