/* chanlab exercise 15-singleflight */
/* expect: result */
/*
 * MISTAKE: a caller that finds the key loading does not wait for the load
 * in flight and returns whatever value is there (none yet).
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
