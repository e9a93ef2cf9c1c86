/*
 * shutdown.c - a graceful shutdown in phases: stop accepting, drain the
 * requests in flight, flush the buffered results, close the database; each
 * phase waits for the one before and has its own budget, and the budgets add
 * up to no more than the total the platform allows.  Shutdown is idempotent:
 * a second caller (the signal handler and main both call it) waits for the
 * first and gets the same result.  Read it beside patterns/go/shutdown.go.
 *
 * Requests arrive on a simulated listener; each handler takes a while (long
 * tail) and hands its result to a writer, which keeps results in a buffer
 * until it is asked to flush them to the database.
 *
 * Checks:
 *   metric shutdown_ms          the first Shutdown call, start to return,
 *                               within the total budget (--total).
 *   invariant data-kept         when Shutdown returns nil, every completed
 *                               request's result is in the database.
 *   invariant shutdown-complete when any Shutdown call returns, the
 *                               shutdown is over (the database is closed).
 */
#include "patterns/pattern.h"

/* Go: type App struct { ... } -- what the phases and their tasks share. */
struct app {
	struct pattern_run *run;
	cl_chan *listener;       /* chan struct{}: closed in phase 1: stop accepting */
	cl_chan *accept_done;    /* chan struct{}: the accept loop has returned */
	cl_ctx *handlers_ctx;    /* cancelled when the drain phase runs out of time */
	cl_waitgroup *inflight;  /* requests being handled */
	cl_chan *results;        /* chan int: handlers' results, to the writer */
	cl_chan *flush_req;      /* chan struct{}: closed in phase 3 */
	cl_chan *flushed;        /* chan struct{}: the writer has flushed */
	cl_chan *abandon;        /* chan struct{}: closed when the flush runs out of time */
	cl_mutex *mu;            /* guards started */
	bool started;            /* a Shutdown is (or was) in progress */
	cl_chan *shutdown_ch;    /* chan struct{}: closed when a shutdown begins */
	cl_chan *done_ch;        /* chan struct{}: closed when it is over */
	cl_error err;            /* its result, for every caller */
	bool over;               /* the database is closed */
	cl_atomic64 completed;   /* requests whose result reached the writer (handlers run at once) */
	int saved;               /* results written to the database */
};

/* Go: func (a *App) handle(id int) -- a request in flight. */
static void handle(void *arg)
{
	struct app *a = arg;
	/* Go: select { case <-time.After(latency(work)): case <-ctx.Done(): return } */
	struct cl_case cases[] = {
		CL_RECV_CASE(cl_after(pattern_latency(pattern_param(a->run, "work") * CL_MS)), NULL),
		CL_RECV_CASE(cl_ctx_done(a->handlers_ctx), NULL),
	};
	if (cl_select(cases, 2) == 0) {
		int one = 1;
		cl_send(a->results, &one);
		cl_atomic_add(&a->completed, 1);
	} else {
		cl_note("request abandoned by the forced drain");
	}
	cl_wg_done(a->inflight);
}

/* Go: func (a *App) accept() -- a request now and then, until the listener closes. */
static void accept_loop(void *arg)
{
	struct app *a = arg;
	for (int id = 1;; id++) {
		struct cl_case cases[] = {
			CL_RECV_CASE(a->listener, NULL),
			CL_RECV_CASE(cl_after(pattern_latency(pattern_param(a->run, "pace") * CL_MS)), NULL),
		};
		if (cl_select(cases, 2) == 0)
			break;
		/* Go: a.inflight.Add(1); go a.handle(id) */
		cl_wg_add(a->inflight, 1);
		cl_go(handle, a, "request-%d", id);
	}
	cl_close(a->accept_done);
}

/* Go: func (a *App) writer() -- buffer results; on flushReq write them out. */
static void writer(void *arg)
{
	struct app *a = arg;
	int buffered = 0;
	for (;;) {
		struct cl_case cases[] = {CL_RECV_CASE(a->results, NULL), CL_RECV_CASE(a->flush_req, NULL)};
		if (cl_select(cases, 2) == 0) {
			buffered++;
			continue;
		}
		/* Go: for len(a.results) > 0 { <-a.results; buffered++ } -- what is already queued */
		while (cl_len(a->results) > 0) {
			cl_recv(a->results, NULL);
			buffered++;
		}
		/* Go: select { case <-time.After(latency(flushTime)): a.saved += buffered; case <-a.abandon: } */
		struct cl_case write[] = {
			CL_RECV_CASE(cl_after(pattern_latency(pattern_param(a->run, "flush") * CL_MS)), NULL),
			CL_RECV_CASE(a->abandon, NULL),
		};
		if (cl_select(write, 2) == 0)
			a->saved += buffered;
		else
			cl_note("writer: flush abandoned, %d results lost", buffered);
		cl_close(a->flushed);
		return;
	}
}

