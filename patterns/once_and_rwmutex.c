/*
 * once_and_rwmutex.c - a lazily loaded settings table: sync.Once loads the
 * defaults the first time anyone asks, however many ask at once, and a
 * sync.RWMutex lets many readers look up settings together while a writer
 * that adds a missing one has the table to itself.  Two deadlocks: calling
 * Do from inside the function Do is running, and "upgrading" a read lock by
 * calling Lock while still holding RLock.  Read it beside
 * patterns/go/once_and_rwmutex.go.
 *
 * Checks:
 *   invariant loaded-once  the defaults are loaded exactly once.
 *   invariant has-value    every reader finds its setting.
 */
#include "patterns/pattern.h"

#define OR_KEYS 8

/* Go: type Settings struct { once sync.Once; mu sync.RWMutex; vals map[int]int } */
struct settings {
	struct pattern_run *run;
	cl_once *once;
	cl_rwmutex *mu;
	cl_shared(int) vals[OR_KEYS];     /* under mu; 0: missing */
	cl_atomic64 loads;
	bool recursive_load;              /* variant once-recursive */
	cl_waitgroup *wg;
};

static int get(struct settings *s, int key);

/* Go: func (s *Settings) load() -- the defaults: even keys. */
static void load(void *arg)
{
	struct settings *s = arg;
	cl_atomic_add(&s->loads, 1);
	cl_note("%s loads the defaults", cl_task_name());
	cl_sleep(pattern_latency(pattern_param(s->run, "work") * CL_MS));
	cl_wlock(s->mu);
	for (int k = 0; k < OR_KEYS; k += 2)
		cl_wr(s->vals[k], 100 + k);
	cl_wunlock(s->mu);
}

/* Variant once-recursive: load logs a default through get, which calls Do again. */
static void load_recursive(void *arg)
{
	struct settings *s = arg;
	load(arg);
	cl_note("%s checks a default it loaded", cl_task_name());
	get(s, 0); /* MISTAKE(once-recursive): get calls once.Do, from inside the Do still running */
}

/* Go: func (s *Settings) Get(key int) int -- s.once.Do(s.load); RLock; look; RUnlock */
static int get(struct settings *s, int key)
{
	cl_once_do(s->once, s->recursive_load ? load_recursive : load, s);
	cl_rlock(s->mu);
	int v = cl_rd(s->vals[key]);
	cl_runlock(s->mu);
	return v;
}

/* Go: func (s *Settings) GetOrSet(key, def int) int -- look under RLock; if missing,
 * release it, then Lock and check again before setting. */
static int get_or_set(struct settings *s, int key, int def)
{
	int v = get(s, key);
	if (v)
		return v;
	cl_wlock(s->mu);
	v = cl_rd(s->vals[key]);     /* again: another writer may have set it meanwhile */
	if (!v) {
		v = def;
		cl_wr(s->vals[key], v);
	}
	cl_wunlock(s->mu);
	return v;
}

/* Variant rlock-upgrade: Lock while still holding RLock. */
static int get_or_set_upgrade(struct settings *s, int key, int def)
{
	cl_once_do(s->once, load, s);
	cl_rlock(s->mu);
	int v = cl_rd(s->vals[key]);
	if (!v) {
		cl_wlock(s->mu); /* MISTAKE(rlock-upgrade): Lock while holding RLock: it waits for every reader, itself included */
		v = def;
		cl_wr(s->vals[key], v);
		cl_wunlock(s->mu);
	}
	cl_runlock(s->mu);
	return v;
}

struct reader_args {
	struct settings *s;
	int key;
	int (*get_or_set)(struct settings *, int, int);
};

/* Go: go func(key int) { defer wg.Done(); v := s.GetOrSet(key, 200+key); check(v) }(key) */
static void reader(void *arg)
{
	struct reader_args *a = arg;
	struct settings *s = a->s;
	cl_sleep(pattern_latency(pattern_param(s->run, "work") * CL_MS / 2));
	int v = a->get_or_set(s, a->key, 200 + a->key);
	cl_note("%s: setting %d = %d", cl_task_name(), a->key, v);
	if (v == 0)
		pattern_fail(s->run, "has-value", "setting %d has no value", a->key);
	cl_wg_done(s->wg);
}

