/*
 * false_sharing.c - counters that share a cache line slow each other down
 * although no two tasks touch the same counter.  A core must own a line
 * to write it, so two cores writing one line pass it back and forth on
 * every increment.  One worker per processor increments its own counter
 * (an atomic add, as Go's atomic.AddInt64) --iters times; main first times
 * the same increments alone, and the metric is how much slower the
 * workers were.  The fix pads each counter to a 64-byte line of its own.
 * Read it beside patterns/go/false_sharing.go.
 *
 * Par only (PATTERN_SCHED_PAR): under det the tasks take turns on one
 * thread, and a line that only one core writes is never shared.  With
 * --procs 1, or on a machine too busy to run the workers at the same time,
 * no variant slows down.
 *
 * Checks:
 *   metric slowdown_pct  the slowest worker's time per increment, as a
 *                        percentage of one increment alone (CPU time: time
 *                        the OS gives other programs does not count).
 *   metric cpu_share_pct the least CPU time a worker got, as a percentage of
 *                        its wall time (no limit: under 80 the workers may
 *                        not have run at the same time; a note says so).
 */
#include "patterns/pattern.h"

#define FS_MAX_WORKERS 64
#define FS_LINE 64

/* Go: type padded struct { n int64; _ [56]byte } */
struct padded {
	_Alignas(FS_LINE) int64_t n;
};

struct counters {
	struct padded padded[FS_MAX_WORKERS];     /* correct: a line each */
	_Alignas(FS_LINE) int64_t packed[FS_MAX_WORKERS];  /* shared-line: eight to a line */
	_Alignas(FS_LINE) int64_t one;             /* one-counter: everybody's */
};

struct sharing {
	struct pattern_run *run;
	struct counters *c;
	cl_chan *start;            /* closed when every worker is ready */
	cl_waitgroup *ready, *wg;
	long iters;
	int workers;
	int64_t *(*counter_of)(struct counters *c, int i);
	int64_t worst_ps;          /* the slowest worker's picoseconds per increment */
	int64_t least_share;       /* the least CPU time a worker got, % of its wall time */
};

struct worker_args {
	struct sharing *sh;
	int i;
};

static int64_t *own_line(struct counters *c, int i)
{
	return &c->padded[i].n;
}

static int64_t *same_line(struct counters *c, int i)
{
	return &c->packed[i]; /* MISTAKE(shared-line): adjacent int64s: up to eight workers' counters on one 64-byte line */
}

static int64_t *same_counter(struct counters *c, int i)
{
	(void)i;
	return &c->one; /* MISTAKE(one-counter): one counter for every worker: the line is truly shared, each add waits for it */
}

/* This thread's CPU time: the loop below has no scheduling point, so the
 * task stays on one thread, and time the OS gives other programs (a busy
 * machine) is not counted. */
static cl_time thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (cl_time)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The increments: bare atomics (the runtime's would trace each one and time
 * the tracer instead).  Returns the CPU nanoseconds they took. */
static cl_time increment(int64_t *counter, long iters)
{
	cl_time t0 = thread_cpu_ns();
	for (long k = 0; k < iters; k++)
		__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
	return thread_cpu_ns() - t0;
}

