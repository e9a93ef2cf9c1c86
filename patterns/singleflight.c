/*
 * singleflight.c - a cache that fetches each key once, however many callers
 * ask for it at the same time (golang.org/x/sync/singleflight's idea).
 * Under the lock, a caller finds the value cached, or a call in flight for
 * its key (it waits for that call's done channel), or nothing: then it
 * registers its own call, unlocks, fetches, stores the value, and closes
 * done.  The lock is never held during the fetch.  Read it beside
 * patterns/go/singleflight.go.
 *
 * Checks:
 *   metric fetches       fetches made: one per key.
 *   metric lock_wait_us  the longest a caller waited for the lock (virtual
 *                        time passes only while someone sleeps holding it).
 *   invariant right-value  every caller gets its key's value.
 */
#include "patterns/pattern.h"

#define SF_MAX_KEYS 16

/* Go: type call struct { done chan struct{}; val int } */
struct call {
	cl_chan *done;             /* closed when val is set */
	cl_shared(int) val;
};

/* Go: type Cache struct { mu sync.Mutex; vals map[int]int; calls map[int]*call } */
struct cache {
	struct pattern_run *run;
	cl_mutex *mu;
	cl_shared(int) vals[SF_MAX_KEYS];             /* 0: not cached */
	cl_shared(struct call *) calls[SF_MAX_KEYS];  /* NULL: no call in flight */
	cl_waitgroup *wg;
};

struct caller_args {
	struct cache *c;
	int id;
};

static int value_of(int key)
{
	return 100 + key;
}

/* Go: func fetch(key int) int -- the slow call the cache saves. */
static int fetch(struct cache *c, int key)
{
	pattern_metric_add(c->run, "fetches", 1);
	cl_note("%s fetches key %d", cl_task_name(), key);
	cl_sleep(pattern_latency(pattern_param(c->run, "work") * CL_MS));
	return value_of(key);
}

/* Go: mu.Lock(), measuring how long it took. */
static void lock_timed(struct cache *c)
{
	cl_time t0 = cl_now();
	cl_lock(c->mu);
	pattern_metric_max(c->run, "lock_wait_us", (cl_now() - t0) / CL_US);
}

/* Go: func (c *Cache) Get(key int) int */
static int get(struct cache *c, int key)
{
	lock_timed(c);
	int v = cl_rd(c->vals[key]);
	if (v) {
		cl_unlock(c->mu);
		return v;
	}
	struct call *inflight = cl_rd(c->calls[key]);
	if (inflight) {
		/* Go: mu.Unlock(); <-call.done; return call.val */
		cl_unlock(c->mu);
		cl_recv(inflight->done, NULL);
		return cl_rd(inflight->val);
	}
	/* Go: call := &call{done: make(chan struct{})}; c.calls[key] = call; mu.Unlock() */
	struct call *mine = pattern_alloc(c->run, sizeof *mine);
	mine->done = cl_make("done", char, 0);
	cl_wr(c->calls[key], mine);
	cl_unlock(c->mu);
	cl_wr(mine->val, fetch(c, key));
	lock_timed(c);
	cl_wr(c->vals[key], cl_rd(mine->val));
	cl_wr(c->calls[key], NULL);
	cl_unlock(c->mu);
	cl_close(mine->done);
	return cl_rd(mine->val);
}

/* Variant unlocked-check: a "fast path" that reads the cache without the lock. */
static int get_unlocked_check(struct cache *c, int key)
{
	int v = cl_rd(c->vals[key]); /* MISTAKE(unlocked-check): reads vals[key] without mu: races with the write under it */
	if (v)
		return v;
	return get(c, key);
}

/* Variant no-inflight: callers check under the lock but do not mark the key in flight. */
static int get_no_inflight(struct cache *c, int key)
{
	lock_timed(c);
	int v = cl_rd(c->vals[key]);
	cl_unlock(c->mu);
	if (v)
		return v;
	v = fetch(c, key); /* MISTAKE(no-inflight): no call registered: every caller that missed fetches too */
	lock_timed(c);
	cl_wr(c->vals[key], v);
	cl_unlock(c->mu);
	return v;
}

/* Variant lock-during-fetch: the fetch runs with mu held. */
static int get_lock_during_fetch(struct cache *c, int key)
{
	lock_timed(c);
	int v = cl_rd(c->vals[key]);
	if (!v) {
		v = fetch(c, key); /* MISTAKE(lock-during-fetch): the slow call with mu held: every caller waits, whatever its key */
		cl_wr(c->vals[key], v);
	}
	cl_unlock(c->mu);
	return v;
}

static int (*const getters[])(struct cache *, int) = {get, get_unlocked_check, get_no_inflight,
                                                        get_lock_during_fetch};
enum getter { GET, GET_UNLOCKED_CHECK, GET_NO_INFLIGHT, GET_LOCK_DURING_FETCH };

struct run_args {
	struct caller_args a;
	enum getter how;
};

