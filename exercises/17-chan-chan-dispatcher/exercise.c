/* chanlab exercise 17-chan-chan-dispatcher */
/*
 * chan chan dispatcher: a free worker sends its own job channel on ready;
 * the dispatcher answers on that channel.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include <stdlib.h>

#include "api.h"

struct worker_args {
	struct dispatch *d;
	int w;
	cl_chan *ready;           /* a channel of cl_chan * */
	cl_waitgroup *wg;
};

static void worker(void *arg)
{
	struct worker_args *a = arg;
	cl_chan *mine = cl_make("jobs", int, 0);
	(void)mine;
	/* TODO: loop: say "I am free" (send mine on ready), take a job from mine,
	 * stop on -1, else do_work(a->d, a->w, job). */
	cl_wg_done(a->wg);
}

void dispatch_run(struct dispatch *d, int workers, int njobs)
{
	struct worker_args *args = calloc((size_t)workers, sizeof *args);
	cl_chan *ready = cl_make("ready", cl_chan *, 0);
	cl_chan_set_fmt(ready, cl_fmt_chan);
	cl_waitgroup *wg = cl_wg_new("workers");
	for (int w = 0; w < workers; w++) {
		args[w] = (struct worker_args){d, w, ready, wg};
		cl_wg_add(wg, 1);
		cl_go(worker, &args[w], "worker-%d", w);
	}
	(void)njobs;
	/* TODO: for each job, take a free worker's channel from ready and send it the job. */
	/* TODO: then tell every worker to stop (-1), the same way. */
	cl_wg_wait(wg);
	free(args);
}
