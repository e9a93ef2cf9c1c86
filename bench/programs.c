/*
 * programs.c - the programs `chanlab bench` measures on the runtime (see
 * programs.h): ping-pong, SPSC, MPMC, select, spawn+join, mutexes, atomic
 * add, a Treiber stack on cl_atomic_cas beside the same stack under a
 * cl_mutex and beside Concurrency Kit's ck_stack on pthreads, blocked tasks
 * (in a forked child, for its peak RSS) and a worker pool.  Each is the
 * same work as its Go counterpart in bench/go/.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/programs.h"

/* ThreadSanitizer cannot see ck's inline-assembly CAS, so it reports the
 * (by design) plain read of a node's next in ck_stack_pop_mpmc: the TSan
 * build leaves ck out. */
#if defined(__SANITIZE_THREAD__)
#define BENCH_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BENCH_TSAN 1
#endif
#endif

#if defined(__has_include) && !defined(BENCH_TSAN)
#if __has_include(<ck_stack.h>)
#include <ck_stack.h>
#define BENCH_HAVE_CK 1
#endif
#endif

#define CACHELINE 64

double bench_now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

void bench_busy_ns(double ns)
{
	double t0 = bench_now_ns();
	while (bench_now_ns() - t0 < ns) {
	}
}

const char *bench_no_ck_reason(void)
{
#ifdef BENCH_TSAN
	return "left out of the ThreadSanitizer build (ck's assembly CAS is invisible to TSan)";
#else
	return "built without Concurrency Kit (ck_stack.h; apt-get install libck-dev)";
#endif
}

bool bench_have_ck(void)
{
#ifdef BENCH_HAVE_CK
	return true;
#else
	return false;
#endif
}

/* What a program reads and writes: main's arg. */
struct bctx {
	long n;                 /* operations (tasks, jobs) */
	int threads;            /* contended programs: tasks at once */
	double ns;              /* out: measured wall time */
	uint64_t ops;           /* out: operations done */

	cl_chan *a, *b;         /* the programs' channels */
	cl_waitgroup *wg, *wg2;
	cl_mutex *mu;
	long counter;           /* mutex_contended's protected counter */
	cl_atomic64 atom;

	/* the stacks: a pool of nodes, one a cache line */
	struct snode *pool;
	cl_atomic64 *lf_head;   /* tagged index: counter << 32 | (node index + 1) */
	long mx_top;            /* mutex stack: node index + 1 of the top (0 = empty) */
	long per_task;          /* push+pop pairs (or lock/unlock) per task */
	long pte_kib;           /* BENCH_BLOCKED: VmPTE with every task started */
	double start[64], end[64];  /* contended rows: when each task began and finished */
	long held;              /* mutex_contended: locks that found the mutex held */
	cl_chan *gate;          /* contended rows: closed once every task is ready */
	const void *pong_thread;   /* pingpong_cross: the OS thread pong last ran on */
	long crossed;           /* pingpong_cross: sampled hand-offs between two OS threads */
	long cross_samples;     /* pingpong_cross: round trips sampled */
	cl_atomic64 woken;      /* wake_latency: set by the woken task */
	double woke_at;         /* wake_latency: when the woken task ran */
	long last_task;         /* switch: the task that yielded last */
	long switches;          /* switch: yields after which the other task ran */
};

/* Which OS thread this is: the address of a thread-local byte, read
 * through a call the compiler cannot fold, because a task may move to
 * another thread between two reads. */
static _Thread_local char thread_marker;
__attribute__((noinline)) static const void *this_thread(void)
{
	const void *p = &thread_marker;
	__asm__ volatile("" : "+r"(p));
	return p;
}

struct snode {
	int64_t next;           /* index + 1 of the next node (0 = none) */
	long value;
	char pad[CACHELINE - sizeof(int64_t) - sizeof(long)];
};

static double overlap(const double *start, const double *end, int n);

