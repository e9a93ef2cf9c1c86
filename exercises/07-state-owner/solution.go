// Request/reply to a state-owning goroutine: the value is a local of the
// owner; every request carries its own reply channel.
// Run with: go run solution.go
package main

import (
	"fmt"
	"sync"
)

type op struct {
	add   bool
	delta int
	reply chan int
}

type counter struct {
	ops  chan op
	done chan struct{}
}

func start() *counter {
	c := &counter{ops: make(chan op), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		value := 0
		for o := range c.ops {
			if o.add {
				value += o.delta
			}
			o.reply <- value
		}
	}()
	return c
}

func (c *counter) call(add bool, delta int) int {
	reply := make(chan int, 1)
	c.ops <- op{add, delta, reply}
	return <-reply
}

func (c *counter) Stop() {
	close(c.ops)
	<-c.done
}

func main() {
	c := start()
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 3; j++ {
				c.call(true, 1)
			}
		}()
	}
	wg.Wait()
	fmt.Println("total:", c.call(false, 0))
	c.Stop()
}
