// The shares that chanlab bench prints beside two of its rows, measured for
// Go in runs of their own: the system call and the TryLock they take would
// slow the timed benchmarks.
package bench

import (
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
)

// PingPongCross in which each side asks the kernel which thread it is on
// after every hand-off: the share of round trips whose two sides ran on
// different OS threads (pingpong_2p's "crossed").
func BenchmarkPingPongThreads(b *testing.B) {
	ping, pong := make(chan int, 1), make(chan int, 1)
	pongTid := 0 // written before pong's send, read after ping's receive
	go func() {
		for {
			v, ok := recvSpin(ping)
			if !ok {
				return
			}
			pongTid = syscall.Gettid()
			pong <- v
		}
	}()
	crossed := 0
	for i := 0; i < b.N; i++ {
		ping <- i
		recvSpin(pong)
		if pongTid != syscall.Gettid() {
			crossed++
		}
	}
	close(ping)
	b.ReportMetric(float64(crossed)/float64(b.N), "crossed")
}

// MutexContended (the same work) with a TryLock before each Lock: the share of Lock calls
// that found the mutex held (mutex_contended's "held").
func BenchmarkMutexContendedHeld(b *testing.B) {
	var mu sync.Mutex
	var held int64
	n := 0
	b.RunParallel(func(pb *testing.PB) {
		mine := int64(0)
		for pb.Next() {
			busy(mutexOutside)
			if !mu.TryLock() {
				mine++
				mu.Lock()
			}
			n++
			busy(mutexHold)
			mu.Unlock()
		}
		atomic.AddInt64(&held, mine)
	})
	_ = n
	b.ReportMetric(float64(held)/float64(b.N), "held")
}
