/*
 * gmp.c - Go's G/M/P model shown on the par scheduler: tasks (G) queued on
 * processors (P), each processor held by an OS thread (M).  main starts
 * CPU-bound tasks, which all land in the run queue of main's processor;
 * the idle processors steal half of that queue each (the trace's `steal`
 * events, "stolen: P1 took 4 tasks from P0's run queue"), so every
 * processor computes.  Each event of a par trace ends with the processor it
 * ran on ([P0], [P1]).  Read it beside patterns/go/gmp.go.
 *
 * Par only (PATTERN_SCHED_PAR): det has one thread, nothing to steal.
 *
 * Checks:
 *   metric idle_procs  processors that never computed while the others did:
 *                      the processors minus the most tasks computing at once.
 */
#include "patterns/pattern.h"

struct gmp {
	struct pattern_run *run;
	cl_waitgroup *wg;
	cl_mutex *mu;              /* global-lock's one lock around every job */
	cl_atomic64 running;       /* tasks computing right now */
	int64_t peak;              /* the most at once (kept with bare atomics, untraced:
	                              the trace already shows running's every change) */
	cl_time work;
};

/* CPU-bound work: a loop with no scheduling point, as a Go loop that only
 * computes.  The task keeps its processor until it is done. */
static void compute(cl_time d)
{
	cl_time end = cl_now() + d;
	uint64_t x = 0;
	while (cl_now() < end)
		for (int i = 0; i < 1000; i++) {
			x += (uint64_t)i * 7;
			__asm__ volatile("" : "+r"(x));   /* the compiler may not fold the loop away */
		}
}

/* The job: count ourselves in, compute, count ourselves out. */
static void job(struct gmp *g)
{
	int64_t now = cl_atomic_add(&g->running, 1);
	int64_t seen = __atomic_load_n(&g->peak, __ATOMIC_RELAXED);
	while (now > seen && !__atomic_compare_exchange_n(&g->peak, &seen, now, false,
	                                                  __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	compute(g->work);
	cl_atomic_add(&g->running, -1);
}

/* Go: go func() { defer wg.Done(); job() }() */
static void worker(void *arg)
{
	struct gmp *g = arg;
	job(g);
	cl_wg_done(g->wg);
}

/* Variant global-lock's worker: the whole job under one mutex. */
static void worker_locked(void *arg)
{
	struct gmp *g = arg;
	cl_lock(g->mu);
	job(g); /* MISTAKE(global-lock): the whole job under one mutex: processors steal the tasks, but one computes at a time */
	cl_unlock(g->mu);
	cl_wg_done(g->wg);
}

static struct gmp *setup(struct pattern_run *run)
{
	struct gmp *g = pattern_alloc(run, sizeof *g);
	g->run = run;
	g->wg = cl_wg_new("wg");
	g->mu = cl_mutex_new("mu");
	cl_atomic_name(&g->running, "running");
	g->work = pattern_param(run, "work") * CL_MS;
	pattern_limit(run, "idle_procs", 0, "");
	pattern_metric_meaning(run, "idle_procs",
	                       "{value} processor(s) never computed while another did: the work ran "
	                       "on fewer processors than GOMAXPROCS; every processor should ({limit} idle)");
	return g;
}

/* Tasks to start: the parameter, or four per processor (0). */
static int ntasks(struct pattern_run *run)
{
	long n = pattern_param(run, "tasks");
	return n ? (int)n : 4 * cl_procs();
}

static void finish(struct pattern_run *run, struct gmp *g)
{
	int procs = cl_procs();
	int64_t peak = __atomic_load_n(&g->peak, __ATOMIC_RELAXED);   /* every task is done */
	cl_note("%lld of %d processors computed at once", (long long)peak, procs);
	pattern_metric(run, "idle_procs", procs - peak > 0 ? procs - peak : 0);
}

/* Go: func correct(): start every task, then wait for them all. */
static void gmp_correct(struct pattern_run *run)
{
	struct gmp *g = setup(run);
	int n = ntasks(run);
	cl_wg_add(g->wg, n);
	for (int i = 0; i < n; i++)
		cl_go(worker, g, "task-%d", i);
	cl_wg_wait(g->wg);
	finish(run, g);
}

/* Go: func globalLock() */
static void gmp_global_lock(struct pattern_run *run)
{
	struct gmp *g = setup(run);
	int n = ntasks(run);
	cl_wg_add(g->wg, n);
	for (int i = 0; i < n; i++)
		cl_go(worker_locked, g, "task-%d", i);
	cl_wg_wait(g->wg);
	finish(run, g);
}

/* Go: func oneAtATime() */
static void gmp_one_at_a_time(struct pattern_run *run)
{
	struct gmp *g = setup(run);
	int n = ntasks(run);
	for (int i = 0; i < n; i++) {
		cl_wg_add(g->wg, 1);
		cl_go(worker, g, "task-%d", i);
		cl_wg_wait(g->wg); /* MISTAKE(one-at-a-time): waits for each task before starting the next: never two runnable, nothing to steal */
	}
	finish(run, g);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t1 Go's GMP model: goroutines (G), OS threads (M), processors (P)",
	"t2 work stealing: an idle P takes half of another P's run queue",
	"t25 GOMAXPROCS: how many Ps run Go code at once",
	"t40 GOMAXPROCS=1: one P, no parallelism (and still races)",
	NULL,
};

static const struct pattern_param params[] = {
	{"tasks", "0", "CPU-bound tasks to start (0: four per processor)", 0, 1024, NULL},
	{"work", "5", "milliseconds of computing per task, without a scheduling point", 1, 1000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "start every task, then wait: idle processors steal work and all of them compute",
	 "ok", gmp_correct, "gmp_correct", 1},
	{"global-lock", "one mutex around every job: the tasks spread over processors, the work does not",
	 "metric:idle_procs>0", gmp_global_lock, "gmp_global_lock", 1,
	 .lesson = "every job holds the same mutex while it computes, so although the idle "
	           "processors steal the tasks, only the one holding the lock computes and the "
	           "others wait for it. Lock only the shared state, for as short a time as you can; "
	           "independent work needs no lock."},
	{"one-at-a-time", "wait for each task before starting the next: nothing is ever queued to steal",
	 "metric:idle_procs>0", gmp_one_at_a_time, "gmp_one_at_a_time", 1,
	 .lesson = "main waits for each task before it starts the next, so there is never more than "
	           "one runnable task and the idle processors find nothing to steal: the program "
	           "runs on one processor. Start all the tasks, then wait for them all."},
};

const struct pattern pattern_gmp = {
	.name = "gmp",
	.title = "G, M and P: tasks, threads, processors and work stealing",
	.level = PATTERN_SENIOR,
	.summary = "Go runs goroutines (G) on OS threads (M), and a thread must hold a processor (P) "
	           "to run Go code; GOMAXPROCS sets how many processors there are. Each processor "
	           "has a local run queue: a task started with go lands in the queue of the processor "
	           "that started it. An idle processor steals half of another's queue, so all of them "
	           "compute without a central lock. Par only (--procs sets GOMAXPROCS): the trace names the processor of every event and shows "
	           "each steal; with --procs 1 nothing is stolen and no variant can fail.",
	.handshake = "main starts the tasks, which queue up on main's processor. An idle processor "
	             "wakes, takes half of that queue, and runs the first task it took; the others "
	             "do the same. main's wait on the WaitGroup returns when every task has called "
	             "Done, on whichever processor it ran.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/gmp.c",
	.go_source = "patterns/go/gmp.go",
	.sched = PATTERN_SCHED_PAR,
};
