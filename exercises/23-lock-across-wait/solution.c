/* chanlab exercise 23-lock-across-wait */
/*
 * Collecting under a mutex, solved.  A worker holds the lock only for the
 * append and releases it on every path (a deferred unlock, as Go's defer
 * mu.Unlock()); the parent waits first and locks only to read, so it
 * never holds the lock the workers need while it waits for them.
 */
#include <stdlib.h>

#include "api.h"

struct job {
	struct collector *c;
	int i;
	cl_waitgroup *wg;
};

static void unlock(void *mu)
{
	cl_unlock(mu);
}

static void done(void *wg)
{
	cl_wg_done(wg);
}

static void worker(void *arg)
{
	struct job *j = arg;
	cl_defer(done, j->wg);
	int v = produce(j->i);
	cl_lock(j->c->mu);
	/* Go: defer mu.Unlock() */
	cl_defer(unlock, j->c->mu);
	if (v < 0)
		return;
	j->c->items[j->c->n++] = v;
}

int collect_all(struct collector *c, int workers)
{
	c->mu = cl_mutex_new("items");
	struct job *jobs = calloc((size_t)workers, sizeof *jobs);
	cl_waitgroup *wg = cl_wg_new("workers");
	for (int i = 0; i < workers; i++) {
		jobs[i] = (struct job){c, i, wg};
		cl_wg_add(wg, 1);
		cl_go(worker, &jobs[i], "worker-%d", i);
	}
	cl_wg_wait(wg);
	cl_lock(c->mu);
	int n = c->n;
	cl_unlock(c->mu);
	free(jobs);
	return n;
}
