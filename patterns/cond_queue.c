/*
 * cond_queue.c - a bounded queue on a mutex and one sync.Cond: producers
 * wait while it is full, consumers while it is empty, and whoever changes
 * it wakes the waiters with Broadcast.  Every Wait sits in a for loop that
 * re-checks the condition, because a woken task is only told "something
 * changed", not "it is your turn".  Read it beside patterns/go/cond_queue.go.
 *
 * Checks:
 *   invariant pop-from-empty  a consumer never takes from an empty queue.
 *   invariant all-consumed    every item produced is consumed once.
 */
#include "patterns/pattern.h"

/* Go: type Queue struct { mu sync.Mutex; cond *sync.Cond; buf []int; head, count int; closed bool } */
struct queue {
	struct pattern_run *run;
	cl_mutex *mu;
	cl_cond *cond;              /* one Cond for both "not full" and "not empty" */
	int cap;
	int *buf;                   /* shared, under mu: a ring of cap items */
	cl_shared(int) head;        /* under mu */
	cl_shared(int) count;       /* under mu */
	cl_shared(bool) closed;     /* under mu */
	cl_shared(int) consumed;    /* under mu: items taken, for the check */
	cl_waitgroup *producers, *consumers;
	bool signal_only;           /* variant signal: Signal instead of Broadcast */
};

/* Go: q.cond.Broadcast() -- or, in the signal variant, q.cond.Signal(). */
static void wake(struct queue *q)
{
	if (q->signal_only)
		cl_cond_signal(q->cond); /* MISTAKE(signal): Signal wakes one waiter, maybe of the wrong kind */
	else
		cl_cond_broadcast(q->cond);
}

/* Go: func (q *Queue) Put(v int) -- for q.count == cap { q.cond.Wait() }; append; Broadcast. */
static void put(struct queue *q, int v)
{
	cl_lock(q->mu);
	while (cl_rd(q->count) == q->cap)
		cl_cond_wait(q->cond);
	int tail = (cl_rd(q->head) + cl_rd(q->count)) % q->cap;
	cl_wr(q->buf[tail], v);
	cl_wr(q->count, cl_rd(q->count) + 1);
	wake(q);
	cl_unlock(q->mu);
}

/* Takes the head item; call with mu held.  An empty queue fails the check
 * (and takes nothing: in Go it would read a stale slot or panic on q.buf[0]). */
static bool pop_locked(struct queue *q, int *v)
{
	if (cl_rd(q->count) == 0) {
		pattern_fail(q->run, "pop-from-empty", "task %s woke up, found the queue empty and "
		             "took from it anyway", cl_task_name());
		return false;
	}
	*v = cl_rd(q->buf[cl_rd(q->head)]);
	cl_wr(q->head, (cl_rd(q->head) + 1) % q->cap);
	cl_wr(q->count, cl_rd(q->count) - 1);
	cl_wr(q->consumed, cl_rd(q->consumed) + 1);
	return true;
}

/* Go: func (q *Queue) Get() (int, bool) -- for q.count == 0 && !q.closed { q.cond.Wait() } */
static bool get(struct queue *q, int *v)
{
	cl_lock(q->mu);
	while (cl_rd(q->count) == 0 && !cl_rd(q->closed))
		cl_cond_wait(q->cond);
	bool ok = false;
	if (cl_rd(q->count) > 0 || !cl_rd(q->closed))
		ok = pop_locked(q, v);
	if (ok)
		wake(q);
	bool more = ok || !cl_rd(q->closed);
	cl_unlock(q->mu);
	return more;
}

/* Variant if-wait: the condition is checked once, before Wait. */
static bool get_if(struct queue *q, int *v)
{
	cl_lock(q->mu);
	if (cl_rd(q->count) == 0 && !cl_rd(q->closed)) /* MISTAKE(if-wait): if, not for -- nobody re-checks after Wait */
		cl_cond_wait(q->cond);
	bool ok = false;
	if (cl_rd(q->count) > 0 || !cl_rd(q->closed))
		ok = pop_locked(q, v);
	if (ok)
		wake(q);
	bool more = ok || !cl_rd(q->closed);
	cl_unlock(q->mu);
	return more;
}

struct worker_args {
	struct queue *q;
	int id;
	bool (*get)(struct queue *q, int *v);
};

/* Go: go func(id int) { defer wg.Done(); for i := 0; i < items; i++ { q.Put(id*1000 + i) } }(id) */
static void producer(void *arg)
{
	struct worker_args *a = arg;
	int items = (int)pattern_param(a->q->run, "items");
	for (int i = 0; i < items; i++) {
		cl_sleep(pattern_latency(pattern_param(a->q->run, "work") * CL_MS));
		put(a->q, a->id * 1000 + i);
	}
	cl_wg_done(a->q->producers);
}

