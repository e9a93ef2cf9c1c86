/*
 * supervisor.c - a supervisor in the Erlang manner: it starts each child in
 * a goroutine of its own, waits for it, and restarts it by its policy
 * (permanent: always; transient: after an error; temporary: never).  A
 * child's panic is recovered inside the child's own goroutine and becomes
 * its error.  A child restarted more than --max times within --window ms
 * makes the supervisor give up and escalate: it stops every child and
 * returns the error.  Read it beside patterns/go/supervisor.go.
 *
 * The children: "flaky" depends on a service that is down for its first
 * --storm starts (it panics at once); "worker" serves and now and then loses
 * its connection (an error); "job" does one piece of work and sometimes
 * times out; "probe" checks something once.
 *
 * Checks:
 *   metric restart_intensity  the most restarts of one child within any
 *                             --window ms, at most --max.
 */
#include "patterns/pattern.h"

enum policy { PERMANENT, TRANSIENT, TEMPORARY };

struct child;
/* Go: Start func(ctx context.Context, attempt int) error -- one run of a child */
typedef cl_error (*child_fn)(struct child *c, cl_ctx *ctx, int attempt);

/* Go: type ChildSpec struct { Name string; Run func(...) error; Restart RestartPolicy } */
struct child {
	struct supervisor *sup;
	const char *name;
	child_fn run;
	enum policy restart;
	cl_time restarts[64];    /* when it was last restarted (a ring) */
	int nrestarts;
};

struct supervisor {
	struct pattern_run *run;
	struct child *c;
	int n;
	cl_ctx *ctx;             /* the supervisor's own: cancelled to stop every child */
	cl_chan *errs;           /* chan error: a runner's escalation */
	cl_waitgroup *wg;        /* the runners */
	void (*attempt_fn)(void *);
	void (*runner_fn)(void *);
	bool limit_restarts;
};

/* What one run of a child reports: Go's exited chan error. */
struct attempt {
	struct child *c;
	cl_ctx *ctx;
	int number;
	cl_chan *exited;         /* chan error, capacity 1 */
	cl_error err;
	char errbuf[120];
};

/* ---- the children ------------------------------------------------------------------ */

/* Go: func flaky(ctx, attempt) error -- its dependency is down for the first `storm` starts. */
static cl_error flaky(struct child *c, cl_ctx *ctx, int attempt)
{
	cl_sleep(pattern_latency(CL_MS));
	if (attempt <= pattern_param(c->sup->run, "storm"))
		cl_panic("flaky: dependency down: nil pointer dereference");
	cl_recv(cl_ctx_done(ctx), NULL);
	return NULL;
}

/* Go: func worker(ctx, attempt) error -- serves until cancelled; now and then loses its connection. */
static cl_error worker(struct child *c, cl_ctx *ctx, int attempt)
{
	(void)attempt;
	for (;;) {
		struct cl_case cases[] = {
			CL_RECV_CASE(cl_ctx_done(ctx), NULL),
			CL_RECV_CASE(cl_after(pattern_latency(pattern_param(c->sup->run, "work") * CL_MS)), NULL),
		};
		if (cl_select(cases, 2) == 0)
			return NULL;
		if (cl_rand_below(10) == 0)
			return "worker: lost connection";
	}
}

/* Go: func job(ctx, attempt) error -- one piece of work; sometimes it times out. */
static cl_error job(struct child *c, cl_ctx *ctx, int attempt)
{
	(void)attempt;
	struct cl_case cases[] = {
		CL_RECV_CASE(cl_ctx_done(ctx), NULL),
		CL_RECV_CASE(cl_after(pattern_latency(pattern_param(c->sup->run, "work") * CL_MS)), NULL),
	};
	if (cl_select(cases, 2) == 0)
		return NULL;
	return cl_rand_below(3) == 0 ? "job: timeout" : NULL;
}

/* Go: func probe(ctx, attempt) error -- one check, done. */
static cl_error probe(struct child *c, cl_ctx *ctx, int attempt)
{
	(void)ctx;
	(void)attempt;
	cl_sleep(pattern_latency(pattern_param(c->sup->run, "work") * CL_MS));
	return "probe: unreachable";
}

