/*
 * api.h - 17-chan-chan-dispatcher: what your file and the checks share.
 *
 * Workers advertise that they are free by sending their own job channel
 * on a shared ready channel (Go's chan chan int).  The dispatcher takes a
 * free worker's channel from ready and hands that worker one job.  A job
 * of -1 tells a worker to stop.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

#define MAX_JOBS 16

struct dispatch {
	int handled[MAX_JOBS];    /* counted by do_work */
	int per_worker[4];        /* counted by do_work */
};

/* Provided by the checks: worker w does job j (takes a while). */
void do_work(struct dispatch *d, int w, int j);

/* Yours: starts `workers` tasks named "worker-I", dispatches jobs
 * 0..njobs-1 to whichever worker says it is free, then stops every worker
 * and returns once they have all finished. */
void dispatch_run(struct dispatch *d, int workers, int njobs);

#endif
