/* chanlab exercise 05-semaphore-channel */
/* expect: result */
/*
 * MISTAKE (003:q11): wg.Add inside the task.  run_all can reach Wait
 * before any job has added itself and return with jobs not yet run.
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
	cl_wg_add(a->wg, 1);
	char token = 0;
	cl_send(a->sem, &token);
	do_job(a->j, a->i);
	cl_recv(a->sem, NULL);
	cl_wg_done(a->wg);
}

void run_all(struct jobs *j, int n, int limit)
{
	struct job_args *args = calloc((size_t)n, sizeof *args);
	cl_chan *sem = cl_make("sem", char, (size_t)limit);
	cl_waitgroup *wg = cl_wg_new("jobs");
	for (int i = 0; i < n; i++) {
		args[i] = (struct job_args){j, i, sem, wg};
		cl_go(job, &args[i], "job-%d", i);
	}
	cl_wg_wait(wg);
}
