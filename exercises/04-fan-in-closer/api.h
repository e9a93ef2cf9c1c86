/*
 * api.h - 04-fan-in-closer: what your file and the checks share.
 *
 * merge() joins several input channels of int into one output channel:
 * every value of every input comes out once, and the output is closed
 * exactly when the last input is drained, so a consumer can range over it.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

/* Yours: starts one task named "forward-I" per input (copying its values
 * to the output until it is closed) and a task named "closer" that closes
 * the output once every forwarder is done.  Returns the output channel (of
 * int, unbuffered, named "out") at once. */
cl_chan *merge(cl_chan **inputs, int n);

#endif