/* Go: go func() { a.inflight.Wait(); close(idle) }() */
static void wait_idle(void *arg)
{
	void **pair = arg;
	cl_wg_wait(pair[0]);
	cl_close(pair[1]);
}

/* Waits on ch until it is closed or the phase's budget runs out; on time
 * out closes force (or cancels ctx) and waits again.  Returns the error. */
static cl_error within(cl_chan *ch, cl_time budget, cl_chan *force, cl_ctx *cancel,
                       const char *phase)
{
	/* Go: ctx, cancel := context.WithTimeout(context.Background(), budget); defer cancel() */
	cl_ctx *ctx = cl_with_timeout(cl_background(), budget);
	struct cl_case cases[] = {CL_RECV_CASE(ch, NULL), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
	cl_error err = NULL;
	if (cl_select(cases, 2) == 1) {
		cl_note("%s: out of budget after %lldms, forcing", phase, PATTERN_MS(budget));
		if (force)
			cl_close(force);
		if (cancel)
			cl_cancel(cancel);
		cl_recv(ch, NULL);
		err = cl_err_deadline;
	}
	cl_cancel(ctx);
	return err;
}

/* The phases, with the drain and flush budgets given; wait_drain false is
 * the no-wait mistake's phase 2. */
static cl_error phases(struct app *a, cl_time drain_budget, cl_time flush_budget, bool wait_drain)
{
	/* Phase 1. Go: close(a.listener); <-a.acceptDone -- stop accepting */
	cl_note("phase 1: stop accepting");
	cl_close(a->listener);
	cl_recv(a->accept_done, NULL);
	/* Phase 2. Go: drain the requests in flight, within the drain budget */
	cl_note("phase 2: drain");
	cl_error err = NULL;
	if (wait_drain) {
		cl_chan *idle = cl_make("idle", char, 0);
		void **pair = pattern_alloc(a->run, 2 * sizeof *pair);
		pair[0] = a->inflight;
		pair[1] = idle;
		cl_go(wait_idle, pair, "wait-idle");
		err = within(idle, drain_budget, NULL, a->handlers_ctx, "drain");
	}
	/* Phase 3. Go: close(a.flushReq), within the flush budget */
	cl_note("phase 3: flush");
	cl_close(a->flush_req);
	cl_error ferr = within(a->flushed, flush_budget, a->abandon, NULL, "flush");
	/* Phase 4. Go: a.db.Close() */
	cl_note("phase 4: close the database");
	a->over = true;
	return err ? err : ferr;
}

/* Go: func (a *App) Shutdown() error */
static cl_error app_shutdown(struct app *a)
{
	/* Go: a.mu.Lock(); first := !a.started; a.started = true; a.mu.Unlock() */
	cl_lock(a->mu);
	bool first = !a->started;
	a->started = true;
	cl_unlock(a->mu);
	if (!first) {
		/* Go: <-a.doneCh; return a.err -- wait for the first caller, same result */
		cl_recv(a->done_ch, NULL);
		return a->err;
	}
	cl_close(a->shutdown_ch);
	cl_time total = pattern_param(a->run, "total") * CL_MS, began = cl_now();
	/* Go: budgets that add up to less than the total: half for the drain, a third for the flush */
	a->err = phases(a, total / 2, total / 3, true);
	pattern_metric(a->run, "shutdown_ms", PATTERN_MS(cl_now() - began));
	cl_close(a->done_ch);
	return a->err;
}

/* Variant over-budget: each phase gets a generous budget of its own. */
static cl_error app_shutdown_over_budget(struct app *a)
{
	cl_lock(a->mu);
	bool first = !a->started;
	a->started = true;
	cl_unlock(a->mu);
	if (!first) {
		cl_recv(a->done_ch, NULL);
		return a->err;
	}
	cl_close(a->shutdown_ch);
	cl_time total = pattern_param(a->run, "total") * CL_MS, began = cl_now();
	/* MISTAKE(over-budget): the drain may take the whole total and the flush half of it again: 1.5 times what the platform allows */
	a->err = phases(a, total, total / 2, true);
	pattern_metric(a->run, "shutdown_ms", PATTERN_MS(cl_now() - began));
	cl_close(a->done_ch);
	return a->err;
}

/* Variant no-wait: the drain phase does not wait for the handlers. */
static cl_error app_shutdown_no_wait(struct app *a)
{
	cl_lock(a->mu);
	bool first = !a->started;
	a->started = true;
	cl_unlock(a->mu);
	if (!first) {
		cl_recv(a->done_ch, NULL);
		return a->err;
	}
	cl_close(a->shutdown_ch);
	cl_time total = pattern_param(a->run, "total") * CL_MS, began = cl_now();
	/* MISTAKE(no-wait): phase 2 does not wait for the requests in flight, so the flush runs while they still produce results */
	a->err = phases(a, total / 2, total / 3, false);
	pattern_metric(a->run, "shutdown_ms", PATTERN_MS(cl_now() - began));
	cl_close(a->done_ch);
	return a->err;
}

/* Variant double-close: no guard at all. */
static cl_error app_shutdown_double_close(struct app *a)
{
	/* MISTAKE(double-close): close(a.shutdownCh) with no check: the second caller closes it again and panics */
	cl_close(a->shutdown_ch);
	cl_time total = pattern_param(a->run, "total") * CL_MS, began = cl_now();
	a->err = phases(a, total / 2, total / 3, true);
	pattern_metric(a->run, "shutdown_ms", PATTERN_MS(cl_now() - began));
	cl_close(a->done_ch);
	return a->err;
}

/* Variant early-return: a second caller returns at once. */
static cl_error app_shutdown_early_return(struct app *a)
{
	cl_lock(a->mu);
	bool first = !a->started;
	a->started = true;
	cl_unlock(a->mu);
	if (!first) {
		/* MISTAKE(early-return): "already shutting down" returns nil at once instead of waiting on doneCh for the first caller */
		return NULL;
	}
	cl_close(a->shutdown_ch);
	cl_time total = pattern_param(a->run, "total") * CL_MS, began = cl_now();
	a->err = phases(a, total / 2, total / 3, true);
	pattern_metric(a->run, "shutdown_ms", PATTERN_MS(cl_now() - began));
	cl_close(a->done_ch);
	return a->err;
}

struct caller {
	struct app *a;
	cl_error (*shutdown)(struct app *a);
	cl_time at;
	const char *who;
	cl_chan *done;
	cl_error err;
};

/* Go: func call(a *App, who string) error -- call Shutdown, check it is over. */
static void call_shutdown(struct caller *c)
{
	cl_sleep(c->at);
	cl_note("%s calls Shutdown", c->who);
	c->err = c->shutdown(c->a);
	if (!c->a->over)
		pattern_fail(c->a->run, "shutdown-complete", "Shutdown returned to %s at %lldms while the "
		             "shutdown was still in progress", c->who, PATTERN_MS(cl_now()));
}

/* Go: go func() { <-sigterm; app.Shutdown() }() -- the signal handler. */
static void signal_handler(void *arg)
{
	struct caller *c = arg;
	call_shutdown(c);
	cl_close(c->done);
}

/* Go: func run(shutdown) -- serve, then shut down from two callers. */
static void serve_and_shut_down(struct pattern_run *run, cl_error (*shutdown)(struct app *))
{
	pattern_limit(run, "shutdown_ms", pattern_param(run, "total"), "ms");
	struct app *a = pattern_alloc(run, sizeof *a);
	a->run = run;
	a->listener = cl_make("listener", char, 0);
	a->accept_done = cl_make("acceptDone", char, 0);
	a->handlers_ctx = cl_with_cancel(cl_background());
	a->inflight = cl_wg_new("inflight");
	a->results = cl_make("results", int, 1000);
	cl_chan_set_fmt(a->results, cl_fmt_int);
	a->flush_req = cl_make("flushReq", char, 0);
	a->flushed = cl_make("flushed", char, 0);
	a->abandon = cl_make("abandon", char, 0);
	a->mu = cl_mutex_new("mu");
	a->shutdown_ch = cl_make("shutdownCh", char, 0);
	a->done_ch = cl_make("doneCh", char, 0);
	cl_go(accept_loop, a, "accept");
	cl_go(writer, a, "writer");

	cl_time at = pattern_param(run, "run") * CL_MS;
	struct caller *sig = pattern_alloc(run, sizeof *sig);
	*sig = (struct caller){a, shutdown, pattern_latency(at), "the signal handler",
	                       cl_make("signalled", char, 0), NULL};
	cl_go(signal_handler, sig, "signal");
	struct caller me = {a, shutdown, at, "main", NULL, NULL};
	call_shutdown(&me);
	/* Go: <-signalled; inflight.Wait() -- then look at what reached the database */
	cl_recv(sig->done, NULL);
	cl_wg_wait(a->inflight);
	int completed = (int)cl_atomic_load(&a->completed);
	if (!a->err && a->saved != completed)
		pattern_fail(run, "data-kept", "Shutdown returned nil, but %d of %d completed requests "
		             "never reached the database", completed - a->saved, completed);
	cl_note("main: %d requests completed, %d saved (%s)", completed, a->saved,
	        a->err ? a->err : "clean shutdown");
}

/* Go: func correct() */
static void shutdown_correct(struct pattern_run *run)
{
	serve_and_shut_down(run, app_shutdown);
}

/* Go: func overBudget() */
static void shutdown_over_budget(struct pattern_run *run)
{
	serve_and_shut_down(run, app_shutdown_over_budget);
}

/* Go: func noWait() */
static void shutdown_no_wait(struct pattern_run *run)
{
	serve_and_shut_down(run, app_shutdown_no_wait);
}

/* Go: func doubleClose() */
static void shutdown_double_close(struct pattern_run *run)
{
	serve_and_shut_down(run, app_shutdown_double_close);
}

/* Go: func earlyReturn() */
static void shutdown_early_return(struct pattern_run *run)
{
	serve_and_shut_down(run, app_shutdown_early_return);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"handshaking: the four-phase graceful shutdown, in order (002 senior; 000 q13)",
	"handshaking: budgets per phase, their sum within the total (002 senior, mistake 1)",
	"handshaking: idempotent shutdown, a second caller waits on doneCh (002 senior)",
	"handshaking: shutdown is a topological sort: wait for each layer (002 mental models)",
	"t19 context cancellation",
	NULL,
};

static const struct pattern_param params[] = {
	{"total", "60", "the total shutdown budget, in ms: the shutdown_ms limit", 1, 100000, NULL},
	{"work", "15", "typical time a request takes, in ms (long tail)", 0, 10000, NULL},
	{"pace", "5", "typical time between requests, in ms", 0, 10000, NULL},
	{"flush", "8", "typical time the writer takes to flush, in ms (long tail)", 0, 10000, NULL},
	{"run", "40", "when the shutdown starts (main; the signal handler near then), in ms", 0,
	 100000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "four phases in order, each waiting for the last, budgets within the total; a "
	 "second Shutdown waits for the first", "ok", shutdown_correct, "shutdown_correct", 1},
	{"over-budget", "per-phase budgets that add up to more than the total overrun it",
	 "metric:shutdown_ms>total", shutdown_over_budget, "shutdown_over_budget", 1,
	 "Each phase gets a generous timeout of its own, and together they exceed the total the "
	 "platform allows. When the requests and the flush are slow, the shutdown overruns, and in "
	 "production the process is killed in the middle of a phase."},
	{"no-wait", "a phase that does not wait for the one before loses the results it produces",
	 "invariant:data-kept", shutdown_no_wait, "shutdown_no_wait", 1,
	 "The drain phase does not wait for the requests in flight before the flush begins. Requests "
	 "that finish after the flush hand their results to a writer that has already written out, so "
	 "they are lost while Shutdown reports success."},
	{"double-close", "a Shutdown with no guard: the second caller closes shutdownCh again",
	 "panic", shutdown_double_close, "shutdown_double_close", 1,
	 "Shutdown closes shutdownCh with no guard, and both the signal handler and main call it. The "
	 "second close panics, so the shutdown meant to be graceful crashes."},
	{"early-return", "a second Shutdown that returns at once, before the first has finished",
	 "invariant:shutdown-complete", shutdown_early_return, "shutdown_early_return", 1,
	 "A second Shutdown sees one in progress and returns nil at once. Its caller then believes the "
	 "service is down and moves on (exits, releases the port) while the first caller is still "
	 "draining: it should wait on doneCh and return the same result."},
};

const struct pattern pattern_shutdown = {
	.name = "shutdown",
	.title = "Graceful shutdown in phases",
	.level = PATTERN_SENIOR,
	.summary = "A service shuts down in four phases, in order: stop accepting requests, drain the "
	           "ones in flight, flush buffered results, close the database. Each phase waits for "
	           "the one before and has its own budget, forcing its way out when the budget runs "
	           "out; the budgets add up to less than the total the platform allows. Shutdown is "
	           "idempotent: the first caller does the work, a second waits for it and gets the "
	           "same result.",
	.handshake = "The first caller marks the shutdown started under a mutex and closes shutdownCh; "
	             "a later caller waits on doneCh and returns the same error. Phase 1 closes the "
	             "listener and waits for the accept loop; phase 2 waits for the in-flight wait "
	             "group, cancelling the handlers at its deadline; phase 3 closes flushReq and waits "
	             "for flushed; phase 4 closes the database; then doneCh is closed.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/shutdown.c",
	.go_source = "patterns/go/shutdown.go",
};
