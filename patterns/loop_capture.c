/*
 * loop_capture.c - the loop-variable capture bug, in C terms.  Before Go
 * 1.22 a for loop had ONE variable i for all its iterations, and a closure
 * started in the loop (go func() { use(i) }()) captured that variable, not
 * its value: here, every task gets a pointer to the same i, which main
 * keeps incrementing while the tasks read it -- a data race, and the tasks
 * mostly see the value i had when the loop ended.  The fix copies the value
 * per iteration (i := i, or pass it as an argument); Go 1.22 made every
 * iteration a new variable, which is the same fix done by the language.
 * Read it beside patterns/go/loop_capture.go.
 *
 * Checks:
 *   invariant own-value  each task (or handler) sees the value of its own
 *                        iteration.
 */
#include "patterns/pattern.h"

struct tasks {
	struct pattern_run *run;
	cl_waitgroup *wg;
	int *seen;                 /* shared: seen[k] counts the tasks that saw k, under mu */
	cl_mutex *mu;
};

struct task_args {
	struct tasks *t;
	int *ip;                   /* the captured variable: the loop's own, or a copy */
};

/* Go: go func() { defer wg.Done(); use(i) }() -- what the task does with "its" i. */
static void task(void *arg)
{
	struct task_args *a = arg;
	int v = cl_rd(*a->ip);
	cl_note("%s sees i = %d", cl_task_name(), v);
	cl_lock(a->t->mu);
	int n = (int)pattern_param(a->t->run, "tasks");
	if (v >= 0 && v < n)
		cl_wr(a->t->seen[v], cl_rd(a->t->seen[v]) + 1);
	cl_unlock(a->t->mu);
	cl_wg_done(a->t->wg);
}

static struct tasks *tasks_new(struct pattern_run *run)
{
	int n = (int)pattern_param(run, "tasks");
	struct tasks *t = pattern_alloc(run, sizeof *t);
	t->run = run;
	t->wg = cl_wg_new("wg");
	t->mu = cl_mutex_new("mu");
	t->seen = pattern_alloc(run, (size_t)n * sizeof *t->seen);
	return t;
}

/* After every task is done: each value 0..n-1 was seen exactly once. */
static void check_own_values(struct tasks *t)
{
	int n = (int)pattern_param(t->run, "tasks");
	for (int k = 0; k < n; k++) {
		cl_lock(t->mu);
		int c = cl_rd(t->seen[k]);
		cl_unlock(t->mu);
		if (c != 1) {
			pattern_fail(t->run, "own-value", "%d tasks saw i = %d, want exactly 1", c, k);
			return;
		}
	}
}

/* Go: for i := 0; i < n; i++ { i := i; wg.Add(1); go func() { defer wg.Done(); use(i) }() } */
static void loop_capture_correct(struct pattern_run *run)
{
	int n = (int)pattern_param(run, "tasks");
	struct tasks *t = tasks_new(run);
	for (int i = 0; i < n; i++) {
		/* Go: i := i -- a new variable for this iteration, holding its value */
		int *copy = pattern_alloc(run, sizeof *copy);
		*copy = i;
		struct task_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct task_args){t, copy};
		cl_wg_add(t->wg, 1);
		cl_go(task, a, "task-%d", i);
	}
	cl_wg_wait(t->wg);
	check_own_values(t);
}

/* Go: for i := 0; i < n; i++ { wg.Add(1); go func() { defer wg.Done(); use(i) }() } -- Go < 1.22 */
static void loop_capture_shared_var(struct pattern_run *run)
{
	int n = (int)pattern_param(run, "tasks");
	struct tasks *t = tasks_new(run);
	/* Go (before 1.22): one i for the whole loop */
	int *ip = pattern_alloc(run, sizeof *ip);   /* shared: the loop's i, read by the tasks */
	cl_wr(*ip, 0);
	while (cl_rd(*ip) < n) {
		struct task_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct task_args){t, ip}; /* MISTAKE(shared-var): every task gets &i, the loop's one variable */
		cl_wg_add(t->wg, 1);
		cl_go(task, a, "task-%d", cl_rd(*ip));
		cl_wr(*ip, cl_rd(*ip) + 1);     /* Go: i++ */
	}
	cl_wg_wait(t->wg);
	check_own_values(t);
}

/* Go: for _, v := range values { handlers = append(handlers, &v) }; then run each -- Go < 1.22 */
static void loop_capture_address_of_var(struct pattern_run *run)
{
	int n = (int)pattern_param(run, "tasks");
	struct tasks *t = tasks_new(run);
	struct task_args **handlers = pattern_alloc(run, (size_t)n * sizeof *handlers);
	/* Go (before 1.22): one v for the whole range loop */
	int *vp = pattern_alloc(run, sizeof *vp);
	for (int k = 0; k < n; k++) {
		*vp = k;                /* Go: v = values[k] */
		handlers[k] = pattern_alloc(run, sizeof *handlers[k]);
		*handlers[k] = (struct task_args){t, vp}; /* MISTAKE(address-of-var): &v is the same address every iteration */
	}
	/* Go: for k, h := range handlers { wg.Add(1); go run(k, h) } -- after the loop */
	for (int k = 0; k < n; k++) {
		cl_wg_add(t->wg, 1);
		cl_go(task, handlers[k], "task-%d", k);
	}
	cl_wg_wait(t->wg);
	check_own_values(t);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t22 the loop-variable capture bug and its fix; Go 1.22's per-iteration variables",
	"t7 data races",
	NULL,
};

static const struct pattern_param params[] = {
	{"tasks", "3", "tasks started in the loop", 1, 64, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "i := i in the loop body: each task gets its own copy (what Go 1.22 does for you)",
	 "ok", loop_capture_correct, "loop_capture_correct", 1},
	{"shared-var", "go func() { use(i) }() before Go 1.22: every task shares the loop's one i",
	 "race", loop_capture_shared_var, "loop_capture_shared_var", 1,
	 .lesson = "before Go 1.22 the loop had one variable i, and each goroutine captured that "
	           "variable, not its value: main's i++ races with the goroutines' reads, and they "
	           "mostly see the final value. Copy it (i := i) or pass it as an argument; go vet "
	           "reports this as 'loop variable i captured by func literal'."},
	{"address-of-var", "&v of a range variable before Go 1.22: every pointer is the same address",
	 "invariant:own-value", loop_capture_address_of_var, "loop_capture_address_of_var", 1,
	 .lesson = "before Go 1.22 a range loop reused one variable v, so &v was the same pointer in "
	           "every iteration and every handler saw the last value. Take the address of a copy "
	           "(v := v) or of the slice element (&values[k])."},
};

const struct pattern pattern_loop_capture = {
	.name = "loop-capture",
	.title = "Loop-variable capture",
	.level = PATTERN_JUNIOR,
	.summary = "Before Go 1.22 a for loop had one variable for all its iterations, and a closure "
	           "started in the loop captured that variable, not its value. In C terms every task "
	           "got a pointer to the same i, which main kept incrementing: a data race, and the "
	           "tasks mostly saw the value i had when the loop ended. Taking &v of a range "
	           "variable had the same cause. Since Go 1.22 (with go 1.22 in go.mod) each "
	           "iteration has its own variable, which is what the fix, i := i, did by hand.",
	.handshake = "Each iteration copies the loop variable into a new variable (i := i, or an "
	             "argument of the goroutine's function) before the go statement. The go "
	             "statement happens before the goroutine runs, so the goroutine reads a value "
	             "nobody writes again.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/loop_capture.c",
	.go_source = "patterns/go/loop_capture.go",
};
