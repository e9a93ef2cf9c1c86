//go:build ignore

// supervisor.go - the Go original of patterns/supervisor.c: a supervisor
// that runs each child in its own goroutine, restarts it by policy
// (permanent, transient, temporary), turns a child's panic into its error
// inside the child's goroutine, and escalates after max restarts within a
// window; when stopped, it stops and waits for every child.
//
// Run: go run supervisor.go [correct|no-limit|recover-in-supervisor|orphans]
//
// Each run tries up to `attempts` times, seeding math/rand with the attempt
// number (Go 1.19 does not seed it for you). no-limit prints the restart
// intensity over its limit; recover-in-supervisor ends in the child's
// "panic: flaky: dependency down"; orphans counts the goroutines still
// running after the supervisor returned (what goleak would report).
package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"sync"
	"time"
)

const (
	maxRestarts = 3
	window      = 50 * time.Millisecond
	storm       = 20 // starts of flaky that fail before its dependency comes back
	work        = 10 * time.Millisecond
	runFor      = 100 * time.Millisecond
	attempts    = 10
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type RestartPolicy int

const (
	Permanent RestartPolicy = iota
	Transient
	Temporary
)

type ChildSpec struct {
	Name     string
	Run      func(ctx context.Context, attempt int) error
	Restart  RestartPolicy
	restarts []time.Time
}

func flaky(ctx context.Context, attempt int) error {
	time.Sleep(latency(time.Millisecond))
	if attempt <= storm {
		panic("flaky: dependency down: nil pointer dereference")
	}
	<-ctx.Done()
	return nil
}

func worker(ctx context.Context, attempt int) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(latency(work)):
			if rand.Intn(10) == 0 {
				return errors.New("worker: lost connection")
			}
		}
	}
}

func job(ctx context.Context, attempt int) error {
	select {
	case <-ctx.Done():
		return nil
	case <-time.After(latency(work)):
		if rand.Intn(3) == 0 {
			return errors.New("job: timeout")
		}
		return nil
	}
}

func probe(ctx context.Context, attempt int) error {
	time.Sleep(latency(work))
	return errors.New("probe: unreachable")
}

type Supervisor struct {
	children      []*ChildSpec
	limitRestarts bool
	stopChildren  bool
	recoverInSelf bool
	mu            sync.Mutex
	intensity     int // the most restarts of one child within any window
}

// start runs one attempt of the child in its own goroutine; the recover is
// there, in the child's goroutine.
func (s *Supervisor) start(ctx context.Context, c *ChildSpec, n int) <-chan error {
	exited := make(chan error, 1)
	go func() {
		var err error
		if !s.recoverInSelf {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v", r)
				}
				exited <- err
			}()
		}
		err = c.Run(ctx, n)
		if s.recoverInSelf {
			exited <- err
		}
	}()
	return exited
}

func (s *Supervisor) restartAllowed(c *ChildSpec) bool {
	now := time.Now()
	recent := 1 // this restart
	for _, t := range c.restarts {
		if now.Sub(t) < window {
			recent++
		}
	}
	if s.limitRestarts && recent > maxRestarts {
		return false
	}
	c.restarts = append(c.restarts, now)
	s.mu.Lock()
	if recent > s.intensity {
		s.intensity = recent
	}
	s.mu.Unlock()
	return true
}

// childContext is the child's own context, which only the supervisor
// cancels. (It is a function of its own so that the orphans variant still
// passes go vet: written inline, vet's lostcancel check flags the very
// return that leaks the child, which is a good reason to keep vet on.)
func childContext() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}

func (s *Supervisor) runChild(ctx context.Context, c *ChildSpec) error {
	if s.recoverInSelf {
		// MISTAKE(recover-in-supervisor): this recover is in the supervisor's goroutine; a child's panic happens in the child's
		defer func() {
			if r := recover(); r != nil {
				fmt.Println("supervisor recovered:", r)
			}
		}()
	}
	for n := 1; ; n++ {
		actx, acancel := childContext() // the child's own stop
		exited := s.start(actx, c, n)
		var err error
		select {
		case err = <-exited:
		case <-ctx.Done():
			if !s.stopChildren {
				return nil // MISTAKE(orphans): no acancel() and <-exited: the supervisor stops, its children run on
			}
			acancel()
			<-exited
			return nil
		}
		acancel()
		if c.Restart == Temporary || (c.Restart == Transient && err == nil) {
			fmt.Printf("supervisor: %s exited (%v), not restarted\n", c.Name, err)
			return nil
		}
		if !s.restartAllowed(c) {
			return fmt.Errorf("supervisor: %s restarted too often: %w", c.Name, err)
		}
		fmt.Printf("supervisor: %s exited (%v), restarting\n", c.Name, err)
	}
}

func (s *Supervisor) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(s.children))
	var wg sync.WaitGroup
	for _, c := range s.children {
		wg.Add(1)
		go func(c *ChildSpec) {
			defer wg.Done()
			if err := s.runChild(ctx, c); err != nil {
				errs <- err
				cancel() // escalate: stop every child
			}
		}(c)
	}
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func attempt(s *Supervisor) string {
	s.children = []*ChildSpec{
		{Name: "flaky", Run: flaky, Restart: Permanent},
		{Name: "worker", Run: worker, Restart: Permanent},
		{Name: "job", Run: job, Restart: Transient},
		{Name: "probe", Run: probe, Restart: Temporary},
	}
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), runFor)
	defer cancel()
	if err := s.Run(ctx); err != nil {
		fmt.Println("main: the supervisor escalated:", err)
	}
	if s.intensity > maxRestarts {
		return fmt.Sprintf("metric restart_intensity = %d > limit %d", s.intensity, maxRestarts)
	}
	time.Sleep(20 * time.Millisecond) // let stopped children return
	if n := runtime.NumGoroutine() - before; n > 0 {
		return fmt.Sprintf("leak: %d goroutines still running after the supervisor returned", n)
	}
	return ""
}

func main() {
	variants := map[string]func() *Supervisor{
		"correct": func() *Supervisor { return &Supervisor{limitRestarts: true, stopChildren: true} },
		"no-limit": func() *Supervisor {
			return &Supervisor{limitRestarts: false, stopChildren: true} // MISTAKE(no-limit): restart whatever happens: no intensity check
		},
		"recover-in-supervisor": func() *Supervisor {
			return &Supervisor{limitRestarts: true, stopChildren: true, recoverInSelf: true}
		},
		"orphans": func() *Supervisor { return &Supervisor{limitRestarts: true, stopChildren: false} },
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	newSupervisor, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for a := 1; a <= attempts; a++ {
		rand.Seed(int64(a))
		if f := attempt(newSupervisor()); f != "" {
			fmt.Printf("attempt %d: %s\n", a, f)
			os.Exit(1)
		}
	}
	fmt.Printf("%d attempts, no failure\n", attempts)
}
