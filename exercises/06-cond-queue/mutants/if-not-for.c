/* chanlab exercise 06-cond-queue */
/* expect: result */
/*
 * MISTAKE (004:t27, the wait loop): if instead of for around the waits.  A
 * consumer woken for an item can find that another consumer, arriving
 * between the signal and the wake-up, took it: it then reads an empty
 * queue.
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
	if (q->count == QUEUE_CAP)
		cl_cond_wait(q->not_full);
	q->items[(q->head + q->count) % QUEUE_CAP] = v;
	q->count++;
	cl_cond_signal(q->not_empty);
	cl_unlock(q->mu);
}

int queue_get(struct queue *q)
{
	cl_lock(q->mu);
	if (q->count == 0)
		cl_cond_wait(q->not_empty);
	int v = q->items[q->head];
	q->head = (q->head + 1) % QUEUE_CAP;
	q->count--;
	cl_cond_signal(q->not_full);
	cl_unlock(q->mu);
	return v;
}