/* A worker's own argument: the context and its index. */
struct warg {
	struct bctx *b;
	int index;
};

/* ---- channels ---------------------------------------------------------------------- */

static void pong_task(void *arg)
{
	struct bctx *b = arg;
	int v;
	while (cl_recv(b->a, &v))
		cl_send(b->b, &v);
}

static void prog_pingpong(void *arg)
{
	struct bctx *b = arg;
	double t0 = bench_now_ns();
	b->a = cl_make("ping", int, 0);
	b->b = cl_make("pong", int, 0);
	cl_go(pong_task, b, "pong");
	for (long i = 0; i < b->n; i++) {
		int v = (int)i;
		cl_send(b->a, &v);
		cl_recv(b->b, &v);
	}
	cl_close(b->a);
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)b->n;
}

static void drain_task(void *arg)
{
	struct bctx *b = arg;
	int v;
	while (cl_recv(b->a, &v)) {
	}
	cl_wg_done(b->wg);
}

static void prog_spsc(void *arg)
{
	struct bctx *b = arg;
	double t0 = bench_now_ns();
	b->a = cl_make("items", int, 128);
	b->wg = cl_wg_new("done");
	cl_wg_add(b->wg, 1);
	cl_go(drain_task, b, "consumer");
	for (long i = 0; i < b->n; i++) {
		int v = (int)i;
		cl_send(b->a, &v);
	}
	cl_close(b->a);
	cl_wg_wait(b->wg);
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)b->n;
}

static void producer_task(void *arg)
{
	struct bctx *b = arg;
	for (long i = 0; i < b->per_task; i++) {
		int v = (int)i;
		cl_send(b->a, &v);
	}
	cl_wg_done(b->wg2);
}

static void prog_mpmc4x4(void *arg)
{
	struct bctx *b = arg;
	double t0 = bench_now_ns();
	b->per_task = b->n / 4;
	b->a = cl_make("items", int, 64);
	b->wg = cl_wg_new("consumers");
	b->wg2 = cl_wg_new("producers");
	cl_wg_add(b->wg, 4);
	for (int c = 0; c < 4; c++)
		cl_go(drain_task, b, "consumer-%d", c);
	cl_wg_add(b->wg2, 4);
	for (int p = 0; p < 4; p++)
		cl_go(producer_task, b, "producer-%d", p);
	cl_wg_wait(b->wg2);
	cl_close(b->a);
	cl_wg_wait(b->wg);
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)b->per_task * 4;
}

static void prog_select2(void *arg)
{
	struct bctx *b = arg;
	double t0 = bench_now_ns();
	cl_chan *a = cl_make("a", int, 1), *c = cl_make("c", int, 1);
	int v = 0;
	struct cl_case cases[2] = {CL_RECV_CASE(a, &v), CL_RECV_CASE(c, &v)};
	for (long i = 0; i < b->n; i++) {
		int x = (int)i;
		cl_send(i & 1 ? c : a, &x);
		cl_select(cases, 2);
	}
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)b->n;
}

/* ---- tasks and sync ------------------------------------------------------------------- */

static void wg_done_task(void *arg)
{
	cl_wg_done(arg);
}

static void prog_spawn_join(void *arg)
{
	struct bctx *b = arg;
	double t0 = bench_now_ns();
	cl_waitgroup *wg = cl_wg_new("wg");
	for (long i = 0; i < b->n; i++) {
		cl_wg_add(wg, 1);
		cl_go(wg_done_task, wg, "t");
		cl_wg_wait(wg);
	}
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)b->n;
}

static void prog_mutex_uncontended(void *arg)
{
	struct bctx *b = arg;
	double t0 = bench_now_ns();
	cl_mutex *mu = cl_mutex_new("mu");
	for (long i = 0; i < b->n; i++) {
		cl_lock(mu);
		cl_unlock(mu);
	}
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)b->n;
}

