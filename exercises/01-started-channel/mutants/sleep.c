/* chanlab exercise 01-started-channel */
/* expect: event */
/*
 * MISTAKE (001:mistake:sleep-instead-of-started): sleep "long enough"
 * instead of waiting for the warmer's signal.  It passes most runs; the
 * event rule catches the sleep itself, and a slow warm-up would catch it
 * by its result.
 */
#include "api.h"

static void warmer(void *arg)
{
	cache_warm(arg);
}

void start_cache(struct cache *c)
{
	cl_go(warmer, c, "warmer");
	cl_sleep(50 * CL_MS);
}
