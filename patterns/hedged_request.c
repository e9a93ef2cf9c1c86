/*
 * hedged_request.c - hedged requests: ask one replica; if it has not
 * answered after a short delay, ask the next one too, and so on; the first
 * answer wins and the others are cancelled.  The result channel has room for
 * every replica, so a loser's late answer never blocks it.  Trading a little
 * extra work for a much shorter tail of slow answers.
 * Read it beside patterns/go/hedged_request.go.
 *
 * Replica latency is drawn from the seed with a long tail.  `chanlab run`
 * also measures --requests calls with and without hedging on the runtime's
 * virtual clock and prints p50/p95/p99 and a histogram (hedged_figures).
 *
 * Check:
 *   metric wasted_work  microseconds replicas keep working after the caller
 *                       already has its answer: 0 when losers are cancelled.
 */
#include "patterns/pattern.h"

/* Go: type result struct { Replica int; Err error } */
struct result {
	int replica;
	cl_error err;
};

static void fmt_result(const void *value, char *buf, size_t size)
{
	const struct result *r = value;
	if (r->err)
		snprintf(buf, size, "replica %d: %s", r->replica, r->err);
	else
		snprintf(buf, size, "answer from replica %d", r->replica);
}

/* One call: what hedged() and its replicas share (Go's closure variables). */
struct call {
	struct pattern_run *run;
	cl_ctx *ctx;
	cl_chan *results;
	cl_waitgroup *wg;          /* every replica of every call, for the shutdown */
	cl_shared(cl_time) answered_at;   /* measuring only: when the caller had its answer */
	void (*query)(void *arg);  /* the replica's code */
	int number;                /* 1, 2 ...: names its replicas apart from other calls' */
};

struct query_args {
	struct call *c;
	int replica;
};

/* Measuring only: work a replica did after the caller already had its answer. */
static void count_wasted(struct call *c)
{
	if (cl_ctx_err(c->ctx))
		pattern_metric_add(c->run, "wasted_work", (cl_now() - cl_rd(c->answered_at)) / CL_US);
}

/* Go: func query(ctx context.Context, replica int, results chan<- result) */
static void query(void *arg)
{
	struct query_args *a = arg;
	struct call *c = a->c;
	cl_time latency = pattern_latency(pattern_param(c->run, "latency") * CL_MS);
	/* Go: select { case <-time.After(latency): r = result{replica, nil}
	 *              case <-ctx.Done(): r = result{replica, ctx.Err()} } */
	struct cl_case work[] = {CL_RECV_CASE(cl_after(latency), NULL),
	                         CL_RECV_CASE(cl_ctx_done(c->ctx), NULL)};
	int i = cl_select(work, 2);
	struct result r = {a->replica, i == 0 ? NULL : cl_ctx_err(c->ctx)};
	count_wasted(c);
	/* Go: results <- r -- always one answer, even "canceled" */
	cl_send(c->results, &r);
	/* Go: defer wg.Done() */
	cl_wg_done(c->wg);
}

/* Variant no-cancel: the replica's work does not watch the context. */
static void query_no_cancel(void *arg)
{
	struct query_args *a = arg;
	struct call *c = a->c;
	cl_time latency = pattern_latency(pattern_param(c->run, "latency") * CL_MS);
	/* MISTAKE(no-cancel): time.Sleep(latency) -- work that ignores ctx: a loser keeps
	 * working after the caller has its answer and has cancelled. */
	cl_sleep(latency);
	struct result r = {a->replica, NULL};
	count_wasted(c);
	/* Go: results <- r -- always one answer, even "canceled" */
	cl_send(c->results, &r);
	/* Go: defer wg.Done() */
	cl_wg_done(c->wg);
}

/* Go: go query(ctx, replica, results) */
static void launch(struct call *c, int replica)
{
	struct query_args *a = pattern_alloc(c->run, sizeof *a);
	*a = (struct query_args){c, replica};
	cl_wg_add(c->wg, 1);
	/* Task names are unique in a run: each call's replicas carry its number. */
	cl_go(c->query, a, "call-%d-replica-%d", c->number, replica);
}

/* Go: func hedged(ctx context.Context, replicas int, hedge time.Duration) result */
static struct result hedged(struct call *c, int replicas, cl_time hedge)
{
	/* Go: ctx, cancel := context.WithCancel(ctx); defer cancel() */
	c->ctx = cl_with_cancel(cl_background());
	/* Go: results := make(chan result, replicas) -- room for every replica */
	c->results = cl_make("results", struct result, (size_t)replicas);
	cl_chan_set_fmt(c->results, fmt_result);
	int launched = 0;
	launch(c, ++launched);
	for (;;) {
		/* Go: var hedgeTimer <-chan time.Time; if launched < replicas { hedgeTimer = time.After(hedge) } */
		cl_chan *hedge_timer = launched < replicas ? cl_after(hedge) : NULL;
		struct result r;
		/* Go: select { case r := <-results: return r; case <-hedgeTimer: go query(...) } */
		struct cl_case cases[] = {CL_RECV_CASE(c->results, &r), CL_RECV_CASE(hedge_timer, NULL)};
		if (cl_select(cases, 2) == 0) {
			cl_wr(c->answered_at, cl_now());
			cl_cancel(c->ctx);
			return r;
		}
		cl_note("no answer yet: hedge to replica %d", launched + 1);
		launch(c, ++launched);
	}
}

