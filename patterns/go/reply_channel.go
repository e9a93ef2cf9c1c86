//go:build ignore

// reply_channel.go - the Go original of patterns/reply_channel.c: a server
// goroutine owns some state and answers requests that carry their own reply
// channel; each client gives up after a timeout.
//
// Run: go run reply_channel.go [correct|unbuffered-reply|shared-reply|pooled|pooled-stale|worker-closes]
//
// Both mistakes depend on timing, so a broken variant runs in a loop of
// attempts, each seeding math/rand with its number (Go 1.19 does not seed
// it), until one shows the mistake (at most 20).
package main

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"sync"
	"time"
)

const (
	clients   = 3
	perClient = 2 // requests each client makes (--requests)
	work      = 10 * time.Millisecond
	timeout   = 40 * time.Millisecond
	grace     = time.Second
)

func latency(typical time.Duration) time.Duration {
	if rand.Intn(10) != 0 {
		return time.Duration(rand.Int63n(int64(2 * typical)))
	}
	return 2*typical + time.Duration(rand.Int63n(int64(8*typical)))
}

type Answer struct{ Key, Value int }

type Request struct {
	Key   int
	Reply chan Answer
}

// server owns the state: nobody else touches it.
func server(requests <-chan Request, stopped chan<- struct{}) {
	for r := range requests {
		fmt.Println("server looks up key", r.Key)
		time.Sleep(latency(work)) // the look-up takes a while
		r.Reply <- Answer{r.Key, r.Key * r.Key}
	}
	close(stopped) // tell main the server is done
}

type askFunc func(ctx context.Context, requests chan<- Request, key int) (Answer, error)

// ask is the correct form: a fresh reply channel with room for one answer.
func ask(ctx context.Context, requests chan<- Request, key int) (Answer, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	reply := make(chan Answer, 1) // room for the answer we may abandon
	select {
	case requests <- Request{key, reply}:
	case <-ctx.Done():
		return Answer{}, ctx.Err()
	}
	select {
	case a := <-reply:
		return a, nil
	case <-ctx.Done():
		return Answer{}, ctx.Err()
	}
}

// askUnbufferedReply: the reply channel has no room.
func askUnbufferedReply(ctx context.Context, requests chan<- Request, key int) (Answer, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	reply := make(chan Answer) // MISTAKE(unbuffered-reply): unbuffered: if we give up, the server blocks forever
	select {
	case requests <- Request{key, reply}:
	case <-ctx.Done():
		return Answer{}, ctx.Err()
	}
	select {
	case a := <-reply:
		return a, nil
	case <-ctx.Done():
		return Answer{}, ctx.Err()
	}
}

// askSharedReply returns an ask whose requests all name the same reply channel.
func askSharedReply() askFunc {
	sharedReply := make(chan Answer, 1)
	return func(ctx context.Context, requests chan<- Request, key int) (Answer, error) {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		reply := sharedReply // MISTAKE(shared-reply): one channel for all callers: whoever reads first takes the next answer
		select {
		case requests <- Request{key, reply}:
		case <-ctx.Done():
			return Answer{}, ctx.Err()
		}
		select {
		case a := <-reply:
			return a, nil
		case <-ctx.Done():
			return Answer{}, ctx.Err()
		}
	}
}

func client(id int, requests chan<- Request, ask askFunc, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := 1; j <= perClient; j++ {
		key := id*10 + j
		a, err := ask(context.Background(), requests, key)
		if err != nil {
			fmt.Printf("client %d gave up on key %d: %v\n", id, key, err)
			continue
		}
		fmt.Printf("client %d asked key %d, got key %d = %d\n", id, key, a.Key, a.Value)
		if a.Key != key {
			fmt.Printf("invariant own-answer failed: client %d read the answer for key %d\n", id, a.Key)
			shown = true
		}
	}
}

// shown records that an attempt showed the variant's mistake.
var shown bool

func serveClients(ask askFunc) {
	requests := make(chan Request)
	stopped := make(chan struct{})
	go server(requests, stopped)

	var wg sync.WaitGroup
	for i := 1; i <= clients; i++ {
		wg.Add(1)
		go client(i, requests, ask, &wg)
	}
	wg.Wait()
	close(requests) // no more questions

	// Shut down, waiting for the server at most a grace period.
	select {
	case <-stopped:
		fmt.Println("server stopped")
	case <-time.After(grace):
		fmt.Println("server still running after the grace period: a leaked goroutine, blocked on a reply nobody reads")
		shown = true
	}
}

