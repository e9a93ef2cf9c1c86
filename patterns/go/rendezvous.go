//go:build ignore

// rendezvous.go - the Go original of patterns/rendezvous.c: a started
// channel (the child says "I am ready") and an unbuffered hand-off (the
// sender knows the receiver has the value).
//
// Run: go run rendezvous.go [correct|buffered|sleep-handshake]
//
// A broken variant runs as a Go developer would chase a flaky failure: in a
// loop of attempts, each seeding math/rand with its number (Go 1.19 does
// not seed it by itself), until one shows the mistake (at most 40).  The
// sleep-handshake's failure depends on how long set-up takes, so it shows in
// about one attempt in four; `go run -race rendezvous.go sleep-handshake`
// also reports the data race on cfg.ready.
package main

import (
	"fmt"
	"math/rand"
	"os"
	"time"
)

const (
	messages = 3
	initTime = 30 * time.Millisecond
	wait     = 50 * time.Millisecond // sleep-handshake only
)

// latency is a simulated duration with a long tail: nine times in ten
// uniform in [0, 2*typical), else uniform in [2*typical, 10*typical).
func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

// Config is state that setup prepares.
type Config struct {
	ready bool
}

func setup(started chan<- struct{}, cfg *Config) {
	fmt.Println("setup: connecting, warming the cache")
	time.Sleep(latency(initTime)) // set-up takes a while, sometimes long
	cfg.ready = true
	fmt.Println("setup: ready")
	close(started)
}

func receiver(handoff <-chan int, done chan<- struct{}) {
	for v := range handoff {
		fmt.Println("receiver has message", v)
		time.Sleep(latency(5 * time.Millisecond)) // work on it
	}
	close(done)
}

// shown records that an attempt showed the variant's mistake.
var shown bool

func use(cfg *Config) {
	if !cfg.ready {
		fmt.Println("invariant initialised failed: main used the state before setup had finished")
		shown = true
		return
	}
	fmt.Println("main uses the state: it is ready")
}

func handOff(handoff chan int) {
	done := make(chan struct{})
	go receiver(handoff, done)
	for i := 1; i <= messages; i++ {
		fmt.Println("main hands over message", i)
		handoff <- i
		if len(handoff) != 0 {
			fmt.Println("invariant handed-off failed: send returned while the value still sat in the channel")
			shown = true
		}
	}
	close(handoff)
	<-done
}

// correct waits on started, and hands values over an unbuffered channel.
func correct() {
	started := make(chan struct{})
	cfg := &Config{}
	go setup(started, cfg)
	<-started // wait until setup says it is ready
	use(cfg)

	handoff := make(chan int) // unbuffered: a rendezvous
	handOff(handoff)
}

// buffered: the hand-off channel has room for one value.
func buffered() {
	started := make(chan struct{})
	cfg := &Config{}
	go setup(started, cfg)
	<-started
	use(cfg)

	handoff := make(chan int, 1) // MISTAKE(buffered): a buffer, so a send completes before anyone has the value
	handOff(handoff)
}

// sleepHandshake waits a fixed time instead of on started.
func sleepHandshake() {
	started := make(chan struct{})
	cfg := &Config{}
	go setup(started, cfg)
	time.Sleep(wait) // MISTAKE(sleep-handshake): "surely long enough"; when set-up is slower, main reads half-built state
	use(cfg)         // (go run -race reports this data race)

	handoff := make(chan int)
	handOff(handoff)
}

func main() {
	variants := map[string]func(){
		"correct":         correct,
		"buffered":        buffered,
		"sleep-handshake": sleepHandshake,
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
	attempts := 40
	if name == "correct" {
		attempts = 1
	}
	for attempt := 1; attempt <= attempts; attempt++ {
		rand.Seed(int64(attempt))
		fmt.Printf("--- attempt %d (math/rand seeded with %d)\n", attempt, attempt)
		run()
		if shown {
			fmt.Printf("--- attempt %d shows the mistake of %s\n", attempt, name)
			os.Exit(1)
		}
	}
	if name != "correct" {
		fmt.Printf("--- %d attempts, none showed the mistake of %s\n", attempts, name)
	}
}
