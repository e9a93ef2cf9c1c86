/* chanlab exercise 08-worker-pool-cancel */
/*
 * Bounded worker pool with cancellation: a feeder that stops sending when
 * the context is done, workers that stop taking jobs when it is done, and
 * a wait for every worker.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include <stdlib.h>

#include "api.h"

struct pool {
	struct work *w;
	cl_chan *jobs;
	cl_waitgroup *wg;
};

static void worker(void *arg)
{
	struct pool *p = arg;
	int id;
	/* TODO: take jobs until jobs is closed or the context is done (select). */
	while (cl_recv(p->jobs, &id))
		process(p->w, id);
	/* TODO: say this worker is done. */
}

void run_pool(struct work *w, int workers, int njobs)
{
	struct pool *p = malloc(sizeof *p);
	*p = (struct pool){w, cl_make("jobs", int, 0), cl_wg_new("workers")};
	for (int i = 0; i < workers; i++)
		cl_go(worker, p, "worker-%d", i);
	for (int id = 0; id < njobs; id++) {
		/* TODO: stop feeding when the context is done (select on the send and on done). */
		cl_send(p->jobs, &id);
	}
	cl_close(p->jobs);
	/* TODO: wait for every worker before returning (and only then free p). */
}
