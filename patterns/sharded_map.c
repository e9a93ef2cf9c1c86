/*
 * sharded_map.c - a map shared by many workers, split into shards by a hash
 * of the key, each shard with a mutex of its own: two workers wait for each
 * other only when their keys land in the same shard.  The mistakes: a plain
 * map with no lock at all (a data race), one lock for the whole map (every
 * worker waits for every other), and a hash that sends every key to the
 * same shard (one lock again, with extra steps).  Read it beside
 * patterns/go/sharded_map.go.
 *
 * Contention is counted the way a mutex profile sees it: a Lock that finds
 * the mutex held by someone else (TryLock fails first) is a contended one.
 * Under det a worker can be switched out at any scheduling point inside its
 * critical section, as a thread can be preempted, so the count is a property
 * of the map's locking, replayable by seed.
 *
 * Checks:
 *   invariant all-counted  every increment of every worker is in the map.
 *   metric contended_pct   the share of Locks that found the lock held stays low.
 */
#include "patterns/pattern.h"

enum locking { SHARDED, PLAIN, ONE_LOCK, BAD_HASH };

/* Go: type shard struct { mu sync.Mutex; m map[string]int } */
struct shard {
	cl_mutex *mu;
	int *counts;                 /* shared: counts[key] (the shard's map), under mu */
};

/* Go: type shardedMap struct { shards []shard } -- and the counts of Locks. */
struct smap {
	struct pattern_run *run;
	enum locking locking;
	int nshards, nkeys;
	struct shard *shards;
	cl_atomic64 locks;           /* Lock calls */
	cl_atomic64 contended;       /* ... that found the mutex held */
	int **done;                  /* done[w][key]: worker w's own increments, read by main after Wait */
	cl_waitgroup *wg;
};

struct worker_args {
	struct smap *m;
	int id;
};

/* Go: key := fmt.Sprintf("user:%d", k) */
static void key_name(int key, char *buf, size_t size)
{
	snprintf(buf, size, "user:%d", key);
}

/* Go: func fnv32a(s string) uint32 -- hash/fnv's FNV-1a: every byte counts. */
static uint32_t fnv32a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* Go: func (m *shardedMap) shard(key string) *shard */
static struct shard *shard_of(struct smap *m, int key)
{
	char name[24];
	key_name(key, name, sizeof name);
	if (m->locking == BAD_HASH)
		return &m->shards[(unsigned char)name[0] % (unsigned)m->nshards]; /* MISTAKE(bad-hash): the shard from the key's first byte: every "user:" key lands in one shard */
	return &m->shards[fnv32a(name) % (unsigned)m->nshards];
}

/* Go: if !mu.TryLock() { contended++; mu.Lock() } -- Lock, counting the
 * times it has to wait. */
static void lock_counted(struct smap *m, cl_mutex *mu)
{
	cl_atomic_add(&m->locks, 1);
	if (!cl_trylock(mu)) {
		cl_atomic_add(&m->contended, 1);
		cl_lock(mu);
	}
}

/* Go: func (m *shardedMap) Inc(key string) { s := m.shard(key); s.mu.Lock(); s.m[key]++; s.mu.Unlock() } */
static void inc(struct smap *m, int key)
{
	struct shard *s = shard_of(m, key);
	if (m->locking == PLAIN) {
		cl_wr(s->counts[key], cl_rd(s->counts[key]) + 1); /* MISTAKE(plain-map): m[key]++ on a map every worker writes, with no lock */
		return;
	}
	lock_counted(m, s->mu);
	cl_wr(s->counts[key], cl_rd(s->counts[key]) + 1);
	cl_unlock(s->mu);
}

/* Go: go func(w int) { defer wg.Done(); for i := 0; i < ops; i++ { m.Inc(randomKey()) } }(w) */
static void worker(void *arg)
{
	struct worker_args *a = arg;
	struct smap *m = a->m;
	int ops = (int)pattern_param(m->run, "ops");
	for (int i = 0; i < ops; i++) {
		int key = (int)cl_rand_below((uint64_t)m->nkeys);
		inc(m, key);
		m->done[a->id][key]++;
	}
	cl_wg_done(m->wg);
}

