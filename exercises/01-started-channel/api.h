/*
 * api.h - 01-started-channel: what your file and the checks share.
 *
 * A cache must be warmed before anyone reads it.  Warming takes a while
 * (cache_warm, provided by the checks, takes a different time in every
 * schedule).  start_cache starts the warming in its own task and returns
 * only when the cache is ready.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include <stdbool.h>

#include "runtime/chanlab.h"

struct cache {
	bool ready;           /* set by cache_warm */
	int entries;          /* set by cache_warm */
	cl_chan *started;     /* yours to use: the handshake's channel */
};

/* Provided by the checks: fills the cache; takes some virtual time. */
void cache_warm(struct cache *c);

/* Yours: starts a task named "warmer" that calls cache_warm(c), and returns
 * once the cache is warm, having waited for that event, not for a time. */
void start_cache(struct cache *c);

#endif
