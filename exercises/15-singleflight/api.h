/*
 * api.h - 15-singleflight: what your file and the checks share.
 *
 * A cache in front of a slow loader.  When several tasks ask for the same
 * missing key at once, the loader must run once: the first caller loads,
 * the others wait for that load and share its value (check-then-act done
 * under one lock, with a record of the load in flight).
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include <stdbool.h>

#include "runtime/chanlab.h"

#define KEYS 4

/* The fields callers share are declared to the race detector: read them
 * with cl_rd(f->loaded), write them with cl_wr(f->loaded, true).  An access
 * not ordered by the lock (or the done channel) with another task's write
 * is a data race, and the check fails with Go's race report. */
struct flight {
	cl_shared(bool) loading;   /* a load of this key is in progress */
	cl_shared(bool) loaded;    /* value is valid */
	cl_shared(int) value;
	cl_chan *done;             /* closed when the load in progress has finished */
};

struct cache {
	cl_mutex *mu;         /* guards keys[] */
	struct flight keys[KEYS];
	int loads[KEYS];      /* counted by load */
};

/* Provided by the checks: the slow loader (call it without holding mu). */
int load(struct cache *c, int key);

/* Yours: makes the mutex; every key starts missing. */
void cache_init(struct cache *c);
/* Yours: the value of key, loading it at most once however many ask. */
int cache_get(struct cache *c, int key);

#endif