static void locker_task(void *arg)
{
	struct warg *w = arg;
	struct bctx *b = w->b;
	long held = 0;
	cl_recv(b->gate, NULL);   /* every locker starts at once */
	b->start[w->index] = bench_now_ns();
	for (long i = 0; i < b->per_task; i++) {
		bench_busy_ns(MUTEX_OUTSIDE_NS);
		/* Lock's fast path is one CAS, as trylock's: a failed trylock is
		 * a Lock that found the mutex held. */
		if (!cl_trylock(b->mu)) {
			held++;
			cl_lock(b->mu);
		}
		b->counter++;
		bench_busy_ns(MUTEX_HOLD_NS);
		cl_unlock(b->mu);
	}
	cl_lock(b->mu);
	b->held += held;
	cl_unlock(b->mu);
	b->end[w->index] = bench_now_ns();
	cl_wg_done(b->wg);
}

/* Starts b->threads copies of fn (each with its own warg) and waits for them. */
static void run_workers(struct bctx *b, void (*fn)(void *), const char *name)
{
	struct warg *args = calloc((size_t)b->threads, sizeof *args);
	if (!args)
		cl_panic("bench: out of memory");
	b->wg = cl_wg_new("workers");
	cl_wg_add(b->wg, b->threads);
	for (int t = 0; t < b->threads; t++) {
		args[t] = (struct warg){b, t};
		cl_go(fn, &args[t], "%s-%d", name, t);
	}
	if (b->gate)
		cl_close(b->gate);
	cl_wg_wait(b->wg);
	free(args);
}

static void prog_mutex_contended(void *arg)
{
	struct bctx *b = arg;
	double t0 = bench_now_ns();
	b->per_task = b->n / b->threads;
	b->mu = cl_mutex_new("mu");
	b->gate = cl_chan_make("gate", 0, 0);
	run_workers(b, locker_task, "locker");
	if (b->counter != b->per_task * b->threads)
		cl_panic("bench: mutex_contended counted %ld, expected %ld", b->counter,
		         b->per_task * b->threads);
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)(b->per_task * b->threads);
}

static void prog_atomic_add(void *arg)
{
	struct bctx *b = arg;
	double t0 = bench_now_ns();
	for (long i = 0; i < b->n; i++)
		cl_atomic_add(&b->atom, 1);
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)b->n;
	if (cl_atomic_load(&b->atom) != b->n)
		cl_panic("bench: atomic_add lost adds");
}

/* ---- the stacks --------------------------------------------------------------------------- */

/* Treiber's stack over the node pool: the head is one 64-bit word holding
 * the top node's index + 1 (low 32 bits, 0 = empty) and a counter bumped by
 * every successful CAS (high 32 bits), so a node popped and pushed back
 * between a pop's load and its CAS changes the word: no ABA. */
#define LF_INDEX(w) ((uint32_t)((uint64_t)(w) & 0xffffffffu))
#define LF_TAG(w) ((uint32_t)((uint64_t)(w) >> 32))
#define LF_WORD(tag, index) ((int64_t)(((uint64_t)(tag) << 32) | (uint64_t)(index)))

static void lf_push(struct bctx *b, long node)
{
	for (;;) {
		int64_t old = cl_atomic_load(b->lf_head);
		__atomic_store_n(&b->pool[node].next, (int64_t)LF_INDEX(old), __ATOMIC_RELAXED);
		if (cl_atomic_cas(b->lf_head, old, LF_WORD(LF_TAG(old) + 1, (uint32_t)node + 1)))
			return;
	}
}

static long lf_pop(struct bctx *b)
{
	for (;;) {
		int64_t old = cl_atomic_load(b->lf_head);
		uint32_t top = LF_INDEX(old);
		if (!top)
			return -1;
		int64_t next = __atomic_load_n(&b->pool[top - 1].next, __ATOMIC_RELAXED);
		if (cl_atomic_cas(b->lf_head, old, LF_WORD(LF_TAG(old) + 1, (uint32_t)next)))
			return (long)top - 1;
	}
}

