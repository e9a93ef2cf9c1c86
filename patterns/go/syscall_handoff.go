//go:build ignore

// syscall_handoff.go - the Go original of patterns/syscall_handoff.c:
// GOMAXPROCS readers wait in a blocking ppoll on a pipe each, and a writer
// goroutine, which needs a P to run, writes what they wait for.
//
// Run: go run syscall_handoff.go [correct|blocks-processor|busy-poll]
// The broken variants print "metric read_wait_ms = 200 > limit 50" and
// exit 1.
//
// Go's syscall.Syscall calls entersyscall, and sysmon hands the P of a
// thread stuck in the kernel to another thread: that is the correct
// variant. syscall.RawSyscall skips entersyscall (it is meant for calls
// that never block), so the P stays with the sleeping thread: that is
// how Go code can make the mistake. Since Go 1.14 sysmon would also send
// the spinning or sleeping thread a preemption signal (and a ppoll
// interrupted by one returns early), so the program runs itself again with
// GODEBUG=asyncpreemptoff=1, as Go before 1.14 behaved.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

const timeout = 200 * time.Millisecond

type pollFd struct {
	fd      int32
	events  int16
	revents int16
}

const pollIn = 0x1

func ppoll(raw bool, fd int, d time.Duration) int {
	pfd := pollFd{fd: int32(fd), events: pollIn}
	ts := syscall.NsecToTimespec(int64(d))
	call := syscall.Syscall6
	if raw {
		call = syscall.RawSyscall6
	}
	n, _, _ := call(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&pfd)), 1,
		uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
	return int(n)
}

// correct: syscall.Syscall lets the runtime hand the P off.
func waitHandingOff(fd int) { ppoll(false, fd, timeout) }

func waitHoldingP(fd int) {
	ppoll(true, fd, timeout) // MISTAKE(blocks-processor): RawSyscall: no entersyscall, the sleeping thread keeps its P
}

// Go cannot show busy-poll reliably: whether the writer finds a P while
// every reader spins depends on how the kernel schedules the spinning
// threads and when sysmon looks, so on an idle machine the byte often
// arrives at once; the program then says no attempt showed the mistake.
//
// busySpins bounds busy-poll's loop (a poll takes about a microsecond, so
// roughly the timeout): the loop calls nothing but RawSyscall6, which
// has no stack check, so not even a cooperative preemption can stop it.
const busySpins = 200000

func waitBusyPolling(fd int) {
	pfd := pollFd{fd: int32(fd), events: pollIn}
	var zero syscall.Timespec
	for i := 0; i < busySpins; i++ {
		n, _, _ := syscall.RawSyscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&pfd)), 1, uintptr(unsafe.Pointer(&zero)), 0, 0, 0) // MISTAKE(busy-poll): retries at once: the P never comes free
		if n != 0 {
			return
		}
	}
}

func serve(wait func(fd int)) time.Duration {
	n := runtime.GOMAXPROCS(0)
	pipes := make([][2]int, n)
	for i := range pipes {
		if err := syscall.Pipe(pipes[i][:]); err != nil {
			panic(err)
		}
	}
	var started, done sync.WaitGroup
	var mu sync.Mutex
	var longest time.Duration
	started.Add(n)
	done.Add(n + 1)
	for i := 0; i < n; i++ {
		go func(fd int) {
			defer done.Done()
			started.Done()
			t0 := time.Now()
			wait(fd)
			buf := make([]byte, 1)
			if ppoll(false, fd, 0) == 1 {
				syscall.Read(fd, buf)
			}
			mu.Lock()
			if w := time.Since(t0); w > longest {
				longest = w
			}
			mu.Unlock()
		}(pipes[i][0])
	}
	go func() {
		defer done.Done()
		started.Wait()
		for _, p := range pipes {
			syscall.Write(p[1], []byte("x"))
		}
	}()
	done.Wait()
	for _, p := range pipes {
		syscall.Close(p[0])
		syscall.Close(p[1])
	}
	return longest
}

func main() {
	variants := map[string]func(int){
		"correct":          waitHandingOff,
		"blocks-processor": waitHoldingP,
		"busy-poll":        waitBusyPolling,
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	wait, ok := variants[name]
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
	for attempt := 1; attempt <= 3; attempt++ {
		if w := serve(wait); w > 50*time.Millisecond {
			fmt.Printf("metric read_wait_ms = %d > limit 50: the writer had no P while the "+
				"readers' calls held them all\n", w.Milliseconds())
			os.Exit(1)
		}
	}
	fmt.Println("3 attempts, no failure: every reader got its byte at once")
}
