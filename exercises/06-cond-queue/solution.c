/* chanlab exercise 06-cond-queue */
/*
 * Bounded queue on a Cond, solved.  Each wait sits in a for loop: a woken
 * task re-checks the condition, because another task may have taken the
 * item (or the slot) between the signal and the wake-up.
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
	/* Go: for q.count == cap { q.notFull.Wait() } */
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
	/* Go: for q.count == 0 { q.notEmpty.Wait() } */
	while (q->count == 0)
		cl_cond_wait(q->not_empty);
	int v = q->items[q->head];
	q->head = (q->head + 1) % QUEUE_CAP;
	q->count--;
	cl_cond_signal(q->not_full);
	cl_unlock(q->mu);
	return v;
}