static void lf_task(void *arg)
{
	struct warg *w = arg;
	struct bctx *b = w->b;
	long node = w->index;   /* each task starts owning one node */
	b->start[w->index] = bench_now_ns();
	for (long i = 0; i < b->per_task; i++) {
		lf_push(b, node);
		while ((node = lf_pop(b)) < 0) {   /* never empty: each pop follows its own push */
		}
	}
	b->end[w->index] = bench_now_ns();
	lf_push(b, node);   /* give the node back, for the check at the end */
	cl_wg_done(b->wg);
}

static void mx_task(void *arg)
{
	struct warg *w = arg;
	struct bctx *b = w->b;
	long node = w->index;
	b->start[w->index] = bench_now_ns();
	for (long i = 0; i < b->per_task; i++) {
		cl_lock(b->mu);
		b->pool[node].next = b->mx_top;
		b->mx_top = node + 1;
		cl_unlock(b->mu);
		cl_lock(b->mu);
		node = b->mx_top - 1;
		b->mx_top = b->pool[node].next;
		cl_unlock(b->mu);
	}
	b->end[w->index] = bench_now_ns();
	cl_lock(b->mu);     /* give the node back, for the check at the end */
	b->pool[node].next = b->mx_top;
	b->mx_top = node + 1;
	cl_unlock(b->mu);
	cl_wg_done(b->wg);
}

static struct snode *pool_new(int n)
{
	struct snode *pool = aligned_alloc(CACHELINE, sizeof *pool * (size_t)n);
	if (pool)
		memset(pool, 0, sizeof *pool * (size_t)n);
	return pool;
}

static void prog_stack(struct bctx *b, bool lockfree)
{
	double t0 = bench_now_ns();
	b->per_task = b->n / b->threads;
	b->pool = pool_new(b->threads);
	/* the head on a cache line of its own, away from the nodes */
	cl_atomic64 *head = aligned_alloc(CACHELINE, CACHELINE);
	if (!b->pool || !head)
		cl_panic("bench: out of memory");
	head->v = 0;
	b->lf_head = head;
	b->mu = cl_mutex_new("stack");
	run_workers(b, lockfree ? lf_task : mx_task, lockfree ? "pusher" : "locker");
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)(b->per_task * b->threads);
	/* every node is back on the stack exactly once */
	long count = 0;
	if (lockfree) {
		while (lf_pop(b) >= 0)
			count++;
	} else {
		for (long top = b->mx_top; top; top = b->pool[top - 1].next)
			count++;
	}
	free(head);
	free(b->pool);
	if (count != b->threads)
		cl_panic("bench: stack holds %ld nodes at the end, expected %d", count, b->threads);
}

static void prog_stack_lockfree(void *arg)
{
	prog_stack(arg, true);
}

static void prog_stack_mutex(void *arg)
{
	prog_stack(arg, false);
}

/* ---- blocked tasks and the worker pool --------------------------------------------------- */

/* The process's page tables (VmPTE in /proc/self/status), KiB; 0 if
 * unknown.  Peak RSS leaves them out, and a million reserved stacks need
 * many: memory per task counts both. */
static long vm_pte_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	long kib = 0;
	char line[128];
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmPTE: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

static void blocked_task(void *arg)
{
	struct bctx *b = arg;
	cl_wg_done(b->wg2);       /* ready */
	cl_recv(b->a, NULL);      /* blocks on the gate */
	cl_wg_done(b->wg);
}

static void prog_blocked(void *arg)
{
	struct bctx *b = arg;
	double t0 = bench_now_ns();
	b->a = cl_chan_make("gate", 0, 0);
	b->wg = cl_wg_new("done");
	b->wg2 = cl_wg_new("ready");
	cl_wg_add(b->wg, (int)b->n);
	cl_wg_add(b->wg2, (int)b->n);
	for (long i = 0; i < b->n; i++)
		cl_go(blocked_task, b, "w");
	cl_wg_wait(b->wg2);       /* every task has started and is about to block */
	b->pte_kib = vm_pte_kib();   /* the page tables of every stack, at their peak */
	cl_close(b->a);
	cl_wg_wait(b->wg);
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)b->n;
}

