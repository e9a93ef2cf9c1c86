/*
 * false_sharing.c - counters that share a cache line slow each other down
 * although no two tasks touch the same counter.  A core must own a line
 * to write it, so two cores writing one line pass it back and forth on
 * every increment.  One worker per processor increments its own counter
 * (an atomic add, as Go's atomic.AddInt64); main first times the same
 * increments alone, and the metric is how much slower the workers were.
 * The fix pads each counter to a 64-byte line of its own.  Read it beside
 * patterns/go/false_sharing.go.
 *
 * Par only (PATTERN_SCHED_PAR): under det the tasks take turns on one
 * thread, and a line that only one core writes is never shared.
 *
 * What is timed.  Lines bounce only while two workers run at the same
 * instant, and on a shared machine the OS often runs one at a time.  So
 * each worker times its increments in chunks of FS_CHUNK (wall clock) and
 * publishes its progress every FS_STEP increments on a line of its own; a
 * chunk is a sample only if another worker made progress meanwhile (at
 * least FS_STEP increments, at most FS_OVERLAP_MAX chunks' worth: it ran
 * beside this one, and this one was not switched out while it ran alone).
 * A worker's figure is the median of its samples, so a chunk the OS cut
 * in two does not count either.  The workers go on until each has
 * --samples samples, or until --iters increments each (then the machine
 * had no two CPUs free for them, and overlap_samples says so).
 *
 * Checks:
 *   metric slowdown_pct     the slowest worker's median ns per increment
 *                           while another worker ran, as a percentage of
 *                           the median alone (limit 200).
 *   metric overlap_samples  the fewest samples a worker got (no limit):
 *                           under --samples, the workers seldom ran at the
 *                           same time (one CPU, or a busy machine) and a note
 *                           says the slowdown may not show.
 */
#include "patterns/pattern.h"

#define FS_MAX_WORKERS 64
#define FS_LINE 64
#define FS_STEP 256                /* increments between two progress stores */
#define FS_CHUNK (8 * FS_STEP)     /* increments per timed chunk */
#define FS_OVERLAP_MAX (16 * FS_CHUNK)

/* Go: type padded struct { n int64; _ [56]byte } */
struct padded {
	_Alignas(FS_LINE) int64_t n;
};

struct counters {
	struct padded padded[FS_MAX_WORKERS];     /* correct: a line each */
	_Alignas(FS_LINE) int64_t packed[FS_MAX_WORKERS];  /* shared-line: eight to a line */
	_Alignas(FS_LINE) int64_t one;             /* one-counter: everybody's */
	/* Not part of the lesson: how far each worker is, a line each, so that
	 * watching each other adds no sharing of its own. */
	struct padded progress[FS_MAX_WORKERS];
	struct padded satisfied;                   /* workers with all their samples */
};

