/* chanlab exercise 06-cond-queue */
/*
 * Bounded queue on a Cond: wait in a loop while the condition does not
 * hold, then act, then signal the other side.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include "api.h"

void queue_init(struct queue *q)
{
	q->mu = cl_mutex_new("queue");
	q->not_empty = cl_cond_new("not_empty", q->mu);
	q->not_full = cl_cond_new("not_full", q->mu);
	q->head = q->count = 0;
}

void queue_put(struct queue *q, int v)
{
	cl_lock(q->mu);
	/* TODO: wait while the queue is full. */
	q->items[(q->head + q->count) % QUEUE_CAP] = v;
	q->count++;
	/* TODO: wake a consumer. */
	cl_unlock(q->mu);
}

int queue_get(struct queue *q)
{
	cl_lock(q->mu);
	/* TODO: wait while the queue is empty. */
	int v = q->items[q->head];
	q->head = (q->head + 1) % QUEUE_CAP;
	q->count--;
	/* TODO: wake a producer. */
	cl_unlock(q->mu);
	return v;
}
