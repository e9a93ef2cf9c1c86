/* chanlab exercise 05-semaphore-channel */
/* expect: deadlock */
/*
 * MISTAKE: a slot is taken and never given back; after limit jobs every
 * other job waits for a slot for ever.
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
	char token = 0;
	cl_send(a->sem, &token);
	do_job(a->j, a->i);
	cl_wg_done(a->wg);
}

void run_all(struct jobs *j, int n, int limit)
{
	struct job_args *args = calloc((size_t)n, sizeof *args);
	cl_chan *sem = cl_make("sem", char, (size_t)limit);
	cl_waitgroup *wg = cl_wg_new("jobs");
	for (int i = 0; i < n; i++) {
		args[i] = (struct job_args){j, i, sem, wg};
		cl_wg_add(wg, 1);
		cl_go(job, &args[i], "job-%d", i);
	}
	cl_wg_wait(wg);
	free(args);
}