/* Variant unbuffered-results: no room for the losers' answers. */
static struct result hedged_unbuffered_results(struct call *c, int replicas, cl_time hedge)
{
	/* Go: ctx, cancel := context.WithCancel(ctx); defer cancel() */
	c->ctx = cl_with_cancel(cl_background());
	/* MISTAKE(unbuffered-results): results := make(chan result) -- unbuffered: once we have
	 * returned, nobody receives, and every loser blocks on its send forever. */
	c->results = cl_make("results", struct result, 0);
	cl_chan_set_fmt(c->results, fmt_result);
	int launched = 0;
	launch(c, ++launched);
	for (;;) {
		/* Go: var hedgeTimer <-chan time.Time; if launched < replicas { hedgeTimer = time.After(hedge) } */
		cl_chan *hedge_timer = launched < replicas ? cl_after(hedge) : NULL;
		struct result r;
		/* Go: select { case r := <-results: return r; case <-hedgeTimer: go query(...) } */
		struct cl_case cases[] = {CL_RECV_CASE(c->results, &r), CL_RECV_CASE(hedge_timer, NULL)};
		if (cl_select(cases, 2) == 0) {
			cl_wr(c->answered_at, cl_now());
			cl_cancel(c->ctx);
			return r;
		}
		cl_note("no answer yet: hedge to replica %d", launched + 1);
		launch(c, ++launched);
	}
}

/* Go: go func() { wg.Wait(); close(allDone) }() */
static void all_done_closer(void *arg)
{
	void **a = arg;
	cl_wg_wait(a[0]);
	cl_close(a[1]);
}

/* Go: func client(h hedgedFunc, q queryFunc) -- a few calls, then a shutdown
 * that waits for the replicas still running, at most a grace period. */
static void client(struct pattern_run *run,
                   struct result (*hedged_fn)(struct call *, int, cl_time), void (*query_fn)(void *))
{
	pattern_limit(run, "wasted_work", 0, "us");
	pattern_metric_meaning(run, "wasted_work", "the losing replicas went on working for {value} after "
	                       "the answer was in; canceled work should stop at once");
	int replicas = (int)pattern_param(run, "replicas");
	cl_time hedge = pattern_param(run, "hedge") * CL_MS;
	cl_waitgroup *wg = cl_wg_new("replicas");
	int calls = (int)pattern_param(run, "calls");
	for (int k = 1; k <= calls; k++) {
		struct call *c = pattern_alloc(run, sizeof *c);
		*c = (struct call){.run = run, .wg = wg, .query = query_fn, .number = k};
		cl_time start = cl_now();
		struct result r = hedged_fn(c, replicas, hedge);
		cl_note("call %d answered by replica %d after %lldms", k, r.replica,
		        PATTERN_MS(cl_now() - start));
	}
	/* Go: select { case <-allDone: case <-time.After(grace): } */
	cl_chan *all_done = cl_make("all-done", char, 0);
	void **a = pattern_alloc(run, 2 * sizeof *a);
	a[0] = wg;
	a[1] = all_done;
	cl_go(all_done_closer, a, "shutdown");
	struct cl_case wait[] = {CL_RECV_CASE(all_done, NULL), CL_RECV_CASE(cl_after(1 * CL_SEC), NULL)};
	if (cl_select(wait, 2) == 1)
		cl_note("replicas still running after the grace period");
}

static void hedged_request_correct(struct pattern_run *run)
{
	client(run, hedged, query);
}

static void hedged_request_unbuffered_results(struct pattern_run *run)
{
	client(run, hedged_unbuffered_results, query);
}

static void hedged_request_no_cancel(struct pattern_run *run)
{
	client(run, hedged, query_no_cancel);
}

/* ---- figures: latency with and without hedging ----------------------------------- */

static int cmp_time(const void *x, const void *y)
{
	cl_time a = *(const cl_time *)x, b = *(const cl_time *)y;
	return (a > b) - (a < b);
}

/* Runs n calls of hedged() with the given number of replicas; latencies in lat[]. */
static void measure(struct pattern_run *run, int replicas, cl_time *lat, int n)
{
	cl_time hedge = pattern_param(run, "hedge") * CL_MS;
	cl_waitgroup *wg = cl_wg_new("replicas");
	for (int k = 0; k < n; k++) {
		struct call *c = pattern_alloc(run, sizeof *c);
		*c = (struct call){.run = run, .wg = wg, .query = query, .number = k + 1};
		cl_time start = cl_now();
		hedged(c, replicas, hedge);
		lat[k] = cl_now() - start;
	}
	cl_wg_wait(wg);
}

