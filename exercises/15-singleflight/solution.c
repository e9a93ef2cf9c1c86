/* chanlab exercise 15-singleflight */
/*
 * Singleflight cache, solved.  The check ("is it loaded, or loading?") and
 * the act ("I will load it") happen under one lock, so exactly one caller
 * becomes the loader; the others wait on the flight's done channel, which
 * the loader closes after publishing the value under the lock.
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

	cl_lock(c->mu);
	cl_wr(f->value, v);
	cl_wr(f->loaded, true);
	cl_wr(f->loading, false);
	cl_close(f->done);
	cl_unlock(c->mu);
	return v;
}
