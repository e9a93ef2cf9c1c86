/*
 * worker_pool.c - a bounded worker pool: a fixed number of workers take jobs from one
 * channel and send results on another; the producer closes jobs when there are no more, a
 * closer closes results when every worker has returned, and a context can stop everything
 * early.  A second correct form, dispatcher, has idle workers advertise themselves on a
 * channel of channels (Go's chan chan Job).  Read it beside patterns/go/worker_pool.go.
 *
 * Checks:
 *   invariant exactly-once  every job's result arrives exactly once.
 *   metric peak_tasks       the most tasks alive at once (measured by the
 *                           runtime) stays within the pool's bound.
 */
#include "patterns/pattern.h"

/* Go: type Result struct { Job, Worker int } */
struct result {
	int job;
	int worker;
};

static void fmt_result(const void *value, char *buf, size_t size)
{
	const struct result *r = value;
	snprintf(buf, size, "job %d by worker %d", r->job, r->worker);
}

/* What the pool's goroutines share: Go's closure variables. */
struct pool {
	struct pattern_run *run;
	cl_ctx *ctx;
	cl_chan *jobs;           /* chan int: job numbers */
	cl_chan *results;        /* chan Result */
	cl_chan *idle;           /* dispatcher only: chan chan int */
	cl_waitgroup *wg;
};

struct worker_args {
	struct pool *p;
	int id;
};

/* Go: func worker(ctx context.Context, id int, jobs <-chan int, results chan<- Result) */
static void worker(void *arg)
{
	struct worker_args *a = arg;
	struct pool *p = a->p;
	cl_time work = pattern_param(p->run, "work") * CL_MS;   /* Go: the const work */
	for (;;) {
		/* Go: select { case <-ctx.Done(): return; case j, ok := <-jobs: if !ok { return } } */
		int j;
		struct cl_case take[] = {CL_RECV_CASE(cl_ctx_done(p->ctx), NULL), CL_RECV_CASE(p->jobs, &j)};
		if (cl_select(take, 2) == 0 || !take[1].ok)
			break;
		cl_note("worker %d takes job %d", a->id, j);
		/* Go: time.Sleep(latency(work)) -- do the job */
		cl_sleep(pattern_latency(work));
		/* Go: select { case results <- Result{j, id}: case <-ctx.Done(): return } */
		struct result r = {j, a->id};
		struct cl_case give[] = {CL_RECV_CASE(cl_ctx_done(p->ctx), NULL), CL_SEND_CASE(p->results, &r)};
		if (cl_select(give, 2) == 0)
			break;
	}
	/* Go: defer wg.Done() */
	cl_wg_done(p->wg);
}

/* Go: go func() { defer close(jobs); for i := 1; i <= n; i++ { select { case jobs <- i: case <-ctx.Done(): return } } }() */
static void producer(void *arg)
{
	struct pool *p = arg;
	int n = (int)pattern_param(p->run, "jobs");
	for (int i = 1; i <= n; i++) {
		struct cl_case put[] = {CL_SEND_CASE(p->jobs, &i), CL_RECV_CASE(cl_ctx_done(p->ctx), NULL)};
		if (cl_select(put, 2) == 1)
			break;
	}
	cl_close(p->jobs);
}

/* Variant never-close-jobs: the producer forgets to close jobs. */
static void producer_never_close(void *arg)
{
	struct pool *p = arg;
	int n = (int)pattern_param(p->run, "jobs");
	for (int i = 1; i <= n; i++) {
		struct cl_case put[] = {CL_SEND_CASE(p->jobs, &i), CL_RECV_CASE(cl_ctx_done(p->ctx), NULL)};
		if (cl_select(put, 2) == 1)
			break;
	}
	/* MISTAKE(never-close-jobs): no close(jobs) -- the workers wait for more jobs forever */
}

/* Go: go func() { wg.Wait(); close(results) }() */
static void closer(void *arg)
{
	struct pool *p = arg;
	cl_wg_wait(p->wg);
	cl_close(p->results);
}

/* A new pool: Go's ctx, cancel := context.WithCancel(...); jobs := make(chan
 * int, workers); results := make(chan Result, workers). */
static struct pool *pool_new(struct pattern_run *run)
{
	int workers = (int)pattern_param(run, "workers");
	struct pool *p = pattern_alloc(run, sizeof *p);
	p->run = run;
	p->ctx = cl_with_cancel(cl_background());
	p->jobs = cl_make("jobs", int, (size_t)workers);
	cl_chan_set_fmt(p->jobs, cl_fmt_int);
	p->results = cl_make("results", struct result, (size_t)workers);
	cl_chan_set_fmt(p->results, fmt_result);
	p->wg = cl_wg_new("wg");
	return p;
}