/* ---- one run of a child, in its own goroutine ---------------------------------------- */

/* Go: defer func() { if r := recover(); r != nil { err = fmt.Errorf("panic: %v", r) }; exited <- err }() */
static void report_exit(void *arg)
{
	struct attempt *a = arg;
	const char *msg = cl_recover();
	if (msg) {
		snprintf(a->errbuf, sizeof a->errbuf, "panic: %s", msg);
		a->err = a->errbuf;
	}
	cl_send(a->exited, &a->err);
}

/* Go: go func() { defer reportExit(); err = spec.Run(ctx, n) }() */
static void run_attempt(void *arg)
{
	struct attempt *a = arg;
	/* Go: the recover is here, in the child's own goroutine */
	cl_defer(report_exit, a);
	a->err = a->c->run(a->c, a->ctx, a->number);
}

/* Variant recover-in-supervisor: the child's goroutine has no recover. */
static void run_attempt_bare(void *arg)
{
	struct attempt *a = arg;
	a->err = a->c->run(a->c, a->ctx, a->number);
	cl_send(a->exited, &a->err);
}

/* ---- the supervisor ------------------------------------------------------------------- */

/* Go: func (s *Supervisor) restartAllowed(c) bool -- at most max restarts within window. */
static bool restart_allowed(struct supervisor *s, struct child *c)
{
	cl_time now = cl_now(), window = pattern_param(s->run, "window") * CL_MS;
	int recent = 1;  /* this restart */
	int kept = c->nrestarts < 64 ? c->nrestarts : 64;
	for (int i = 0; i < kept; i++)
		if (c->restarts[i] > now - window)
			recent++;
	if (s->limit_restarts && recent > pattern_param(s->run, "max"))
		return false;
	c->restarts[c->nrestarts++ % 64] = now;
	pattern_metric_max(s->run, "restart_intensity", recent);
	return true;
}

/* Go: func (s *Supervisor) start(c, n) (<-chan error, context.CancelFunc) -- the started handshake */
static struct attempt *start_child(struct supervisor *s, struct child *c, int number)
{
	struct attempt *a = pattern_alloc(s->run, sizeof *a);
	a->c = c;
	a->number = number;
	/* Go: actx, acancel := context.WithCancel(context.Background()) -- the child's own stop */
	a->ctx = cl_with_cancel(cl_background());
	a->exited = cl_make("exited", cl_error, 1);
	cl_chan_set_fmt(a->exited, cl_fmt_str);
	cl_go(s->attempt_fn, a, "%s-%d", c->name, number);
	return a;
}

/* Go: func (s *Supervisor) runChild(ctx, c) error -- start, wait, restart by policy. */
static cl_error run_child(struct supervisor *s, struct child *c, bool stop_children)
{
	for (int number = 1;; number++) {
		struct attempt *a = start_child(s, c, number);
		/* Go: select { case err = <-exited: case <-ctx.Done(): acancel(); <-exited; return nil } */
		cl_error err;
		struct cl_case cases[] = {CL_RECV_CASE(a->exited, &err), CL_RECV_CASE(cl_ctx_done(s->ctx), NULL)};
		if (cl_select(cases, 2) == 1) {
			if (!stop_children) {
				/* MISTAKE(orphans): return on ctx.Done() without acancel() and <-exited: the supervisor stops, its children run on */
				return NULL;
			}
			cl_cancel(a->ctx);
			cl_recv(a->exited, NULL);
			return NULL;
		}
		cl_cancel(a->ctx);
		if (c->restart == TEMPORARY || (c->restart == TRANSIENT && !err)) {
			cl_note("supervisor: %s exited (%s), not restarted", c->name, err ? err : "ok");
			return NULL;
		}
		if (!restart_allowed(s, c)) {
			cl_note("supervisor: %s restarted too often, escalating: %s", c->name, err);
			return "supervisor: restart intensity exceeded";
		}
		cl_note("supervisor: %s exited (%s), restarting", c->name, err ? err : "ok");
	}
}

