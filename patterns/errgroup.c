/*
 * errgroup.c - golang.org/x/sync/errgroup: fetchers run in a group, the
 * first to fail cancels the group's context, the others see ctx.Done() and
 * stop, and Wait returns the first error.  main collects results until the
 * context is done.  A second correct form caps the group with SetLimit.
 * Read it beside patterns/go/errgroup.go.
 *
 * After the first error, main gives the group a grace period to return (as
 * a goleak check would) and then returns: a fetcher still blocked by then
 * is reported by the runtime as a leak.
 *
 * Checks:
 *   metric wasted_steps  pages finished after the group's ctx was cancelled
 *                        (at most one per fetcher: the one in flight).
 *   metric running       fetchers at work at once (limited form only).
 */
#include "patterns/pattern.h"

/* What the fetchers share: Go's closure variables. */
struct group {
	struct pattern_run *run;
	cl_group *g;
	cl_ctx *ctx;              /* the group's context: done at the first error */
	cl_chan *results;         /* chan int: one result per fetcher */
	cl_chan *errc;            /* chan error, capacity 1: what g.Wait returned */
	cl_atomic64 running;      /* fetchers inside a step now */
	bool limited;             /* the set-limit form: measure running */
	cl_error (*fn)(void *);   /* the member each g.Go starts */
};

struct fetch_args {
	struct group *gr;
	int id;
};

static const char err_fetch[] = "fetch failed";

/* Go: select { case <-time.After(latency(work)): return nil; case <-ctx.Done(): return ctx.Err() }
 * -- one step of work that stops when ctx is done. */
