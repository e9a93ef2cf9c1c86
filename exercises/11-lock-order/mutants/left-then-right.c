/* chanlab exercise 11-lock-order */
/* expect: deadlock */
/*
 * MISTAKE (004:t11, lock order): everyone takes the left fork, then the
 * right.  When all hold their left fork, each waits for a neighbour's:
 * a cycle, a deadlock.
 */
#include "api.h"

void philosopher(struct table *t, int i)
{
	int left = i, right = (i + 1) % SEATS;
	for (int m = 0; m < MEALS; m++) {
		cl_lock(t->fork[left]);
		cl_lock(t->fork[right]);
		eat(t, i);
		cl_unlock(t->fork[right]);
		cl_unlock(t->fork[left]);
	}
}
