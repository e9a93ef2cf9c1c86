/* chanlab exercise 01-started-channel */
/* expect: leak */
/*
 * MISTAKE (003:q1, a goroutine without an exit story): after signalling,
 * the warmer waits for refresh requests on a channel that nobody closes,
 * so it is still blocked when the program is done: a leaked task.
 */
#include "api.h"

static void warmer(void *arg)
{
	struct cache *c = arg;
	cl_chan *refresh = cl_make("refresh", char, 0);
	cache_warm(c);
	cl_close(c->started);
	while (cl_recv(refresh, NULL))
		cache_warm(c);
}

void start_cache(struct cache *c)
{
	c->started = cl_make("started", char, 0);
	cl_go(warmer, c, "warmer");
	cl_recv(c->started, NULL);
}