/* Go: go func() { defer wg.Done(); for { v, ok := q.Get(); if !ok { return }; use(v) } }() */
static void consumer(void *arg)
{
	struct worker_args *a = arg;
	int v = 0;
	while (a->get(a->q, &v)) {
		cl_note("%s takes %d", cl_task_name(), v);
		cl_sleep(pattern_latency(pattern_param(a->q->run, "work") * CL_MS));
	}
	cl_wg_done(a->q->consumers);
}

static void run_queue(struct pattern_run *run, bool (*get_fn)(struct queue *, int *), bool signal_only)
{
	int np = (int)pattern_param(run, "producers"), nc = (int)pattern_param(run, "consumers");
	struct queue *q = pattern_alloc(run, sizeof *q);
	q->run = run;
	q->mu = cl_mutex_new("mu");
	q->cond = cl_cond_new("cond", q->mu);
	q->cap = (int)pattern_param(run, "cap");
	q->buf = pattern_alloc(run, (size_t)q->cap * sizeof *q->buf);
	q->producers = cl_wg_new("producers");
	q->consumers = cl_wg_new("consumers");
	q->signal_only = signal_only;
	cl_wg_add(q->producers, np);
	cl_wg_add(q->consumers, nc);
	for (int i = 1; i <= nc; i++) {
		struct worker_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct worker_args){q, i, get_fn};
		cl_go(consumer, a, "consumer-%d", i);
	}
	for (int i = 1; i <= np; i++) {
		struct worker_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct worker_args){q, i, get_fn};
		cl_go(producer, a, "producer-%d", i);
	}
	/* Go: producers.Wait(); q.Close() -- closed = true under mu, and wake the consumers */
	cl_wg_wait(q->producers);
	cl_lock(q->mu);
	cl_wr(q->closed, true);
	wake(q);
	cl_unlock(q->mu);
	cl_wg_wait(q->consumers);
	cl_lock(q->mu);
	int consumed = cl_rd(q->consumed);
	cl_unlock(q->mu);
	if (consumed != np * (int)pattern_param(run, "items"))
		pattern_fail(run, "all-consumed", "%d items consumed of %d", consumed,
		             np * (int)pattern_param(run, "items"));
}

/* Go: func correct() */
static void cond_queue_correct(struct pattern_run *run)
{
	run_queue(run, get, false);
}

/* Go: func ifWait() */
static void cond_queue_if_wait(struct pattern_run *run)
{
	run_queue(run, get_if, false);
}

/* Go: func signal() */
static void cond_queue_signal(struct pattern_run *run)
{
	run_queue(run, get, true);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t27 sync.Cond: Wait in a for loop; Signal versus Broadcast",
	"t8 a mutex guards the queue's fields",
	"t11 deadlocks: a lost wake-up",
	NULL,
};

static const struct pattern_param params[] = {
	{"producers", "2", "tasks that put items", 1, 32, NULL},
	{"consumers", "4", "tasks that take items", 1, 32, NULL},
	{"items", "6", "items each producer puts", 1, 1000, NULL},
	{"cap", "2", "the queue's capacity", 1, 64, NULL},
	{"work", "5", "typical time to make or use an item, in ms (long tail)", 0, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "every Wait in a for loop over its condition; Broadcast after every change",
	 "ok", cond_queue_correct, "cond_queue_correct", 1},
	{"if-wait", "if instead of for around Wait: a woken consumer takes from an empty queue",
	 "invariant:pop-from-empty", cond_queue_if_wait, "cond_queue_if_wait", 1,
	 .lesson = "the consumer checks 'queue empty' once and then Waits; when it wakes, another "
	           "consumer may already have taken the item, and it takes from an empty queue. "
	           "Wake-ups are hints: always Wait inside for !condition."},
	{"signal", "Signal where Broadcast is needed: one wake-up reaches the wrong waiter and is lost",
	 "deadlock", cond_queue_signal, "cond_queue_signal", 1,
	 .lesson = "producers and consumers wait on the same Cond, and Signal wakes just one of "
	           "them, perhaps a producer when a consumer should run; the close wakes only one "
	           "consumer. The others sleep forever. With waiters of different kinds, Broadcast."},
};

const struct pattern pattern_cond_queue = {
	.name = "cond-queue",
	.title = "Bounded queue on a sync.Cond",
	.level = PATTERN_SENIOR,
	.summary = "A bounded queue guarded by a mutex, with one Cond on which producers wait while "
	           "it is full and consumers while it is empty. Whoever changes the queue calls "
	           "Broadcast, and every waiter re-checks its own condition in a for loop, because a "
	           "wake-up only says that something changed. Closing the queue sets a flag under "
	           "the mutex and wakes everyone, and consumers return when it is closed and empty.",
	.handshake = "A task locks the mutex and, while its condition does not hold, calls Wait, "
	             "which unlocks, sleeps and locks again before it returns. It changes the queue, "
	             "calls Broadcast, and unlocks. Every woken task checks its condition again and "
	             "either proceeds or waits once more.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/cond_queue.c",
	.go_source = "patterns/go/cond_queue.go",
};
