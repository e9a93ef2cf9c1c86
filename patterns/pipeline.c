/*
 * pipeline.c - the Go blog's pipeline with cancellation: a generator, a
 * square stage and a filter stage joined by unbuffered channels, and a
 * consumer that takes the first few results and then cancels.  Each stage
 * owns its output channel and closes it when it returns; each send selects
 * on the context's done channel, so cancel() stops every stage upstream.
 * Read it beside patterns/go/pipeline.go.
 *
 * After cancel(), main gives the stages a grace period to return (as a
 * goleak check in a test would) and then returns; a stage still blocked by
 * then is reported by the runtime as a leak.
 *
 * Checks:
 *   invariant in-order  the consumer gets the squares above min, in order.
 */
#include "patterns/pattern.h"

/* What the stages share: Go's closure variables. */
struct pipe {
	struct pattern_run *run;
	cl_ctx *ctx;
	cl_waitgroup *wg;        /* the test's view: every stage calls Done when it returns */
	cl_chan *nums;           /* generator -> square */
	cl_chan *squares;        /* square -> filter */
	cl_chan *results;        /* filter -> consumer */
	cl_chan *stopped;        /* closed when every stage has returned */
};

/* Go: time.Sleep(latency(work)) -- the work square and the consumer do on one value. */
static void stage_work(struct pipe *p)
{
	cl_sleep(pattern_latency(pattern_param(p->run, "work") * CL_MS));
}

/* Go: select { case out <- v: return true; case <-ctx.Done(): return false } */
static bool send_or_done(struct pipe *p, cl_chan *out, int v)
{
	struct cl_case c[] = {CL_SEND_CASE(out, &v), CL_RECV_CASE(cl_ctx_done(p->ctx), NULL)};
	return cl_select(c, 2) == 0;
}

/* Go: func generate(ctx, nums ...int) <-chan int -- the goroutine inside. */
static void generate(void *arg)
{
	struct pipe *p = arg;
	int n = (int)pattern_param(p->run, "n");
	for (int i = 1; i <= n; i++) {
		if (!send_or_done(p, p->nums, i))
			break;
	}
	/* Go: defer close(out) */
	cl_close(p->nums);
	cl_wg_done(p->wg);
}

/* Variant never-close: the generator returns without closing its output. */
static void generate_never_close(void *arg)
{
	struct pipe *p = arg;
	int n = (int)pattern_param(p->run, "n");
	for (int i = 1; i <= n; i++) {
		if (!send_or_done(p, p->nums, i))
			break;
	}
	/* MISTAKE(never-close): no close(out) -- square's range over nums never ends */
	cl_wg_done(p->wg);
}

/* Go: func square(ctx, in <-chan int) <-chan int -- for v := range in { select { out <- v*v / done } } */
static void square(void *arg)
{
	struct pipe *p = arg;
	int v;
	while (cl_recv(p->nums, &v)) {
		stage_work(p);
		if (!send_or_done(p, p->squares, v * v))
			break;
	}
	cl_close(p->squares);
	cl_wg_done(p->wg);
}

/* Variant send-without-select: square sends without watching ctx.Done. */
static void square_send_without_select(void *arg)
{
	struct pipe *p = arg;
	int v;
	while (cl_recv(p->nums, &v)) {
		stage_work(p);
		int sq = v * v;
		cl_send(p->squares, &sq); /* MISTAKE(send-without-select): no select on ctx.Done() */
	}
	cl_close(p->squares);
	cl_wg_done(p->wg);
}

/* Go: func filterAbove(ctx, in <-chan int, min int) <-chan int */
static void filter_above(void *arg)
{
	struct pipe *p = arg;
	int min = (int)pattern_param(p->run, "min");
	int v;
	while (cl_recv(p->squares, &v)) {
		if (v <= min)
			continue;
		if (!send_or_done(p, p->results, v))
			break;
	}
	cl_close(p->results);
	cl_wg_done(p->wg);
}

/* Go: go func() { wg.Wait(); close(stopped) }() -- the leak check's helper. */
static void await_stages(void *arg)
{
	struct pipe *p = arg;
	cl_wg_wait(p->wg);
	cl_close(p->stopped);
}

/* Go: ctx, cancel := context.WithCancel(...); nums := generate(ctx, 1..n);
 * squares := square(ctx, nums); results := filterAbove(ctx, squares, min). */
