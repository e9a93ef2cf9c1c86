//go:build ignore

// timers.go - the Go original of patterns/timers.c: time.After in a loop
// versus one reusable timer, and a heartbeat ticker that must be stopped.
//
// Go 1.23 changed timers: an unreferenced timer or ticker is collected even
// if it was never stopped, and Stop/Reset no longer leave a stale value in
// the channel, so the drain below is unnecessary there. This file follows
// Go 1.19 (Debian's), where a time.After timer lives until it fires.
//
// Run: go run timers.go [correct|after-per-iteration|ticker-never-stopped]
// after-per-iteration prints how many timers were live at once and exits 1;
// ticker-never-stopped prints the goroutines still running after the work
// is done (the heartbeat) and exits 1.
package main

import (
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"time"
)

const (
	events  = 12
	gap     = 2 * time.Millisecond
	timeout = 100 * time.Millisecond
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

func source(out chan<- int) {
	for i := 1; i <= events; i++ {
		time.Sleep(latency(gap))
		out <- i
	}
	close(out)
}

func heartbeat(stop <-chan struct{}) {
	ticker := time.NewTicker(gap)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
		case <-stop:
			return
		}
	}
}

func heartbeatNeverStopped() {
	ticker := time.NewTicker(gap)
	for range ticker.C { // MISTAKE(ticker-never-stopped): for range ticker.C with no stop case and no ticker.Stop(): it ticks forever
	}
}

// handleReusing: one timer, stopped, drained and reset each turn.
func handleReusing(in <-chan int) (handled, live int) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case _, ok := <-in:
			if !ok {
				return handled, 1
			}
			handled++
		case <-timer.C:
			fmt.Println("main: no event for", timeout)
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(timeout)
	}
}

// handleAfter: time.After each turn; live counts the timers not yet fired.
func handleAfter(in <-chan int) (handled, live int) {
	var deadlines []time.Time
	for {
		after := time.After(timeout) // MISTAKE(after-per-iteration): a new timer every turn, alive until it fires
		deadlines = append(deadlines, time.Now().Add(timeout))
		n := 0
		for _, d := range deadlines {
			if d.After(time.Now()) {
				n++
			}
		}
		if n > live {
			live = n
		}
		select {
		case _, ok := <-in:
			if !ok {
				return handled, live
			}
			handled++
		case <-after:
			fmt.Println("main: no event for", timeout)
		}
	}
}

func main() {
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	handle, neverStop := handleReusing, false
	switch name {
	case "correct":
	case "after-per-iteration":
		handle = handleAfter
	case "ticker-never-stopped":
		neverStop = true
	default:
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	rand.Seed(1)
	before := runtime.NumGoroutine()
	stop := make(chan struct{})
	if neverStop {
		go heartbeatNeverStopped()
	} else {
		go heartbeat(stop)
	}
	in := make(chan int)
	go source(in)
	handled, live := handle(in)
	close(stop)
	time.Sleep(10 * gap) // the heartbeat's time to return
	if handled != events {
		fmt.Printf("invariant all-events failed: %d of %d\n", handled, events)
		os.Exit(1)
	}
	if live > 1 {
		fmt.Printf("metric live_timers = %d > limit 1\n", live)
		os.Exit(1)
	}
	if n := runtime.NumGoroutine() - before; n > 0 {
		fmt.Printf("leak: %d goroutine(s) still running (the heartbeat)\n", n)
		os.Exit(1)
	}
	fmt.Println("every event handled with one timer; the heartbeat stopped")
}
