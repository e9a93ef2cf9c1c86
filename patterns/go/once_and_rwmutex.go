//go:build ignore

// once_and_rwmutex.go - the Go original of patterns/once_and_rwmutex.c: a
// settings table loaded once with sync.Once and guarded by a sync.RWMutex;
// Do called from inside its own function, and RLock "upgraded" to Lock.
//
// Run: go run once_and_rwmutex.go [correct|once-recursive|rlock-upgrade]
// Both broken variants end in "all goroutines are asleep - deadlock!".
package main

import (
	"fmt"
	"math/rand"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

const (
	readers = 6
	keys    = 8
	work    = 5 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type Settings struct {
	once      sync.Once
	mu        sync.RWMutex
	vals      map[int]int
	loads     int64
	recursive bool // variant once-recursive
}

func (s *Settings) load() {
	atomic.AddInt64(&s.loads, 1)
	time.Sleep(latency(work))
	s.mu.Lock()
	for k := 0; k < keys; k += 2 {
		s.vals[k] = 100 + k
	}
	s.mu.Unlock()
	if s.recursive {
		s.Get(0) // MISTAKE(once-recursive): Get calls once.Do, from inside the Do still running
	}
}

func (s *Settings) Get(key int) int {
	s.once.Do(s.load)
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.vals[key]
}

func (s *Settings) GetOrSet(key, def int) int {
	if v := s.Get(key); v != 0 {
		return v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := s.vals[key]; v != 0 { // again: another writer may have set it meanwhile
		return v
	}
	s.vals[key] = def
	return def
}

func (s *Settings) GetOrSetUpgrade(key, def int) int {
	s.once.Do(s.load)
	s.mu.RLock()
	defer s.mu.RUnlock()
	v := s.vals[key]
	if v == 0 {
		s.mu.Lock() // MISTAKE(rlock-upgrade): Lock while holding RLock: it waits for every reader, itself included
		v = def
		s.vals[key] = v
		s.mu.Unlock()
	}
	return v
}

func run(recursive, upgrade bool) bool {
	s := &Settings{vals: map[int]int{}, recursive: recursive}
	var wg sync.WaitGroup
	var missing int64
	wg.Add(readers)
	for i := 0; i < readers; i++ {
		go func(key int) {
			defer wg.Done()
			time.Sleep(latency(work / 2))
			var v int
			if upgrade {
				v = s.GetOrSetUpgrade(key, 200+key)
			} else {
				v = s.GetOrSet(key, 200+key)
			}
			if v == 0 {
				atomic.AddInt64(&missing, 1)
			}
		}(i % keys)
	}
	wg.Wait()
	if s.loads != 1 || missing != 0 {
		fmt.Printf("invariant failed: %d loads, %d settings missing\n", s.loads, missing)
		return false
	}
	return true
}

func main() {
	variants := map[string][2]bool{
		"correct":        {false, false},
		"once-recursive": {true, false},
		"rlock-upgrade":  {false, true},
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
	for attempt := int64(1); attempt <= 10; attempt++ {
		rand.Seed(attempt)
		if !run(v[0], v[1]) {
			os.Exit(1)
		}
	}
	fmt.Println("10 attempts: loaded once, every setting found")
}
