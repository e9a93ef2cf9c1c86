// Supervisor with restart intensity: recover in the child's goroutine,
// report, restart at most maxRestarts times.  Run with: go run solution.go
package main

import (
	"errors"
	"fmt"
)

const maxRestarts = 2

var errGaveUp = errors.New("restart intensity exceeded")

func supervise(body func()) error {
	outcome := make(chan bool, 1)
	for restarts := 0; ; restarts++ {
		go func() {
			defer func() { outcome <- recover() != nil }()
			body()
		}()
		if crashed := <-outcome; !crashed {
			return nil
		}
		if restarts == maxRestarts {
			return errGaveUp
		}
	}
}

func main() {
	starts := 0
	err := supervise(func() {
		starts++
		if starts < 3 {
			panic("crash")
		}
	})
	fmt.Println(err, starts)
}
