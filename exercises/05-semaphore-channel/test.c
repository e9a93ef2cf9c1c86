/*
 * test.c - 05-semaphore-channel: the checks.  Three jobs with a limit of 2
 * (few, so that every schedule with two preemptions fits the checker's cap):
 * the notes "busy" and "idle" around each job let an event rule count the
 * jobs running at once; every job must run exactly once before run_all
 * returns.
 */
#include "api.h"
#include "coach/coach.h"

#define JOBS 3
#define LIMIT 2

void do_job(struct jobs *j, int i)
{
	cl_note("busy: job %d", i);
	cl_sleep((cl_time)(1 + cl_rand_below(3)) * CL_MS);
	j->done[i]++;
	cl_note("idle: job %d", i);
}

static void check_main(void *arg)
{
	(void)arg;
	struct jobs j = {{0}};
	run_all(&j, JOBS, LIMIT);
	for (int i = 0; i < JOBS; i++)
		coach_expect(j.done[i] == 1, "every job runs exactly once before run_all returns "
		             "(job %d ran %d times)", i, j.done[i]);
}

const struct coach_exercise coach_exercise = {
	.name = "05-semaphore-channel",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_MAX_NOTES_OPEN, "busy", "idle", LIMIT,
		 "never more than 2 jobs run at once"},
		{0},
	},
};