/* Go: func collect(cancel, results) -- for r := range results { seen[r.Job]++ }; cancel(); check. */
static void collect(struct pool *p)
{
	int n = (int)pattern_param(p->run, "jobs");
	int *seen = pattern_alloc(p->run, (size_t)(n + 1) * sizeof *seen);
	struct result r;
	while (cl_recv(p->results, &r)) {
		cl_note("main has the result of job %d from worker %d", r.job, r.worker);
		if (r.job >= 1 && r.job <= n)
			seen[r.job]++;
	}
	/* Go: cancel() */
	cl_cancel(p->ctx);
	for (int j = 1; j <= n; j++)
		if (seen[j] != 1) {
			pattern_fail(p->run, "exactly-once", "job %d came back %d times", j, seen[j]);
			return;
		}
}

/* Go: func correct() -- a fixed pool. */
static void worker_pool_correct(struct pattern_run *run)
{
	int workers = (int)pattern_param(run, "workers");
	/* The bound: main, the producer, the workers, the closer. */
	pattern_limit(run, "peak_tasks", workers + 3, "");
	pattern_metric_meaning(run, "peak_tasks", "{value} tasks were alive at once; a pool "
	                       "needs at most {limit}");
	struct pool *p = pool_new(run);
	/* Go: wg.Add(workers); for w := 1; w <= workers; w++ { go worker(ctx, w, jobs, results) } */
	cl_wg_add(p->wg, workers);
	for (int w = 1; w <= workers; w++) {
		struct worker_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct worker_args){p, w};
		cl_go(worker, a, "worker-%d", w);
	}
	cl_go(producer, p, "producer");
	cl_go(closer, p, "closer");
	collect(p);
}

/* Go: func neverCloseJobs() -- the producer forgets to close jobs. */
static void worker_pool_never_close_jobs(struct pattern_run *run)
{
	int workers = (int)pattern_param(run, "workers");
	/* The bound: main, the producer, the workers, the closer. */
	pattern_limit(run, "peak_tasks", workers + 3, "");
	pattern_metric_meaning(run, "peak_tasks", "{value} tasks were alive at once; a pool "
	                       "needs at most {limit}");
	struct pool *p = pool_new(run);
	/* Go: wg.Add(workers); for w := 1; w <= workers; w++ { go worker(ctx, w, jobs, results) } */
	cl_wg_add(p->wg, workers);
	for (int w = 1; w <= workers; w++) {
		struct worker_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct worker_args){p, w};
		cl_go(worker, a, "worker-%d", w);
	}
	cl_go(producer_never_close, p, "producer");
	cl_go(closer, p, "closer");
	collect(p);
}

/* What each per-job task of the unbounded variant gets. */
struct job_args {
	struct pool *p;
	int job;
};

/* Go: go func(j int) { defer wg.Done(); time.Sleep(...); select { case results <- ...: ... } }(j) */
static void job_task(void *arg)
{
	struct job_args *a = arg;
	struct pool *p = a->p;
	cl_note("task %d takes job %d", a->job, a->job);
	cl_sleep(pattern_latency(pattern_param(p->run, "work") * CL_MS));
	struct result r = {a->job, a->job};
	struct cl_case give[] = {CL_RECV_CASE(cl_ctx_done(p->ctx), NULL), CL_SEND_CASE(p->results, &r)};
	cl_select(give, 2);
	cl_wg_done(p->wg);
}

/* Go: go func() { defer wg.Done(); for j := range jobs { wg.Add(1); go func(j int) {...}(j) } }() */
static void spawner(void *arg)
{
	struct pool *p = arg;
	int j;
	/* The mistake seen from the spawner: a new task for every job instead of a fixed pool of workers:
	 * nothing bounds how many run at once. */
	while (cl_recv(p->jobs, &j)) {
		struct job_args *a = pattern_alloc(p->run, sizeof *a);
		*a = (struct job_args){p, j};
		cl_wg_add(p->wg, 1);
		cl_go(job_task, a, "job-%d", j);
	}
	cl_wg_done(p->wg);
}

/* Go: func unbounded() -- a task per job. */
static void worker_pool_unbounded(struct pattern_run *run)
{
	int workers = (int)pattern_param(run, "workers");
	/* The bound: main, the producer, the workers, the closer. */
	pattern_limit(run, "peak_tasks", workers + 3, "");
	pattern_metric_meaning(run, "peak_tasks", "{value} tasks were alive at once; a pool "
	                       "needs at most {limit}");
	struct pool *p = pool_new(run);
	/* MISTAKE(unbounded): instead of "for w := 1; w <= workers; w++ { go worker(...) }",
	 * one spawner that starts a task per job. */
	cl_wg_add(p->wg, 1);
	cl_go(spawner, p, "spawner");
	cl_go(producer, p, "producer");
	cl_go(closer, p, "closer");
	collect(p);
}

/* ---- the dispatcher form ------------------------------------------------------ */

