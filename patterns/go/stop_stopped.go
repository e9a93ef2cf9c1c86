//go:build ignore

// stop_stopped.go - the Go original of patterns/stop_stopped.c: the parent
// closes stop (once); each worker flushes its buffer and closes its own
// stopped channel in a defer, also after a recovered panic; Stop waits for
// every stopped and is safe to call twice.
//
// Run: go run stop_stopped.go [correct|forget-stopped|send-stop|double-close|recover-no-defer]
//
// Each run tries up to `attempts` times, seeding math/rand with the attempt
// number (Go 1.19 does not seed it for you). forget-stopped prints the
// invariant that failed (and `go run -race` reports the unsynchronised read
// of the workers' counters); send-stop and recover-no-defer end in Go's "all
// goroutines are asleep - deadlock!"; double-close in "panic: close of
// closed channel".
package main

import (
	"fmt"
	"math/rand"
	"os"
	"sync"
	"time"
)

const (
	workers  = 2
	records  = 10
	work     = 10 * time.Millisecond // typical time per record (long tail)
	flushFor = 5 * time.Millisecond  // typical time to write the buffer out
	bad      = 30                    // one record in bad is malformed
	runFor   = 60 * time.Millisecond // how long main lets the workers run
	attempts = 20
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type Worker struct {
	id        int
	stopped   chan struct{} // closed when this worker has returned
	processed int           // records processed, held in the buffer
	saved     int           // records written out by the flush
	err       error         // the recovered panic, as an error
}

type Workers struct {
	stop chan struct{} // closed by Stop
	once sync.Once     // makes Stop safe to call twice
	in   chan int      // the records
	ws   []*Worker
}

func (w *Worker) recoverAsError() {
	if r := recover(); r != nil {
		w.err = fmt.Errorf("worker %d: %v", w.id, r)
		fmt.Printf("worker %d recovered: %v\n", w.id, r)
	}
}

func (w *Worker) process(rec int) {
	time.Sleep(latency(work))
	if rand.Intn(bad) == 0 { // one record in bad is malformed
		panic(fmt.Sprintf("malformed record %d", rec))
	}
	w.processed++
}

func (w *Worker) flush() {
	fmt.Printf("worker %d flushes %d records\n", w.id, w.processed)
	time.Sleep(latency(flushFor))
	w.saved = w.processed
}

func (w *Worker) loop(stop <-chan struct{}, in <-chan int) {
	for {
		select {
		case <-stop:
			w.flush()
			return
		case rec := <-in:
			w.process(rec)
		}
	}
}

func (ws *Workers) worker(w *Worker) {
	defer close(w.stopped) // runs however the worker ends, panic included
	defer w.recoverAsError()
	w.loop(ws.stop, ws.in)
}

func (ws *Workers) workerNoDefer(w *Worker) {
	defer w.recoverAsError()
	w.loop(ws.stop, ws.in)
	close(w.stopped) // MISTAKE(recover-no-defer): at the end, not deferred: after a recovered panic it never runs
}

func (ws *Workers) Stop() {
	ws.once.Do(func() { close(ws.stop) })
	for _, w := range ws.ws {
		<-w.stopped
	}
}

func (ws *Workers) StopForgetStopped() {
	ws.once.Do(func() { close(ws.stop) }) // MISTAKE(forget-stopped): and no <-w.stopped: Stop returns while the workers are still flushing
}

func (ws *Workers) StopSend() {
	ws.once.Do(func() { ws.stop <- struct{}{} }) // MISTAKE(send-stop): a send instead of close(stop): one worker takes it, the other never hears
	for _, w := range ws.ws {
		<-w.stopped
	}
}

func (ws *Workers) StopDoubleClose() {
	close(ws.stop) // MISTAKE(double-close): no sync.Once: the second Stop closes it again and panics
	for _, w := range ws.ws {
		<-w.stopped
	}
}

// run is one attempt; it returns the first invariant failure, or "".
func run(worker func(*Workers, *Worker), stop func(*Workers)) (failure string) {
	ws := &Workers{stop: make(chan struct{}), in: make(chan int, records)}
	for i := 1; i <= workers; i++ {
		w := &Worker{id: i, stopped: make(chan struct{})}
		ws.ws = append(ws.ws, w)
		go worker(ws, w)
	}
	defer stop(ws) // a safety net: Stop may be called twice
	for i := 1; i <= records; i++ {
		ws.in <- i
	}
	time.Sleep(runFor)
	fmt.Println("main: stop")
	stop(ws)
	for _, w := range ws.ws {
		if w.err != nil {
			fmt.Printf("main: %v (its records are lost, and we know it)\n", w.err)
			continue
		}
		if w.saved != w.processed && failure == "" {
			failure = fmt.Sprintf("invariant flushed failed: Stop returned, but worker %d had written out %d of the %d records it processed",
				w.id, w.saved, w.processed)
		}
	}
	return failure
}

func main() {
	variants := map[string]func() string{
		"correct":          func() string { return run((*Workers).worker, (*Workers).Stop) },
		"forget-stopped":   func() string { return run((*Workers).worker, (*Workers).StopForgetStopped) },
		"send-stop":        func() string { return run((*Workers).worker, (*Workers).StopSend) },
		"double-close":     func() string { return run((*Workers).worker, (*Workers).StopDoubleClose) },
		"recover-no-defer": func() string { return run((*Workers).workerNoDefer, (*Workers).Stop) },
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	runVariant, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for attempt := 1; attempt <= attempts; attempt++ {
		rand.Seed(int64(attempt))
		if f := runVariant(); f != "" {
			fmt.Printf("attempt %d: %s\n", attempt, f)
			os.Exit(1)
		}
	}
	fmt.Printf("%d attempts, no failure\n", attempts)
}
