/* chanlab exercise 05-semaphore-channel */
/*
 * Semaphore from a buffered channel: take a slot before a job, give it
 * back after.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include <stdlib.h>

#include "api.h"

struct job_args {
	struct jobs *j;
	int i;
	cl_chan *sem;
	cl_waitgroup *wg;
};

static void job(void *arg)
{
	struct job_args *a = arg;
	/* TODO: take a slot of the semaphore. */
	do_job(a->j, a->i);
	/* TODO: give the slot back, and say this job is done. */
}

void run_all(struct jobs *j, int n, int limit)
{
	(void)limit;
	struct job_args *args = calloc((size_t)n, sizeof *args);
	/* TODO: the semaphore (a channel of capacity limit) and a wait group. */
	for (int i = 0; i < n; i++) {
		args[i] = (struct job_args){j, i, NULL, NULL};
		cl_go(job, &args[i], "job-%d", i);
	}
	/* TODO: wait for every job before returning (and only then free args). */
}
