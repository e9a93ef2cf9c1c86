/*
 * api.h - 19-drain-deadline: what your file and the checks share.
 *
 * A drainer task processes the items of a buffered queue.  Shutdown
 * closes the queue and lets the drainer finish the items already queued,
 * but only for a budget of time: past it, the drainer is cancelled (it
 * stops after the item in hand) and shutdown reports the deadline.  Either
 * way, when shutdown returns the drainer has stopped.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

struct drainer {
	cl_chan *queue;       /* given: a buffered channel of int, filled by the checks */
	int processed;        /* counted by process_item */
	cl_ctx *ctx;          /* yours: cancelled when the budget runs out */
	cl_chan *finished;    /* yours: closed by the drainer when it stops */
};

/* Provided by the checks: one item's work (takes 1-3 ms). */
void process_item(struct drainer *d, int item);

/* Yours: starts the drainer task, named "drainer". */
void drainer_start(struct drainer *d);
/* Yours: closes the queue, waits for the drain at most budget; returns
 * NULL when everything was processed, cl_err_deadline when the budget ran
 * out (then after stopping the drainer). */
cl_error drainer_shutdown(struct drainer *d, cl_time budget);

#endif
