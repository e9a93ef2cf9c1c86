/*
 * barrier.c - an N-way startup barrier: start N children, wait until every
 * one has initialised before going on, and when one fails to start, cancel
 * the others through a context and wait for them.  Three correct forms, the
 * three of the senior Handshaking guide: per-child started channels
 * (correct), a wait group (waitgroup) and one shared ready channel
 * (ready-channel).  Read it beside patterns/go/barrier.go.
 *
 * A child's initialisation takes a while (a latency with a long tail),
 * watches the context, and fails now and then ("connection refused").
 *
 * Checks:
 *   invariant all-ready  when the barrier reports success, every child has
 *                        really finished initialising.
 */
#include "patterns/pattern.h"

struct child {
	int id;
	cl_chan *started;        /* correct: chan error, capacity 1 */
	bool ready;              /* set when its initialisation succeeded */
};

/* What the parent and its children share: Go's closure variables. */
struct barrier {
	struct pattern_run *run;
	cl_ctx *ctx;             /* the children's lifetime: cancel stops them all */
	cl_waitgroup *wg;        /* every child, until it returns */
	cl_waitgroup *start_wg;  /* waitgroup form: until every child has initialised */
	cl_chan *ready;          /* ready-channel form: chan struct{}, capacity N */
	cl_chan *errs;           /* ready-channel and waitgroup forms: chan error */
	struct child *c;
	int n;
};

struct child_args {
	struct barrier *b;
	struct child *c;
};

/* Go: func loadConfig(id int) -- every child first reads its configuration
 * (a file, a flag set), a short step before it can do anything else. */
static void load_config(struct child *c)
{
	cl_note("child %d reads its configuration", c->id);
	cl_sleep(pattern_latency(CL_MS));
}

/* Go: func initialise(ctx context.Context, id int) error */
static cl_error initialise(struct barrier *b, struct child *c)
{
	/* Go: select { case <-time.After(latency(initTime)): case <-ctx.Done(): return ctx.Err() } */
	struct cl_case cases[] = {
		CL_RECV_CASE(cl_after(pattern_latency(pattern_param(b->run, "init") * CL_MS)), NULL),
		CL_RECV_CASE(cl_ctx_done(b->ctx), NULL),
	};
	if (cl_select(cases, 2) == 1)
		return cl_ctx_err(b->ctx);
	/* Go: if rand.Intn(100) < fail { return errors.New("connection refused") } */
	if ((long)cl_rand_below(100) < pattern_param(b->run, "fail"))
		return "connection refused";
	c->ready = true;
	return NULL;
}

/* Go: runMainLoop(ctx, id) -- serve until the context is cancelled. */
static void main_loop(struct barrier *b, struct child *c)
{
	cl_note("child %d ready, serving", c->id);
	cl_recv(cl_ctx_done(b->ctx), NULL);
}

/* ---- per-child started channels (correct) --------------------------------------- */

/* Go: func run(ctx, c *Child) { defer wg.Done(); loadConfig(c.id); err := initialise(ctx, c.id); c.Started <- err; if err == nil { runMainLoop(ctx, c.id) } } */
static void child_started(void *arg)
{
	struct child_args *a = arg;
	load_config(a->c);
	cl_error err = initialise(a->b, a->c);
	cl_send(a->c->started, &err);
	if (!err)
		main_loop(a->b, a->c);
	cl_wg_done(a->b->wg);
}

