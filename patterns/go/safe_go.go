//go:build ignore

// safe_go.go - the Go original of patterns/safe_go.c: safeGo starts a task
// whose deferred function recovers a panic and reports it as the task's
// error; the parent takes one result from every task.
//
// Run: go run safe_go.go [correct|recover-in-parent|swallow|defer-recover]
//
// Each run tries up to `attempts` times, seeding math/rand with the attempt
// number (Go 1.19 does not seed it for you). recover-in-parent and
// defer-recover end in the task's "panic: runtime error: index out of
// range"; swallow in "all goroutines are asleep - deadlock!". defer-recover
// is the junior guide's `defer recover()`: recover stops a panic only when a
// deferred function calls it directly, and here recover is the deferred
// function itself (checked with Go 1.19). go vet does not flag it.
package main

import (
	"fmt"
	"math/rand"
	"os"
	"time"
)

const (
	tasks    = 4
	workTime = 10 * time.Millisecond // typical time per task (long tail)
	panics   = 20                    // chance in percent that a task panics
	attempts = 20
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type result struct {
	id  int
	err error
}

// work is the task's body; sometimes it has a bug.
func work(id int) error {
	time.Sleep(latency(workTime))
	if rand.Intn(100) < panics {
		var s []int
		_ = s[id] // index out of range
	}
	return nil
}

func safeGo(id int, results chan<- result) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				results <- result{id, fmt.Errorf("panic: %v", r)}
			}
		}()
		results <- result{id, work(id)}
	}()
}

func bareGo(id int, results chan<- result) {
	go func() {
		results <- result{id, work(id)}
	}()
}

func swallowGo(id int, results chan<- result) {
	go func() {
		defer func() { recover() }() // MISTAKE(swallow): the panic is stopped, but no result is sent: the parent waits for it forever
		results <- result{id, work(id)}
	}()
}

func deferRecoverGo(id int, results chan<- result) {
	go func() {
		defer recover() // MISTAKE(defer-recover): recover is the deferred function, not called by one, so it stops nothing
		results <- result{id, work(id)}
	}()
}

func runAll(start func(int, chan<- result)) {
	results := make(chan result, tasks)
	for i := 1; i <= tasks; i++ {
		start(i, results)
	}
	failed := 0
	for i := 0; i < tasks; i++ {
		if r := <-results; r.err != nil {
			failed++
			fmt.Printf("main: task %d failed: %v\n", r.id, r.err)
		}
	}
	fmt.Printf("main: %d of %d tasks failed, the program goes on\n", failed, tasks)
}

func recoverInParent() {
	defer func() { // MISTAKE(recover-in-parent): in main, but a task panics in its own goroutine, where nothing recovers it
		if r := recover(); r != nil {
			fmt.Println("main recovered:", r)
		}
	}()
	runAll(bareGo)
}

func main() {
	variants := map[string]func(){
		"correct":           func() { runAll(safeGo) },
		"recover-in-parent": recoverInParent,
		"swallow":           func() { runAll(swallowGo) },
		"defer-recover":     func() { runAll(deferRecoverGo) },
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
	for a := 1; a <= attempts; a++ {
		rand.Seed(int64(a))
		run()
	}
	fmt.Printf("%d attempts, no failure\n", attempts)
}
