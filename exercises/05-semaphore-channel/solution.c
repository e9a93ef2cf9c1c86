/* chanlab exercise 05-semaphore-channel */
/*
 * Semaphore from a buffered channel, solved.  A send into sem blocks when
 * limit slots are taken; the receive after the job frees one.  The wait
 * group is raised before each task starts and lowered when it finishes.
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
	/* Go: sem <- struct{}{}; defer func() { <-sem }() */
	cl_send(a->sem, &token);
	do_job(a->j, a->i);
	cl_recv(a->sem, NULL);
	/* Go: wg.Done() */
	cl_wg_done(a->wg);
}

void run_all(struct jobs *j, int n, int limit)
{
	struct job_args *args = calloc((size_t)n, sizeof *args);
	/* Go: sem := make(chan struct{}, limit) */
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