/* A small job: a few rounds of xorshift (the same as bench/go/workerpool). */
static uint64_t small_job(uint64_t j)
{
	uint64_t x = j * 2654435761u + 1;
	for (int i = 0; i < 4; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

static void pool_worker(void *arg)
{
	struct bctx *b = arg;
	uint64_t j;
	while (cl_recv(b->a, &j)) {
		uint64_t r = small_job(j);
		cl_send(b->b, &r);
	}
	cl_wg_done(b->wg);
}

static void pool_producer(void *arg)
{
	struct bctx *b = arg;
	for (long i = 0; i < b->n; i++) {
		uint64_t j = (uint64_t)i;
		cl_send(b->a, &j);
	}
	cl_close(b->a);
}

static void pool_closer(void *arg)
{
	struct bctx *b = arg;
	cl_wg_wait(b->wg);
	cl_close(b->b);
}

#define POOL_WORKERS 8

static void prog_workerpool(void *arg)
{
	struct bctx *b = arg;
	double t0 = bench_now_ns();
	b->a = cl_make("jobs", uint64_t, 128);
	b->b = cl_make("results", uint64_t, 128);
	b->wg = cl_wg_new("workers");
	cl_wg_add(b->wg, POOL_WORKERS);
	for (int w = 0; w < POOL_WORKERS; w++)
		cl_go(pool_worker, b, "worker-%d", w);
	cl_go(pool_producer, b, "producer");
	cl_go(pool_closer, b, "closer");
	uint64_t r, sum = 0;
	long count = 0;
	while (cl_recv(b->b, &r)) {
		sum += r;
		count++;
	}
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)count;
	b->counter = (long)(sum & 0xffff);
	if (count != b->n)
		cl_panic("bench: worker pool returned %ld results for %ld jobs", count, b->n);
}

/* ---- Concurrency Kit ----------------------------------------------------------------------- */

#ifdef BENCH_HAVE_CK
struct ck_arg {
	ck_stack_t *stack;
	long pairs;
	double start, end;
};

static void *ck_worker(void *arg)
{
	struct ck_arg *a = arg;
	ck_stack_entry_t *e = aligned_alloc(CACHELINE, CACHELINE);
	if (!e)
		return NULL;
	a->start = bench_now_ns();
	for (long i = 0; i < a->pairs; i++) {
		ck_stack_push_mpmc(a->stack, e);
		while (!(e = ck_stack_pop_mpmc(a->stack))) {
		}
	}
	a->end = bench_now_ns();
	free(e);
	return a;
}

static int run_ck(long n, int threads, struct bench_sample *out, char *err, size_t errsize)
{
	static ck_stack_t stack CK_CC_CACHELINE = CK_STACK_INITIALIZER;
	pthread_t tid[64];
	struct ck_arg arg[64];
	if (threads > 64)
		threads = 64;
	double t0 = bench_now_ns();
	int started = 0;
	for (; started < threads; started++) {
		arg[started] = (struct ck_arg){&stack, n / threads, 0, 0};
		if (pthread_create(&tid[started], NULL, ck_worker, &arg[started]) != 0)
			break;
	}
	bool ok = started == threads;
	for (int i = 0; i < started; i++) {
		void *r;
		pthread_join(tid[i], &r);
		ok = ok && r;
	}
	out->ns = bench_now_ns() - t0;
	out->ops = (uint64_t)(arg[0].pairs * threads);
	if (ok) {
		double start[64], end[64];
		for (int i = 0; i < threads; i++) {
			start[i] = arg[i].start;
			end[i] = arg[i].end;
		}
		out->overlap = overlap(start, end, threads);
	}
	if (!ok) {
		snprintf(err, errsize, "stack_ck: cannot start %d threads", threads);
		return -1;
	}
	/* leave the stack empty for the next sample */
	while (ck_stack_pop_mpmc(&stack)) {
	}
	return 0;
}
#else
static int run_ck(long n, int threads, struct bench_sample *out, char *err, size_t errsize)
{
	(void)n;
	(void)threads;
	(void)out;
	snprintf(err, errsize, "%s", bench_no_ck_reason());
	return -1;
}
#endif

/* The share of the tasks' whole span during which all of them were running:
 * 1 when they ran side by side, 0 when one after the other. */
static double overlap(const double *start, const double *end, int n)
{
	if (n > 64)
		n = 64;
	double first = start[0], last = end[0], latest_start = start[0], earliest_end = end[0];
	for (int i = 1; i < n; i++) {
		first = start[i] < first ? start[i] : first;
		last = end[i] > last ? end[i] : last;
		latest_start = start[i] > latest_start ? start[i] : latest_start;
		earliest_end = end[i] < earliest_end ? end[i] : earliest_end;
	}
	if (last <= first || earliest_end <= latest_start)
		return 0;
	return (earliest_end - latest_start) / (last - first);
}

/* ---- honest rows ------------------------------------------------------------------------ */

/* pingpong_2p's receive: polls the channel (a select with a default) up
 * to CROSS_POLLS times before it blocks, so each side stays on its own
 * processor while the other side works and a value crosses between the
 * two OS threads; a plain blocking receive would park the receiver, and the
 * sender's processor would run it next (runnext), the pair on one thread.
 * The blocking fallback (about 100 us of polls) keeps a side whose partner
 * lost its core from burning its own.  bench/go's recvSpin is the same. */
#define CROSS_POLLS 4096

/* The round trips whose threads are compared: a line written by both sides
 * on every round trip would cross the cores once more per op, which Go's
 * timed counterpart (BenchmarkPingPongCross) does not pay. */
#define CROSS_SAMPLE_EVERY 64

static bool recv_spin(cl_chan *c, int *v)
{
	struct cl_case cases[1] = {CL_RECV_CASE(c, v)};
	for (int i = 0; i < CROSS_POLLS; i++)
		if (cl_select_default(cases, 1) == 0)
			return cases[0].ok;
	return cl_recv(c, v);
}

static void pong_cross_task(void *arg)
{
	struct bctx *b = arg;
	int v;
	while (recv_spin(b->a, &v)) {
		if (v % CROSS_SAMPLE_EVERY == 0)
			b->pong_thread = this_thread();
		cl_send(b->b, &v);
	}
}

/* Ping-pong between two tasks that poll their channels (capacity 1, so a
 * send never blocks), one hand-off each way per op; counts the round trips
 * whose two sides ran on different OS threads (pong's write of pong_thread
 * happens before ping's read: the send orders it), every
 * CROSS_SAMPLE_EVERY-th of them. */
static void prog_pingpong_cross(void *arg)
{
	struct bctx *b = arg;
	b->a = cl_make("ping", int, 1);
	b->b = cl_make("pong", int, 1);
	cl_go(pong_cross_task, b, "pong");
	double t0 = bench_now_ns();
	for (long i = 0; i < b->n; i++) {
		int v = (int)i;
		cl_send(b->a, &v);
		recv_spin(b->b, &v);
		if (i % CROSS_SAMPLE_EVERY == 0) {
			b->crossed += b->pong_thread != this_thread();
			b->cross_samples++;
		}
	}
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)b->n;
	cl_close(b->a);
}

