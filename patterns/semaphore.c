/*
 * semaphore.c - limiting concurrency with a semaphore: a task per job, but
 * at most `limit` of them work at once.  The semaphore is a buffered
 * channel of capacity limit (sending a token takes a slot, receiving it
 * gives the slot back), or the weighted semaphore of golang.org/x/sync
 * (cl_sema).  Read it beside patterns/go/semaphore.go.
 *
 * The weighted semaphore serves Acquire(n) in FIFO order: a large request
 * at the head of the queue makes every later request wait, even a small
 * one that would fit.  That keeps a batch job from starving, and it is why
 * a task must never acquire more while it holds units (nested-acquire).
 *
 * Checks:
 *   metric running   the most tasks inside their work at once stays within limit.
 *   metric units     weighted-batch forms: the most units held at once stays within limit.
 *   invariant all-done  every task's result is there when wg.Wait returns.
 */
#include "patterns/pattern.h"

/* What the tasks share: Go's closure variables. */
struct jobs {
	struct pattern_run *run;
	cl_chan *sem;             /* chan struct{} with capacity limit */
	cl_sema *weighted;        /* the weighted form only */
	cl_waitgroup *wg;
	cl_atomic64 running;      /* tasks inside their work right now */
	cl_atomic64 units;        /* weighted-batch forms: units held right now */
	int limit;
	int *results;             /* shared: results[i], task i's answer, read by main after Wait */
};

struct task_args {
	struct jobs *j;
	int i;
};

/* Go: func fetch(i int) int -- the work the limit protects. */
static int fetch(struct jobs *j, int i)
{
	int64_t now = cl_atomic_add(&j->running, 1);
	pattern_metric_max(j->run, "running", now);
	cl_note("task %d works (%lld running)", i, (long long)now);
	cl_sleep(pattern_latency(pattern_param(j->run, "work") * CL_MS));
	cl_atomic_add(&j->running, -1);
	return i * i;
}

static void wg_done(void *wg)
{
	cl_wg_done(wg);
}

/* Go: defer func() { <-sem }() -- release the slot. */
static void release(void *sem)
{
	cl_recv(sem, NULL);
}

/* Go: go func(i int) { defer wg.Done(); sem <- struct{}{}; defer func() { <-sem }(); results[i] = fetch(i) }(i) */
static void task(void *arg)
{
	struct task_args *a = arg;
	struct jobs *j = a->j;
	cl_defer(wg_done, j->wg);
	char token = 0;
	cl_send(j->sem, &token);      /* acquire: blocks while limit tasks hold a slot */
	cl_defer(release, j->sem);
	cl_wr(j->results[a->i], fetch(j, a->i));
}

/* Variant forgotten-release: the slot is never given back. */
static void task_forgotten_release(void *arg)
{
	struct task_args *a = arg;
	struct jobs *j = a->j;
	cl_defer(wg_done, j->wg);
	char token = 0;
	cl_send(j->sem, &token);
	/* MISTAKE(forgotten-release): no defer func() { <-sem }() -- every slot stays taken */
	cl_wr(j->results[a->i], fetch(j, a->i));
}

/* Variant acquire-late: the task does its work before it takes a slot. */
static void task_acquire_late(void *arg)
{
	struct task_args *a = arg;
	struct jobs *j = a->j;
	cl_defer(wg_done, j->wg);
	int r = fetch(j, a->i); /* MISTAKE(acquire-late): the work runs before sem <- struct{}{} */
	char token = 0;
	cl_send(j->sem, &token);
	cl_defer(release, j->sem);
	cl_wr(j->results[a->i], r);
}

/* Go: defer sem.Release(1) */
static void release_weighted(void *sem)
{
	cl_sema_release(sem, 1);
}

/* Go: if err := sem.Acquire(ctx, 1); err != nil { return }; defer sem.Release(1) */
static void task_weighted(void *arg)
{
	struct task_args *a = arg;
	struct jobs *j = a->j;
	cl_defer(wg_done, j->wg);
	cl_sema_acquire(j->weighted, 1);
	cl_defer(release_weighted, j->weighted);
	cl_wr(j->results[a->i], fetch(j, a->i));
}

