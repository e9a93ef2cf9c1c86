/* chanlab exercise 23-lock-across-wait */
/* expect: deadlock */
/*
 * MISTAKE: an early return on "nothing produced" skips the unlock (no
 * defer); the lock is never released and everyone after waits for ever.
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
	(void)unlock;
	cl_lock(j->c->mu);
	if (v < 0)
		return;
	j->c->items[j->c->n++] = v;
	cl_unlock(j->c->mu);
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