static void woken_task(void *arg)
{
	struct bctx *b = arg;
	int v;
	while (cl_recv(b->a, &v)) {
		b->woke_at = bench_now_ns();
		cl_atomic_store(&b->woken, 1);
	}
}

/* The waker sends to a parked task and keeps computing (reading the clock,
 * never a scheduling point) until the woken task has run or 5 ms passed;
 * the figure is the mean time from the send to the woken task running. */
static void prog_wake_latency(void *arg)
{
	struct bctx *b = arg;
	b->a = cl_make("wake", int, 1);
	cl_go(woken_task, b, "woken");
	double total = 0, t0 = bench_now_ns();
	for (long i = 0; i < b->n; i++) {
		int v = (int)i;
		cl_atomic_store(&b->woken, 0);
		double sent = bench_now_ns();
		cl_send(b->a, &v);
		while (!cl_atomic_load(&b->woken) && bench_now_ns() - sent < 5e6) {
		}
		if (!cl_atomic_load(&b->woken)) {
			cl_yield();   /* let it run here, then charge the whole wait */
			while (!cl_atomic_load(&b->woken))
				cl_yield();
		}
		total += b->woke_at - sent;
	}
	cl_close(b->a);
	(void)t0;
	b->ns = total;
	b->ops = (uint64_t)b->n;
}

