/* chanlab exercise 05-semaphore-channel */
/* expect: event */
/*
 * MISTAKE: the slot is given back before the job instead of after it (a
 * release in the wrong place), so the semaphore limits nothing.
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
	cl_recv(a->sem, NULL);
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