static void run_settings(struct pattern_run *run, int (*gos)(struct settings *, int, int),
                         bool recursive_load)
{
	int readers = (int)pattern_param(run, "readers");
	struct settings *s = pattern_alloc(run, sizeof *s);
	s->run = run;
	s->once = cl_once_new("once");
	s->mu = cl_rwmutex_new("mu");
	s->recursive_load = recursive_load;
	s->wg = cl_wg_new("wg");
	cl_wg_add(s->wg, readers);
	for (int i = 0; i < readers; i++) {
		struct reader_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct reader_args){s, i % OR_KEYS, gos};
		cl_go(reader, a, "reader-%d", i);
	}
	cl_wg_wait(s->wg);
	int64_t loads = cl_atomic_load(&s->loads);
	if (loads != 1)
		pattern_fail(run, "loaded-once", "the defaults were loaded %lld times", (long long)loads);
}

/* Go: func correct() */
static void once_and_rwmutex_correct(struct pattern_run *run)
{
	run_settings(run, get_or_set, false);
}

/* Go: func onceRecursive() */
static void once_and_rwmutex_once_recursive(struct pattern_run *run)
{
	run_settings(run, get_or_set, true);
}

/* Go: func rlockUpgrade() */
static void once_and_rwmutex_rlock_upgrade(struct pattern_run *run)
{
	run_settings(run, get_or_set_upgrade, false);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t10 sync.Once: exactly once, and every caller waits for it",
	"t8 sync.RWMutex: many readers or one writer; no upgrade from RLock to Lock",
	"t11 deadlocks: waiting for yourself",
	NULL,
};

static const struct pattern_param params[] = {
	{"readers", "6", "tasks looking up (and adding) settings", 1, 64, NULL},
	{"work", "5", "typical time to load the defaults, in ms (long tail)", 0, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "once.Do loads the defaults; a missing setting: RUnlock, then Lock and check again",
	 "ok", once_and_rwmutex_correct, "once_and_rwmutex_correct", 1},
	{"once-recursive", "Do called from inside the function Do is running: it waits for itself",
	 "deadlock", once_and_rwmutex_once_recursive, "once_and_rwmutex_once_recursive", 1,
	 .lesson = "once.Do holds the Once until its function returns, and every other call waits "
	           "for that; calling Do again from inside the function waits for itself. Keep the "
	           "function passed to Do from calling anything that calls Do."},
	{"rlock-upgrade", "Lock while holding RLock: the writer waits for every reader, itself too",
	 "deadlock", once_and_rwmutex_rlock_upgrade, "once_and_rwmutex_rlock_upgrade", 1,
	 .lesson = "an RWMutex cannot be upgraded: Lock waits until no reader holds it, and this "
	           "reader still does. RUnlock first, then Lock, and check again, since the state "
	           "may have changed in between."},
};

const struct pattern pattern_once_and_rwmutex = {
	.name = "once-and-rwmutex",
	.title = "sync.Once and sync.RWMutex",
	.level = PATTERN_MIDDLE,
	.summary = "A lazily loaded settings table. sync.Once loads the defaults the first time "
	           "anyone asks, however many ask at once: one caller runs the load and the others "
	           "wait for it to finish. A sync.RWMutex lets readers look up settings together, and "
	           "a reader that finds a setting missing releases its read lock, takes the write "
	           "lock, checks again and adds it.",
	.handshake = "once.Do(load) returns to every caller only after load has returned, so the "
	             "defaults are there. RLock admits any number of readers; Lock waits until every "
	             "reader has called RUnlock and then excludes everyone. Nobody holds RLock while "
	             "asking for Lock.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/once_and_rwmutex.c",
	.go_source = "patterns/go/once_and_rwmutex.go",
};