static const int64_t buckets_ms[] = {0, 5, 10, 15, 20, 30, 40, 60, 80, 100};

static void summarize(struct pattern_run *run, const char *label, cl_time *lat, int n)
{
	char name[40];
	qsort(lat, (size_t)n, sizeof *lat, cmp_time);
	static const int pct[] = {50, 95, 99};
	for (int i = 0; i < 3; i++) {
		int at = (int)((long long)pct[i] * n / 100);
		if (at >= n)
			at = n - 1;
		snprintf(name, sizeof name, "p%d %s", pct[i], label);
		pattern_figure(run, name, (double)lat[at] / (double)CL_MS, "ms");
	}
	snprintf(name, sizeof name, "latency %s (%d calls)", label, n);
	struct pattern_histogram *h = pattern_histogram(run, name, "ms", buckets_ms,
	                                                (int)(sizeof buckets_ms / sizeof buckets_ms[0]));
	for (int k = 0; k < n; k++)
		pattern_histogram_add(h, lat[k] / CL_MS);
}

static void figures_main(void *arg)
{
	struct pattern_run *run = arg;
	int n = (int)pattern_param(run, "requests");
	cl_time *plain = pattern_alloc(run, (size_t)n * sizeof *plain);
	cl_time *hedged_lat = pattern_alloc(run, (size_t)n * sizeof *hedged_lat);
	measure(run, 1, plain, n);
	measure(run, (int)pattern_param(run, "replicas"), hedged_lat, n);
	summarize(run, "without hedging", plain, n);
	summarize(run, "with hedging", hedged_lat, n);
}

/* Measures --requests calls without hedging (one replica) and with it, each
 * call really run on the runtime (one run, tracing off). */
static int hedged_figures(struct pattern_run *run, const struct cl_config *base)
{
	struct cl_config config = *base;
	config.sinks = NULL;
	config.nsinks = 0;
	struct cl_result res;
	run->nfigures = 0;
	run->nhist = 0;
	if (cl_run(figures_main, run, &config, &res) != 0) {
		cl_result_free(&res);
		return -1;
	}
	cl_result_free(&res);
	return 0;
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t43 hedged request with select and goroutines",
	"t19 context cancellation; defer cancel()",
	"t13 goroutine leaks: a result channel sized for every sender",
	"t18 time.After in a select",
	NULL,
};

static const struct pattern_param params[] = {
	{"replicas", "3", "replicas a call may ask", 1, 16, NULL},
	{"hedge", "15", "how long to wait for an answer before asking the next replica, in ms", 0,
	 100000, NULL},
	{"latency", "10", "typical replica latency, in ms (long tail: up to 10x)", 1, 100000, NULL},
	{"calls", "3", "hedged calls in the traced run", 1, 1000, NULL},
	{"requests", "1000", "calls measured with and without hedging for the figures", 1, 100000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "hedge after a delay; first answer wins; cancel the rest; room for every answer",
	 "ok", hedged_request_correct, "hedged_request_correct", 1},
	{"unbuffered-results", "an unbuffered result channel strands every loser on its send",
	 "leak", hedged_request_unbuffered_results, "hedged_request_unbuffered_results", 1,
	 "the results channel has no room, so after the first answer the caller stops "
	 "receiving and every losing replica blocks on its send forever; give the channel room "
	 "for every answer"},
	{"no-cancel", "work that ignores the context keeps losers busy after the answer is in",
	 "metric:wasted_work>0", hedged_request_no_cancel, "hedged_request_no_cancel", 1,
	 "the replicas' work ignores the context, so the losers keep working after the first "
	 "answer is in and waste what hedging was meant to save; work that can be abandoned "
	 "must watch ctx.Done()"},
};

const struct pattern pattern_hedged_request = {
	.name = "hedged-request",
	.title = "Hedged request",
	.level = PATTERN_SENIOR,
	.summary = "A call asks one replica; if no answer has come after a short hedge delay it asks "
	           "the next one as well, and so on. The first answer wins; cancelling the context "
	           "stops the others. The results channel has room for one answer from every replica, "
	           "so a loser's late answer never blocks. A little extra work buys a much shorter tail: "
	           "`chanlab run` prints p50/p95/p99 with and without hedging.",
	.handshake = "hedged starts a replica and selects on results and a hedge timer. When the "
	             "timer fires first it starts another replica and selects again. The first value "
	             "from results returns, and the deferred cancel closes ctx.Done, which every "
	             "loser is selecting on. Each loser then puts its \"canceled\" answer in the buffered "
	             "channel and exits.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/hedged_request.c",
	.go_source = "patterns/go/hedged_request.go",
	.figures = hedged_figures,
};