static void switch_task(void *arg)
{
	struct bctx *b = arg;
	for (long i = 0; i < b->n; i++) {
		b->switches += b->last_task != 2;
		b->last_task = 2;
		cl_yield();
	}
}

/* Two tasks yielding; a yield counts as a switch when the other task is the
 * one that ran next, so the figure is per real switch, not per decision. */
static void prog_switch(void *arg)
{
	struct bctx *b = arg;
	cl_go(switch_task, b, "yielder");
	double t0 = bench_now_ns();
	for (long i = 0; i < b->n; i++) {
		b->switches += b->last_task != 1;
		b->last_task = 1;
		cl_yield();
	}
	b->ns = bench_now_ns() - t0;
	b->ops = (uint64_t)(b->switches > 0 ? b->switches : 1);
}

/* ---- running ------------------------------------------------------------------------------- */

static void (*const programs[])(void *) = {
	[BENCH_PINGPONG] = prog_pingpong,
	[BENCH_SPSC] = prog_spsc,
	[BENCH_MPMC4X4] = prog_mpmc4x4,
	[BENCH_SELECT2] = prog_select2,
	[BENCH_SPAWN_JOIN] = prog_spawn_join,
	[BENCH_MUTEX_UNCONTENDED] = prog_mutex_uncontended,
	[BENCH_MUTEX_CONTENDED] = prog_mutex_contended,
	[BENCH_ATOMIC_ADD] = prog_atomic_add,
	[BENCH_STACK_LOCKFREE] = prog_stack_lockfree,
	[BENCH_STACK_MUTEX] = prog_stack_mutex,
	[BENCH_STACK_CK] = NULL,
	[BENCH_BLOCKED] = prog_blocked,
	[BENCH_WORKERPOOL] = prog_workerpool,
	[BENCH_PINGPONG_CROSS] = prog_pingpong_cross,
	[BENCH_WAKE_LATENCY] = prog_wake_latency,
	[BENCH_SWITCH] = prog_switch,
};

static void config_for(const struct bench_env *env, struct cl_config *cfg)
{
	cl_config_init(cfg);
	cfg->sched = env->sched;
	cfg->procs = env->procs;
	cfg->max_steps = 0;                  /* no step limit */
	cfg->livelock_steps = 0;             /* lock and yield loops deliver no messages */
}

