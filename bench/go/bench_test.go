// Go counterparts of bench/programs.c: the same work, measured by `go test
// -bench`, so `make bench` can print Go's cost beside chanlab's.
package bench

import (
	"runtime"
	"sync"
	"testing"
)

// Two goroutines yielding to each other.
func BenchmarkGosched(b *testing.B) {
	done := make(chan struct{})
	go func() {
		for i := 0; i < b.N; i++ {
			runtime.Gosched()
		}
		close(done)
	}()
	for i := 0; i < b.N; i++ {
		runtime.Gosched()
	}
	<-done
}

// Unbuffered ping-pong: one op is a round trip (two hand-offs).
func BenchmarkPingPong(b *testing.B) {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	for i := 0; i < b.N; i++ {
		ping <- i
		<-pong
	}
	close(ping)
}

// One producer, one consumer, capacity 128: one op is one item.
func BenchmarkSPSC(b *testing.B) {
	items := make(chan int, 128)
	done := make(chan struct{})
	go func() {
		for range items {
		}
		close(done)
	}()
	for i := 0; i < b.N; i++ {
		items <- i
	}
	close(items)
	<-done
}

// A select over two buffered channels, one of them ready.
func BenchmarkSelect2(b *testing.B) {
	a, c := make(chan int, 1), make(chan int, 1)
	for i := 0; i < b.N; i++ {
		if i&1 == 1 {
			c <- i
		} else {
			a <- i
		}
		select {
		case <-a:
		case <-c:
		}
	}
}

// Start a goroutine and wait for it to finish.
func BenchmarkSpawnJoin(b *testing.B) {
	var wg sync.WaitGroup
	for i := 0; i < b.N; i++ {
		wg.Add(1)
		go func() { wg.Done() }()
		wg.Wait()
	}
}

func BenchmarkMutex(b *testing.B) {
	var mu sync.Mutex
	for i := 0; i < b.N; i++ {
		mu.Lock()
		mu.Unlock()
	}
}
