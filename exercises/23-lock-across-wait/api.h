/*
 * api.h - 23-lock-across-wait: what your file and the checks share.
 *
 * Workers each produce one value and append it to a shared list guarded
 * by a mutex; produce() may say "nothing" (a negative value), which is
 * skipped.  collect_all() starts the workers, waits for all of them and
 * returns the number of values collected.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

struct collector {
	cl_mutex *mu;         /* guards items and n */
	int items[8];
	int n;
};

/* Provided by the checks: worker i's value, or -1 for nothing (takes a while). */
int produce(int i);

/* Yours: makes c->mu, starts `workers` tasks named "worker-I" that append
 * produce(I) (when not negative) under the mutex, waits for them all and
 * returns c->n. */
int collect_all(struct collector *c, int workers);

#endif
