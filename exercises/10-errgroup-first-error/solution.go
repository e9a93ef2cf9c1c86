// Error group with first-error cancellation and a limit.  With
// golang.org/x/sync this is errgroup.WithContext and g.SetLimit(2); a
// small stand-in keeps the file runnable alone: go run solution.go
package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// group is the part of golang.org/x/sync/errgroup this exercise uses.
type group struct {
	wg     sync.WaitGroup
	sem    chan struct{}
	once   sync.Once
	err    error
	cancel func()
}

func withContext(parent context.Context, limit int) (*group, context.Context) {
	ctx, cancel := context.WithCancel(parent)
	return &group{sem: make(chan struct{}, limit), cancel: cancel}, ctx
}

func (g *group) Go(f func() error) {
	g.sem <- struct{}{}
	g.wg.Add(1)
	go func() {
		defer func() { <-g.sem; g.wg.Done() }()
		if err := f(); err != nil {
			g.once.Do(func() { g.err = err; g.cancel() })
		}
	}()
}

func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

var errBoom = errors.New("item failed")

func fetch(ctx context.Context, i int) error {
	if i == 2 {
		time.Sleep(time.Millisecond)
		return errBoom
	}
	select {
	case <-time.After(20 * time.Millisecond):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func fetchAll(parent context.Context, n int) error {
	g, ctx := withContext(parent, 2)
	for i := 0; i < n; i++ {
		i := i
		g.Go(func() error { return fetch(ctx, i) })
	}
	return g.Wait()
}

func main() {
	start := time.Now()
	err := fetchAll(context.Background(), 4)
	fmt.Println(err, time.Since(start) < 30*time.Millisecond)
}
