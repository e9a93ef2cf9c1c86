// N-way startup barrier where one child fails: every child reports once
// on a buffered channel; the first error stops the fleet.
// Run with: go run solution.go
package main

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

type fleet struct {
	stop chan struct{}
	wg   sync.WaitGroup
}

func startAll(n int, initChild func(int) error, serve func(int, <-chan struct{})) (*fleet, error) {
	f := &fleet{stop: make(chan struct{})}
	results := make(chan error, n)
	for i := 0; i < n; i++ {
		f.wg.Add(1)
		go func(i int) {
			defer f.wg.Done()
			err := initChild(i)
			results <- err
			if err == nil {
				serve(i, f.stop)
			}
		}(i)
	}
	var first error
	for i := 0; i < n; i++ {
		if err := <-results; err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		f.Stop()
		return nil, first
	}
	return f, nil
}

func (f *fleet) Stop() {
	close(f.stop)
	f.wg.Wait()
}

func main() {
	errInit := errors.New("child failed to initialise")
	_, err := startAll(3, func(i int) error {
		time.Sleep(time.Duration(i) * time.Millisecond)
		if i == 1 {
			return errInit
		}
		return nil
	}, func(i int, stop <-chan struct{}) { <-stop })
	fmt.Println("start:", err)
}
