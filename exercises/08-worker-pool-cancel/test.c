/*
 * test.c - 08-worker-pool-cancel: the checks.  Three jobs, two workers
 * (few, so that every schedule with two preemptions fits the checker's
 * cap).  A canceller cancels the context after 0-5 ms: before the pool is
 * done in some schedules, after it in others.  Never more than 2 jobs at
 * once, never more than 2 workers; no job twice; when run_pool returns
 * uncancelled every job once; after a cancellation at most one
 * job per worker may still start (one it had already taken); run_pool
 * returns with no worker left.
 */
#include "api.h"
#include "coach/coach.h"

#define JOBS 3
#define WORKERS 2

void process(struct work *w, int id)
{
	if (cl_ctx_err(w->ctx))
		w->started_after_cancel++;
	cl_note("busy: job %d", id);
	cl_sleep((cl_time)(1 + cl_rand_below(2)) * CL_MS);
	if (id >= 0 && id < MAX_JOBS)
		w->processed[id]++;
	cl_note("idle: job %d", id);
}

struct canceller_args {
	cl_ctx *ctx;
	cl_chan *done;
};

/* Cancels after 0-5 ms: early in some schedules, after the pool is done in
 * others (the draw comes after scheduling decisions, so it differs from
 * schedule to schedule, also in the exhaustive phase). */
static void canceller(void *arg)
{
	struct canceller_args *a = arg;
	cl_sleep((cl_time)cl_rand_below(6) * CL_MS);
	cl_cancel(a->ctx);
	cl_close(a->done);
}

static void check_main(void *arg)
{
	(void)arg;
	struct work w = {0};
	w.ctx = cl_with_cancel(cl_background());
	struct canceller_args ca = {w.ctx, cl_make("canceller-done", char, 0)};
	cl_go(canceller, &ca, "canceller");
	run_pool(&w, WORKERS, JOBS);
	bool cancelled = cl_ctx_err(w.ctx) != NULL;   /* before run_pool returned */
	for (int i = 0; i < JOBS; i++) {
		coach_expect(w.processed[i] <= 1, "no job is processed twice (job %d: %d times)", i,
		             w.processed[i]);
		if (!cancelled)
			coach_expect(w.processed[i] == 1, "without cancellation every job is processed "
			             "(job %d was not)", i);
	}
	coach_expect(w.started_after_cancel <= WORKERS, "after the cancellation no new job starts "
	             "(%d started)", w.started_after_cancel);
	cl_recv(ca.done, NULL);
	cl_cancel(w.ctx);
}

const struct coach_exercise coach_exercise = {
	.name = "08-worker-pool-cancel",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_MAX_NOTES_OPEN, "busy", "idle", WORKERS, "never more than 2 jobs at once"},
		{COACH_RULE_MAX_TASKS_ALIVE, "worker", NULL, WORKERS, "never more than 2 workers"},
		{COACH_RULE_CLOSED_BY, "jobs", "main", 0, "only the feeder (run_pool) closes jobs"},
		{0},
	},
};