/* Go: func startPerChild(ctx, cancel, n) error -- wait on each started in turn. */
static cl_error start_per_child(struct barrier *b, bool cancel_on_failure)
{
	for (int i = 0; i < b->n; i++) {
		b->c[i].started = cl_make("started", cl_error, 1);
		cl_chan_set_fmt(b->c[i].started, cl_fmt_str);
		struct child_args *a = pattern_alloc(b->run, sizeof *a);
		*a = (struct child_args){b, &b->c[i]};
		cl_wg_add(b->wg, 1);
		cl_go(child_started, a, "child-%d", i + 1);
	}
	/* Go: startCtx, cancelStart := context.WithTimeout(ctx, deadline); defer cancelStart() */
	cl_ctx *start_ctx = cl_with_timeout(b->ctx, pattern_param(b->run, "deadline") * CL_MS);
	cl_error err = NULL;
	for (int i = 0; i < b->n && !err; i++) {
		/* Go: select { case err = <-c.Started: case <-startCtx.Done(): err = startCtx.Err() } */
		struct cl_case cases[] = {CL_RECV_CASE(b->c[i].started, &err),
		                          CL_RECV_CASE(cl_ctx_done(start_ctx), NULL)};
		if (cl_select(cases, 2) == 1)
			err = cl_ctx_err(start_ctx);
	}
	cl_cancel(start_ctx);
	if (err && cancel_on_failure) {
		/* Go: cancel(); wg.Wait() -- stop the children that did start, and wait for them */
		cl_cancel(b->ctx);
		cl_wg_wait(b->wg);
	}
	return err;
}

/* ---- one shared ready channel (ready-channel) ---------------------------------- */

/* Go: go func(id int) { defer wg.Done(); loadConfig(id); if err := initialise(ctx, id); err != nil { errs <- err; return }; ready <- struct{}{}; runMainLoop(ctx, id) }(i) */
static void child_ready(void *arg)
{
	struct child_args *a = arg;
	load_config(a->c);
	cl_error err = initialise(a->b, a->c);
	if (err) {
		cl_send(a->b->errs, &err);
	} else {
		char v = 1;
		cl_send(a->b->ready, &v);
		main_loop(a->b, a->c);
	}
	cl_wg_done(a->b->wg);
}

/* Go: func startReadyChannel(ctx, cancel, n, errs) error */
static cl_error start_ready_channel(struct barrier *b)
{
	b->ready = cl_make("ready", char, (size_t)b->n);
	for (int i = 0; i < b->n; i++) {
		struct child_args *a = pattern_alloc(b->run, sizeof *a);
		*a = (struct child_args){b, &b->c[i]};
		cl_wg_add(b->wg, 1);
		cl_go(child_ready, a, "child-%d", i + 1);
	}
	cl_ctx *start_ctx = cl_with_timeout(b->ctx, pattern_param(b->run, "deadline") * CL_MS);
	cl_error err = NULL;
	/* Go: for i := 0; i < n; i++ { select { case <-ready: case err = <-errs: case <-startCtx.Done(): } } */
	for (int i = 0; i < b->n && !err; i++) {
		struct cl_case cases[] = {CL_RECV_CASE(b->ready, NULL), CL_RECV_CASE(b->errs, &err),
		                          CL_RECV_CASE(cl_ctx_done(start_ctx), NULL)};
		if (cl_select(cases, 3) == 2)
			err = cl_ctx_err(start_ctx);
	}
	cl_cancel(start_ctx);
	if (err) {
		cl_cancel(b->ctx);
		cl_wg_wait(b->wg);
	}
	return err;
}

/* ---- a wait group (waitgroup) ---------------------------------------------------- */

/* Go: go func(id int) { defer wg.Done(); loadConfig(id); err := initialise(ctx, id); if err != nil { errs <- err }; startWG.Done(); ... }(i) */
static void child_wg(void *arg)
{
	struct child_args *a = arg;
	load_config(a->c);
	cl_error err = initialise(a->b, a->c);
	if (err)
		cl_send(a->b->errs, &err);
	cl_wg_done(a->b->start_wg);
	if (!err)
		main_loop(a->b, a->c);
	cl_wg_done(a->b->wg);
}

