//go:build ignore

// starvation.go - the Go original of patterns/starvation.c: one worker per
// P computes after main says go; a heartbeat goroutine sleeps a millisecond
// at a time and records the longest it waited beyond that.
//
// Run: go run starvation.go [correct|tight-loop|spin-wait]
// The broken variants print "metric heartbeat_gap_ms = N > limit 100" and
// exit 1.
//
// Since Go 1.14 sysmon preempts a goroutine that has run for 10ms (SIGURG),
// so a tight loop no longer starves the others: run as a Go developer would,
// the broken variants pass. The program therefore runs itself again with
// GODEBUG=asyncpreemptoff=1, which turns that preemption off and shows how
// Go behaved before 1.14. The loops call no function: a call's stack check
// would let the runtime preempt them cooperatively even then.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const work = 200 * time.Millisecond

var sink int64 // keeps the compiler from dropping the loops

// spinsPerMs: iterations of the arithmetic loop in a millisecond.
var spinsPerMs int64

func calibrate() {
	spinsPerMs = 1000000
	t0 := time.Now()
	compute(20)
	if us := time.Since(t0).Microseconds(); us > 0 {
		spinsPerMs = spinsPerMs * 20000 / us
	}
}

// compute runs for about ms milliseconds with no function call.
func compute(ms int64) {
	x, n := int64(0), ms*spinsPerMs
	for i := int64(0); i < n; i++ {
		x += i * 7
	}
	atomic.AddInt64(&sink, x)
}

type starve struct {
	start   chan struct{}
	flag    int32
	waiting sync.WaitGroup
	wg      sync.WaitGroup
	done    int32
}

func waitChannel(s *starve) { <-s.start }

func waitSpinning(s *starve) {
	// Bounded so the program ends: about work's length.
	n := work.Milliseconds() * spinsPerMs
	for i := int64(0); i < n && atomic.LoadInt32(&s.flag) == 0; i++ { // MISTAKE(spin-wait): busy-waits for a flag: main, which sets it, has no P
	}
}

func workYielding(s *starve) {
	for ms := int64(0); ms < work.Milliseconds(); ms++ {
		compute(1)
		runtime.Gosched()
	}
}

func workTight(s *starve) {
	compute(work.Milliseconds()) // MISTAKE(tight-loop): no scheduling point: the P is never given back
}

type how struct{ wait, work func(*starve) }

func serve(h how) time.Duration {
	s := &starve{start: make(chan struct{})}
	n := runtime.GOMAXPROCS(0)
	s.waiting.Add(n)
	s.wg.Add(n + 1)
	for i := 0; i < n; i++ {
		go func() {
			defer s.wg.Done()
			s.waiting.Done()
			h.wait(s)
			h.work(s)
			atomic.AddInt32(&s.done, 1)
		}()
	}
	var longest time.Duration
	spawned := time.Now()
	go func() {
		defer s.wg.Done()
		last := time.Now()
		longest = last.Sub(spawned)
		for atomic.LoadInt32(&s.done) < int32(n) {
			time.Sleep(time.Millisecond)
			now := time.Now()
			if gap := now.Sub(last) - time.Millisecond; gap > longest {
				longest = gap
			}
			last = now
		}
	}()
	s.waiting.Wait()
	atomic.StoreInt32(&s.flag, 1)
	close(s.start)
	s.wg.Wait()
	return longest
}

func main() {
	variants := map[string]how{
		"correct":    {waitChannel, workYielding},
		"tight-loop": {waitChannel, workTight},
		"spin-wait":  {waitSpinning, workYielding},
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	h, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	if os.Getenv("GODEBUG") != "asyncpreemptoff=1" {
		exe, err := os.Executable()
		if err == nil {
			env := append(os.Environ(), "GODEBUG=asyncpreemptoff=1")
			err = syscall.Exec(exe, os.Args, env)
		}
		fmt.Fprintln(os.Stderr, "cannot run again with GODEBUG=asyncpreemptoff=1:", err)
		os.Exit(1)
	}
	calibrate()
	// The best of three attempts: a starved heartbeat waits for the whole
	// work in every one, while a machine busy with other programs delays a
	// healthy one only now and then.
	gap := serve(h)
	for attempt := 2; attempt <= 3 && gap > 100*time.Millisecond; attempt++ {
		if g := serve(h); g < gap {
			gap = g
		}
	}
	if gap > 100*time.Millisecond {
		fmt.Printf("metric heartbeat_gap_ms = %d > limit 100: every P was held by a goroutine "+
			"that never reached a scheduling point\n", gap.Milliseconds())
		os.Exit(1)
	}
	fmt.Println("the heartbeat kept beating")
}
