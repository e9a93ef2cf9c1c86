// Concurrent word count: a goroutine per line, one results channel, a
// closer after the WaitGroup.  Run with: go run solution.go
package main

import (
	"fmt"
	"strings"
	"sync"
)

func wordCount(lines []string) int {
	results := make(chan int)
	var wg sync.WaitGroup
	for _, line := range lines {
		wg.Add(1)
		go func(line string) {
			defer wg.Done()
			results <- len(strings.Fields(line))
		}(line)
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	total := 0
	for n := range results {
		total += n
	}
	return total
}

func main() {
	fmt.Println(wordCount([]string{
		"do not communicate by sharing memory",
		"share memory by communicating",
		"",
		"channels orchestrate mutexes serialize",
	}))
}
