// Started channel: the warmer closes started when the cache is warm, and
// startCache waits on it.  Run with: go run solution.go
package main

import (
	"fmt"
	"math/rand"
	"time"
)

type cache struct {
	ready   bool
	entries int
}

func (c *cache) warm() {
	time.Sleep(time.Duration(rand.Intn(20)) * time.Millisecond)
	c.entries = 42
	c.ready = true
}

func startCache(c *cache) {
	started := make(chan struct{})
	go func() {
		c.warm()
		close(started)
	}()
	<-started
}

func main() {
	c := &cache{}
	startCache(c)
	fmt.Println("ready:", c.ready, "entries:", c.entries)
}
