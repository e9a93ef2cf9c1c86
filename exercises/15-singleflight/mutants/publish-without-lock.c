/* chanlab exercise 15-singleflight */
/* expect: race */
/*
 * MISTAKE (shared-state, publish without the lock): "only the loader writes
 * the value, so it needs no lock".  The callers read loaded and value under
 * the lock, and nothing orders those reads with the loader's writes: a data
 * race, though the values come out right in every schedule.  Only the race
 * detector sees it.
 */
#include "api.h"

void cache_init(struct cache *c)
{
	c->mu = cl_mutex_new("cache");
	for (int k = 0; k < KEYS; k++)
		c->keys[k] = (struct flight){false, false, 0, NULL};
}

int cache_get(struct cache *c, int key)
{
	struct flight *f = &c->keys[key];
	cl_lock(c->mu);
	if (cl_rd(f->loaded)) {
		int v = cl_rd(f->value);
		cl_unlock(c->mu);
		return v;
	}
	if (cl_rd(f->loading)) {
		cl_chan *done = f->done;
		cl_unlock(c->mu);
		/* Go: <-call.done */
		cl_recv(done, NULL);
		cl_lock(c->mu);
		int v = cl_rd(f->value);
		cl_unlock(c->mu);
		return v;
	}
	cl_wr(f->loading, true);
	f->done = cl_make("flight", char, 0);
	cl_unlock(c->mu);

	int v = load(c, key);

	/* MISTAKE: published without the lock; the callers that checked
	 * loaded under it are not ordered with these writes. */
	cl_wr(f->value, v);
	cl_wr(f->loaded, true);
	cl_lock(c->mu);
	cl_wr(f->loading, false);
	cl_close(f->done);
	cl_unlock(c->mu);
	return v;
}
