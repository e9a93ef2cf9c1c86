/* chanlab exercise 01-started-channel */
/* expect: result */
/*
 * MISTAKE (handshake-failures.started-too-early): the warmer signals
 * "started" before its set-up is done, so start_cache returns to a cold
 * cache whenever the warmer is slow.
 */
#include "api.h"

static void warmer(void *arg)
{
	struct cache *c = arg;
	cl_close(c->started);
	cache_warm(c);
}

void start_cache(struct cache *c)
{
	c->started = cl_make("started", char, 0);
	cl_go(warmer, c, "warmer");
	cl_recv(c->started, NULL);
}