struct runner_args {
	struct supervisor *s;
	struct child *c;
};

/* Go: go func() { defer wg.Done(); if err := s.runChild(ctx, c); err != nil { errs <- err; cancel() } }() */
static void runner(void *arg)
{
	struct runner_args *r = arg;
	cl_error err = run_child(r->s, r->c, true);
	if (err) {
		cl_send(r->s->errs, &err);
		cl_cancel(r->s->ctx);
	}
	cl_wg_done(r->s->wg);
}

static void runner_orphans(void *arg)
{
	struct runner_args *r = arg;
	cl_error err = run_child(r->s, r->c, false);
	if (err) {
		cl_send(r->s->errs, &err);
		cl_cancel(r->s->ctx);
	}
	cl_wg_done(r->s->wg);
}

/* Go: defer func() { if r := recover(); r != nil { ... } }() -- in the supervisor's own goroutine */
static void recover_in_runner(void *arg)
{
	(void)arg;
	const char *msg = cl_recover();
	if (msg)
		cl_note("supervisor recovered: %s", msg);
}

static void runner_recovering(void *arg)
{
	/* MISTAKE(recover-in-supervisor): the recover is in the supervisor's goroutine; a child's panic happens in the child's, where nothing recovers it */
	cl_defer(recover_in_runner, NULL);
	runner(arg);
}

/* Go: func (s *Supervisor) Run(ctx context.Context) error */
static void supervisor_run(void *arg)
{
	struct supervisor *s = arg;
	cl_wg_add(s->wg, s->n);
	for (int i = 0; i < s->n; i++) {
		struct runner_args *r = pattern_alloc(s->run, sizeof *r);
		*r = (struct runner_args){s, &s->c[i]};
		cl_go(s->runner_fn, r, "run-%s", s->c[i].name);
	}
	cl_wg_wait(s->wg);
}

/* Go: func supervise(...) -- run the supervisor; stop it after a while unless it escalated. */
static void supervise(struct pattern_run *run, void (*attempt_fn)(void *), void (*runner_fn)(void *),
                      bool limit_restarts)
{
	pattern_limit(run, "restart_intensity", pattern_param(run, "max"), "");
	static const struct {
		const char *name;
		child_fn fn;
		enum policy restart;
	} specs[] = {
		{"flaky", flaky, PERMANENT},
		{"worker", worker, PERMANENT},
		{"job", job, TRANSIENT},
		{"probe", probe, TEMPORARY},
	};
	struct supervisor *s = pattern_alloc(run, sizeof *s);
	s->run = run;
	s->n = (int)pattern_param(run, "children");   /* the first N specs: small enough to explore */
	s->c = pattern_alloc(run, (size_t)s->n * sizeof *s->c);
	for (int i = 0; i < s->n; i++)
		s->c[i] = (struct child){.sup = s, .name = specs[i].name, .run = specs[i].fn,
		                         .restart = specs[i].restart};
	/* Go: ctx, cancel := context.WithCancel(context.Background()) */
	s->ctx = cl_with_cancel(cl_background());
	s->errs = cl_make("errs", cl_error, (size_t)s->n);
	cl_chan_set_fmt(s->errs, cl_fmt_str);
	s->wg = cl_wg_new("wg");
	s->attempt_fn = attempt_fn;
	s->runner_fn = runner_fn;
	s->limit_restarts = limit_restarts;
	/* Go: go func() { s.Run(ctx); close(done) }() -- here the wait group is the done signal */
	cl_go(supervisor_run, s, "supervisor");
	/* Go: select { case err := <-errs: (escalated) case <-time.After(runFor): cancel() } */
	cl_error err = NULL;
	struct cl_case cases[] = {CL_RECV_CASE(s->errs, &err),
	                          CL_RECV_CASE(cl_after(pattern_param(run, "run") * CL_MS), NULL)};
	if (cl_select(cases, 2) == 0)
		cl_note("main: the supervisor escalated: %s", err);
	else
		cl_note("main: stopping the supervisor");
	cl_cancel(s->ctx);
	cl_wg_wait(s->wg);
}

