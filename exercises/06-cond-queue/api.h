/*
 * api.h - 06-cond-queue: what your file and the checks share.
 *
 * A bounded FIFO queue of ints guarded by a mutex, with two condition
 * variables: put waits while the queue is full, get waits while it is
 * empty.  Several producers and consumers use it at once.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

/* One slot: small, so that every schedule of the checks with two
 * preemptions fits the checker's cap; the code must not depend on it. */
#define QUEUE_CAP 1

struct queue {
	cl_mutex *mu;
	cl_cond *not_empty;   /* signalled when an item arrives */
	cl_cond *not_full;    /* signalled when a slot frees up */
	int items[QUEUE_CAP];
	int head, count;      /* the oldest item is items[head]; count items are queued */
};

/* Yours: makes the mutex and the two conds and empties the queue. */
void queue_init(struct queue *q);
/* Yours: appends v, waiting while the queue is full. */
void queue_put(struct queue *q, int v);
/* Yours: removes and returns the oldest item, waiting while it is empty. */
int queue_get(struct queue *q);

#endif