/* Go: func idleWorker(id int, idle chan<- chan int, results chan<- Result) */
static void idle_worker(void *arg)
{
	struct worker_args *a = arg;
	struct pool *p = a->p;
	char name[24];
	snprintf(name, sizeof name, "jobs-of-%d", a->id);
	/* Go: mine := make(chan int) -- this worker's own job channel */
	cl_chan *mine = cl_make(name, int, 0);
	cl_chan_set_fmt(mine, cl_fmt_int);
	for (;;) {
		/* Go: idle <- mine -- "I am free: give me a job on this channel" */
		cl_send(p->idle, &mine);
		/* Go: j, ok := <-mine; if !ok { return } */
		int j;
		if (!cl_recv(mine, &j))
			break;
		cl_note("worker %d takes job %d", a->id, j);
		cl_sleep(pattern_latency(pattern_param(p->run, "work") * CL_MS));
		/* Go: results <- Result{j, id} */
		struct result r = {j, a->id};
		cl_send(p->results, &r);
	}
	/* Go: defer wg.Done() */
	cl_wg_done(p->wg);
}

/* Go: func dispatch(jobs <-chan int, idle <-chan chan int, workers int) */
static void dispatcher(void *arg)
{
	struct pool *p = arg;
	int workers = (int)pattern_param(p->run, "workers");
	cl_chan *w;
	int j;
	/* Go: for j := range jobs { w := <-idle; w <- j } */
	while (cl_recv(p->jobs, &j)) {
		cl_recv(p->idle, &w);
		cl_send(w, &j);
	}
	/* Go: for i := 0; i < workers; i++ { w := <-idle; close(w) } -- send everyone home */
	for (int i = 0; i < workers; i++) {
		cl_recv(p->idle, &w);
		cl_close(w);
	}
}

/* Go: func dispatcher() -- the second correct form. */
static void worker_pool_dispatcher(struct pattern_run *run)
{
	int workers = (int)pattern_param(run, "workers");
	/* The bound: main, the producer, the dispatcher, the workers, the closer. */
	pattern_limit(run, "peak_tasks", workers + 4, "");
	pattern_metric_meaning(run, "peak_tasks", "{value} tasks were alive at once; a pool "
	                       "needs at most {limit}");
	struct pool *p = pool_new(run);
	/* Go: idle := make(chan chan int) */
	p->idle = cl_make("idle", cl_chan *, 0);
	cl_chan_set_fmt(p->idle, cl_fmt_chan);
	/* Go: wg.Add(workers); for w := 1; w <= workers; w++ { go idleWorker(w, idle, results) } */
	cl_wg_add(p->wg, workers);
	for (int w = 1; w <= workers; w++) {
		struct worker_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct worker_args){p, w};
		cl_go(idle_worker, a, "worker-%d", w);
	}
	cl_go(dispatcher, p, "dispatcher");
	cl_go(producer, p, "producer");
	cl_go(closer, p, "closer");
	collect(p);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t17 bounded worker pool",
	"t33 buffered channel as a task queue with backpressure",
	"t19 context cancellation",
	"handshaking: chan chan T, idle workers asking for work (002 middle)",
	"t13 goroutine leaks",
	NULL,
};

static const struct pattern_param params[] = {
	{"workers", "4", "workers in the pool", 1, 64, NULL},
	{"jobs", "20", "jobs the producer sends", 1, 10000, NULL},
	{"work", "10", "typical time a job takes, in ms (long tail)", 0, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "a fixed pool; the producer closes jobs; a closer closes results after wg.Wait",
	 "ok", worker_pool_correct, "worker_pool_correct", 1},
	{"never-close-jobs", "a producer that never closes jobs leaves every worker waiting forever",
	 "deadlock", worker_pool_never_close_jobs, "worker_pool_never_close_jobs", 1,
	 "the producer never closes jobs, so every worker waits for more work forever and the "
	 "closer's wg.Wait never returns; the sender that owns a channel closes it when there "
	 "is no more to send"},
	{"unbounded", "a task per job is not a pool: nothing bounds how many run at once",
	 "metric:peak_tasks>workers+3", worker_pool_unbounded, "worker_pool_unbounded", 1,
	 "starting a goroutine per job is not a pool: nothing limits how many run at once, so "
	 "a burst of jobs becomes a burst of goroutines; start a fixed number of workers that "
	 "take jobs from one channel"},
	{"dispatcher", "idle workers advertise their own job channel on a channel of channels",
	 "ok", worker_pool_dispatcher, "worker_pool_dispatcher", 1},
};

const struct pattern pattern_worker_pool = {
	.name = "worker-pool",
	.title = "Bounded worker pool",
	.level = PATTERN_MIDDLE,
	.summary = "A fixed number of workers take jobs from one channel and send results on another, "
	           "so at most that many jobs run at once however many there are. The producer owns "
	           "jobs and closes it when there are no more; each worker's loop ends when jobs is "
	           "drained; a closer waits on a wait group for every worker and then closes results, "
	           "which ends main's range. A context lets main stop everything early. The dispatcher "
	           "form turns it around: idle workers hand the dispatcher their own job channel.",
	.handshake = "The producer sends jobs and closes jobs after the last one. A worker receives "
	             "until jobs is closed and drained, sends each result, then calls wg.Done. The "
	             "closer's wg.Wait returns after the last worker, and it closes results. main's "
	             "range over results ends, and main cancels the context.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/worker_pool.c",
	.go_source = "patterns/go/worker_pool.go",
};
