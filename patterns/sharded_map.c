/*
 * sharded_map.c - a map shared by many workers, split into shards by a hash
 * of the key, each shard with a mutex of its own: two workers wait for each
 * other only when their keys land in the same shard.  The mistakes: a plain
 * map with no lock at all (a data race), one lock for the whole map (every
 * worker waits for every other), and a hash that sends every key to the
 * same shard (one lock again, with extra steps), and an Unlock left in after
 * a deferred one was added (the mutex is unlocked twice: a fatal error that
 * no recover catches).  Read it beside
 * patterns/go/sharded_map.go.
 *
 * Contention is counted the way a mutex profile sees it: a Lock that finds
 * the mutex held by someone else (TryLock fails first) is a contended one.
 * Under det a worker can be switched out at any scheduling point inside its
 * critical section, as a thread can be preempted, so the count is a property
 * of the map's locking, replayable by seed.
 *
 * Under par (two processors or more) a Lock can only find the mutex held
 * by a worker on another CPU, and only while two CPUs run workers at the
 * same instant, which on a shared machine the OS may seldom allow.  So
 * there each worker counts its Locks in chunks of SM_CHUNK increments and
 * keeps a chunk only if a worker on another CPU made progress meanwhile
 * (at least SM_CHUNK / 4 increments; each CPU's progress on a line of its
 * own): contended_pct is then the share among those Locks, what one lock
 * costs when the cores really run in parallel, and overlap_locks says how
 * many there were.
 *
 * Checks:
 *   invariant all-counted  every increment of every worker is in the map.
 *   metric contended_pct   the share of Locks that found the lock held stays low
 *                          (under par: of the Locks made while two CPUs ran workers).
 *   metric overlap_locks   par only, no limit: the Locks made while a worker ran on
 *                          another CPU (few: the machine had no two CPUs free).
 */
#include <sched.h>

#include "patterns/pattern.h"

#define SM_LINE 64
#define SM_CHUNK 64                /* increments per chunk, under par */
#define SM_MAX_CPUS 256

/* A worker's own counts, on a cache line of its own (a worker's counting
 * must not make the workers share a line: under par that alone would cost
 * both the sharded map and one lock alike). */
struct wstats {
	_Alignas(SM_LINE) int64_t locks;   /* Lock calls */
	int64_t contended;                 /* ... of them that found the mutex held */
	int64_t olocks, ocontended;        /* par: the same, in chunks run beside another CPU */
};

/* Par: increments made on each CPU (by whichever worker ran there). */
struct cpu_done {
	_Alignas(SM_LINE) int64_t n;
};

enum locking { SHARDED, PLAIN, ONE_LOCK, BAD_HASH, UNLOCK_TWICE };

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
	int ops;                     /* increments per worker */
	struct shard *shards;
	int *shard_of_key;           /* the hash of each key, computed once (a pure function) */
	int **done;                  /* done[w][key]: worker w's own increments, read by main after Wait */
	struct wstats *stats;        /* stats[w]: worker w's counts, read by main after Wait */
	struct cpu_done *cpu_done;   /* par with 2+ processors: ncpus of them; else NULL */
	int ncpus;                   /* CPUs the machine has (at most SM_MAX_CPUS) */
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

/* Go: func (m *shardedMap) shard(key string) *shard -- the index, for the
 * table of every key's shard built when the map is made. */
static int shard_index(const struct smap *m, int key)
{
	char name[24];
	key_name(key, name, sizeof name);
	if (m->locking == BAD_HASH)
		return (unsigned char)name[0] % m->nshards; /* MISTAKE(bad-hash): the shard from the key's first byte: every "user:" key lands in one shard */
	return (int)(fnv32a(name) % (unsigned)m->nshards);
}

static struct shard *shard_of(struct smap *m, int key)
{
	return &m->shards[m->shard_of_key[key]];
}

/* Go: if !mu.TryLock() { contended++; mu.Lock() } -- Lock, counting the
 * times it has to wait. */
