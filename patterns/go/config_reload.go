//go:build ignore

// config_reload.go - the Go original of patterns/config_reload.c: Reload
// hands a new config to every worker and waits until each has answered
// "applied"; workers switch only between requests.
//
// Run: go run config_reload.go [correct|no-ack|one-ack|close-ack]
//
// Each run tries up to `attempts` times, seeding math/rand with the attempt
// number (Go 1.19 does not seed it for you). no-ack and one-ack print the
// invariant that failed; close-ack ends in "panic: close of closed channel".
package main

import (
	"fmt"
	"math/rand"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

const (
	workers  = 3
	work     = 10 * time.Millisecond // typical time per request (long tail)
	pace     = 3 * time.Millisecond  // typical time between requests
	runFor   = 40 * time.Millisecond // before and after the reload
	attempts = 10
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type Config struct{ Version int }

type Worker struct {
	id     int
	reload chan Config // capacity 1
	cfg    Config
}

type Service struct {
	requests chan int
	applied  chan struct{} // capacity N: one "applied" per worker
	wg       sync.WaitGroup
	ws       []*Worker
	reloaded atomic.Int64 // the version the last Reload returned for
	ack      func(*Service)
	failures chan string
}

func (s *Service) ackSend() { s.applied <- struct{}{} }

func (s *Service) ackClose() {
	close(s.applied) // MISTAKE(close-ack): as each worker's "applied": close is one-shot, the second worker's close panics
}

func (s *Service) serve(w *Worker, req int) {
	used := w.cfg.Version
	time.Sleep(latency(work))
	if r := s.reloaded.Load(); int64(used) < r {
		select {
		case s.failures <- fmt.Sprintf("invariant new-config failed: worker %d finished request %d with config v%d after Reload(v%d) had returned", w.id, req, used, r):
		default:
		}
		return
	}
	fmt.Printf("worker %d served request %d with config v%d\n", w.id, req, used)
}

func (s *Service) worker(w *Worker) {
	defer s.wg.Done()
	for {
		select {
		case cfg := <-w.reload: // between two requests, never in the middle of one
			w.cfg = cfg
			s.ack(s)
		case req, ok := <-s.requests:
			if !ok {
				return
			}
			s.serve(w, req)
		}
	}
}

func (s *Service) Reload(cfg Config) {
	for _, w := range s.ws {
		w.reload <- cfg
	}
	for range s.ws {
		<-s.applied
	}
	s.reloaded.Store(int64(cfg.Version))
}

func (s *Service) ReloadNoAck(cfg Config) {
	for _, w := range s.ws {
		w.reload <- cfg
	}
	s.reloaded.Store(int64(cfg.Version)) // MISTAKE(no-ack): no wait for "applied": workers may still be mid-request on the old config
}

func (s *Service) ReloadOneAck(cfg Config) {
	for _, w := range s.ws {
		w.reload <- cfg
	}
	<-s.applied // MISTAKE(one-ack): one worker has applied the config, the others may not have
	s.reloaded.Store(int64(cfg.Version))
}

func attempt(reload func(*Service, Config), ack func(*Service)) string {
	s := &Service{requests: make(chan int), applied: make(chan struct{}, workers), ack: ack,
		failures: make(chan string, 1)}
	s.wg.Add(workers)
	for i := 1; i <= workers; i++ {
		w := &Worker{id: i, reload: make(chan Config, 1), cfg: Config{1}}
		s.ws = append(s.ws, w)
		go s.worker(w)
	}
	stop := make(chan struct{})
	go func() { // the load generator
		defer close(s.requests)
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(latency(pace)):
				s.requests <- i
			}
		}
	}()
	time.Sleep(runFor)
	reload(s, Config{2})
	fmt.Println("main: Reload returned")
	time.Sleep(runFor)
	close(stop)
	s.wg.Wait()
	select {
	case f := <-s.failures:
		return f
	default:
		return ""
	}
}

func main() {
	variants := map[string]func() string{
		"correct":   func() string { return attempt((*Service).Reload, (*Service).ackSend) },
		"no-ack":    func() string { return attempt((*Service).ReloadNoAck, (*Service).ackSend) },
		"one-ack":   func() string { return attempt((*Service).ReloadOneAck, (*Service).ackSend) },
		"close-ack": func() string { return attempt((*Service).Reload, (*Service).ackClose) },
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
	for a := 1; a <= attempts; a++ {
		rand.Seed(int64(a))
		if f := run(); f != "" {
			fmt.Printf("attempt %d: %s\n", a, f)
			os.Exit(1)
		}
	}
	fmt.Printf("%d attempts, no failure\n", attempts)
}