/* Go: func weight(i int) int64 -- one job in four is a batch that needs
 * every unit; the others are two steps (fetch, then store) of one unit each,
 * both held at once. */
static bool is_batch(int i)
{
	return i % 4 == 3;
}

static int64_t weight_of(const struct jobs *j, int i)
{
	return is_batch(i) ? j->limit : j->limit < 2 ? j->limit : 2;   /* --limit 1: one unit */
}

/* Go: sem.Acquire(ctx, n), and count the units held. */
static void take(struct jobs *j, int64_t n)
{
	cl_sema_acquire(j->weighted, n);
	pattern_metric_max(j->run, "units", cl_atomic_add(&j->units, n));
}

/* Go: sem.Release(n) */
static void give(struct jobs *j, int64_t n)
{
	cl_atomic_add(&j->units, -n);
	cl_sema_release(j->weighted, n);
}

/* Go: func store(i int) -- the second step of a small job. */
static void store(struct jobs *j, int i, int r)
{
	cl_sleep(pattern_latency(pattern_param(j->run, "work") * CL_MS));
	cl_wr(j->results[i], r);
}

/* Go: w := weight(i); sem.Acquire(ctx, w); defer sem.Release(w); ... --
 * the whole weight in one request. */
static void task_weighted_batch(void *arg)
{
	struct task_args *a = arg;
	struct jobs *j = a->j;
	cl_defer(wg_done, j->wg);
	int64_t w = weight_of(j, a->i);
	take(j, w);
	cl_note("task %d holds %lld units", a->i, (long long)w);
	int r = fetch(j, a->i);
	if (is_batch(a->i))
		cl_wr(j->results[a->i], r);   /* a batch stores as part of its work */
	else
		store(j, a->i, r);
	give(j, w);
}

/* Variant nested-acquire: a small job takes a unit per step, the second
 * while it holds the first. */
static void task_nested_acquire(void *arg)
{
	struct task_args *a = arg;
	struct jobs *j = a->j;
	cl_defer(wg_done, j->wg);
	if (is_batch(a->i)) {
		take(j, j->limit);
		cl_wr(j->results[a->i], fetch(j, a->i));
		give(j, j->limit);
		return;
	}
	take(j, 1);   /* Go: sem.Acquire(ctx, 1) for the fetch */
	int r = fetch(j, a->i);
	take(j, 1); /* MISTAKE(nested-acquire): a second Acquire while holding a unit queues behind a waiting batch */
	store(j, a->i, r);
	give(j, 2);
}

/* Go: func fetchAll(n int) []int -- a task per job, wg.Wait, then check. */
static void fetch_all(struct pattern_run *run, void (*fn)(void *))
{
	int n = (int)pattern_param(run, "tasks");
	int limit = (int)pattern_param(run, "limit");
	pattern_limit(run, "running", limit, "");
	struct jobs *j = pattern_alloc(run, sizeof *j);
	j->run = run;
	j->limit = limit;
	/* Go: sem := make(chan struct{}, limit) */
	j->sem = cl_make("sem", char, (size_t)limit);
	j->weighted = cl_sema_new("weighted", limit);
	j->wg = cl_wg_new("wg");
	j->results = pattern_alloc(run, (size_t)n * sizeof *j->results);
	for (int i = 0; i < n; i++) {
		struct task_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct task_args){j, i};
		/* Go: wg.Add(1); go func(i int) {...}(i) */
		cl_wg_add(j->wg, 1);
		cl_go(fn, a, "task-%d", i);
	}
	cl_wg_wait(j->wg);
	for (int i = 0; i < n; i++)
		if (cl_rd(j->results[i]) != i * i) {
			pattern_fail(run, "all-done", "task %d's result is missing", i);
			return;
		}
	cl_note("main has all %d results", n);
}

/* Go: func correct() */
static void semaphore_correct(struct pattern_run *run)
{
	fetch_all(run, task);
}

/* Go: func forgottenRelease() */
static void semaphore_forgotten_release(struct pattern_run *run)
{
	fetch_all(run, task_forgotten_release);
}

/* Go: func acquireLate() */
static void semaphore_acquire_late(struct pattern_run *run)
{
	fetch_all(run, task_acquire_late);
}

