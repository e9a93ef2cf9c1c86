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

// pingpong_2p's receive (bench/programs.c's recv_spin): polls ch up to
// crossPolls times with a select's default before it blocks, so each side
// keeps its own P while the other works and every value crosses between
// two threads; a blocking receive would put the receiver in the sender's
// runnext, the pair on one thread.
const crossPolls = 4096

func recvSpin(ch chan int) (int, bool) {
	for i := 0; i < crossPolls; i++ {
		select {
		case v, ok := <-ch:
			return v, ok
		default:
		}
	}
	v, ok := <-ch
	return v, ok
}

// Ping-pong between two goroutines that poll their channels (capacity 1, so
// a send never blocks): one op is a round trip across two threads.
func BenchmarkPingPongCross(b *testing.B) {
	ping, pong := make(chan int, 1), make(chan int, 1)
	go func() {
		for {
			v, ok := recvSpin(ping)
			if !ok {
				return
			}
			pong <- v
		}
	}()
	for i := 0; i < b.N; i++ {
		ping <- i
		recvSpin(pong)
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
