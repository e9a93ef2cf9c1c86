/* chanlab exercise 17-chan-chan-dispatcher */
/*
 * chan chan dispatcher, solved.  A worker advertises itself on every
 * round, so the dispatcher only ever hands a job to a worker that is
 * free; the stop (-1) goes out the same way, once to each worker.
 */
#include <stdlib.h>

#include "api.h"

struct worker_args {
	struct dispatch *d;
	int w;
	cl_chan *ready;
	cl_waitgroup *wg;
};

static void worker(void *arg)
{
	struct worker_args *a = arg;
	cl_chan *mine = cl_make("jobs", int, 0);
	for (;;) {
		/* Go: ready <- mine; j := <-mine */
		cl_send(a->ready, &mine);
		int j;
		cl_recv(mine, &j);
		if (j < 0)
			break;
		do_work(a->d, a->w, j);
	}
	cl_wg_done(a->wg);
}

/* Hands v to the next free worker. */
static void hand_out(cl_chan *ready, int v)
{
	cl_chan *w;
	cl_recv(ready, &w);
	cl_send(w, &v);
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
	for (int j = 0; j < njobs; j++)
		hand_out(ready, j);
	for (int w = 0; w < workers; w++)
		hand_out(ready, -1);
	cl_wg_wait(wg);
	free(args);
}
