/* chanlab exercise 15-singleflight */
/* expect: result */
/*
 * MISTAKE (shared-state, check-then-act): "is it loaded?" is checked under
 * the lock, but the decision to load is not recorded, so every caller that
 * arrives before the first load finishes loads again.
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
	bool have = cl_rd(f->loaded);
	int v = cl_rd(f->value);
	cl_unlock(c->mu);
	if (have)
		return v;
	/* MISTAKE: the check above and the act below are not under one lock. */
	v = load(c, key);
	cl_lock(c->mu);
	cl_wr(f->value, v);
	cl_wr(f->loaded, true);
	cl_unlock(c->mu);
	return v;
}