struct sharing {
	struct pattern_run *run;
	struct counters *c;
	cl_chan *start;            /* closed when every worker is ready */
	cl_waitgroup *ready, *wg;
	long iters, samples;
	int workers;
	int64_t *(*counter_of)(struct counters *c, int i);
	int64_t median_ps[FS_MAX_WORKERS];  /* each worker's median picoseconds per increment */
	int64_t got[FS_MAX_WORKERS];        /* each worker's samples */
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

/* The monotonic clock (vDSO: tens of ns, against microseconds a chunk). */
static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One chunk: FS_CHUNK bare atomic increments (the runtime's would trace
 * each one and time the tracer instead), publishing *done after every
 * FS_STEP.  Returns the nanoseconds it took. */
static int64_t chunk(int64_t *counter, int64_t *done)
{
	int64_t t0 = mono_ns(), d = *done;   /* only this worker writes *done */
	for (int s = 0; s < FS_CHUNK / FS_STEP; s++) {
		for (int k = 0; k < FS_STEP; k++)
			__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
		d += FS_STEP;
		__atomic_store_n(done, d, __ATOMIC_RELAXED);
	}
	return mono_ns() - t0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The median of n chunk times, in picoseconds per increment (0 if n is 0). */
static int64_t median_ps(int64_t *ns, long n)
{
	if (n == 0)
		return 0;
	qsort(ns, (size_t)n, sizeof *ns, cmp_i64);
	return ns[n / 2] * 1000 / FS_CHUNK;
}

/* Go: go func(i int) { defer wg.Done(); ready.Done(); <-start; time the adds }(i) */
static void worker(void *arg)
{
	struct worker_args *w = arg;
	struct sharing *sh = w->sh;
	struct counters *c = sh->c;
	int64_t *counter = sh->counter_of(c, w->i);
	int64_t *sample = pattern_alloc(sh->run, (size_t)sh->samples * sizeof *sample);
	int64_t before[FS_MAX_WORKERS];
	long got = 0;
	cl_wg_done(sh->ready);
	cl_recv(sh->start, NULL);
	/* No scheduling point in the loop: the task keeps its thread. */
	for (long done = 0; done < sh->iters; done += FS_CHUNK) {
		for (int j = 0; j < sh->workers; j++)
			before[j] = __atomic_load_n(&c->progress[j].n, __ATOMIC_RELAXED);
		int64_t ns = chunk(counter, &c->progress[w->i].n);
		int64_t most = 0;   /* the most another worker did meanwhile */
		for (int j = 0; j < sh->workers; j++) {
			int64_t d = __atomic_load_n(&c->progress[j].n, __ATOMIC_RELAXED) - before[j];
			if (j != w->i && d > most)
				most = d;
		}
		if (most >= FS_STEP && most <= FS_OVERLAP_MAX && got < sh->samples) {
			sample[got++] = ns;
			if (got == sh->samples)
				__atomic_fetch_add(&c->satisfied.n, 1, __ATOMIC_RELAXED);
		}
		if (__atomic_load_n(&c->satisfied.n, __ATOMIC_RELAXED) == sh->workers)
			break;
	}
	sh->median_ps[w->i] = median_ps(sample, got);   /* read by main after wg.Wait */
	sh->got[w->i] = got;
	cl_note("%s: %.1f ns per increment while another worker ran (median of %ld chunks of %d)",
	        cl_task_name(), (double)sh->median_ps[w->i] / 1000, got, FS_CHUNK);
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
	sh->samples = pattern_param(run, "samples");
	sh->workers = cl_procs() < FS_MAX_WORKERS ? cl_procs() : FS_MAX_WORKERS;
	sh->counter_of = counter_of;
	pattern_limit(run, "slowdown_pct", 200, "%");
	pattern_metric_meaning(run, "slowdown_pct",
	                       "each increment took {value} of the time it takes alone: the workers' "
	                       "counters share a cache line, which the cores pass back and forth "
	                       "(padded to a line each, they stay near 100%; limit {limit})");

	/* The same chunks alone, on a line nobody else writes: the baseline. */
	int64_t *alone = pattern_alloc(run, (size_t)sh->samples * sizeof *alone);
	struct padded *mine = &sh->c->padded[FS_MAX_WORKERS - 1], *done = &sh->c->progress[FS_MAX_WORKERS - 1];
	for (long k = 0; k < sh->samples; k++)
		alone[k] = chunk(&mine->n, &done->n);
	mine->n = done->n = 0;
	int64_t base_ps = median_ps(alone, sh->samples);
	if (base_ps < 1)
		base_ps = 1;
	cl_note("alone: %.1f ns per increment (median of %ld chunks of %d)", (double)base_ps / 1000,
	        sh->samples, FS_CHUNK);

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

	/* After wg.Wait every worker's figures are written. */
	int64_t worst_ps = 0, fewest = sh->workers > 1 ? sh->samples : 0;
	for (int i = 0; i < sh->workers; i++) {
		if (sh->got[i] > 0 && sh->median_ps[i] > worst_ps)
			worst_ps = sh->median_ps[i];
		if (sh->got[i] < fewest)
			fewest = sh->got[i];
	}
	pattern_metric(run, "slowdown_pct", worst_ps > 0 ? worst_ps * 100 / base_ps : 100);
	pattern_metric(run, "overlap_samples", fewest);
	if (fewest < sh->samples)
		cl_note("a worker timed only %lld of %ld chunks while another ran (%d processor%s): "
		        "the workers seldom had CPUs at the same time, so the cores may not have "
		        "contended", (long long)fewest, sh->samples, sh->workers,
		        sh->workers == 1 ? "" : "s");
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
	{"iters", "50000000", "the most atomic increments per worker (the run ends there if the "
	 "workers seldom run at the same time)", 10000, 1000000000, NULL},
	{"samples", "200", "chunks of 2048 increments each worker times while another runs (and "
	 "main alone)", 10, 100000, NULL},
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
	           "compares the time of an increment while another worker runs with the time it "
	           "takes alone. Par only: "
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