static void count_all(struct pattern_run *run, enum locking locking)
{
	struct smap *m = pattern_alloc(run, sizeof *m);
	m->run = run;
	m->locking = locking;
	m->nkeys = (int)pattern_param(run, "keys");
	m->nshards = (int)pattern_param(run, "shards");
	if (locking == ONE_LOCK)
		m->nshards = 1; /* MISTAKE(one-lock): one mutex for the whole map: every worker waits for every other */
	pattern_limit(run, "contended_pct", pattern_param(run, "max-contended"), "%");
	pattern_metric_meaning(run, "contended_pct",
	                       "{value} of the workers' Locks found the mutex held by another "
	                       "worker; with the map split into shards it should stay under {limit}");
	cl_atomic_name(&m->locks, "locks");
	cl_atomic_name(&m->contended, "contended");
	m->shards = pattern_alloc(run, (size_t)m->nshards * sizeof *m->shards);
	for (int i = 0; i < m->nshards; i++) {
		char name[24];   /* "shard-" and any int */
		snprintf(name, sizeof name, m->nshards == 1 ? "map" : "shard-%d", i);
		m->shards[i].mu = cl_mutex_new(name);
		m->shards[i].counts = pattern_alloc(run, (size_t)m->nkeys * sizeof(int));
	}
	int workers = (int)pattern_param(run, "workers");
	m->done = pattern_alloc(run, (size_t)workers * sizeof *m->done);
	m->wg = cl_wg_new("wg");
	cl_wg_add(m->wg, workers);
	for (int w = 0; w < workers; w++) {
		m->done[w] = pattern_alloc(run, (size_t)m->nkeys * sizeof(int));
		struct worker_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct worker_args){m, w};
		cl_go(worker, a, "worker-%d", w);
	}
	cl_wg_wait(m->wg);
	/* Go: after wg.Wait every Inc happened before this read. */
	for (int key = 0; key < m->nkeys; key++) {
		int want = 0;
		for (int w = 0; w < workers; w++)
			want += m->done[w][key];
		int got = cl_rd(shard_of(m, key)->counts[key]);
		if (got != want && locking == PLAIN) {
			/* The race is the verdict; the lost increments are what it did. */
			cl_note("main: user:%d counted %d times, the workers did %d: increments lost",
			        key, got, want);
			break;
		}
		if (got != want) {
			pattern_fail(run, "all-counted", "user:%d counted %d times, the workers did %d",
			             key, got, want);
			break;
		}
	}
	int64_t locks = cl_atomic_load(&m->locks), contended = cl_atomic_load(&m->contended);
	int64_t pct = locks ? contended * 100 / locks : 0;
	pattern_metric(run, "contended_pct", pct);
	cl_note("main: %lld of %lld Locks waited (%lld%%), %d shard%s", (long long)contended,
	        (long long)locks, (long long)pct, m->nshards, m->nshards == 1 ? "" : "s");
}

/* Go: func correct() -- shards by FNV-1a, a mutex each. */
static void sharded_map_correct(struct pattern_run *run)
{
	count_all(run, SHARDED);
}

/* Go: func plainMap() */
static void sharded_map_plain_map(struct pattern_run *run)
{
	count_all(run, PLAIN);
}

/* Go: func oneLock() */
static void sharded_map_one_lock(struct pattern_run *run)
{
	count_all(run, ONE_LOCK);
}

/* Go: func badHash() */
static void sharded_map_bad_hash(struct pattern_run *run)
{
	count_all(run, BAD_HASH);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t41 a sharded concurrent map: a mutex per shard, the shard by an FNV hash",
	"t32 a map used from several goroutines needs a lock",
	"t8 mutexes: contention, and how sharding spreads it",
	NULL,
};

static const struct pattern_param params[] = {
	{"workers", "8", "workers incrementing keys at once", 1, 64, NULL},
	{"ops", "20", "increments each worker makes, of random keys", 1, 10000, NULL},
	{"keys", "64", "distinct keys (user:0 ... user:N-1)", 1, 4096, NULL},
	{"shards", "32", "shards of the map, each with its own mutex", 1, 256, NULL},
	{"max-contended", "30", "most Locks, in percent, that may find their mutex held", 0, 100, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "a shard per hash of the key, a mutex per shard: workers rarely wait for each other",
	 "ok", sharded_map_correct, "sharded_map_correct", 1},
	{"plain-map", "a plain map every worker writes with no lock: a data race", "race",
	 sharded_map_plain_map, "sharded_map_plain_map", 1,
	 .lesson = "every worker increments the same map with no lock; in Go that is a data race "
	           "(a real map can also crash with \"concurrent map writes\"), and increments are "
	           "lost. Guard the map with a mutex, or split it into shards that each have one."},
	{"one-lock", "one mutex for the whole map: correct, but every worker waits for every other",
	 "metric:contended_pct>max-contended", sharded_map_one_lock, "sharded_map_one_lock", 1,
	 .lesson = "a single mutex guards the whole map, so any two workers wait for each other, "
	           "whatever keys they touch: most Locks find it held. Split the map into shards "
	           "chosen by a hash of the key, each with its own mutex, so only workers on the "
	           "same shard contend."},
	{"bad-hash", "shards chosen by the key's first byte: every \"user:\" key lands in one shard",
	 "metric:contended_pct>max-contended", sharded_map_bad_hash, "sharded_map_bad_hash", 1,
	 .lesson = "the shard is chosen by the key's first byte, and every key starts with \"user:\", "
	           "so all of them land in one shard and its mutex is as contended as one lock for "
	           "the whole map. Hash the whole key (FNV-1a, maphash) so keys spread over the "
	           "shards."},
};

const struct pattern pattern_sharded_map = {
	.name = "sharded-map",
	.title = "Sharded map",
	.level = PATTERN_SENIOR,
	.summary = "Workers increment counters in a map they all share. One mutex for the whole "
	           "map is correct but makes every worker wait for every other; splitting the map "
	           "into shards, chosen by a hash of the key, each with its own mutex, means two "
	           "workers contend only when their keys share a shard. The hash must spread the "
	           "keys: one that looks at the first byte puts every \"user:\" key in one shard.",
	.handshake = "A worker hashes its key to pick a shard, locks that shard's mutex, "
	             "increments the key's count, and unlocks. Each count is only ever touched "
	             "under its shard's mutex, and main reads the counts after wg.Wait, when "
	             "every increment has happened before.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/sharded_map.c",
	.go_source = "patterns/go/sharded_map.go",
};
