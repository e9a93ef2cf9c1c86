/* chanlab exercise 08-worker-pool-cancel */
/* expect: result */
/*
 * MISTAKE (003:q23, children that ignore the context): a buffered jobs
 * channel "for throughput", and workers that only range over it; after a
 * cancellation they go on starting every job already queued.
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
	cl_chan *done = cl_ctx_done(p->w->ctx);
	for (;;) {
		int id;
		/* Go: select { case id, ok := <-jobs: ...; case <-ctx.Done(): return } */
		(void)done;
		if (!cl_recv(p->jobs, &id))
			break;
		process(p->w, id);
	}
	cl_wg_done(p->wg);
}

void run_pool(struct work *w, int workers, int njobs)
{
	struct pool *p = malloc(sizeof *p);
	*p = (struct pool){w, cl_make("jobs", int, 4), cl_wg_new("workers")};
	cl_chan *done = cl_ctx_done(w->ctx);
	for (int i = 0; i < workers; i++) {
		cl_wg_add(p->wg, 1);
		cl_go(worker, p, "worker-%d", i);
	}
	for (int id = 0; id < njobs; id++) {
		/* Go: select { case jobs <- id: case <-ctx.Done(): break feed } */
		struct cl_case c[] = {CL_SEND_CASE(p->jobs, &id), CL_RECV_CASE(done, NULL)};
		if (cl_select(c, 2) != 0)
			break;
	}
	cl_close(p->jobs);
	cl_wg_wait(p->wg);
	free(p);
}
