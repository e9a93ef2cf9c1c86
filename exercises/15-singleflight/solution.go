// Singleflight cache: check-then-act under one lock, load without it,
// waiters share the loader's result.  Run with: go run solution.go
package main

import (
	"fmt"
	"sync"
	"time"
)

type flight struct {
	done  chan struct{}
	value int
}

type cache struct {
	mu      sync.Mutex
	loaded  map[int]int
	loading map[int]*flight
	loads   int
}

func (c *cache) get(key int, load func(int) int) int {
	c.mu.Lock()
	if v, ok := c.loaded[key]; ok {
		c.mu.Unlock()
		return v
	}
	if f, ok := c.loading[key]; ok {
		c.mu.Unlock()
		<-f.done
		return f.value
	}
	f := &flight{done: make(chan struct{})}
	c.loading[key] = f
	c.mu.Unlock()

	f.value = load(key)

	c.mu.Lock()
	c.loaded[key] = f.value
	delete(c.loading, key)
	c.mu.Unlock()
	close(f.done)
	return f.value
}

func main() {
	c := &cache{loaded: map[int]int{}, loading: map[int]*flight{}}
	var mu sync.Mutex
	load := func(k int) int {
		mu.Lock()
		c.loads++
		mu.Unlock()
		time.Sleep(time.Millisecond)
		return k * 100
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); c.get(1, load) }()
	}
	wg.Wait()
	fmt.Println("loads:", c.loads)
}