/* Go: func correct() */
static void supervisor_correct(struct pattern_run *run)
{
	supervise(run, run_attempt, runner, true);
}

/* Go: func noLimit() */
static void supervisor_no_limit(struct pattern_run *run)
{
	/* MISTAKE(no-limit): restart whatever happens: no intensity check, so a child whose dependency is down restarts as fast as it can fail */
	supervise(run, run_attempt, runner, false);
}

/* Go: func recoverInSupervisor() */
static void supervisor_recover_in_supervisor(struct pattern_run *run)
{
	supervise(run, run_attempt_bare, runner_recovering, true);
}

/* Go: func orphans() */
static void supervisor_orphans(struct pattern_run *run)
{
	supervise(run, run_attempt, runner_orphans, true);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"handshaking: supervisor trees, restart strategies permanent, transient, temporary (002)",
	"handshaking: escalate after N restarts in M seconds (002 senior)",
	"handshaking: recover the panic inside the child's goroutine (002 mistake 4; why not just panic)",
	"handshaking: a stop signal that does not reach the children (002 mistake 3)",
	"t13 goroutine leaks",
	NULL,
};

static const struct pattern_param params[] = {
	{"max", "3", "restarts of one child allowed within --window before escalating", 1, 1000, NULL},
	{"window", "50", "the restart-intensity window, in ms", 1, 100000, NULL},
	{"storm", "20", "starts of flaky that fail before its dependency comes back", 0, 1000, NULL},
	{"work", "10", "typical time of a child's piece of work, in ms (long tail)", 0, 10000, NULL},
	{"run", "100", "how long main lets the supervisor run, in ms", 0, 100000, NULL},
	{"children", "4", "children to supervise: the first N of flaky, worker, job and probe", 1, 4,
	 NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "restart by policy, recover in the child, escalate after max restarts within the "
	 "window, stop every child when stopping", "ok", supervisor_correct, "supervisor_correct", 1},
	{"no-limit", "restarting without a limit: a restart storm while a dependency is down",
	 "metric:restart_intensity>max", supervisor_no_limit, "supervisor_no_limit", 1,
	 "The supervisor restarts a failing child however often it fails. While its dependency is "
	 "down the child restarts as fast as it can crash, a restart storm that burns CPU and floods "
	 "the logs; escalate after N restarts in M seconds instead."},
	{"recover-in-supervisor", "a recover in the supervisor's goroutine cannot catch a panic in "
	 "the child's", "panic", supervisor_recover_in_supervisor,
	 "supervisor_recover_in_supervisor", 1,
	 "The recover is in the supervisor's goroutine, but the child panics in its own. recover only "
	 "stops a panic in the goroutine that defers it, so the first crash of a child ends the whole "
	 "program."},
	{"orphans", "stopping the supervisor without stopping its children leaves them running",
	 "leak", supervisor_orphans, "supervisor_orphans", 1,
	 "When the supervisor is stopped it returns without stopping and waiting for its children. "
	 "They keep running with nobody watching them: a goroutine leak on every restart of the "
	 "supervisor."},
};

const struct pattern pattern_supervisor = {
	.name = "supervisor",
	.title = "Supervisor with restart policies",
	.level = PATTERN_SENIOR,
	.summary = "A supervisor runs each child in its own goroutine, waits for it to exit, and "
	           "restarts it according to its policy: permanent children always, transient ones "
	           "only after an error, temporary ones never. A child's panic is recovered in the "
	           "child's own goroutine and reported as its error, so one crash does not end the "
	           "program. A child restarted too often in a short time makes the supervisor give up, "
	           "stop every child and return the error to its parent.",
	.handshake = "For each run of a child the supervisor starts a goroutine with the child's own "
	             "context and waits on its exited channel; the child's deferred function recovers "
	             "a panic and sends the error there. When the supervisor is stopped it cancels each "
	             "child's context and waits on exited before it returns.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/supervisor.c",
	.go_source = "patterns/go/supervisor.go",
};
