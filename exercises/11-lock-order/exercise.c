/* chanlab exercise 11-lock-order */
/*
 * Lock order: every task that needs two locks takes them in one global
 * order.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include "api.h"

void philosopher(struct table *t, int i)
{
	int left = i, right = (i + 1) % SEATS;
	(void)left;
	(void)right;
	for (int m = 0; m < MEALS; m++) {
		/* TODO: take both forks, in an order that can never close a cycle. */
		eat(t, i);
		/* TODO: put both forks back. */
	}
}
