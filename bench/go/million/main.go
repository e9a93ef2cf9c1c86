// Spawn N goroutines that block on one channel, then release them all:
// the counterpart of bench/programs.c's blocked-task rows.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

func main() {
	n, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "usage: million N")
		os.Exit(64)
	}
	var before syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	start := time.Now()
	gate := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			<-gate
			wg.Done()
		}()
	}
	close(gate)
	wg.Wait()
	elapsed := time.Since(start)
	var after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	// Maxrss is in KiB on Linux.  peak_rss_mib is the growth of the peak, as
	// chanlab bench measures its own blocked rows.
	fmt.Printf("seconds=%.3f kib_per_goroutine=%.2f peak_rss_mib=%.1f\n", elapsed.Seconds(),
		float64(after.Maxrss-before.Maxrss)/float64(n), float64(after.Maxrss-before.Maxrss)/1024)
}