static struct pipe *pipe_start(struct pattern_run *run, void (*gen)(void *), void (*sq)(void *))
{
	struct pipe *p = pattern_alloc(run, sizeof *p);
	p->run = run;
	p->ctx = cl_with_cancel(cl_background());
	p->wg = cl_wg_new("stages");
	p->nums = cl_make("nums", int, 0);
	p->squares = cl_make("squares", int, 0);
	p->results = cl_make("results", int, 0);
	p->stopped = cl_make("stopped", char, 0);
	cl_chan_set_fmt(p->nums, cl_fmt_int);
	cl_chan_set_fmt(p->squares, cl_fmt_int);
	cl_chan_set_fmt(p->results, cl_fmt_int);
	cl_wg_add(p->wg, 3);
	cl_go(gen, p, "generate");
	cl_go(sq, p, "square");
	cl_go(filter_above, p, "filter");
	cl_go(await_stages, p, "await-stages");
	return p;
}

/* Go: for i := 0; i < take; i++ { v := <-results; ... }; cancel(); then the
 * leak check: select { case <-stopped: case <-time.After(grace) }. */
static void consume(struct pipe *p)
{
	int take = (int)pattern_param(p->run, "take");
	int min = (int)pattern_param(p->run, "min");
	int want = 1;                   /* the number whose square should come next */
	while (want * want <= min)
		want++;
	for (int i = 0; i < take; i++) {
		int v;
		if (!cl_recv(p->results, &v))
			break;
		cl_note("main gets %d", v);
		stage_work(p);          /* Go: use(v) -- main works on each result too */
		if (v != want * want)
			pattern_fail(p->run, "in-order", "result %d is %d, want %d", i + 1, v, want * want);
		want++;
	}
	/* Go: cancel() -- stops all upstream stages */
	cl_cancel(p->ctx);
	/* A stage's longest step is ten times the typical work: the grace period
	 * covers every stage finishing one. */
	cl_time grace = 50 * pattern_param(p->run, "work") * CL_MS + CL_MS;
	struct cl_case c[] = {CL_RECV_CASE(p->stopped, NULL), CL_RECV_CASE(cl_after(grace), NULL)};
	if (cl_select(c, 2) == 1)
		cl_note("main: stages still running after the grace period");
}

/* Go: func correct() */
static void pipeline_correct(struct pattern_run *run)
{
	consume(pipe_start(run, generate, square));
}

/* Go: func sendWithoutSelect() -- square's send ignores ctx. */
static void pipeline_send_without_select(struct pattern_run *run)
{
	consume(pipe_start(run, generate, square_send_without_select));
}

/* Go: func neverClose() -- the generator forgets close(out). */
static void pipeline_never_close(struct pattern_run *run)
{
	consume(pipe_start(run, generate_never_close, square));
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t28 the Go blog's pipeline with cancellation",
	"t19 context cancellation and defer cancel()",
	"t12 directional channels: each stage returns <-chan int",
	"t13 goroutine leaks",
	NULL,
};

static const struct pattern_param params[] = {
	{"n", "10", "numbers the generator produces", 1, 1000, NULL},
	{"take", "3", "results the consumer takes before it cancels", 1, 1000, NULL},
	{"min", "25", "the filter passes squares above this", 0, 1000000, NULL},
	{"work", "0", "typical time square and the consumer spend on one value, in ms (long tail; 0: none, the scheduler alone decides the order)", 0, 1000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "every stage selects on ctx.Done when it sends and closes its output when it returns",
	 "ok", pipeline_correct, "pipeline_correct", 1},
	{"send-without-select", "a stage that sends without selecting on ctx.Done blocks forever once "
	 "its downstream has stopped", "leak", pipeline_send_without_select,
	 "pipeline_send_without_select", 2,
	 .lesson = "square sends with a plain out <- v*v: after cancel() the filter returns and "
	           "nobody receives, so square waits forever. Every send in a stage must select on "
	           "ctx.Done() too."},
	{"never-close", "a stage that never closes its output leaves the next stage ranging forever",
	 "leak", pipeline_never_close, "pipeline_never_close", 3,
	 .lesson = "the generator returns without close(out), so square's range over it never ends "
	           "and square leaks. The stage that owns a channel closes it, with defer close(out)."},
};

const struct pattern pattern_pipeline = {
	.name = "pipeline",
	.title = "Pipeline with cancellation",
	.level = PATTERN_MIDDLE,
	.summary = "Three stages joined by unbuffered channels: a generator of numbers, a stage that "
	           "squares them and one that passes only squares above a minimum. The consumer takes "
	           "the first few results and calls cancel(). Each stage owns its output and closes it "
	           "when it returns, and each send selects on ctx.Done(), so one cancel() stops every "
	           "stage upstream, whichever send it is blocked in.",
	.handshake = "A stage receives from its input with range, works, and sends on its output in "
	             "a select with ctx.Done(). When its input is closed, or the context is done, it "
	             "returns and its deferred close(out) ends the next stage's range. The consumer "
	             "cancels after it has enough, and every stage returns.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/pipeline.c",
	.go_source = "patterns/go/pipeline.go",
};