/* Variant add-inside: the child adds itself to the start group. */
static void child_wg_add_inside(void *arg)
{
	struct child_args *a = arg;
	load_config(a->c);
	/* MISTAKE(add-inside): startWG.Add(1) inside the child: the parent's Wait can run before any child has added itself */
	cl_wg_add(a->b->start_wg, 1);
	cl_error err = initialise(a->b, a->c);
	if (err)
		cl_send(a->b->errs, &err);
	cl_wg_done(a->b->start_wg);
	if (!err)
		main_loop(a->b, a->c);
	cl_wg_done(a->b->wg);
}

/* Go: func startWaitGroup(ctx, cancel, n, child) error */
static cl_error start_waitgroup(struct barrier *b, void (*child_fn)(void *), bool add_before_go)
{
	b->start_wg = cl_wg_new("startWG");
	for (int i = 0; i < b->n; i++) {
		struct child_args *a = pattern_alloc(b->run, sizeof *a);
		*a = (struct child_args){b, &b->c[i]};
		cl_wg_add(b->wg, 1);
		/* Go: startWG.Add(1) -- before the go statement */
		if (add_before_go)
			cl_wg_add(b->start_wg, 1);
		cl_go(child_fn, a, "child-%d", i + 1);
	}
	/* Go: startWG.Wait() -- a wait group cannot be selected on, so no deadline here */
	cl_wg_wait(b->start_wg);
	/* Go: select { case err := <-errs: cancel(); wg.Wait(); return err; default: return nil } */
	cl_error err = NULL;
	struct cl_case cases[] = {CL_RECV_CASE(b->errs, &err)};
	if (cl_select_default(cases, 1) == 0) {
		cl_cancel(b->ctx);
		cl_wg_wait(b->wg);
	}
	return err;
}

/* ---- the parent ------------------------------------------------------------------ */

static struct barrier *barrier_new(struct pattern_run *run, size_t errs_cap)
{
	struct barrier *b = pattern_alloc(run, sizeof *b);
	b->run = run;
	b->n = (int)pattern_param(run, "children");
	b->c = pattern_alloc(run, (size_t)b->n * sizeof *b->c);
	for (int i = 0; i < b->n; i++)
		b->c[i].id = i + 1;
	/* Go: ctx, cancel := context.WithCancel(context.Background()) */
	b->ctx = cl_with_cancel(cl_background());
	b->wg = cl_wg_new("wg");
	b->errs = cl_make("errs", cl_error, errs_cap);
	cl_chan_set_fmt(b->errs, cl_fmt_str);
	return b;
}

/* Go: func finish(err error) -- after the barrier: on success every child
 * must be ready; then run a while, cancel and wait. */
static void finish(struct barrier *b, cl_error err)
{
	if (err) {
		cl_note("main: startup failed: %s", err);
		return;
	}
	for (int i = 0; i < b->n; i++)
		if (!b->c[i].ready) {
			pattern_fail(b->run, "all-ready", "the barrier let main through at %lldms while "
			             "child %d had not finished initialising", PATTERN_MS(cl_now()), b->c[i].id);
			break;
		}
	cl_note("main: all %d children started", b->n);
	cl_cancel(b->ctx);
	cl_wg_wait(b->wg);
}

/* Go: func correct() */
static void barrier_correct(struct pattern_run *run)
{
	struct barrier *b = barrier_new(run, (size_t)pattern_param(run, "children"));
	finish(b, start_per_child(b, true));
}

/* Go: func noCancel() */
static void barrier_no_cancel(struct pattern_run *run)
{
	struct barrier *b = barrier_new(run, (size_t)pattern_param(run, "children"));
	/* MISTAKE(no-cancel): on a failure startPerChild just returns the error: no cancel(), no wg.Wait(), the children that started are left running */
	finish(b, start_per_child(b, false));
}

/* Go: func waitGroup() */
static void barrier_waitgroup(struct pattern_run *run)
{
	struct barrier *b = barrier_new(run, (size_t)pattern_param(run, "children"));
	finish(b, start_waitgroup(b, child_wg, true));
}

