/*
 * rate_limit.c - rate limiting and backpressure.  A client sends requests
 * in bursts; they wait in a bounded queue (a buffered channel), and when it
 * is full the client drops the request rather than wait (the "drop"
 * policy).  A worker serves at most one request per tick of a ticker: a
 * token bucket of size one.  Read it beside patterns/go/rate_limit.go.
 *
 * Checks:
 *   metric queue_len   the longest the queue got (limit: its capacity).
 *   metric per_period  requests served within one period (limit 2: the
 *                      token the ticker kept while the worker was idle,
 *                      and the next tick).
 *   invariant accounted  every request was served or dropped.
 */
#include "patterns/pattern.h"

struct limiter {
	struct pattern_run *run;
	cl_chan *queue;            /* chan int of requests */
	cl_timer *ticker;
	cl_waitgroup *wg;
	int served, dropped;       /* the worker's and the client's own counts */
};

/* Go: for i := 1; i <= n; i++ { select { case queue <- i: default: dropped++ } } -- in bursts */
static void client(struct limiter *l, bool drop)
{
	int n = (int)pattern_param(l->run, "requests");
	int burst = (int)pattern_param(l->run, "burst");
	for (int i = 1; i <= n; i++) {
		if (i % burst == 1 || burst == 1)
			cl_sleep(pattern_latency(pattern_param(l->run, "period") * burst * CL_MS));
		if (drop) {
			struct cl_case c[] = {CL_SEND_CASE(l->queue, &i)};
			if (cl_select_default(c, 1) < 0) {
				l->dropped++;
				cl_note("client drops request %d: the queue is full", i);
			}
		} else {
			cl_send(l->queue, &i);
		}
		pattern_metric_max(l->run, "queue_len", (int64_t)cl_len(l->queue));
	}
	cl_close(l->queue);
}

/* Go: for req := range queue { <-ticker.C; serve(req) } */
static void worker(void *arg)
{
	struct limiter *l = arg;
	cl_time period = pattern_param(l->run, "period") * CL_MS;
	cl_time window = -1;
	int in_window = 0;
	int req;
	while (cl_recv(l->queue, &req)) {
		cl_recv(cl_timer_chan(l->ticker), NULL);   /* wait for a token */
		cl_time now = cl_now();
		if (window < 0 || now >= window + period) {
			window = now;
			in_window = 0;
		}
		pattern_metric_max(l->run, "per_period", ++in_window);
		l->served++;
	}
	cl_wg_done(l->wg);
}

/* Variant no-limit: the worker serves as fast as requests come. */
static void worker_no_limit(void *arg)
{
	struct limiter *l = arg;
	cl_time period = pattern_param(l->run, "period") * CL_MS;
	cl_time window = -1;
	int in_window = 0;
	int req;
	while (cl_recv(l->queue, &req)) {
		/* MISTAKE(no-limit): no <-ticker.C before serving: nothing limits the rate */
		cl_time now = cl_now();
		if (window < 0 || now >= window + period) {
			window = now;
			in_window = 0;
		}
		pattern_metric_max(l->run, "per_period", ++in_window);
		l->served++;
		cl_yield();
	}
	cl_wg_done(l->wg);
}

static void run_limiter(struct pattern_run *run, size_t cap, bool drop, void (*fn)(void *))
{
	int qcap = (int)pattern_param(run, "queue");
	pattern_limit(run, "queue_len", qcap, "");
	pattern_limit(run, "per_period", 2, "");   /* the stored token and the next tick */
	struct limiter *l = pattern_alloc(run, sizeof *l);
	l->run = run;
	l->queue = cl_make("queue", int, cap);
	cl_chan_set_fmt(l->queue, cl_fmt_int);
	/* Go: ticker := time.NewTicker(period); defer ticker.Stop() */
	l->ticker = cl_ticker_new(pattern_param(run, "period") * CL_MS);
	l->wg = cl_wg_new("wg");
	cl_wg_add(l->wg, 1);
	cl_go(fn, l, "worker");
	client(l, drop);
	cl_wg_wait(l->wg);
	cl_timer_stop(l->ticker);
	int n = (int)pattern_param(run, "requests");
	cl_note("main: %d served, %d dropped", l->served, l->dropped);
	if (l->served + l->dropped != n)
		pattern_fail(run, "accounted", "%d served and %d dropped of %d", l->served, l->dropped, n);
}

/* Go: func correct() -- queue := make(chan int, queueCap); drop when full */
static void rate_limit_correct(struct pattern_run *run)
{
	run_limiter(run, (size_t)pattern_param(run, "queue"), true, worker);
}

/* Go: func unboundedQueue() -- a queue as big as all the requests */
static void rate_limit_unbounded_queue(struct pattern_run *run)
{
	size_t all = (size_t)pattern_param(run, "requests"); /* MISTAKE(unbounded-queue): room for everything: it grows instead of pushing back */
	run_limiter(run, all, false, worker);
}

/* Go: func noLimit() */
static void rate_limit_no_limit(struct pattern_run *run)
{
	run_limiter(run, (size_t)pattern_param(run, "queue"), true, worker_no_limit);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t46 backpressure: a bounded queue and a policy (block or drop)",
	"t33 a buffered channel as a task queue",
	"t18 time.NewTicker: stop it when done",
	NULL,
};

static const struct pattern_param params[] = {
	{"requests", "24", "requests the client sends", 1, 10000, NULL},
	{"burst", "6", "requests per burst", 1, 1000, NULL},
	{"queue", "4", "the queue's capacity", 1, 1000, NULL},
	{"period", "2", "the ticker's period: one request per period, in ms", 1, 1000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "a bounded queue that drops when full, and one request per tick",
	 "ok", rate_limit_correct, "rate_limit_correct", 1},
	{"unbounded-queue", "a queue that holds everything: the backlog grows instead of pushing back",
	 "metric:queue_len>queue", rate_limit_unbounded_queue, "rate_limit_unbounded_queue", 1,
	 .lesson = "a queue big enough for every request never pushes back: when requests come "
	           "faster than the limit, the backlog and the waiting time grow without bound. "
	           "Bound the queue and choose a policy for a full one: block or drop."},
	{"no-limit", "no token before serving: requests are served as fast as they come",
	 "metric:per_period>2", rate_limit_no_limit, "rate_limit_no_limit", 1,
	 .lesson = "the worker never waits for a tick, so bursts go through at full speed to the "
	           "service the limit was meant to protect. Take a token (<-ticker.C) before each "
	           "request."},
};

const struct pattern pattern_rate_limit = {
	.name = "rate-limit",
	.title = "Rate limiting and backpressure",
	.level = PATTERN_MIDDLE,
	.summary = "A client sends requests in bursts into a bounded queue (a buffered channel); when "
	           "the queue is full it drops the request instead of waiting, which is the drop "
	           "policy of backpressure (the block policy would send and wait). A worker takes a "
	           "token from a ticker before each request, so at most one is served per period: a "
	           "token bucket of size one.",
	.handshake = "The client's select with a default either puts the request in the queue or "
	             "finds it full and drops it. The worker receives a request, then waits for the "
	             "next tick, then serves. When the client closes the queue, the worker drains it "
	             "and returns, and main stops the ticker.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/rate_limit.c",
	.go_source = "patterns/go/rate_limit.go",
};
