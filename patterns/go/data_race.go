//go:build ignore

// data_race.go - the Go original of patterns/data_race.c: a counter
// incremented by several goroutines, unsynchronised and with its three
// fixes (mutex, atomic, a channel owner); and a value published through a
// closed channel or, wrongly, through a plain bool flag.
//
// Run: go run -race data_race.go [correct|atomic|channel-owner|unsynchronised|unsafe-publish]
// With -race, the two broken variants print "WARNING: DATA RACE" and exit
// 66. Without -race, unsynchronised may print a counter below tasks*iters
// (lost updates; with few increments it often does not), and unsafe-publish
// usually seems to work: on x86 the stores happen to stay in order, and the
// bug shows only on weaker hardware or after the compiler keeps ready in a
// register (then the reader's loop never ends).
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

const (
	tasks = 4
	iters = 1000 // more than the C version's default, so lost updates show without -race too
)

func count(inc func()) {
	var wg sync.WaitGroup
	wg.Add(tasks)
	for i := 0; i < tasks; i++ {
		go func() {
			defer wg.Done()
			for j := 0; j < iters; j++ {
				inc()
			}
		}()
	}
	wg.Wait()
}

func check(total int) bool {
	fmt.Printf("counter = %d, want %d\n", total, tasks*iters)
	return total == tasks*iters
}

func unsynchronisedCount() bool {
	counter := 0
	count(func() {
		counter++ // MISTAKE(unsynchronised): counter++ with no lock: a read, then a write
	})
	return check(counter)
}

func mutexCount() bool {
	var mu sync.Mutex
	counter := 0
	count(func() { mu.Lock(); counter++; mu.Unlock() })
	return check(counter)
}

func atomicCount() bool {
	var n int64
	count(func() { atomic.AddInt64(&n, 1) })
	return check(int(atomic.LoadInt64(&n)))
}

func ownerCount() bool {
	incs := make(chan int)
	total := make(chan int)
	go func() { // the only goroutine that touches n
		n := 0
		for d := range incs {
			n += d
		}
		total <- n
	}()
	count(func() { incs <- 1 })
	close(incs)
	return check(<-total)
}

func publish() bool {
	data := 0
	published := make(chan struct{})
	go func() { data = 42; close(published) }()
	<-published
	fmt.Println("main reads data =", data)
	return data == 42
}

func unsafePublish() bool {
	data := 0
	ready := false
	go func() {
		data = 42
		ready = true // MISTAKE(unsafe-publish): a plain bool as the signal: no happens-before edge
	}()
	for !ready {
		runtime.Gosched()
	}
	fmt.Println("main reads data =", data)
	return data == 42
}

func main() {
	variants := map[string]func() bool{
		"correct":        func() bool { return mutexCount() && publish() },
		"atomic":         func() bool { return atomicCount() && publish() },
		"channel-owner":  func() bool { return ownerCount() && publish() },
		"unsynchronised": func() bool { return unsynchronisedCount() && publish() },
		"unsafe-publish": func() bool { return mutexCount() && unsafePublish() },
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
	if !variant() {
		fmt.Println("updates were lost or the value was not seen")
		os.Exit(1)
	}
}
