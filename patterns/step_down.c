/*
 * step_down.c - promotion and step-down: a new leader must not serve until
 * the old one has confirmed that it stepped down.  The old leader is asked
 * through stepDown (closed once, however many ask), hands over and closes
 * steppedDown; Promote waits for steppedDown before it closes promoted.
 * Read it beside patterns/go/step_down.go.
 *
 * When the old leader's lease is lost, two parts of the program ask it to
 * step down at the same moment: the lease watcher and the operator's tool.
 *
 * Checks:
 *   invariant one-leader  no write is accepted while two nodes are leaders.
 */
#include "patterns/pattern.h"

/* Go: type Election struct { stepDown, steppedDown, promoted chan struct{}; once sync.Once } */
struct election {
	struct pattern_run *run;
	cl_chan *step_down;      /* chan struct{}: closed to ask the old leader to step down */
	cl_chan *stepped_down;   /* chan struct{}: closed by the old leader when it has */
	cl_chan *promoted;       /* chan struct{}: closed by the new leader when it serves */
	cl_once *once;           /* one close of stepDown, however many callers */
	cl_chan *lease_lost;     /* chan struct{}: closed when the old leader's lease expires */
	cl_atomic64 leaders;     /* nodes currently acting as leader */
	cl_waitgroup *wg;        /* the two callers of StepDown and the new leader */
	cl_error (*step_down_fn)(struct election *e, cl_ctx *ctx);
	cl_error (*promote_fn)(struct election *e, cl_ctx *ctx);
};

/* Go: func (e *Election) write(node string, n int) -- accept one write as leader. */
static void accept_write(struct election *e, const char *node, int n)
{
	int64_t leaders = cl_atomic_load(&e->leaders);
	if (leaders > 1)
		pattern_fail(e->run, "one-leader", "%s accepted write %d at %lldms while %lld nodes were "
		             "leaders", node, n, PATTERN_MS(cl_now()), (long long)leaders);
	else
		cl_note("%s accepts write %d", node, n);
}

/* Go: func (e *Election) oldLeader() -- serve until asked to step down. */
static void old_leader(void *arg)
{
	struct election *e = arg;
	cl_atomic_add(&e->leaders, 1);
	for (int n = 1;; n++) {
		/* Go: select { case <-e.stepDown: ...; case <-time.After(latency(pace)): e.write("old", n) } */
		struct cl_case cases[] = {
			CL_RECV_CASE(e->step_down, NULL),
			CL_RECV_CASE(cl_after(pattern_latency(pattern_param(e->run, "pace") * CL_MS)), NULL),
		};
		if (cl_select(cases, 2) == 0)
			break;
		accept_write(e, "old leader", n);
	}
	/* Go: time.Sleep(latency(handOver)) -- finish the writes in progress, hand over */
	cl_note("old leader steps down");
	cl_sleep(pattern_latency(pattern_param(e->run, "handover") * CL_MS));
	cl_atomic_add(&e->leaders, -1);
	/* Go: close(e.steppedDown) */
	cl_close(e->stepped_down);
}

/* Go: func (e *Election) closeStepDown() */
static void close_step_down(void *arg)
{
	struct election *e = arg;
	cl_close(e->step_down);
}

