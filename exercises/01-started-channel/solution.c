/* chanlab exercise 01-started-channel */
/*
 * Started channel, solved: the warmer closes started when the cache is
 * warm; start_cache blocks on a receive from it.  close is the signal (no
 * value travels), and a receive on a closed channel returns at once, so
 * the order of the two tasks does not matter.
 */
#include "api.h"

static void warmer(void *arg)
{
	struct cache *c = arg;
	cache_warm(c);
	/* Go: close(started) */
	cl_close(c->started);
}

void start_cache(struct cache *c)
{
	/* Go: started := make(chan struct{}) */
	c->started = cl_make("started", char, 0);
	/* Go: go warmer(c) */
	cl_go(warmer, c, "warmer");
	/* Go: <-started */
	cl_recv(c->started, NULL);
}
