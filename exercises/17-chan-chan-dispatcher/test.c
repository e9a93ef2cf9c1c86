/*
 * test.c - 17-chan-chan-dispatcher: the checks.  Three jobs, two
 * workers (few, so that every schedule with two preemptions fits the
 * checker's cap): every job done exactly once, each worker on at most one
 * job at a time, never more than two at once; no worker left behind.
 */
#include "api.h"
#include "coach/coach.h"

#define JOBS 3
#define WORKERS 2

void do_work(struct dispatch *d, int w, int j)
{
	cl_note("busy: worker %d job %d", w, j);
	cl_sleep((cl_time)(1 + cl_rand_below(3)) * CL_MS);
	if (j >= 0 && j < MAX_JOBS)
		d->handled[j]++;
	if (w >= 0 && w < 4)
		d->per_worker[w]++;
	cl_note("idle: worker %d", w);
}

static void check_main(void *arg)
{
	(void)arg;
	struct dispatch d = {{0}, {0}};
	dispatch_run(&d, WORKERS, JOBS);
	for (int j = 0; j < JOBS; j++)
		coach_expect(d.handled[j] == 1, "every job is done exactly once (job %d: %d times)", j,
		             d.handled[j]);
}

const struct coach_exercise coach_exercise = {
	.name = "17-chan-chan-dispatcher",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_MAX_NOTES_OPEN, "busy", "idle", WORKERS, "never more than 2 jobs at once"},
		{COACH_RULE_MAX_TASKS_ALIVE, "worker", NULL, WORKERS, "never more than 2 workers"},
		{0},
	},
};