static void lock_counted(struct smap *m, int w, cl_mutex *mu)
{
	struct wstats *st = &m->stats[w];
	st->locks++;
	if (!cl_trylock(mu)) {
		st->contended++;
		cl_lock(mu);
	}
}

/* Go: func (m *shardedMap) Inc(key string) { s := m.shard(key); s.mu.Lock(); s.m[key]++; s.mu.Unlock() } */
static void inc(struct smap *m, int w, int key)
{
	struct shard *s = shard_of(m, key);
	if (m->locking == PLAIN) {
		cl_wr(s->counts[key], cl_rd(s->counts[key]) + 1); /* MISTAKE(plain-map): m[key]++ on a map every worker writes, with no lock */
		return;
	}
	lock_counted(m, w, s->mu);
	cl_wr(s->counts[key], cl_rd(s->counts[key]) + 1);
	if (m->locking == UNLOCK_TWICE) {
		/* Go: defer s.mu.Unlock() was added above; the old Unlock stayed. */
		cl_unlock(s->mu); /* MISTAKE(unlock-twice): the explicit Unlock stayed when defer s.mu.Unlock() was added: the deferred one then unlocks an unlocked mutex */
	}
	cl_unlock(s->mu);
}

/* Par: where a chunk of increments began. */
struct chunk {
	int cpu;                     /* -1: unknown, the chunk does not count */
	int64_t locks, contended;
	int64_t before[SM_MAX_CPUS]; /* each CPU's progress */
};

static void chunk_begin(struct smap *m, struct wstats *st, struct chunk *c)
{
	c->cpu = sched_getcpu();
	c->locks = st->locks;
	c->contended = st->contended;
	for (int k = 0; k < m->ncpus; k++)
		c->before[k] = __atomic_load_n(&m->cpu_done[k].n, __ATOMIC_RELAXED);
}

/* Keeps the chunk's Locks if the worker stayed on its CPU and another CPU
 * did at least a quarter of a chunk meanwhile. */
static void chunk_end(struct smap *m, struct wstats *st, const struct chunk *c)
{
	if (c->cpu < 0 || c->cpu >= m->ncpus || sched_getcpu() != c->cpu)
		return;
	for (int k = 0; k < m->ncpus; k++)
		if (k != c->cpu &&
		    __atomic_load_n(&m->cpu_done[k].n, __ATOMIC_RELAXED) - c->before[k] >= SM_CHUNK / 4) {
			st->olocks += st->locks - c->locks;
			st->ocontended += st->contended - c->contended;
			return;
		}
}

/* Go: go func(w int) { defer wg.Done(); for i := 0; i < ops; i++ { m.Inc(randomKey()) } }(w) */
static void worker(void *arg)
{
	struct worker_args *a = arg;
	struct smap *m = a->m;
	struct wstats *st = &m->stats[a->id];
	struct chunk *c = m->cpu_done ? pattern_alloc(m->run, sizeof *c) : NULL;
	for (int i = 0; i < m->ops; i++) {
		if (c && i % SM_CHUNK == 0)
			chunk_begin(m, st, c);
		int key = (int)cl_rand_below((uint64_t)m->nkeys);
		inc(m, a->id, key);
		m->done[a->id][key]++;
		if (c) {
			int cpu = sched_getcpu();
			if (cpu >= 0 && cpu < m->ncpus)
				__atomic_fetch_add(&m->cpu_done[cpu].n, 1, __ATOMIC_RELAXED);
			if (i % SM_CHUNK == SM_CHUNK - 1 || i == m->ops - 1)
				chunk_end(m, st, c);
		}
	}
	cl_wg_done(m->wg);
}

/* Zeroed memory from the run, aligned to a cache line. */
static void *alloc_lines(struct pattern_run *run, size_t size)
{
	uintptr_t p = (uintptr_t)pattern_alloc(run, size + SM_LINE);
	return (void *)((p + SM_LINE - 1) & ~(uintptr_t)(SM_LINE - 1));
}

