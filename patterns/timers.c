/*
 * timers.c - time.After in a loop versus one reusable timer, and a ticker
 * that must be stopped.  A handler waits for each event with a timeout; a
 * heartbeat task ticks in the background until main says stop.  Read it
 * beside patterns/go/timers.go.
 *
 * Go 1.23 changed timers: an unreferenced timer or ticker is collected
 * even if it was never stopped, and a stopped or reset timer's channel no
 * longer delivers a stale value.  This runtime, like Go 1.19, keeps the old
 * rules: a time.After timer lives until it fires, and a ticker's goroutine
 * lives until someone stops it.
 *
 * Checks:
 *   metric live_timers  timeout timers created and not yet fired (or
 *                       stopped), at most, while events are handled.
 *   invariant all-events  every event is handled.
 */
#include "patterns/pattern.h"

#define TM_MAX_TIMERS 4096

struct timers {
	struct pattern_run *run;
	cl_chan *events;           /* chan int */
	cl_chan *stop;             /* closed by main: the heartbeat's done channel */
	cl_time deadlines[TM_MAX_TIMERS];   /* main only: the timeout timers it created */
	int ntimers;
	cl_waitgroup *wg;
};

/* Measures how many of the timeout timers are live (not yet fired) now. */
static void count_live(struct timers *t)
{
	int live = 0;
	for (int i = 0; i < t->ntimers; i++)
		live += t->deadlines[i] > cl_now();
	pattern_metric_max(t->run, "live_timers", live);
}

/* Records a new timeout timer's deadline, then counts. */
static void count_timer(struct timers *t, cl_time deadline)
{
	if (t->ntimers < TM_MAX_TIMERS)
		t->deadlines[t->ntimers++] = deadline;
	count_live(t);
}

/* Go: go func() { for i := 1; i <= n; i++ { time.Sleep(latency(gap)); events <- i }; close(events) }() */
static void source(void *arg)
{
	struct timers *t = arg;
	int n = (int)pattern_param(t->run, "events");
	for (int i = 1; i <= n; i++) {
		cl_sleep(pattern_latency(pattern_param(t->run, "gap") * CL_MS));
		cl_send(t->events, &i);
	}
	cl_close(t->events);
}

/* Go: ticker := time.NewTicker(period); defer ticker.Stop(); for { select { case <-ticker.C: beat(); case <-stop: return } } */
static void heartbeat(void *arg)
{
	struct timers *t = arg;
	cl_timer *ticker = cl_ticker_new(pattern_param(t->run, "gap") * CL_MS);
	for (;;) {
		struct cl_case c[] = {CL_RECV_CASE(cl_timer_chan(ticker), NULL), CL_RECV_CASE(t->stop, NULL)};
		if (cl_select(c, 2) == 1)
			break;
		cl_note("heartbeat");
	}
	cl_timer_stop(ticker);
	cl_wg_done(t->wg);
}

/* Variant ticker-never-stopped: the heartbeat ranges over the ticker forever. */
static void heartbeat_never_stopped(void *arg)
{
	struct timers *t = arg;
	cl_timer *ticker = cl_ticker_new(pattern_param(t->run, "gap") * CL_MS);
	/* MISTAKE(ticker-never-stopped): for range ticker.C with no stop case and no ticker.Stop(): it ticks forever */
	while (cl_recv(cl_timer_chan(ticker), NULL))
		cl_note("heartbeat");
	cl_wg_done(t->wg);
}

/* Go: timer := time.NewTimer(timeout); for { if !timer.Stop() { drain }; timer.Reset(timeout); select { ... } } */
static int handle_reusing(struct timers *t)
{
	cl_time timeout = pattern_param(t->run, "timeout") * CL_MS;
	cl_timer *timer = cl_timer_new(timeout);
	count_timer(t, cl_now() + timeout);
	int handled = 0;
	for (;;) {
		int e;
		struct cl_case c[] = {CL_RECV_CASE(t->events, &e), CL_RECV_CASE(cl_timer_chan(timer), NULL)};
		int k = cl_select(c, 2);
		if (k == 1) {
			cl_note("main: no event for %lldms", PATTERN_MS(timeout));
		} else if (!c[0].ok) {
			break;
		} else {
			handled++;
			cl_note("main handles event %d", e);
		}
		/* Go: if !timer.Stop() { select { case <-timer.C: default: } }; timer.Reset(timeout) */
		if (!cl_timer_stop(timer)) {
			struct cl_case drain[] = {CL_RECV_CASE(cl_timer_chan(timer), NULL)};
			cl_select_default(drain, 1);
		}
		cl_timer_reset(timer, timeout);
		t->deadlines[0] = cl_now() + timeout;   /* the same timer, moved */
		count_live(t);
	}
	cl_timer_stop(timer);
	return handled;
}

