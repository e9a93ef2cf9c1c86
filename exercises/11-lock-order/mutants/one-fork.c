/* chanlab exercise 11-lock-order */
/* expect: event */
/*
 * MISTAKE: "one lock is enough to be safe": a philosopher takes only its
 * left fork, so two neighbours eat with the fork between them at once.
 */
#include "api.h"

void philosopher(struct table *t, int i)
{
	for (int m = 0; m < MEALS; m++) {
		cl_lock(t->fork[i]);
		eat(t, i);
		cl_unlock(t->fork[i]);
	}
}