/* Go: go func(i int) { defer wg.Done(); ready.Done(); <-start; time the adds }(i) */
static void worker(void *arg)
{
	struct worker_args *w = arg;
	struct sharing *sh = w->sh;
	int64_t *counter = sh->counter_of(sh->c, w->i);
	cl_wg_done(sh->ready);
	cl_recv(sh->start, NULL);
	cl_time wall0 = cl_now();
	cl_time took = increment(counter, sh->iters);
	cl_time wall = cl_now() - wall0;
	int64_t share = wall > 0 ? took * 100 / wall : 100, least;
	least = __atomic_load_n(&sh->least_share, __ATOMIC_RELAXED);
	while (share < least && !__atomic_compare_exchange_n(&sh->least_share, &least, share, false,
	                                                     __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	double ns = (double)took / (double)sh->iters;
	cl_note("%s: %.1f ns per increment", cl_task_name(), ns);
	int64_t ps = (int64_t)(ns * 1000), seen = __atomic_load_n(&sh->worst_ps, __ATOMIC_RELAXED);
	while (ps > seen && !__atomic_compare_exchange_n(&sh->worst_ps, &seen, ps, false,
	                                                 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	cl_wg_done(sh->wg);
}

static void serve(struct pattern_run *run, int64_t *(*counter_of)(struct counters *, int))
{
	struct sharing *sh = pattern_alloc(run, sizeof *sh);
	sh->run = run;
	sh->c = pattern_alloc(run, sizeof *sh->c + FS_LINE);
	/* pattern_alloc aligns for malloc, not for a cache line: round up. */
	sh->c = (struct counters *)(((uintptr_t)sh->c + FS_LINE - 1) & ~(uintptr_t)(FS_LINE - 1));
	sh->iters = pattern_param(run, "iters");
	sh->workers = cl_procs() < FS_MAX_WORKERS ? cl_procs() : FS_MAX_WORKERS;
	sh->counter_of = counter_of;
	sh->least_share = 100;
	pattern_limit(run, "slowdown_pct", 200, "%");
	pattern_metric_meaning(run, "slowdown_pct",
	                       "each increment took {value} of the time it takes alone: the workers' "
	                       "counters share a cache line, which the cores pass back and forth "
	                       "(padded to a line each, they stay near 100%; limit {limit})");

	/* One increment alone, on a line nobody else writes: the baseline. */
	int64_t alone = 0;
	cl_time base = increment(&alone, sh->iters);
	if (base < 1)
		base = 1;
	cl_note("alone: %.1f ns per increment", (double)base / (double)sh->iters);

	sh->start = cl_make("start", char, 0);
	sh->ready = cl_wg_new("ready");
	sh->wg = cl_wg_new("wg");
	cl_wg_add(sh->ready, sh->workers);
	cl_wg_add(sh->wg, sh->workers);
	for (int i = 0; i < sh->workers; i++) {
		struct worker_args *w = pattern_alloc(run, sizeof *w);
		*w = (struct worker_args){sh, i};
		cl_go(worker, w, "worker-%d", i);
	}
	cl_wg_wait(sh->ready);
	cl_close(sh->start);
	cl_wg_wait(sh->wg);

	int64_t worst_ps = __atomic_load_n(&sh->worst_ps, __ATOMIC_RELAXED);   /* all are done */
	int64_t base_ps = base * 1000 / sh->iters;
	pattern_metric(run, "slowdown_pct", worst_ps * 100 / (base_ps > 0 ? base_ps : 1));
	/* Contention needs the workers on CPUs at the same time: a worker that
	 * got much less CPU than wall time shared its core with other programs. */
	int64_t share = __atomic_load_n(&sh->least_share, __ATOMIC_RELAXED);
	pattern_metric(run, "cpu_share_pct", share);
	if (share < 80 || sh->workers < 2)
		cl_note("the workers ran on a CPU only %lld%% of the time (%d processor%s): they may "
		        "not have run at the same time, so the cores may not have contended",
		        (long long)share, sh->workers, sh->workers == 1 ? "" : "s");
}

/* Go: func correct() */
static void false_sharing_correct(struct pattern_run *run)
{
	serve(run, own_line);
}

/* Go: func sharedLine() */
static void false_sharing_shared_line(struct pattern_run *run)
{
	serve(run, same_line);
}

/* Go: func oneCounter() */
static void false_sharing_one_counter(struct pattern_run *run)
{
	serve(run, same_counter);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t16 sync/atomic: cache-line false sharing, and padding hot atomics to 64 bytes",
	"t41 a sharded map or counter: one shard per core, each on its own line",
	"t25 GOMAXPROCS: real parallelism is what makes cores contend",
	NULL,
};

static const struct pattern_param params[] = {
	{"iters", "5000000", "atomic increments per worker (and for the baseline)", 10000, 1000000000,
	 NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "each counter padded to a cache line of its own: the cores never contend",
	 "ok", false_sharing_correct, "false_sharing_correct", 1},
	{"shared-line", "counters side by side in one array: different variables, one cache line",
	 "metric:slowdown_pct>200", false_sharing_shared_line, "false_sharing_shared_line", 1,
	 .lesson = "each worker has its own counter, but the counters sit side by side, eight to a "
	           "64-byte cache line, and a core must own the whole line to write any of it: the "
	           "line moves between the cores on every increment. Pad hot counters to a line "
	           "each (or keep per-worker sums in locals and add them up at the end)."},
	{"one-counter", "one atomic counter for every worker: true sharing, the slowest of all",
	 "metric:slowdown_pct>200", false_sharing_one_counter, "false_sharing_one_counter", 1,
	 .lesson = "an atomic add is correct from any number of cores, but every core that adds "
	           "needs the counter's line for itself, so the adds queue for it one at a time: a "
	           "global counter hit by every core does not scale. Count per worker (a sharded "
	           "counter, each shard on its own line) and sum when you read."},
};

const struct pattern pattern_false_sharing = {
	.name = "false-sharing",
	.title = "False sharing: counters on one cache line",
	.level = PATTERN_STAFF,
	.summary = "Caches move memory in lines of 64 bytes (x86), and a core must hold a line "
	           "exclusively to write it. Two variables on one line, written by two cores, make "
	           "the line bounce between them although the program shares no data: false "
	           "sharing. One worker per processor increments its own atomic counter; the metric "
	           "compares the time of an increment with the time it takes alone. Par only: "
	           "under det one thread does all the writes, so no line is ever shared.",
	.handshake = "Each worker says it is ready (a WaitGroup), then waits on the start channel; "
	             "main closes it once they all wait, so they increment at the same time. Each "
	             "times its own increments and reports them; main waits for them all.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/false_sharing.c",
	.go_source = "patterns/go/false_sharing.go",
	.sched = PATTERN_SCHED_PAR,
};
