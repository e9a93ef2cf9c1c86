/* chanlab exercise 06-cond-queue */
/* expect: deadlock */
/*
 * MISTAKE: get frees a slot but never signals not_full, so a producer
 * waiting for room sleeps for ever: a lost wake-up.
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
	while (q->count == QUEUE_CAP)
		cl_cond_wait(q->not_full);
	q->items[(q->head + q->count) % QUEUE_CAP] = v;
	q->count++;
	cl_cond_signal(q->not_empty);
	cl_unlock(q->mu);
}

int queue_get(struct queue *q)
{
	cl_lock(q->mu);
	while (q->count == 0)
		cl_cond_wait(q->not_empty);
	int v = q->items[q->head];
	q->head = (q->head + 1) % QUEUE_CAP;
	q->count--;
	cl_unlock(q->mu);
	return v;
}
