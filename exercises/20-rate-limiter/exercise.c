/* chanlab exercise 20-rate-limiter */
/*
 * Rate limiter with backpressure: a ticker-driven refiller and a bucket
 * with room for one token; a tick that finds the bucket full is dropped.
 * Read api.h.  Check with
 *	chanlab exercise check
 */
#include "api.h"

static void refiller(void *arg)
{
	struct limiter *l = arg;
	(void)l;
	/* TODO: a ticker; on each tick add a token without blocking; stop on l->stop;
	 * stop the ticker and say "stopped". */
}

void limiter_start(struct limiter *l, cl_time interval)
{
	l->interval = interval;
	/* TODO: the bucket (what capacity?), stop and stopped. */
	cl_go(refiller, l, "refiller");
}

void limiter_wait(struct limiter *l)
{
	(void)l;
	/* TODO: take a token. */
}

void limiter_stop(struct limiter *l)
{
	(void)l;
	/* TODO: stop the refiller and wait for it. */
}
