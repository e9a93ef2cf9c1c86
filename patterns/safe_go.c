/*
 * safe_go.c - starting tasks that cannot take the program down: safeGo runs
 * a function in a new goroutine whose deferred function recovers a panic and
 * reports it as that task's error, so the parent receives one result per
 * task, an error or nil, and decides what to do.  Read it beside
 * patterns/go/safe_go.go.
 *
 * Each task does a piece of work (a latency) and now and then hits a bug
 * (an index out of range: a panic).
 *
 * Checks: none of its own; the runtime sees a panic nobody recovered and a
 * parent waiting for a result that never comes.
 */
#include "patterns/pattern.h"

/* Go: type result struct { id int; err error } -- one per task */
struct result {
	int id;
	cl_error err;
};

static void fmt_result(const void *value, char *buf, size_t size)
{
	const struct result *r = value;
	snprintf(buf, size, "task %d: %s", r->id, r->err ? r->err : "ok");
}

struct task {
	struct pattern_run *run;
	int id;
	cl_chan *results;        /* chan result, capacity N */
	char errbuf[120];
};

/* Go: func work(id int) error -- the task's body; sometimes it has a bug. */
static cl_error work(struct task *t)
{
	cl_sleep(pattern_latency(pattern_param(t->run, "work") * CL_MS));
	/* Go: if rand.Intn(100) < panics { var s []int; _ = s[id] } -- index out of range */
	if ((long)cl_rand_below(100) < pattern_param(t->run, "panics"))
		cl_panic("runtime error: index out of range [%d] with length 0", t->id);
	return NULL;
}

/* Go: defer func() { if r := recover(); r != nil { results <- result{id, fmt.Errorf("panic: %v", r)} } }() */
static void recover_and_report(void *arg)
{
	struct task *t = arg;
	const char *msg = cl_recover();
	if (!msg)
		return;
	snprintf(t->errbuf, sizeof t->errbuf, "panic: %s", msg);
	struct result r = {t->id, t->errbuf};
	cl_send(t->results, &r);
}

/* Go: func safeGo(id int, results chan<- result) -- go func() { defer recoverAndReport(); results <- result{id, work(id)} }() */
static void safe_task(void *arg)
{
	struct task *t = arg;
	cl_defer(recover_and_report, t);
	struct result r = {t->id, work(t)};
	cl_send(t->results, &r);
}

/* Variant recover-in-parent: the task itself has no recover. */
static void bare_task(void *arg)
{
	struct task *t = arg;
	struct result r = {t->id, work(t)};
	cl_send(t->results, &r);
}

/* Variant swallow: the deferred function recovers and says nothing. */
static void swallow_panic(void *arg)
{
	(void)arg;
	/* MISTAKE(swallow): defer func() { recover() }() -- the panic is stopped, but no result is sent: the parent waits for it forever */
	cl_recover();
}

static void swallowing_task(void *arg)
{
	struct task *t = arg;
	cl_defer(swallow_panic, t);
	struct result r = {t->id, work(t)};
	cl_send(t->results, &r);
}

/* Variant defer-recover: recover itself deferred, as the junior guide writes it.
 * In Go, recover stops a panic only when called directly by a deferred
 * function; `defer recover()` defers recover itself, which then stops
 * nothing.  chanlab's cl_recover follows the same rule: deferring cl_recover
 * itself defers a function that stops nothing. */
static void defer_recover_task(void *arg)
{
	struct task *t = arg;
	/* MISTAKE(defer-recover): defer recover() -- recover is the deferred function, not called by one, so it stops nothing */
	cl_defer(cl_recover, NULL);
	struct result r = {t->id, work(t)};
	cl_send(t->results, &r);
}

/* Go: defer func() { if r := recover(); r != nil { log.Print(r) } }() -- in the parent */
static void recover_in_parent(void *arg)
{
	(void)arg;
	const char *msg = cl_recover();
	if (msg)
		cl_note("main recovered: %s", msg);
}