/* Go: func weighted() -- golang.org/x/sync/semaphore.NewWeighted(limit) */
static void semaphore_weighted(struct pattern_run *run)
{
	fetch_all(run, task_weighted);
}

/* Go: func weightedBatch() -- small two-step jobs and batch jobs. */
static void semaphore_weighted_batch(struct pattern_run *run)
{
	pattern_limit(run, "units", pattern_param(run, "limit"), "");
	fetch_all(run, task_weighted_batch);
}

/* Go: func nestedAcquire() */
static void semaphore_nested_acquire(struct pattern_run *run)
{
	pattern_limit(run, "units", pattern_param(run, "limit"), "");
	fetch_all(run, task_nested_acquire);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t20 a buffered channel as a semaphore",
	"t42 the kth receive from a channel of capacity C happens before the (k+C)th send completes",
	"t9 WaitGroup: Add before go, Done deferred",
	"t20 the weighted semaphore: Acquire(n) waits in FIFO order",
	"t11 deadlocks: holding one resource while waiting for another",
	NULL,
};

static const struct pattern_param params[] = {
	{"tasks", "12", "tasks started, one per job", 1, 1000, NULL},
	{"limit", "3", "most tasks allowed to work at once", 1, 64, NULL},
	{"work", "10", "typical time a job takes, in ms (long tail)", 0, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "acquire a slot first, release it with a defer: at most limit tasks work at once",
	 "ok", semaphore_correct, "semaphore_correct", 1},
	{"forgotten-release", "a slot that is never given back: after limit tasks, everyone waits",
	 "deadlock", semaphore_forgotten_release, "semaphore_forgotten_release", 1,
	 .lesson = "no task gives its slot back, so once limit tasks have run the others wait for "
	           "a slot forever and main waits for them. Release right after acquiring, with a "
	           "defer, so every path out of the task gives the slot back."},
	{"acquire-late", "a task that works before it acquires: the semaphore limits nothing",
	 "metric:running>limit", semaphore_acquire_late, "semaphore_acquire_late", 1,
	 .lesson = "the task does its work first and takes a slot only to store the result, so "
	           "every task works at once. Acquire before the work the limit is for."},
	{"weighted", "the weighted semaphore of golang.org/x/sync: Acquire(ctx, 1), defer Release(1)",
	 "ok", semaphore_weighted, "semaphore_weighted", 1},
	{"weighted-batch", "jobs of different weights: each acquires its whole weight at once; FIFO "
	 "lets a batch that needs every unit in", "ok", semaphore_weighted_batch,
	 "semaphore_weighted_batch", 1},
	{"nested-acquire", "a job that acquires a second unit while it holds one: behind a waiting "
	 "batch, it waits forever", "deadlock", semaphore_nested_acquire, "semaphore_nested_acquire", 1,
	 .lesson = "each small job holds a unit while it asks for a second one. The weighted "
	           "semaphore serves requests in order, so once a batch job waits at the head for "
	           "every unit, the second request waits behind it, even with a unit free, and the "
	           "batch waits for the units the small jobs hold. Acquire a job's whole weight in "
	           "one call, or release before acquiring again."},
};

const struct pattern pattern_semaphore = {
	.name = "semaphore",
	.title = "Semaphore limiting concurrency",
	.level = PATTERN_JUNIOR,
	.summary = "A task per job, but at most limit of them at work at once. The semaphore is a "
	           "buffered channel of capacity limit: a task sends a token to take a slot (blocking "
	           "while every slot is taken) and receives it back, in a defer, to give the slot up. "
	           "The weighted semaphore of golang.org/x/sync does the same with Acquire and "
	           "Release, and lets a job take more than one slot; it serves requests in FIFO "
	           "order, so a large request at the head holds back later small ones, and a job "
	           "that acquires again while it holds units can wait forever.",
	.handshake = "A task sends a token into sem before its work; the send blocks while the "
	             "channel is full. When it is done, its deferred receive takes a token out, and "
	             "a waiting task's send goes through. main waits for every task on a wait group "
	             "and then reads the results.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/semaphore.c",
	.go_source = "patterns/go/semaphore.go",
};