/* Go: go func(id int) { defer wg.Done(); time.Sleep(arrival); v := c.Get(id % keys); check(v) }(id) */
static void caller(void *arg)
{
	struct run_args *r = arg;
	struct cache *c = r->a.c;
	int keys = (int)pattern_param(c->run, "keys");
	int key = r->a.id % keys;
	cl_sleep(pattern_latency(pattern_param(c->run, "work") * CL_MS / 2));   /* callers arrive at random */
	int v = getters[r->how](c, key);
	cl_note("%s has key %d = %d", cl_task_name(), key, v);
	if (v != value_of(key))
		pattern_fail(c->run, "right-value", "caller %d got %d for key %d, want %d", r->a.id, v, key,
		             value_of(key));
	cl_wg_done(c->wg);
}

static void serve(struct pattern_run *run, enum getter how)
{
	int keys = (int)pattern_param(run, "keys"), callers = (int)pattern_param(run, "callers");
	pattern_limit(run, "fetches", keys, "");
	pattern_limit(run, "lock_wait_us", 0, "us");
	pattern_metric(run, "lock_wait_us", 0);
	struct cache *c = pattern_alloc(run, sizeof *c);
	c->run = run;
	c->mu = cl_mutex_new("mu");
	c->wg = cl_wg_new("wg");
	cl_wg_add(c->wg, callers);
	for (int i = 0; i < callers; i++) {
		struct run_args *r = pattern_alloc(run, sizeof *r);
		*r = (struct run_args){{c, i}, how};
		cl_go(caller, r, "caller-%d", i);
	}
	cl_wg_wait(c->wg);
}

/* Go: func correct() */
static void singleflight_correct(struct pattern_run *run)
{
	serve(run, GET);
}

/* Go: func unlockedCheck() */
static void singleflight_unlocked_check(struct pattern_run *run)
{
	serve(run, GET_UNLOCKED_CHECK);
}

/* Go: func noInflight() */
static void singleflight_no_inflight(struct pattern_run *run)
{
	serve(run, GET_NO_INFLIGHT);
}

/* Go: func lockDuringFetch() */
static void singleflight_lock_during_fetch(struct pattern_run *run)
{
	serve(run, GET_LOCK_DURING_FETCH);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t30 check-then-act (TOCTOU): check and act under one lock",
	"t36 the lock held during I/O",
	"t24 close(done) as a broadcast to every waiting caller",
	NULL,
};

static const struct pattern_param params[] = {
	{"callers", "8", "callers asking at about the same time", 1, 64, NULL},
	{"keys", "2", "distinct keys (caller i asks for key i % keys)", 1, SF_MAX_KEYS, NULL},
	{"work", "10", "typical time of one fetch, in ms (long tail)", 0, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "check, and register the call in flight, under the lock; fetch without it",
	 "ok", singleflight_correct, "singleflight_correct", 1},
	{"unlocked-check", "a fast path that reads the cache without the lock: a data race",
	 "race", singleflight_unlocked_check, "singleflight_unlocked_check", 1,
	 .lesson = "the fast path reads vals[key] without the mutex while another caller writes it "
	           "under the mutex: the read is not ordered after the write, a data race. Check "
	           "under the same lock that guards the write."},
	{"no-inflight", "callers that miss all fetch: nothing says a fetch is already in flight",
	 "metric:fetches>keys", singleflight_no_inflight, "singleflight_no_inflight", 1,
	 .lesson = "the check is under the lock, but nothing records that a fetch has started, so "
	           "every caller that missed before the first fetch ended fetches again. Register "
	           "the call in flight under the lock and let the others wait for it."},
	{"lock-during-fetch", "the fetch runs with the lock held: every caller waits, whatever its key",
	 "metric:lock_wait_us>0", singleflight_lock_during_fetch, "singleflight_lock_during_fetch", 1,
	 .lesson = "holding the mutex during the slow fetch makes each key's fetch wait for every "
	           "other, and even cached keys wait. Hold the lock only to look and to store."},
};

const struct pattern pattern_singleflight = {
	.name = "singleflight",
	.title = "Single flight: fetch each key once",
	.level = PATTERN_SENIOR,
	.summary = "A cache that fetches each key once, however many callers ask for it at the "
	           "same time, as golang.org/x/sync/singleflight does. Under the lock a caller finds "
	           "the value cached, or a call in flight for its key, whose done channel it waits "
	           "on, or nothing: then it registers its own call, unlocks, fetches, stores the "
	           "value and closes done, which wakes every caller waiting for that key.",
	.handshake = "Check and act happen under one lock: looking up the value, looking up the call "
	             "in flight, and registering a new call. The fetch runs without the lock. The "
	             "fetcher stores the value under the lock and then closes done; a waiter's "
	             "receive returns after the close, so it sees the value.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/singleflight.c",
	.go_source = "patterns/go/singleflight.go",
};
