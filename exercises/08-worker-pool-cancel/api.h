/*
 * api.h - 08-worker-pool-cancel: what your file and the checks share.
 *
 * run_pool() processes jobs 0..njobs-1 with a fixed number of worker
 * tasks, and stops early when ctx is cancelled: no new job starts, the
 * feeding stops, every worker exits, and run_pool returns.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

#define MAX_JOBS 32

struct work {
	cl_ctx *ctx;
	int processed[MAX_JOBS];      /* counted by process */
	int started_after_cancel;     /* counted by process */
};

/* Provided by the checks: processes job id (takes a while). */
void process(struct work *w, int id);

/* Yours: feeds jobs 0..njobs-1 into a jobs channel (named "jobs") from
 * run_pool's own task, with `workers` tasks named "worker-I" taking them,
 * until all are done or w->ctx is cancelled; returns once every worker has
 * exited. */
void run_pool(struct work *w, int workers, int njobs);

#endif
