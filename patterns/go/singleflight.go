//go:build ignore

// singleflight.go - the Go original of patterns/singleflight.c: a cache
// that fetches each key once for concurrent callers (the idea of
// golang.org/x/sync/singleflight, written out with a map of calls in
// flight and a done channel per call).
//
// Run: go run -race singleflight.go [correct|unlocked-check|no-inflight|lock-during-fetch]
// unlocked-check: with -race, "WARNING: DATA RACE" (exit 66); without it
// the program usually seems fine. no-inflight prints the duplicate fetches
// and lock-during-fetch the time callers waited for the lock; both exit 1.
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
	callers = 8
	keys    = 2
	work    = 10 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type call struct {
	done chan struct{} // closed when val is set
	val  int
}

type Cache struct {
	mu       sync.Mutex
	vals     map[int]int
	calls    map[int]*call
	fetches  int64
	lockWait int64 // the longest wait for mu, in ns
}

func valueOf(key int) int { return 100 + key }

func (c *Cache) fetch(key int) int {
	atomic.AddInt64(&c.fetches, 1)
	time.Sleep(latency(work))
	return valueOf(key)
}

func (c *Cache) lock() {
	t0 := time.Now()
	c.mu.Lock()
	if w := int64(time.Since(t0)); w > c.lockWait {
		c.lockWait = w
	}
}

func (c *Cache) Get(key int) int {
	c.lock()
	if v, ok := c.vals[key]; ok {
		c.mu.Unlock()
		return v
	}
	if inflight := c.calls[key]; inflight != nil {
		c.mu.Unlock()
		<-inflight.done
		return inflight.val
	}
	mine := &call{done: make(chan struct{})}
	c.calls[key] = mine
	c.mu.Unlock()
	mine.val = c.fetch(key)
	c.lock()
	c.vals[key] = mine.val
	delete(c.calls, key)
	c.mu.Unlock()
	close(mine.done)
	return mine.val
}

func (c *Cache) GetUnlockedCheck(key int) int {
	if v, ok := c.vals[key]; ok { // MISTAKE(unlocked-check): reads vals[key] without mu: races with the write under it
		return v
	}
	return c.Get(key)
}

func (c *Cache) GetNoInflight(key int) int {
	c.lock()
	v, ok := c.vals[key]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = c.fetch(key) // MISTAKE(no-inflight): no call registered: every caller that missed fetches too
	c.lock()
	c.vals[key] = v
	c.mu.Unlock()
	return v
}

func (c *Cache) GetLockDuringFetch(key int) int {
	c.lock()
	defer c.mu.Unlock()
	v, ok := c.vals[key]
	if !ok {
		v = c.fetch(key) // MISTAKE(lock-during-fetch): the slow call with mu held: every caller waits, whatever its key
		c.vals[key] = v
	}
	return v
}

func serve(get func(c *Cache, key int) int) bool {
	c := &Cache{vals: map[int]int{}, calls: map[int]*call{}}
	var wg sync.WaitGroup
	ok := true
	var okMu sync.Mutex
	wg.Add(callers)
	for i := 0; i < callers; i++ {
		go func(id int) {
			defer wg.Done()
			time.Sleep(latency(work / 2)) // callers arrive at random
			key := id % keys
			if v := get(c, key); v != valueOf(key) {
				okMu.Lock()
				ok = false
				okMu.Unlock()
				fmt.Printf("invariant right-value failed: caller %d got %d for key %d\n", id, v, key)
			}
		}(i)
	}
	wg.Wait()
	if c.fetches > keys {
		fmt.Printf("metric fetches = %d > limit %d\n", c.fetches, keys)
		ok = false
	}
	// Go's clock is real, so a lock held for a moment without a fetch
	// shows a few microseconds; a fetch under the lock shows milliseconds.
	if c.lockWait > int64(time.Millisecond) {
		fmt.Printf("metric lock_wait = %v (a fetch ran under the lock)\n", time.Duration(c.lockWait))
		ok = false
	}
	return ok
}

func main() {
	variants := map[string]func(*Cache, int) int{
		"correct":           (*Cache).Get,
		"unlocked-check":    (*Cache).GetUnlockedCheck,
		"no-inflight":       (*Cache).GetNoInflight,
		"lock-during-fetch": (*Cache).GetLockDuringFetch,
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	get, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for attempt := int64(1); attempt <= 10; attempt++ {
		rand.Seed(attempt)
		if !serve(get) {
			fmt.Printf("attempt %d failed\n", attempt)
			os.Exit(1)
		}
	}
	fmt.Println("10 attempts: each key fetched once, nobody waited for the lock")
}
