/* chanlab exercise 08-worker-pool-cancel */
/*
 * Bounded worker pool with cancellation, solved.  The feeder and each
 * worker select on ctx.Done beside their channel operation, so neither
 * blocks on the other once the context is cancelled; the feeder owns jobs
 * and closes it; the wait group is raised before each worker starts.
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
		struct cl_case c[] = {CL_RECV_CASE(p->jobs, &id), CL_RECV_CASE(done, NULL)};
		if (cl_select(c, 2) != 0 || !c[0].ok)
			break;
		process(p->w, id);
	}
	cl_wg_done(p->wg);
}

void run_pool(struct work *w, int workers, int njobs)
{
	struct pool *p = malloc(sizeof *p);
	*p = (struct pool){w, cl_make("jobs", int, 0), cl_wg_new("workers")};
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
