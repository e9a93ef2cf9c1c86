/*
 * api.h - 20-rate-limiter: what your file and the checks share.
 *
 * A token-bucket rate limiter with a burst of one: a refiller task puts a
 * token into the bucket every interval if there is room (when the bucket
 * is full the tick is dropped: backpressure, not a growing backlog), and
 * limiter_wait takes one.  limiter_stop stops the refiller and waits for it.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

struct limiter {
	cl_chan *tokens;      /* yours: the bucket */
	cl_chan *stop;        /* yours */
	cl_chan *stopped;     /* yours */
	cl_time interval;
};

/* Yours: starts the refiller task, named "refiller", adding a token every
 * interval when the bucket (capacity 1) has room. */
void limiter_start(struct limiter *l, cl_time interval);
/* Yours: waits for a token and takes it. */
void limiter_wait(struct limiter *l);
/* Yours: stops the refiller and returns once it has finished. */
void limiter_stop(struct limiter *l);

#endif
