//go:build ignore

// started.go - the Go original of patterns/started.c: a server that is ready
// only once it has bound its (simulated) listener; it closes started when the
// bind is over, and two goroutines wait for it, a client and a health probe.
//
// Run: go run started.go [correct|sleep|close-early|send-ready]
//
// Each run tries up to `attempts` times, seeding math/rand with the attempt
// number (Go 1.19 does not seed it for you), and stops at the first attempt
// that goes wrong. send-ready ends in Go's own "all goroutines are asleep -
// deadlock!". sleep and close-early print the invariant that failed; they
// read s.bound while the server writes it, which `go run -race started.go
// sleep` reports as a data race: the missing handshake is the missing
// happens-before edge.
package main

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"sync"
	"time"
)

const (
	bindTime = 20 * time.Millisecond // typical time to bind (long tail)
	busy     = 10                    // chance in percent that the port is in use
	work     = 5 * time.Millisecond  // typical time per request
	wait     = 30 * time.Millisecond // sleep only: how long the waiters sleep
	attempts = 30
)

// latency is a simulated duration with a long tail: nine times in ten
// uniform in [0, 2*typical), else uniform in [2*typical, 10*typical).
func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type Request struct {
	From  string
	Reply chan string // capacity 1
}

type Server struct {
	started chan struct{} // closed when the bind is over, ok or not
	conns   chan Request  // the simulated accept queue
	stop    chan struct{} // main closes it to stop the server
	stopped chan struct{} // closed when the server has returned
	bound   bool          // set before started is closed
	addr    string
	err     error
	failed  chan string // invariant failures, for main to print
}

func (s *Server) listen() {
	fmt.Println("server: binding :8080")
	time.Sleep(latency(bindTime)) // a bind is fast, sometimes slow
	if rand.Intn(100) < busy {
		s.err = errors.New("listen tcp :8080: bind: address already in use")
		fmt.Println("server:", s.err)
		return
	}
	s.addr = "127.0.0.1:8080"
	s.bound = true
	fmt.Println("server: listening on", s.addr)
}

func (s *Server) serve() {
	if s.err != nil {
		return
	}
	for {
		select {
		case <-s.stop:
			return
		case r := <-s.conns:
			time.Sleep(latency(work))
			r.Reply <- "pong"
		}
	}
}

// run: bind, say so, serve.
func (s *Server) run() {
	defer close(s.stopped)
	s.listen()
	close(s.started) // every waiter, now and later, sees it
	s.serve()
}

func (s *Server) runCloseEarly() {
	defer close(s.stopped)
	close(s.started) // MISTAKE(close-early): closed before s.listen(): the waiters go ahead while the listener is not bound yet
	s.listen()
	s.serve()
}

func (s *Server) runSendReady() {
	defer close(s.stopped)
	s.listen()
	s.started <- struct{}{} // MISTAKE(send-ready): wakes one waiter; the other waits for a second value that never comes
	s.serve()
}

func dial(s *Server, who string) {
	if s.err != nil {
		fmt.Printf("%s: the server failed to start: %v\n", who, s.err)
		return
	}
	if !s.bound {
		s.failed <- fmt.Sprintf("invariant bound-before-use failed: %s dialled the server before its listener was bound", who)
		return
	}
	reply := make(chan string, 1)
	select {
	case s.conns <- Request{who, reply}:
	case <-s.stopped:
		return
	}
	fmt.Printf("%s: %s answered %s\n", who, s.addr, <-reply)
}

func waiter(s *Server, who string, wg *sync.WaitGroup) {
	defer wg.Done()
	<-s.started // wait for the handshake
	dial(s, who)
}

func waiterSleep(s *Server, who string, wg *sync.WaitGroup) {
	defer wg.Done()
	time.Sleep(wait) // MISTAKE(sleep): a fixed sleep instead of <-s.started: "the server is surely up by then"
	dial(s, who)
}

// start runs one attempt: the server, two waiters, then stop and stopped.
// It returns the first invariant failure, or "".
func start(server func(*Server), waiterFn func(*Server, string, *sync.WaitGroup)) string {
	s := &Server{
		started: make(chan struct{}, 1), // room for one, so a send does not block
		conns:   make(chan Request),
		stop:    make(chan struct{}),
		stopped: make(chan struct{}),
		failed:  make(chan string, 2),
	}
	go server(s)
	var wg sync.WaitGroup
	wg.Add(2)
	go waiterFn(s, "client", &wg)
	go waiterFn(s, "probe", &wg)
	wg.Wait()
	close(s.stop)
	<-s.stopped
	select {
	case f := <-s.failed:
		return f
	default:
		return ""
	}
}

func main() {
	variants := map[string]func() string{
		"correct":     func() string { return start((*Server).run, waiter) },
		"sleep":       func() string { return start((*Server).run, waiterSleep) },
		"close-early": func() string { return start((*Server).runCloseEarly, waiter) },
		"send-ready":  func() string { return start((*Server).runSendReady, waiter) },
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
	for attempt := 1; attempt <= attempts; attempt++ {
		rand.Seed(int64(attempt))
		if f := run(); f != "" {
			fmt.Printf("attempt %d: %s\n", attempt, f)
			os.Exit(1)
		}
	}
	fmt.Printf("%d attempts, no failure\n", attempts)
}
