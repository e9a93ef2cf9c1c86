// Spawn N goroutines that block on one channel, then release them all:
// the counterpart of bench/programs.c's blocked-task rows.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
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
	pte := vmPTEKiB() // the page tables with every goroutine alive
	close(gate)
	wg.Wait()
	elapsed := time.Since(start)
	var after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	// Maxrss is in KiB on Linux.  peak_rss_mib is the growth of the peak, and
	// kib_per_goroutine adds the page tables, as chanlab bench measures its
	// own blocked rows.
	fmt.Printf("seconds=%.3f kib_per_goroutine=%.2f peak_rss_mib=%.1f\n", elapsed.Seconds(),
		float64(after.Maxrss-before.Maxrss+pte)/float64(n), float64(after.Maxrss-before.Maxrss)/1024)
}

// vmPTEKiB reads VmPTE from /proc/self/status (0 if it cannot).
func vmPTEKiB() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		var kib int64
		if _, err := fmt.Sscanf(line, "VmPTE: %d kB", &kib); err == nil {
			return kib
		}
	}
	return 0
}
