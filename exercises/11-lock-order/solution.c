/* chanlab exercise 11-lock-order */
/*
 * Lock order, solved: each philosopher takes the lower-numbered of its two
 * forks first.  A cycle of waits would need someone to hold a higher fork
 * while waiting for a lower one, which nobody ever does.
 */
#include "api.h"

void philosopher(struct table *t, int i)
{
	int a = i, b = (i + 1) % SEATS;
	int first = a < b ? a : b, second = a < b ? b : a;
	for (int m = 0; m < MEALS; m++) {
		cl_lock(t->fork[first]);
		cl_lock(t->fork[second]);
		eat(t, i);
		cl_unlock(t->fork[second]);
		cl_unlock(t->fork[first]);
	}
}
