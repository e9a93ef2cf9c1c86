/*
 * api.h - 13-pipeline-stop: what your file and the checks share.
 *
 * A two-stage pipeline: gen() sends 1, 2, 3 ... n and square() sends the
 * square of each value it receives.  The consumer may stop early: it
 * closes done, and then every stage must stop and exit instead of waiting
 * for ever to hand over its next value.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

/* Yours: starts a task named "gen" sending 1..n on the returned channel
 * of int (then closing it), stopping early when done is closed. */
cl_chan *gen(cl_chan *done, int n);

/* Yours: starts a task named "square" sending v * v for every v from in
 * on the returned channel (closing it when in is drained), stopping early
 * when done is closed. */
cl_chan *square(cl_chan *done, cl_chan *in);

#endif