static cl_error step(struct group *gr, cl_ctx *ctx)
{
	int64_t now = cl_atomic_add(&gr->running, 1);
	if (gr->limited)
		pattern_metric_max(gr->run, "running", now);
	cl_chan *t = cl_after(pattern_latency(pattern_param(gr->run, "work") * CL_MS));
	struct cl_case c[] = {CL_RECV_CASE(t, NULL), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
	int k = cl_select(c, 2);
	cl_atomic_add(&gr->running, -1);
	if (k == 1)
		return cl_ctx_err(ctx);
	if (cl_ctx_err(gr->ctx))       /* the group was cancelled while this page was fetched */
		pattern_metric_add(gr->run, "wasted_steps", 1);
	return NULL;
}

/* Go: func fetchPages(ctx context.Context, id int) (int, error) -- fetcher
 * id fetches id*id pages (a few finish early, others take long) and returns
 * how many it got, with ctx.Err() if ctx was done first. */
static cl_error fetch_pages(struct group *gr, int id, cl_ctx *ctx, int *pages)
{
	*pages = 0;
	for (int s = 1; s <= id * id; s++) {
		cl_error err = step(gr, ctx);
		if (err)
			return err;
		*pages = s;
		if (id == pattern_param(gr->run, "fail") && s == pattern_param(gr->run, "fail-at")) {
			cl_note("fetcher %d fails", id);
			return err_fetch;
		}
	}
	return NULL;
}

/* Go: select { case results <- n: return nil; case <-ctx.Done(): return ctx.Err() } */
static cl_error send_result(struct group *gr, int pages)
{
	struct cl_case c[] = {CL_SEND_CASE(gr->results, &pages), CL_RECV_CASE(cl_ctx_done(gr->ctx), NULL)};
	if (cl_select(c, 2) == 1)
		return cl_ctx_err(gr->ctx);
	return NULL;
}

/* Go: g.Go(func() error { n, err := fetchPages(ctx, id); if err != nil { return err }; select {...} }) */
static cl_error fetcher(void *arg)
{
	struct fetch_args *a = arg;
	int pages;
	cl_error err = fetch_pages(a->gr, a->id, a->gr->ctx, &pages);
	if (err)
		return err;
	return send_result(a->gr, pages);
}

/* Variant background-ctx: the fetcher works under context.Background(). */
static cl_error fetcher_background(void *arg)
{
	struct fetch_args *a = arg;
	int pages;
	cl_error err = fetch_pages(a->gr, a->id, cl_background(), &pages); /* MISTAKE(background-ctx): context.Background() instead of the group's ctx */
	if (err)
		return err;
	return send_result(a->gr, pages);
}

/* Variant blocked-send: the fetcher sends what it has, whatever ctx says. */
static cl_error fetcher_blocked_send(void *arg)
{
	struct fetch_args *a = arg;
	int pages;
	cl_error err = fetch_pages(a->gr, a->id, a->gr->ctx, &pages);
	cl_send(a->gr->results, &pages); /* MISTAKE(blocked-send): results <- n, no select on ctx.Done() */
	return err;
}

/* Go: go func() { for id := 1; id <= tasks; id++ { g.Go(...) }; errc <- g.Wait() }()
 * -- g.Go and Wait from their own task: with SetLimit, g.Go blocks until a
 * member returns, and main must keep receiving meanwhile. */
static void launch(void *arg)
{
	struct group *gr = arg;
	int tasks = (int)pattern_param(gr->run, "tasks");
	for (int id = 1; id <= tasks; id++) {
		struct fetch_args *a = pattern_alloc(gr->run, sizeof *a);
		*a = (struct fetch_args){gr, id};
		cl_group_go(gr->g, gr->fn, a, "fetcher-%d", id);
	}
	cl_error err = cl_group_wait(gr->g);
	cl_send(gr->errc, &err);
}

/* Go: g, ctx := errgroup.WithContext(ctx); go launch();
 * collect until ctx is done; then wait for the group, with a grace period. */
static void run_group(struct pattern_run *run, cl_error (*fn)(void *), int limit)
{
	int tasks = (int)pattern_param(run, "tasks");
	/* At most one step in flight per fetcher can finish after the error. */
	pattern_limit(run, "wasted_steps", tasks, "");
	pattern_metric(run, "wasted_steps", 0);
	struct group *gr = pattern_alloc(run, sizeof *gr);
	gr->run = run;
	gr->g = cl_group_new(cl_background(), &gr->ctx);
	gr->results = cl_make("results", int, 0);
	cl_chan_set_fmt(gr->results, cl_fmt_int);
	gr->errc = cl_make("errc", cl_error, 1);
	cl_chan_set_fmt(gr->errc, cl_fmt_str);
	if (limit) {
		/* Go: g.SetLimit(limit) -- g.Go blocks while limit fetchers run */
		gr->limited = true;
		pattern_limit(run, "running", limit, "");
		cl_group_set_limit(gr->g, limit);
	}
	gr->fn = fn;
	cl_go(launch, gr, "launch");
	/* Go: for { select { case id := <-results: use(id); case <-ctx.Done(): break loop } } */
	for (int got = 0; got < tasks;) {
		int id;
		struct cl_case c[] = {CL_RECV_CASE(gr->results, &id), CL_RECV_CASE(cl_ctx_done(gr->ctx), NULL)};
		if (cl_select(c, 2) == 1)
			break;
		got++;
		cl_note("main has %d pages", id);
		/* Go: use(id) -- using a result takes as long as fetching four pages */
		cl_sleep(pattern_latency(4 * pattern_param(run, "work") * CL_MS));
	}
	/* Go: select { case err := <-errc: ...; case <-time.After(grace): } */
	cl_time grace = 50 * pattern_param(run, "work") * CL_MS + CL_MS;
	cl_error err = NULL;
	struct cl_case c[] = {CL_RECV_CASE(gr->errc, &err), CL_RECV_CASE(cl_after(grace), NULL)};
	if (cl_select(c, 2) == 0)
		cl_note("main: Wait returned %s", err ? err : "nil");
	else
		cl_note("main: the group is still running after the grace period");
}

/* Go: func correct() */
static void errgroup_correct(struct pattern_run *run)
{
	run_group(run, fetcher, 0);
}

/* Go: func backgroundCtx() */
static void errgroup_background_ctx(struct pattern_run *run)
{
	run_group(run, fetcher_background, 0);
}

/* Go: func blockedSend() */
static void errgroup_blocked_send(struct pattern_run *run)
{
	run_group(run, fetcher_blocked_send, 0);
}

/* Go: func setLimit() -- g.SetLimit(limit) */
static void errgroup_set_limit(struct pattern_run *run)
{
	run_group(run, fetcher, (int)pattern_param(run, "limit"));
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t23 golang.org/x/sync/errgroup: the first error cancels the group, SetLimit",
	"t19 context cancellation: pass the group's ctx, not context.Background()",
	"t13 goroutine leaks: a send nobody receives",
	NULL,
};

static const struct pattern_param params[] = {
	{"tasks", "4", "fetchers in the group", 1, 64, NULL},
	{"fail", "3", "the fetcher that fails (fetcher i fetches i*i pages)", 1, 64, NULL},
	{"fail-at", "3", "the page at which it fails", 1, 4096, NULL},
	{"limit", "2", "set-limit: most fetchers at work at once", 1, 64, NULL},
	{"work", "10", "typical time of one page, in ms (long tail)", 0, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "fetchers work and send under the group's ctx: the first error stops them all",
	 "ok", errgroup_correct, "errgroup_correct", 1},
	{"background-ctx", "fetchers under context.Background() keep working after the first error",
	 "metric:wasted_steps>tasks", errgroup_background_ctx, "errgroup_background_ctx", 1,
	 .lesson = "the fetchers were given context.Background() instead of the group's ctx, so the "
	           "group's cancel never reaches them and they finish all their work for nothing. "
	           "Pass the ctx that errgroup.WithContext returns."},
	{"blocked-send", "a fetcher that sends without selecting on ctx.Done blocks forever once main "
	 "has stopped collecting", "leak", errgroup_blocked_send, "errgroup_blocked_send", 2,
	 .lesson = "the fetcher's final send ignores the group's ctx: after the first error main stops "
	           "receiving, the send blocks forever, and so does g.Wait. Every send in a group "
	           "member selects on ctx.Done() too."},
	{"set-limit", "g.SetLimit(limit): g.Go blocks while limit fetchers run", "ok", errgroup_set_limit,
	 "errgroup_set_limit", 1},
};

const struct pattern pattern_errgroup = {
	.name = "errgroup",
	.title = "Error group: the first error cancels the rest",
	.level = PATTERN_MIDDLE,
	.summary = "Fetchers run in an errgroup made with errgroup.WithContext. The first fetcher "
	           "to return an error cancels the group's context; the others, working and sending "
	           "under that context, see ctx.Done() and stop; Wait returns the first error. main "
	           "collects results until the context is done. With SetLimit, g.Go blocks while the "
	           "limit of members is running, which bounds the work in flight.",
	.handshake = "g.Go starts each member and counts it. A member that fails returns its error, "
	             "and the group cancels ctx. Every member selects on ctx.Done() in its work and "
	             "its sends, returns, and is counted out; g.Wait returns the first error once "
	             "the last one has.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/errgroup.c",
	.go_source = "patterns/go/errgroup.go",
};