static void count_all(struct pattern_run *run, enum locking locking, int ops)
{
	struct smap *m = pattern_alloc(run, sizeof *m);
	m->run = run;
	m->locking = locking;
	m->ops = ops;
	m->nkeys = (int)pattern_param(run, "keys");
	m->nshards = (int)pattern_param(run, "shards");
	if (locking == ONE_LOCK)
		m->nshards = 1; /* MISTAKE(one-lock): one mutex for the whole map: every worker waits for every other */
	pattern_limit(run, "contended_pct", pattern_param(run, "max-contended"), "%");
	if (cl_procs() > 1)
		pattern_metric_meaning(run, "contended_pct",
		                       "{value} of the Locks the workers made while two CPUs ran them "
		                       "found the mutex held by the other; with the map split into shards "
		                       "it should stay under {limit}");
	else
		pattern_metric_meaning(run, "contended_pct",
		                       "{value} of the workers' Locks found the mutex held by another "
		                       "worker; with the map split into shards it should stay under {limit}");
	m->shards = pattern_alloc(run, (size_t)m->nshards * sizeof *m->shards);
	for (int i = 0; i < m->nshards; i++) {
		char name[24];   /* "shard-" and any int */
		snprintf(name, sizeof name, m->nshards == 1 ? "map" : "shard-%d", i);
		m->shards[i].mu = cl_mutex_new(name);
		m->shards[i].counts = pattern_alloc(run, (size_t)m->nkeys * sizeof(int));
	}
	int workers = (int)pattern_param(run, "workers");
	m->shard_of_key = pattern_alloc(run, (size_t)m->nkeys * sizeof *m->shard_of_key);
	for (int key = 0; key < m->nkeys; key++)
		m->shard_of_key[key] = shard_index(m, key);
	m->done = pattern_alloc(run, (size_t)workers * sizeof *m->done);
	m->stats = alloc_lines(run, (size_t)workers * sizeof *m->stats);
	if (cl_procs() > 1) {   /* par with two processors or more */
		long n = sysconf(_SC_NPROCESSORS_CONF);
		m->ncpus = n < 1 ? 1 : n > SM_MAX_CPUS ? SM_MAX_CPUS : (int)n;
		m->cpu_done = alloc_lines(run, (size_t)m->ncpus * sizeof *m->cpu_done);
	}
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
	int64_t locks = 0, contended = 0, olocks = 0, ocontended = 0;
	for (int w = 0; w < workers; w++) {
		locks += m->stats[w].locks;
		contended += m->stats[w].contended;
		olocks += m->stats[w].olocks;
		ocontended += m->stats[w].ocontended;
	}
	int64_t pct = locks ? contended * 100 / locks : 0;
	if (m->cpu_done) {
		/* Par: only what two CPUs did at once counts. */
		int64_t opct = olocks ? ocontended * 100 / olocks : 0;
		pattern_metric(run, "contended_pct", opct);
		pattern_metric(run, "overlap_locks", olocks);
		cl_note("main: %lld of the %lld Locks made while a worker ran on another CPU waited "
		        "(%lld%%; of all %lld Locks, %lld waited), %d shard%s", (long long)ocontended,
		        (long long)olocks, (long long)opct, (long long)locks, (long long)contended,
		        m->nshards, m->nshards == 1 ? "" : "s");
		return;
	}
	pattern_metric(run, "contended_pct", pct);
	cl_note("main: %lld of %lld Locks waited (%lld%%), %d shard%s", (long long)contended,
	        (long long)locks, (long long)pct, m->nshards, m->nshards == 1 ? "" : "s");
}

/* Go: func correct() -- shards by FNV-1a, a mutex each. */
static void sharded_map_correct(struct pattern_run *run)
{
	count_all(run, SHARDED, (int)pattern_param(run, "ops"));
}

/* Go: func plainMap() */
static void sharded_map_plain_map(struct pattern_run *run)
{
	count_all(run, PLAIN, (int)pattern_param(run, "ops"));
}

/* Go: func oneLock() */
static void sharded_map_one_lock(struct pattern_run *run)
{
	count_all(run, ONE_LOCK, (int)pattern_param(run, "ops"));
}

