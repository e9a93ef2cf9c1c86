/*
 * api.h - 05-semaphore-channel: what your file and the checks share.
 *
 * run_all() runs n jobs, each in its own task, but never more than limit
 * of them at once, and returns when all are done.  A buffered channel of
 * capacity limit is the semaphore: a send takes a slot, a receive gives it
 * back.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

struct jobs {
	int done[16];         /* done[i]: how many times job i ran (do_job counts) */
};

/* Provided by the checks: job i, which takes a while. */
void do_job(struct jobs *j, int i);

/* Yours: runs do_job(j, i) for i in 0..n-1, each in a task named "job-I",
 * at most limit at once; returns once every job has finished. */
void run_all(struct jobs *j, int n, int limit);

#endif
