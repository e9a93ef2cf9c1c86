/*
 * waitgroup_mistakes.c - sync.WaitGroup and its two classic mistakes.  The
 * rules: Add before the go statement (so the counter is above zero before
 * anyone can Wait), Done when the task ends (defer wg.Done()), and Wait in
 * a task that is not itself counted.  Here main runs a first batch of jobs
 * and, a little later, a second one, and waits for all of them.  Read it
 * beside patterns/go/waitgroup_mistakes.go.
 *
 * A WaitGroup copied by value (passing wg, not &wg, to a function) is the
 * third classic mistake: the copy's Done never reaches the original.  The
 * runtime's WaitGroup is an opaque handle, so C cannot copy it by mistake;
 * the Go original shows it in a comment, and go vet's copylocks check
 * reports it ("passes lock by value").
 *
 * Checks:
 *   invariant all-done  when Wait returns, every job has finished.
 */
#include "patterns/pattern.h"

/* What the jobs share. */
struct jobs {
	struct pattern_run *run;
	cl_waitgroup *wg;
	cl_atomic64 finished;
};

/* Go: go func() { defer wg.Done(); work() }() */
static void job(void *arg)
{
	struct jobs *j = arg;
	cl_sleep(pattern_latency(pattern_param(j->run, "work") * CL_MS));
	cl_atomic_add(&j->finished, 1);
	cl_wg_done(j->wg);
}

/* Variant wait-inside: a counted job also waits for the group. */
static void job_wait_inside(void *arg)
{
	struct jobs *j = arg;
	cl_sleep(pattern_latency(pattern_param(j->run, "work") * CL_MS));
	cl_atomic_add(&j->finished, 1);
	cl_wg_wait(j->wg); /* MISTAKE(wait-inside): Wait in a task the group counts: it waits for its own Done */
	cl_wg_done(j->wg);
}

/* Go: go func() { time.Sleep(later); for i := 0; i < n; i++ { go job() } }() -- the second batch,
 * whose Adds main made before it started waiting. */
static void second_batch(void *arg)
{
	struct jobs *j = arg;
	int n = (int)pattern_param(j->run, "jobs");
	cl_sleep(pattern_latency(pattern_param(j->run, "work") * CL_MS));
	for (int i = 0; i < n; i++)
		cl_go(job, j, "late-job-%d", i);
}

/* Variant add-after-wait: the second batch adds itself, while main may already be in Wait. */
static void second_batch_add_late(void *arg)
{
	struct jobs *j = arg;
	int n = (int)pattern_param(j->run, "jobs");
	cl_sleep(pattern_latency(pattern_param(j->run, "work") * CL_MS));
	for (int i = 0; i < n; i++) {
		cl_wg_add(j->wg, 1); /* MISTAKE(add-after-wait): Add after main's Wait began: if the counter was zero, Wait has returned */
		cl_go(job, j, "late-job-%d", i);
	}
}

static void run_jobs(struct pattern_run *run, void (*first)(void *), void (*second)(void *),
                     bool add_second_first)
{
	int n = (int)pattern_param(run, "jobs");
	struct jobs *j = pattern_alloc(run, sizeof *j);
	j->run = run;
	j->wg = cl_wg_new("wg");
	/* Go: wg.Add(n); for i := 0; i < n; i++ { go job() } -- the first batch */
	cl_wg_add(j->wg, n);
	for (int i = 0; i < n; i++)
		cl_go(first, j, "job-%d", i);
	/* Go: wg.Add(n); go secondBatch() */
	if (add_second_first)
		cl_wg_add(j->wg, n);
	cl_go(second, j, "second-batch");
	cl_wg_wait(j->wg);
	int64_t done = cl_atomic_load(&j->finished);
	cl_note("main: Wait returned with %lld of %d jobs finished", (long long)done, 2 * n);
	if (done != 2 * n)
		pattern_fail(run, "all-done", "Wait returned when %lld of %d jobs had finished",
		             (long long)done, 2 * n);
	/* Go: a test would now wait for the stragglers; we let them finish. */
	cl_sleep(20 * pattern_param(run, "work") * CL_MS);
}

/* Go: func correct() */
static void waitgroup_mistakes_correct(struct pattern_run *run)
{
	run_jobs(run, job, second_batch, true);
}

/* Go: func waitInside() */
static void waitgroup_mistakes_wait_inside(struct pattern_run *run)
{
	run_jobs(run, job_wait_inside, second_batch, true);
}

/* Go: func addAfterWait() */
static void waitgroup_mistakes_add_after_wait(struct pattern_run *run)
{
	run_jobs(run, job, second_batch_add_late, false);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t9 sync.WaitGroup: Add before go, defer Done, never copy it",
	"t11 deadlocks: waiting for yourself",
	NULL,
};

static const struct pattern_param params[] = {
	{"jobs", "3", "jobs in each of the two batches", 1, 100, NULL},
	{"work", "10", "typical time of a job, in ms (long tail)", 0, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "every Add before the Wait can start; Done as each job ends; Wait in main only",
	 "ok", waitgroup_mistakes_correct, "waitgroup_mistakes_correct", 1},
	{"wait-inside", "Wait inside a task the group counts: it waits for its own Done", "deadlock",
	 waitgroup_mistakes_wait_inside, "waitgroup_mistakes_wait_inside", 1,
	 .lesson = "a job that the group counts calls Wait: the counter cannot reach zero until that "
	           "job calls Done, which it does only after Wait returns. Wait from outside the "
	           "group, usually in the goroutine that called Add."},
	{"add-after-wait", "Add called after Wait started: Wait may already have returned",
	 "invariant:all-done", waitgroup_mistakes_add_after_wait, "waitgroup_mistakes_add_after_wait", 1,
	 .lesson = "the second batch adds itself to the group after main began to Wait; if the first "
	           "batch had already finished, the counter was zero and Wait returned without it. "
	           "Every Add must happen before the Wait it should hold up."},
};

const struct pattern pattern_waitgroup_mistakes = {
	.name = "waitgroup-mistakes",
	.title = "WaitGroup mistakes",
	.level = PATTERN_JUNIOR,
	.summary = "sync.WaitGroup counts tasks: Add before the go statement, Done when each task "
	           "ends, Wait where the counted tasks are awaited. main runs a first batch of jobs "
	           "and, a little later, a second, and waits for all of them. Two mistakes: a counted "
	           "task that itself calls Wait, and Adds for the second batch made after main began "
	           "waiting. (A third, copying the WaitGroup by value, cannot happen with the "
	           "runtime's opaque handle: the Go original shows it and go vet reports it.)",
	.handshake = "main adds the whole count before it waits, so Wait sees a counter above zero. "
	             "Each job's Done lowers it; the last Done wakes Wait. Nothing adds once Wait may "
	             "have returned.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/waitgroup_mistakes.c",
	.go_source = "patterns/go/waitgroup_mistakes.go",
};