/* Go: func runAll(task) -- start the tasks, take one result from each. */
static void run_all(struct pattern_run *run, void (*task_fn)(void *))
{
	int n = (int)pattern_param(run, "tasks");
	cl_chan *results = cl_make("results", struct result, (size_t)n);
	cl_chan_set_fmt(results, fmt_result);
	for (int i = 1; i <= n; i++) {
		struct task *t = pattern_alloc(run, sizeof *t);
		*t = (struct task){.run = run, .id = i, .results = results};
		cl_go(task_fn, t, "task-%d", i);
	}
	/* Go: for i := 0; i < n; i++ { r := <-results; ... } */
	int failed = 0;
	for (int i = 0; i < n; i++) {
		struct result r;
		cl_recv(results, &r);
		if (r.err) {
			failed++;
			cl_note("main: task %d failed: %s", r.id, r.err);
		}
	}
	cl_note("main: %d of %d tasks failed, the program goes on", failed, n);
}

/* Go: func correct() */
static void safe_go_correct(struct pattern_run *run)
{
	run_all(run, safe_task);
}

/* Go: func recoverInParent() */
static void safe_go_recover_in_parent(struct pattern_run *run)
{
	/* MISTAKE(recover-in-parent): the recover is deferred in main, but a task panics in its own goroutine, where nothing recovers it */
	cl_defer(recover_in_parent, NULL);
	run_all(run, bare_task);
}

/* Go: func swallow() */
static void safe_go_swallow(struct pattern_run *run)
{
	run_all(run, swallowing_task);
}

/* Go: func deferRecover() */
static void safe_go_defer_recover(struct pattern_run *run)
{
	run_all(run, defer_recover_task);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"handshaking: a panic in a worker should not crash the process: recover it there (002 mistake 4)",
	"handshaking: cleanup on goroutine panic, defer recover() (001 error handling)",
	"handshaking: why not just panic: contain the crash, report it as an error (002)",
	"t13 goroutine leaks",
	NULL,
};

static const struct pattern_param params[] = {
	{"tasks", "4", "tasks started", 1, 1000, NULL},
	{"work", "10", "typical time a task takes, in ms (long tail)", 0, 10000, NULL},
	{"panics", "20", "chance in percent that a task hits its bug and panics", 0, 100, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "each task recovers its own panic in a deferred function and reports it as its "
	 "error", "ok", safe_go_correct, "safe_go_correct", 1},
	{"recover-in-parent", "a recover in the parent cannot catch a panic in a goroutine it "
	 "started", "panic", safe_go_recover_in_parent, "safe_go_recover_in_parent", 1,
	 "The recover is deferred in the parent, but a task panics in its own goroutine. recover only "
	 "stops a panic in the goroutine that deferred it, so one task's bug ends the whole program."},
	{"swallow", "a recover that reports nothing: the parent waits for a result that never comes",
	 "deadlock", safe_go_swallow, "safe_go_swallow", 1,
	 "The task's deferred function recovers the panic but sends no result. The parent waits for one "
	 "answer per task, so it waits forever for the task that crashed: recovering is only half the "
	 "job, the error must be reported."},
	{"defer-recover", "defer recover() does not recover: recover must be called by a "
	 "deferred function", "panic", safe_go_defer_recover, "safe_go_defer_recover", 1,
	 "The task defers recover itself, as `defer recover()`. In Go that stops nothing: recover "
	 "works only when a deferred function calls it directly, so the panic goes on and ends the "
	 "program. Write defer func() { if r := recover(); r != nil { ... } }()."},
};

const struct pattern pattern_safe_go = {
	.name = "safe-go",
	.title = "Safe go: tasks that recover their own panics",
	.level = PATTERN_MIDDLE,
	.summary = "A panic in a goroutine that nobody recovers ends the whole program, whichever "
	           "goroutine started it. safeGo starts a task in a goroutine whose first deferred "
	           "function calls recover and turns a panic into that task's error. The parent gets "
	           "one result from every task, nil or an error, and the program goes on.",
	.handshake = "Each task sends exactly one result on a channel with room for all of them: its "
	             "return value on the normal path, or, from its deferred function, the recovered "
	             "panic as an error. The parent receives one result per task.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/safe_go.c",
	.go_source = "patterns/go/safe_go.go",
};