int bench_rt_run(enum bench_prog prog, long n, const struct bench_env *env,
                     struct bench_sample *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof *out);
	int threads = env->threads > 0 ? env->threads : 2;
	if (threads > 64)
		threads = 64;
	out->overlap = -1;
	out->held = -1;
	out->cross = -1;
	if (prog == BENCH_STACK_CK) {
		out->procs = threads;
		return run_ck(n, threads, out, err, errsize);
	}
	struct bctx *b = aligned_alloc(CACHELINE, (sizeof(struct bctx) + CACHELINE - 1) / CACHELINE * CACHELINE);
	if (!b) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	memset(b, 0, sizeof *b);
	b->n = n;
	b->threads = threads;
	struct cl_config cfg;
	config_for(env, &cfg);
	struct cl_result res;
	int rc = 0;
	if (cl_run(programs[prog], b, &cfg, &res) != 0) {
		snprintf(err, errsize, "the runtime could not start: %s", res.report ? res.report : "?");
		rc = -1;
	} else if (res.outcome != CL_OUTCOME_OK) {
		const char *r = res.outcome == CL_OUTCOME_PANIC ? res.panic_msg
		                : res.report ? res.report : cl_outcome_name(res.outcome);
		snprintf(err, errsize, "run ended in %s: %.*s", cl_outcome_name(res.outcome),
		         (int)strcspn(r, "\n"), r);
		rc = -1;
	} else {
		out->ns = b->ns;
		out->ops = b->ops;
		out->pte_kib = b->pte_kib;
		out->parks = res.proc_parks;
		out->wakes = res.proc_wakes;
		out->procs = res.procs;
		out->overlap = -1;
		if (prog == BENCH_MUTEX_CONTENDED || prog == BENCH_STACK_LOCKFREE ||
		    prog == BENCH_STACK_MUTEX)
			out->overlap = overlap(b->start, b->end, threads);
		if (prog == BENCH_MUTEX_CONTENDED)
			out->held = b->ops ? (double)b->held / (double)b->ops : 0;
		if (prog == BENCH_PINGPONG_CROSS)
			out->cross = b->cross_samples ? (double)b->crossed / (double)b->cross_samples : 0;
	}
	cl_result_free(&res);
	free(b);
	return rc;
}

int bench_rt_run_child(enum bench_prog prog, long n, const struct bench_env *env,
                           struct bench_sample *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof *out);
	int fds[2];
	if (pipe(fds) != 0) {
		snprintf(err, errsize, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		snprintf(err, errsize, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		struct {
			struct bench_sample s;
			int rc;
			char err[200];
		} msg;
		memset(&msg, 0, sizeof msg);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		long before = ru.ru_maxrss;    /* KiB on Linux */
		msg.rc = bench_rt_run(prog, n, env, &msg.s, msg.err, sizeof msg.err);
		getrusage(RUSAGE_SELF, &ru);
		long grown = ru.ru_maxrss - before;
		/* per task: peak RSS growth and the page tables (VmHWM + VmPTE) */
		msg.s.kib_per_task = n > 0 ? (double)(grown + msg.s.pte_kib) / (double)n : 0;
		msg.s.rss_mib = (double)grown / 1024.0;
		ssize_t w = write(fds[1], &msg, sizeof msg);
		_exit(w == (ssize_t)sizeof msg ? 0 : 1);
	}
	close(fds[1]);
	struct {
		struct bench_sample s;
		int rc;
		char err[200];
	} msg;
	size_t got = 0;
	while (got < sizeof msg) {
		ssize_t r = read(fds[0], (char *)&msg + got, sizeof msg - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fds[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
	if (got != sizeof msg) {
		if (WIFSIGNALED(status))
			snprintf(err, errsize, "the measuring child was killed by signal %d",
			         WTERMSIG(status));
		else
			snprintf(err, errsize, "the measuring child exited with status %d",
			         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	if (msg.rc != 0) {
		msg.err[sizeof msg.err - 1] = '\0';
		snprintf(err, errsize, "%s", msg.err);
		return -1;
	}
	*out = msg.s;
	return 0;
}

static void nothing_main(void *arg)
{
	(void)arg;
}

bool bench_par_available(int procs, char *why, size_t whysize)
{
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.sched = CL_SCHED_PAR;
	cfg.procs = procs;
	struct cl_result res;
	bool ok = cl_run(nothing_main, NULL, &cfg, &res) == 0;
	if (!ok)
		snprintf(why, whysize, "%s", res.report ? res.report : "cl_run refused the par scheduler");
	cl_result_free(&res);
	return ok;
}
