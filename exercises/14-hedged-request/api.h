/*
 * api.h - 14-hedged-request: what your file and the checks share.
 *
 * Two replicas (given) answer the same question; the primary is usually
 * quick but sometimes slow.  hedged() asks the primary, and only if no
 * answer has come after hedge_after it asks the backup as well; it returns
 * the first answer.  The replica that loses the race must not be left
 * stuck with an answer nobody takes.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

struct hreq {
	int n;
	cl_chan *reply;       /* a channel of int, made by the caller */
};

/* Yours: asks primary (a channel of struct hreq) for n, then backup too
 * when no answer came within hedge_after; returns the first answer. */
int hedged(cl_chan *primary, cl_chan *backup, int n, cl_time hedge_after);

#endif