/* Go: func (e *Election) StepDown(ctx context.Context) error */
static cl_error step_down(struct election *e, cl_ctx *ctx)
{
	/* Go: e.once.Do(func() { close(e.stepDown) }) -- however many callers */
	cl_once_do(e->once, close_step_down, e);
	/* Go: select { case <-e.steppedDown: return nil; case <-ctx.Done(): return ctx.Err() } */
	struct cl_case cases[] = {CL_RECV_CASE(e->stepped_down, NULL), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
	return cl_select(cases, 2) == 0 ? NULL : cl_ctx_err(ctx);
}

/* Variant check-then-close: the guide's own StepDown. */
static cl_error step_down_check_then_close(struct election *e, cl_ctx *ctx)
{
	/* Go: select { case <-e.stepDown: default: close(e.stepDown) } */
	struct cl_case check[] = {CL_RECV_CASE(e->step_down, NULL)};
	if (cl_select_default(check, 1) < 0) {
		/* MISTAKE(check-then-close): between the check and the close another caller can pass the same check: both close, the second panics */
		cl_close(e->step_down);
	}
	struct cl_case cases[] = {CL_RECV_CASE(e->stepped_down, NULL), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
	return cl_select(cases, 2) == 0 ? NULL : cl_ctx_err(ctx);
}

/* Go: func (e *Election) Promote(ctx context.Context) error */
static cl_error promote(struct election *e, cl_ctx *ctx)
{
	/* Go: select { case <-e.steppedDown: case <-ctx.Done(): return ctx.Err() } -- the key line */
	struct cl_case cases[] = {CL_RECV_CASE(e->stepped_down, NULL), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
	if (cl_select(cases, 2) == 1)
		return cl_ctx_err(ctx);
	cl_atomic_add(&e->leaders, 1);
	cl_close(e->promoted);
	return NULL;
}

/* Variant promote-early: Promote does not wait. */
static cl_error promote_early(struct election *e, cl_ctx *ctx)
{
	(void)ctx;
	/* MISTAKE(promote-early): no wait on e.steppedDown: the new leader serves while the old one still accepts writes */
	cl_atomic_add(&e->leaders, 1);
	cl_close(e->promoted);
	return NULL;
}

/* Go: go func() { defer wg.Done(); <-leaseLost; e.StepDown(ctx) }() -- lease watcher and operator. */
static void step_down_caller(void *arg)
{
	struct election *e = arg;
	cl_recv(e->lease_lost, NULL);
	cl_ctx *ctx = cl_with_timeout(cl_background(), pattern_param(e->run, "timeout") * CL_MS);
	cl_error err = e->step_down_fn(e, ctx);
	cl_cancel(ctx);
	cl_note("%s: StepDown returned %s", cl_task_name(), err ? err : "nil");
	cl_wg_done(e->wg);
}

/* Go: go func() { defer wg.Done(); if e.Promote(ctx) == nil { for n := 1..writes { e.write("new", n) } } }() */
static void new_leader(void *arg)
{
	struct election *e = arg;
	cl_ctx *ctx = cl_with_timeout(cl_background(), pattern_param(e->run, "timeout") * CL_MS);
	cl_error err = e->promote_fn(e, ctx);
	cl_cancel(ctx);
	if (!err) {
		int writes = (int)pattern_param(e->run, "writes");
		for (int n = 1; n <= writes; n++) {
			cl_sleep(pattern_latency(pattern_param(e->run, "pace") * CL_MS));
			accept_write(e, "new leader", n);
		}
	} else {
		cl_note("new leader: Promote: %s", err);
	}
	cl_wg_done(e->wg);
}

/* Go: func elect(stepDown, promote) -- the old leader serves, loses its lease, the new one takes over. */
static void elect(struct pattern_run *run, cl_error (*step_down_fn)(struct election *, cl_ctx *),
                  cl_error (*promote_fn)(struct election *, cl_ctx *))
{
	struct election *e = pattern_alloc(run, sizeof *e);
	e->run = run;
	e->step_down = cl_make("stepDown", char, 0);
	e->stepped_down = cl_make("steppedDown", char, 0);
	e->promoted = cl_make("promoted", char, 0);
	e->once = cl_once_new("once");
	e->lease_lost = cl_make("leaseLost", char, 0);
	e->wg = cl_wg_new("wg");
	e->step_down_fn = step_down_fn;
	e->promote_fn = promote_fn;
	cl_go(old_leader, e, "old-leader");
	cl_wg_add(e->wg, 3);
	cl_go(step_down_caller, e, "lease-watcher");
	cl_go(step_down_caller, e, "operator");
	/* Go: time.Sleep(runFor); close(leaseLost) -- the lease expires */
	cl_sleep(pattern_param(run, "run") * CL_MS);
	cl_note("main: the old leader's lease is lost");
	cl_close(e->lease_lost);
	cl_go(new_leader, e, "new-leader");
	cl_wg_wait(e->wg);
}

/* Go: func correct() */
static void step_down_correct(struct pattern_run *run)
{
	elect(run, step_down, promote);
}

/* Go: func promoteEarly() */
static void step_down_promote_early(struct pattern_run *run)
{
	elect(run, step_down, promote_early);
}

/* Go: func checkThenClose() */
static void step_down_check_then_close_variant(struct pattern_run *run)
{
	elect(run, step_down_check_then_close, promote);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"handshaking: promotion and step-down handshakes (002 senior)",
	"handshaking: the new leader waits for steppedDown: no split brain (000 q15)",
	"handshaking: idempotent close with sync.Once (001)",
	"handshaking: closing done from two callers races (000 q16)",
	NULL,
};

static const struct pattern_param params[] = {
	{"pace", "5", "typical time between a leader's writes, in ms", 0, 10000, NULL},
	{"handover", "10", "typical time the old leader takes to step down, in ms (long tail)", 0,
	 10000, NULL},
	{"run", "30", "when the old leader's lease is lost, in ms", 0, 100000, NULL},
	{"writes", "3", "writes the new leader accepts", 1, 1000, NULL},
	{"timeout", "500", "how long StepDown and Promote wait, in ms", 1, 1000000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "StepDown closes stepDown once; Promote waits for steppedDown before it serves",
	 "ok", step_down_correct, "step_down_correct", 1},
	{"promote-early", "promoting without waiting for the old leader's confirmation: two leaders "
	 "at once", "invariant:one-leader", step_down_promote_early, "step_down_promote_early", 1,
	 "Promote does not wait for the old leader to confirm that it stepped down. For the length of "
	 "the hand-over both nodes accept writes: a split brain."},
	{"check-then-close", "the guide's select-default-then-close: two callers both see it open and "
	 "both close it", "panic", step_down_check_then_close_variant,
	 "step_down_check_then_close_variant", 3,
	 "StepDown checks whether stepDown is closed and closes it if not, but the check and the close "
	 "are two steps: two callers at the same moment both see it open, both close it, and the "
	 "second close panics. Use sync.Once (or a mutex) around the close."},
};

const struct pattern pattern_step_down = {
	.name = "step-down",
	.title = "Promotion and step-down",
	.level = PATTERN_SENIOR,
	.summary = "In a leader-elected system the new leader must not accept writes until the old "
	           "one has stopped. The old leader is asked to step down by a close of stepDown, "
	           "finishes what is in progress and closes steppedDown. Promote waits for steppedDown "
	           "and only then closes promoted and serves. Several parts of a program may ask for "
	           "the step-down at once, so the close of stepDown is guarded by sync.Once.",
	.handshake = "The lease watcher and the operator both call StepDown: once.Do closes stepDown, "
	             "and both wait on steppedDown. The old leader's select sees stepDown, it hands "
	             "over, leaves the leader count and closes steppedDown. Promote's receive from "
	             "steppedDown returns; the new leader joins the count, closes promoted and serves.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/step_down.c",
	.go_source = "patterns/go/step_down.go",
};
