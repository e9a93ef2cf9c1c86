/*
 * api.h - 11-lock-order: what your file and the checks share.
 *
 * Dining philosophers: SEATS philosophers round a table, one fork (a
 * mutex) between each two.  Philosopher i needs forks i and (i + 1) %
 * SEATS to eat.  Each eats MEALS times; nobody may wait for ever.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

#define SEATS 3
#define MEALS 2

struct table {
	cl_mutex *fork[SEATS];
	int meals[SEATS];     /* counted by eat */
};

/* Provided by the checks: philosopher i eats (call it holding both forks). */
void eat(struct table *t, int i);

/* Yours: philosopher i eats MEALS times, taking both its forks each time
 * and putting them back after eating. */
void philosopher(struct table *t, int i);

#endif
