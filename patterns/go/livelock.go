//go:build ignore

// livelock.go - the Go original of patterns/livelock.c: two walkers meet
// in a corridor, both on the left; each looks where the other stands and,
// on the same side, steps across.  Equally polite and equally quick, they
// step across together for ever.
//
// Run: go run livelock.go [correct|polite|backoff-no-jitter|asymmetric]
// Go has no livelock detector: the goroutines are busy, not blocked, so
// "all goroutines are asleep" never comes.  Each walker here gives up after
// patience rounds of stepping across, and the program prints "livelock:"
// and exits 1.  The steps are longer than the C twin's (5ms, not 1ms): real
// sleeps overshoot by a little each time, and the two walkers drift apart
// only after their drift adds up to a whole step.
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
	left, right = 0, 1
	step        = 5 * time.Millisecond
	patience    = 8 // rounds of stepping across before we call it a livelock
)

type manners int

const (
	polite manners = iota
	backoffNoJitter
	randomBackoff
	asymmetric
)

// pauseAfter is how long a walker waits before it looks again, after its
// rounds-th step across.
func pauseAfter(m manners, rounds int) time.Duration {
	switch m {
	case backoffNoJitter:
		shift := rounds
		if shift > 4 {
			shift = 4
		}
		return step << shift // MISTAKE(backoff-no-jitter): the same doubling for both: they wait just as long and look again together
	case randomBackoff:
		return time.Duration(rand.Int63n(int64(4 * step))) // a jitter each
	case polite:
		return step // MISTAKE(polite): the same fixed pause for both: they look again together and step across together, for ever
	}
	return step // asymmetric: one walker keeps its side, so a fixed pause is fine
}

// corridor returns false when a walker ran out of patience.
func corridor(m manners) bool {
	var side [2]atomic.Int64 // both keep to the left
	var wg sync.WaitGroup
	stuck := make([]int, 2)
	wg.Add(2)
	for id := 0; id < 2; id++ {
		go func(id int) {
			defer wg.Done()
			mine, theirs := &side[id], &side[1-id]
			rounds := 0
			for {
				here := mine.Load()
				if theirs.Load() != here {
					return // on different sides: pass
				}
				if rounds == patience {
					stuck[id] = rounds
					return
				}
				time.Sleep(step) // deciding takes a moment
				if m == asymmetric && id == 0 {
					time.Sleep(step) // walker 0 keeps to its side and lets the other give way
					continue
				}
				mine.Store(1 - here) // give way
				rounds++
				time.Sleep(pauseAfter(m, rounds))
			}
		}(id)
	}
	wg.Wait()
	for id, n := range stuck {
		if n > 0 {
			fmt.Printf("livelock: walker %d stepped across %d times and never got past\n", id, n)
			return false
		}
	}
	return true
}

func main() {
	variants := map[string]manners{
		"correct":           randomBackoff,
		"polite":            polite,
		"backoff-no-jitter": backoffNoJitter,
		"asymmetric":        asymmetric,
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	m, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for attempt := int64(1); attempt <= 5; attempt++ {
		rand.Seed(attempt)
		if !corridor(m) {
			fmt.Printf("attempt %d failed\n", attempt)
			os.Exit(1)
		}
	}
	fmt.Println("5 attempts, both walkers got past every time")
}