/* Go: func addInside() */
static void barrier_add_inside(struct pattern_run *run)
{
	struct barrier *b = barrier_new(run, (size_t)pattern_param(run, "children"));
	finish(b, start_waitgroup(b, child_wg_add_inside, false));
}

/* Go: func readyChannel() */
static void barrier_ready_channel(struct pattern_run *run)
{
	/* Go: errs := make(chan error, n) -- room for every child's error */
	struct barrier *b = barrier_new(run, (size_t)pattern_param(run, "children"));
	finish(b, start_ready_channel(b));
}

/* Go: func unbufferedErrors() */
static void barrier_unbuffered_errors(struct pattern_run *run)
{
	/* MISTAKE(unbuffered-errors): errs := make(chan error): after the first error nobody receives, and every other failing child blocks on its send */
	struct barrier *b = barrier_new(run, 0);
	finish(b, start_ready_channel(b));
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"handshaking: N-way startup barriers, per-child started channels (002 senior)",
	"handshaking: a single barrier channel with an error channel (002 senior)",
	"handshaking: WaitGroup as a barrier; Add before go (000 q8, q14)",
	"handshaking: one child fails to start: cancel the others (002 errgroup; 000 q8)",
	"t13 goroutine leaks",
	NULL,
};

static const struct pattern_param params[] = {
	{"children", "3", "children to start", 1, 64, NULL},
	{"init", "20", "typical time a child takes to initialise, in ms (long tail: up to 10x)", 0,
	 10000, NULL},
	{"fail", "30", "chance in percent that a child fails to start", 0, 100, NULL},
	{"deadline", "500", "the barrier's deadline, in ms", 1, 1000000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "per-child started channels under one deadline; on a failure cancel the rest and "
	 "wait for them", "ok", barrier_correct, "barrier_correct", 1},
	{"waitgroup", "a start wait group, Add before go; errors in a channel with room for all",
	 "ok", barrier_waitgroup, "barrier_waitgroup", 1},
	{"ready-channel", "one ready channel and one error channel, both with room for every child",
	 "ok", barrier_ready_channel, "barrier_ready_channel", 1},
	{"no-cancel", "returning the first error without cancelling leaves the other children running "
	 "forever", "leak", barrier_no_cancel, "barrier_no_cancel", 1,
	 "When a child fails to start, the parent returns the error but never cancels the context, so "
	 "the children that did start keep running with nobody to stop them: a goroutine leak."},
	{"unbuffered-errors", "an unbuffered error channel: after the first error, the other failing "
	 "children block on their send", "deadlock", barrier_unbuffered_errors,
	 "barrier_unbuffered_errors", 2,
	 "The error channel has no buffer. The parent takes the first error and stops listening, so "
	 "every other child that fails (or is cancelled while starting) blocks forever on its send, "
	 "and the parent waits for it forever."},
	{"add-inside", "wg.Add inside the child: Wait may return before anyone has added",
	 "invariant:all-ready", barrier_add_inside, "barrier_add_inside", 1,
	 "Each child calls startWG.Add(1) itself, after the go statement. The parent's Wait can run "
	 "while the counter is still zero and return at once, so the barrier lets main through "
	 "before the children are ready."},
};

const struct pattern pattern_barrier = {
	.name = "barrier",
	.title = "N-way startup barrier",
	.level = PATTERN_SENIOR,
	.summary = "Start N children and go on only when every one of them is ready. Each child "
	           "initialises (it takes a while and can fail) and reports: on its own started "
	           "channel, through a start wait group, or on one shared ready channel with errors on "
	           "another. The parent waits under one deadline; when a child fails, it cancels the "
	           "context all children watch, waits for them to return, and reports the error.",
	.handshake = "A child initialises, then reports ready or its error, then serves until the "
	             "context is cancelled. The parent collects N reports. On the first error it "
	             "cancels the context and waits on the wait group of all children, so none is "
	             "left behind. On success it goes on, and at the end cancels and waits the same way.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/barrier.c",
	.go_source = "patterns/go/barrier.go",
};