/* Go: func badHash() */
static void sharded_map_bad_hash(struct pattern_run *run)
{
	count_all(run, BAD_HASH, (int)pattern_param(run, "ops"));
}

/* Go: func unlockTwice() */
static void sharded_map_unlock_twice(struct pattern_run *run)
{
	count_all(run, UNLOCK_TWICE, (int)pattern_param(run, "ops"));
}

/* ---- figures: contention under par ---------------------------------------------- */

/* What one figures run measures: a map of the given locking under par. */
struct bench {
	struct pattern_run *run;
	enum locking locking;
	double ns_per_inc;
	int64_t contended_pct;
};

static void bench_main(void *arg)
{
	struct bench *b = arg;
	int ops = (int)pattern_param(b->run, "bench");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);   /* wall time: par runs on real threads */
	count_all(b->run, b->locking, ops);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	b->ns_per_inc = ns / ((double)ops * (double)pattern_param(b->run, "workers"));
	for (int i = 0; i < b->run->nmetrics; i++)
		if (strcmp(b->run->metrics[i].name, "contended_pct") == 0)
			b->contended_pct = b->run->metrics[i].value;
}

/* With --bench N > 0: one lock and the sharded map, N increments per worker,
 * under the par scheduler on every CPU (tracing off): wall-clock ns per
 * increment, their ratio, and the contended share of each.  Not
 * replayable and machine-dependent, so only on request; 0 measures nothing. */
static int sharded_figures(struct pattern_run *run, const struct cl_config *base)
{
	run->nfigures = 0;
	run->nhist = 0;
	if (pattern_param(run, "bench") == 0)
		return 0;
	struct cl_config config = *base;
	config.sinks = NULL;
	config.nsinks = 0;
	config.sched = CL_SCHED_PAR;
	config.strategy = CL_STRATEGY_RANDOM;
	config.race = false;
	config.replay = NULL;
	config.record = NULL;
	config.choose = NULL;
	struct bench b[2] = {{run, ONE_LOCK, 0, 0}, {run, SHARDED, 0, 0}};
	for (int i = 0; i < 2; i++) {
		struct cl_result res;
		int rc = cl_run(bench_main, &b[i], &config, &res);
		bool ok = rc == 0 && res.outcome == CL_OUTCOME_OK;
		cl_result_free(&res);
		if (!ok)
			return -1;
	}
	pattern_figure(run, "ns per increment, one lock", b[0].ns_per_inc, "ns");
	pattern_figure(run, "ns per increment, sharded", b[1].ns_per_inc, "ns");
	pattern_figure(run, "one lock / sharded", b[1].ns_per_inc > 0 ? b[0].ns_per_inc /
	               b[1].ns_per_inc : 0, "x");
	pattern_figure(run, "contended Locks, one lock", (double)b[0].contended_pct, "%");
	pattern_figure(run, "contended Locks, sharded", (double)b[1].contended_pct, "%");
	return 0;
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
	{"ops", "20", "increments each worker makes, of random keys", 1, 1000000, NULL},
	{"keys", "64", "distinct keys (user:0 ... user:N-1)", 1, 4096, NULL},
	{"shards", "32", "shards of the map, each with its own mutex", 1, 256, NULL},
	{"max-contended", "35", "most Locks, in percent, that may find their mutex held", 0, 100, NULL},
	{"bench", "0", "after the run: increments per worker to time one lock against the shards "
	 "under par (0: none)", 0, 10000000, NULL},
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
	{"unlock-twice", "an Unlock left in after defer Unlock was added: the second unlocks an "
	 "unlocked mutex, a fatal error", "fatal", sharded_map_unlock_twice,
	 "sharded_map_unlock_twice", 1,
	 .lesson = "Inc unlocks the shard's mutex itself and then again through the deferred "
	           "Unlock, so the second call unlocks a mutex nobody holds. Go treats that as a "
	           "fatal error, not a panic: no recover catches it and the whole program stops. "
	           "Unlock in exactly one place, best in a defer right after the Lock."},
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
	.figures = sharded_figures,
};
