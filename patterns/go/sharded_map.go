//go:build ignore

// sharded_map.go - the Go original of patterns/sharded_map.c: workers
// increment counters in one shared map, split into shards by an FNV-1a hash
// of the key, a mutex per shard; and the mistakes: a plain map with no lock,
// one mutex for the whole map, and a shard chosen by the key's first byte.
//
// Run: go run -race sharded_map.go [correct|plain-map|one-lock|bad-hash]
// plain-map: "WARNING: DATA RACE" with -race (exit 66); without -race Go
// may stop it with "fatal error: concurrent map writes", or lose counts.
//
// Contention is counted as a mutex profile sees it: a Lock whose TryLock
// fails first found the mutex held.  Go cannot show one-lock's and
// bad-hash's contention reliably on a small machine: with two CPUs shared
// with other work, two goroutines are rarely inside a critical section at
// the same instant, and a waiter parks in Lock for a long time and calls it
// less often, so the share stays low; the variants print what they
// measured and "attempts, none showed the mistake" unless it went over the
// limit.  The C twin switches tasks inside critical sections as preemption
// does on a busy many-core server, which is where a single lock hurts.
package main

import (
	"fmt"
	"hash/fnv"
	"math/rand"
	"os"
	"sync"
	"sync/atomic"
)

const (
	workers      = 8
	ops          = 20000 // more than the C twin's: a goroutine does 20 before the next one starts
	keys         = 64
	shards       = 32
	maxContended = 35 // percent
)

type shard struct {
	mu sync.Mutex
	m  map[string]int
}

type shardedMap struct {
	shards           []shard
	pick             func(key string) int
	locks, contended int64
}

func newMap(n int, pick func(key string) int) *shardedMap {
	m := &shardedMap{shards: make([]shard, n), pick: pick}
	for i := range m.shards {
		m.shards[i].m = map[string]int{}
	}
	return m
}

// fnv32a picks the shard from every byte of the key.
func fnv32a(key string) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % shards)
}

func firstByte(key string) int {
	return int(key[0]) % shards // MISTAKE(bad-hash): the shard from the key's first byte: every "user:" key lands in one shard
}

// lock counts the Locks that find the mutex held.
func (m *shardedMap) lock(mu *sync.Mutex) {
	atomic.AddInt64(&m.locks, 1)
	if !mu.TryLock() {
		atomic.AddInt64(&m.contended, 1)
		mu.Lock()
	}
}

func (m *shardedMap) Inc(key string) {
	s := &m.shards[m.pick(key)]
	m.lock(&s.mu)
	s.m[key]++
	s.mu.Unlock()
}

func (m *shardedMap) Get(key string) int {
	s := &m.shards[m.pick(key)]
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[key]
}

// plainInc is Inc with no lock at all.
// incUnlockTwice is Inc after a refactoring added the defer and kept the
// old Unlock: the deferred call unlocks a mutex nobody holds.
func (m *shardedMap) incUnlockTwice(key string) {
	s := &m.shards[m.pick(key)]
	m.lock(&s.mu)
	defer s.mu.Unlock()
	s.m[key]++
	s.mu.Unlock() // MISTAKE(unlock-twice): the explicit Unlock stayed when defer s.mu.Unlock() was added: the deferred one then unlocks an unlocked mutex
}

func (m *shardedMap) plainInc(key string) {
	s := &m.shards[m.pick(key)]
	s.m[key]++ // MISTAKE(plain-map): m[key]++ on a map every worker writes, with no lock
}

func countAll(m *shardedMap, plain bool, inc func(m *shardedMap, key string)) bool {
	names := make([]string, keys)
	for k := range names {
		names[k] = fmt.Sprintf("user:%d", k)
	}
	done := make([][]int, workers) // done[w][k]: worker w's own increments
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		done[w] = make([]int, keys)
		wg.Add(1)
		go func(w int, r *rand.Rand) {
			defer wg.Done()
			n := ops
			if plain {
				// The detector needs only two unordered writes; with many,
				// the map's own check may kill the program ("concurrent map
				// writes") before the detector's report is printed.
				n = 200
			}
			for i := 0; i < n; i++ {
				k := r.Intn(keys)
				if plain {
					m.plainInc(names[k])
				} else {
					inc(m, names[k])
				}
				done[w][k]++
			}
		}(w, rand.New(rand.NewSource(rand.Int63())))
	}
	wg.Wait()
	for k, name := range names {
		want := 0
		for w := range done {
			want += done[w][k]
		}
		if got := m.Get(name); got != want {
			fmt.Printf("invariant all-counted failed: %s counted %d times, the workers did %d\n", name, got, want)
			return false
		}
	}
	if m.locks > 0 {
		pct := m.contended * 100 / m.locks
		if pct > maxContended {
			fmt.Printf("metric contended_pct = %d%% > limit %d%%: %d of %d Locks found the mutex held\n",
				pct, maxContended, m.contended, m.locks)
			return false
		}
	}
	return true
}

func main() {
	variants := map[string]func() bool{
		"correct":   func() bool { return countAll(newMap(shards, fnv32a), false, (*shardedMap).Inc) },
		"plain-map": func() bool { return countAll(newMap(shards, fnv32a), true, nil) },
		"one-lock": func() bool {
			return countAll(newMap(1, func(string) int { return 0 }), false, (*shardedMap).Inc) // MISTAKE(one-lock): one mutex for the whole map: every worker waits for every other
		},
		"bad-hash": func() bool { return countAll(newMap(shards, firstByte), false, (*shardedMap).Inc) },
		// A fatal error ends the program at the first Inc: exit status 2.
		"unlock-twice": func() bool { return countAll(newMap(shards, fnv32a), false, (*shardedMap).incUnlockTwice) },
	}
	name := "correct"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	variant, ok := variants[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown variant", name)
		os.Exit(64)
	}
	for attempt := int64(1); attempt <= 10; attempt++ {
		rand.Seed(attempt)
		if !variant() {
			fmt.Printf("attempt %d failed\n", attempt)
			os.Exit(1)
		}
	}
	if name == "one-lock" || name == "bad-hash" {
		fmt.Println("10 attempts, none showed the mistake: every count right, contention under the limit here")
		return
	}
	fmt.Println("10 attempts, every key counted")
}