/* Variant after-per-iteration: select { case e := <-events: ...; case <-time.After(timeout): ... } */
static int handle_after(struct timers *t)
{
	cl_time timeout = pattern_param(t->run, "timeout") * CL_MS;
	int handled = 0;
	for (;;) {
		int e;
		cl_chan *after = cl_after(timeout); /* MISTAKE(after-per-iteration): a new timer every turn, alive until it fires */
		count_timer(t, cl_now() + timeout);
		struct cl_case c[] = {CL_RECV_CASE(t->events, &e), CL_RECV_CASE(after, NULL)};
		int k = cl_select(c, 2);
		if (k == 1) {
			cl_note("main: no event for %lldms", PATTERN_MS(timeout));
		} else if (!c[0].ok) {
			break;
		} else {
			handled++;
			cl_note("main handles event %d", e);
		}
	}
	return handled;
}

static void run_timers(struct pattern_run *run, int (*handle)(struct timers *), void (*beat)(void *))
{
	pattern_limit(run, "live_timers", 1, "");
	struct timers *t = pattern_alloc(run, sizeof *t);
	t->run = run;
	t->events = cl_make("events", int, 0);
	cl_chan_set_fmt(t->events, cl_fmt_int);
	t->stop = cl_make("stop", char, 0);
	t->wg = cl_wg_new("wg");
	cl_wg_add(t->wg, 1);
	cl_go(beat, t, "heartbeat");
	cl_go(source, t, "source");
	int handled = handle(t);
	/* Go: close(stop) -- the heartbeat's stop case */
	cl_close(t->stop);
	if (handled != (int)pattern_param(run, "events"))
		pattern_fail(run, "all-events", "%d events handled of %d", handled,
		             (int)pattern_param(run, "events"));
}

/* Go: func correct() */
static void timers_correct(struct pattern_run *run)
{
	run_timers(run, handle_reusing, heartbeat);
}

/* Go: func afterPerIteration() */
static void timers_after_per_iteration(struct pattern_run *run)
{
	run_timers(run, handle_after, heartbeat);
}

/* Go: func tickerNeverStopped() */
static void timers_ticker_never_stopped(struct pattern_run *run)
{
	run_timers(run, handle_reusing, heartbeat_never_stopped);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t18 time.After, time.NewTimer, time.NewTicker: which leaks; Go 1.23's timer changes",
	"t37 timeouts with select",
	"t13 goroutine leaks: a ticker loop nobody stops",
	NULL,
};

static const struct pattern_param params[] = {
	{"events", "12", "events the source sends", 1, 1000, NULL},
	{"gap", "2", "typical time between events, and the heartbeat's period, in ms", 1, 1000, NULL},
	{"timeout", "100", "how long main waits for an event before it notes a timeout, in ms", 1, 100000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "one timer, stopped, drained and reset each turn; the ticker stopped via a done channel",
	 "ok", timers_correct, "timers_correct", 1},
	{"after-per-iteration", "time.After in the loop: a new timer every turn, each alive until it "
	 "fires", "metric:live_timers>1", timers_after_per_iteration, "timers_after_per_iteration", 1,
	 .lesson = "each turn's time.After makes a timer that lives until it fires, long after the "
	           "event it was waiting beside has come: a busy loop piles up thousands of them "
	           "(before Go 1.23). Make one timer and Reset it each turn."},
	{"ticker-never-stopped", "a heartbeat ranging over a ticker with no way to stop: it leaks",
	 "leak", timers_ticker_never_stopped, "timers_ticker_never_stopped", 1,
	 .lesson = "for range ticker.C never ends and nobody calls Stop, so the heartbeat goroutine "
	           "and its ticker outlive their use. Select on a done channel too, and defer "
	           "ticker.Stop()."},
};

const struct pattern pattern_timers = {
	.name = "timers",
	.title = "Timers and tickers",
	.level = PATTERN_MIDDLE,
	.summary = "main handles events, waiting for each with a timeout, while a heartbeat ticks in "
	           "the background. One timer, stopped, drained and reset every turn, serves all the "
	           "timeouts; time.After in the loop would make a new timer each turn, each alive "
	           "until it fires. The heartbeat selects on its ticker and on a stop channel that "
	           "main closes, and stops the ticker when it returns.",
	.handshake = "Each turn main selects on the next event and on the timer's channel. Before "
	             "the next turn it stops the timer, drains a value that fired meanwhile, and "
	             "resets it. When the events end, main closes stop; the heartbeat's select takes "
	             "that case, it stops its ticker and returns.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/timers.c",
	.go_source = "patterns/go/timers.go",
};