func main() {
	variants := map[string]func(){
		"correct":          func() { serveClients(ask) },
		"unbuffered-reply": func() { serveClients(askUnbufferedReply) },
		"shared-reply":     func() { serveClients(askSharedReply()) },
		"pooled":           func() { pooledAttempts(server, askPooled) },
		"pooled-stale":     func() { pooledAttempts(server, askPooledStale) },
		"worker-closes":    func() { pooledAttempts(closingServer, askPooled) },
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
	attempts := 20
	switch name {
	case "correct", "pooled", "pooled-stale", "worker-closes":
		attempts = 1 // the pooled variants make their own attempts
	}
	for attempt := 1; attempt <= attempts; attempt++ {
		rand.Seed(int64(attempt))
		fmt.Printf("--- attempt %d (math/rand seeded with %d)\n", attempt, attempt)
		run()
		if shown {
			fmt.Printf("--- attempt %d shows the mistake of %s\n", attempt, name)
			os.Exit(1)
		}
	}
	if name != "correct" {
		fmt.Printf("--- %d attempts, none showed the mistake of %s\n", attempts, name)
	}
}

// ---- pooled reply channels (issue 15) ----
//
// To save an allocation per request, clients take reply channels from a
// sync.Pool and give them back. That is safe only for a channel whose one
// answer has been read: an abandoned channel may still receive its late
// answer, so it is dropped. The pooled variants try up to pooledTries
// times, seeding math/rand with the attempt number (Go 1.19 does not seed
// it for you); pooled-stale prints the invariant that failed, worker-closes
// ends in "panic: send on closed channel".

const pooledTries = 30

var replies = sync.Pool{New: func() any { return make(chan Answer, 1) }}

func closingServer(requests <-chan Request, stopped chan<- struct{}) {
	for r := range requests {
		fmt.Println("server looks up key", r.Key)
		time.Sleep(latency(work))
		r.Reply <- Answer{r.Key, r.Key * r.Key}
		close(r.Reply) // MISTAKE(worker-closes): the client owns the reply channel, and a pooled one comes back closed
	}
	close(stopped)
}

// exchange sends the request and waits for the answer or the timeout.
func exchange(ctx context.Context, requests chan<- Request, key int, reply chan Answer) (Answer, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	select {
	case requests <- Request{key, reply}:
	case <-ctx.Done():
		return Answer{}, ctx.Err()
	}
	select {
	case a := <-reply:
		return a, nil
	case <-ctx.Done():
		return Answer{}, ctx.Err()
	}
}

func askPooled(ctx context.Context, requests chan<- Request, key int) (Answer, error) {
	reply := replies.Get().(chan Answer)
	a, err := exchange(ctx, requests, key, reply)
	if err == nil {
		replies.Put(reply) // its one answer is read: safe to reuse
	} // an abandoned channel may still get its answer: drop it
	return a, err
}

func askPooledStale(ctx context.Context, requests chan<- Request, key int) (Answer, error) {
	reply := replies.Get().(chan Answer)
	a, err := exchange(ctx, requests, key, reply)
	replies.Put(reply) // MISTAKE(pooled-stale): also after a timeout: the late answer lands in the pooled channel and waits for its next user
	return a, err
}

// pooledAttempts runs serveClients' shape with the given server and ask,
// and stops at the first attempt where a client reads someone else's answer.
func pooledAttempts(srv func(<-chan Request, chan<- struct{}), ask askFunc) {
	for attempt := 1; attempt <= pooledTries; attempt++ {
		rand.Seed(int64(attempt))
		replies = sync.Pool{New: func() any { return make(chan Answer, 1) }}
		requests := make(chan Request)
		stopped := make(chan struct{})
		go srv(requests, stopped)
		failures := make(chan string, clients*perClient)
		var wg sync.WaitGroup
		for i := 1; i <= clients; i++ {
			wg.Add(1)
			go func(id int) {
				defer wg.Done()
				for j := 1; j <= perClient; j++ {
					key := id*10 + j
					a, err := ask(context.Background(), requests, key)
					if err == nil && a.Key != key {
						failures <- fmt.Sprintf("invariant own-answer failed: client %d asked for key %d but read the answer for key %d", id, key, a.Key)
					}
				}
			}(i)
		}
		wg.Wait()
		close(requests)
		<-stopped
		select {
		case f := <-failures:
			fmt.Printf("attempt %d: %s\n", attempt, f)
			os.Exit(1)
		default:
		}
	}
	fmt.Printf("%d attempts, no failure\n", pooledTries)
}
