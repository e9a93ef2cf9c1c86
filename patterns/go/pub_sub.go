//go:build ignore

// pub_sub.go - the Go original of patterns/pub_sub.c: a broker goroutine
// owns the set of subscribers; subscribe, unsubscribe and publish are
// messages to it.  Each subscriber reads its own buffered channel; the
// policy says what to do when a subscriber's buffer is full.
//
// Run: go run pub_sub.go [correct|slow-blocks-all|unsubscribe-race] [block|drop]
package main

import (
	"fmt"
	"math/rand"
	"os"
	"sync"
	"time"
)

const (
	subscribers = 3 // subscriber 1 is slow; the last one leaves early
	messages    = 8
	buffer      = 2
	slowWork    = 30 * time.Millisecond
	leave       = 3
)

var policy = "drop" // or "block"

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type Message struct {
	Seq int
	At  time.Time
}

type Broker struct {
	publish   chan Message
	subscribe chan chan Message
	cancel    chan chan Message
	deliver   func(subs map[chan Message]struct{}, m Message)
}

// deliver is the correct form: honour the policy.
func deliver(subs map[chan Message]struct{}, m Message) {
	for sub := range subs {
		if policy == "block" {
			sub <- m // wait for room: nothing is lost
			continue
		}
		select {
		case sub <- m:
		default: // full: drop it for this one
			fmt.Printf("broker drops msg %d for a full subscriber\n", m.Seq)
		}
	}
}

// deliverSlowBlocksAll: the broker always waits for every subscriber.
func deliverSlowBlocksAll(subs map[chan Message]struct{}, m Message) {
	for sub := range subs {
		sub <- m // MISTAKE(slow-blocks-all): whatever the policy: one full subscriber stalls the broker, and everyone behind it
	}
}

// run is the only goroutine that touches subs.
func (b *Broker) run() {
	subs := map[chan Message]struct{}{}
	for {
		select {
		case sub := <-b.subscribe:
			subs[sub] = struct{}{}
		case sub := <-b.cancel:
			delete(subs, sub)
			close(sub)
		case m, ok := <-b.publish:
			if !ok {
				for sub := range subs {
					close(sub)
				}
				return
			}
			b.deliver(subs, m)
		}
	}
}

func (b *Broker) Subscribe() chan Message {
	ch := make(chan Message, buffer)
	b.subscribe <- ch
	return ch
}

// Unsubscribe is the correct form: keep draining while the broker may be
// sending to us; the broker closes ch.
func (b *Broker) Unsubscribe(ch chan Message) {
	for {
		select {
		case b.cancel <- ch:
			for range ch {
			}
			return
		case _, ok := <-ch:
			if !ok {
				return // the broker is shutting down and closed it already
			}
		}
	}
}

// UnsubscribeRace: the subscriber closes its own channel.
func (b *Broker) UnsubscribeRace(ch chan Message) {
	close(ch) // MISTAKE(unsubscribe-race): closing from the receiving side while the broker may send on it (and closes it again)
	b.cancel <- ch
}

// fastDelay is the longest a fast subscriber waited for a message after it
// was published; under the drop policy it must stay within fastLimit.
var (
	delayMu   sync.Mutex
	fastDelay time.Duration
)

const fastLimit = 20 * time.Millisecond

func subscriber(id int, ch chan Message, unsubscribe func(chan Message), wg *sync.WaitGroup) {
	defer wg.Done()
	slow := id == 1
	leaver := id == subscribers && !slow
	last, got := 0, 0
	for m := range ch {
		if m.Seq <= last {
			fmt.Printf("invariant in-order failed: subscriber %d got msg %d after msg %d\n", id, m.Seq, last)
		} else if policy == "block" && m.Seq != last+1 {
			fmt.Printf("invariant no-loss failed: subscriber %d got msg %d after msg %d\n", id, m.Seq, last)
		}
		last = m.Seq
		waited := time.Since(m.At)
		fmt.Printf("subscriber %d reads msg %d, %v after it was published\n", id, m.Seq,
			waited.Round(time.Millisecond))
		if !slow {
			delayMu.Lock()
			if waited > fastDelay {
				fastDelay = waited
			}
			delayMu.Unlock()
		}
		if slow {
			time.Sleep(slowWork)
		} else {
			time.Sleep(time.Duration(rand.Int63n(int64(2 * time.Millisecond))))
		}
		if got++; leaver && got == leave {
			fmt.Printf("subscriber %d unsubscribes\n", id)
			unsubscribe(ch)
			return
		}
	}
}

func publishAll(deliverFn func(map[chan Message]struct{}, Message), unsubscribeRace bool) {
	b := &Broker{
		publish:   make(chan Message, 4),
		subscribe: make(chan chan Message),
		cancel:    make(chan chan Message),
		deliver:   deliverFn,
	}
	go b.run()
	unsubscribe := b.Unsubscribe
	if unsubscribeRace {
		unsubscribe = b.UnsubscribeRace
	}

	var wg sync.WaitGroup
	for i := 1; i <= subscribers; i++ {
		ch := b.Subscribe()
		wg.Add(1)
		go subscriber(i, ch, unsubscribe, &wg)
	}
	for seq := 1; seq <= messages; seq++ {
		time.Sleep(latency(5 * time.Millisecond))
		fmt.Println("main publishes msg", seq)
		b.publish <- Message{seq, time.Now()}
	}
	close(b.publish) // the broker closes every subscriber's channel
	wg.Wait()
	if policy == "drop" && fastDelay > fastLimit {
		fmt.Printf("metric fast_delay = %v > limit %v: the fast subscribers waited %v for a message; a slow subscriber must not hold them up beyond %v\n",
			fastDelay.Round(time.Millisecond), fastLimit, fastDelay.Round(time.Millisecond), fastLimit)
	}
}

func main() {
	rand.Seed(1) // explicit, as on Go 1.19: the simulated latencies are the same every run
	variants := map[string]func(){
		"correct":          func() { publishAll(deliver, false) },
		"slow-blocks-all":  func() { publishAll(deliverSlowBlocksAll, false) },
		"unsubscribe-race": func() { publishAll(deliver, true) },
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	if len(os.Args) > 2 {
		policy = os.Args[2]
	}
	run, ok := variants[name]
	if !ok || (policy != "block" && policy != "drop") {
		fmt.Fprintln(os.Stderr, "usage: pub_sub.go [correct|slow-blocks-all|unsubscribe-race] [block|drop]")
		os.Exit(64)
	}
	run()
}
