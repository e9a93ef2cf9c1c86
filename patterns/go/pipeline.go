//go:build ignore

// pipeline.go - the Go original of patterns/pipeline.c: the Go blog's
// generator, square and filter stages with cancellation, and a consumer
// that stops early. After cancel(), main gives the stages a grace period to
// return, as a goleak check would, and reports the goroutines still alive.
//
// Run: go run pipeline.go [correct|send-without-select|never-close]
package main

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"sync"
	"time"
)

const (
	n    = 10
	take = 3
	min  = 25
	work = 2 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

func generate(ctx context.Context, wg *sync.WaitGroup, n int) <-chan int {
	out := make(chan int)
	go func() {
		defer wg.Done()
		defer close(out)
		for i := 1; i <= n; i++ {
			select {
			case out <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func generateNeverClose(ctx context.Context, wg *sync.WaitGroup, n int) <-chan int {
	out := make(chan int)
	go func() {
		defer wg.Done()
		// MISTAKE(never-close): no defer close(out) -- square's range over it never ends
		for i := 1; i <= n; i++ {
			select {
			case out <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func square(ctx context.Context, wg *sync.WaitGroup, in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer wg.Done()
		defer close(out)
		for v := range in {
			time.Sleep(latency(work))
			select {
			case out <- v * v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func squareSendWithoutSelect(ctx context.Context, wg *sync.WaitGroup, in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer wg.Done()
		defer close(out)
		for v := range in {
			time.Sleep(latency(work))
			out <- v * v // MISTAKE(send-without-select): no select on ctx.Done()
		}
	}()
	return out
}

func filterAbove(ctx context.Context, wg *sync.WaitGroup, in <-chan int, min int) <-chan int {
	out := make(chan int)
	go func() {
		defer wg.Done()
		defer close(out)
		for v := range in {
			if v <= min {
				continue
			}
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

type genFunc func(context.Context, *sync.WaitGroup, int) <-chan int
type stageFunc func(context.Context, *sync.WaitGroup, <-chan int) <-chan int

// run builds the pipeline, takes the first results, cancels, and checks
// that every stage returned within the grace period.
func run(gen genFunc, sq stageFunc) bool {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(3)
	results := filterAbove(ctx, &wg, sq(ctx, &wg, gen(ctx, &wg, n)), min)
	want := 6
	for i := 0; i < take; i++ {
		v, ok := <-results
		if !ok {
			break
		}
		fmt.Println("main gets", v)
		time.Sleep(latency(work)) // use(v): main works on each result too
		if v != want*want {
			fmt.Printf("invariant in-order failed: result %d is %d, want %d\n", i+1, v, want*want)
		}
		want++
	}
	cancel() // stops all upstream stages
	stopped := make(chan struct{})
	go func() { wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
		return true
	case <-time.After(50*work + time.Millisecond):
		buf := make([]byte, 1<<16)
		fmt.Printf("leak: stages still running after the grace period:\n%s\n", buf[:runtime.Stack(buf, true)])
		return false
	}
}

func main() {
	variants := map[string]func() bool{
		"correct":             func() bool { return run(generate, square) },
		"send-without-select": func() bool { return run(generate, squareSendWithoutSelect) },
		"never-close":         func() bool { return run(generateNeverClose, square) },
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	variant, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	// Seeded attempts. send-without-select leaks at the first one;
	// never-close only when, after cancel(), square's select finds both
	// the filter ready to receive and ctx.Done closed and picks the send
	// (Go picks at random), then ranges again over a channel nobody will
	// close: one attempt in five to twenty, more under load.
	const attempts = 200
	for attempt := int64(1); attempt <= attempts; attempt++ {
		rand.Seed(attempt)
		if !variant() {
			fmt.Printf("attempt %d: a goroutine leaked\n", attempt)
			os.Exit(1)
		}
	}
	fmt.Println(attempts, "attempts, every stage returned")
}
