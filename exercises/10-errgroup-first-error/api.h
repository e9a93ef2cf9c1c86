/*
 * api.h - 10-errgroup-first-error: what your file and the checks share.
 *
 * fetch_all() fetches items 0..n-1, at most two at a time, and returns the
 * first error: as soon as one fetch fails, the others are cancelled (they
 * watch the context they are given) and fetch_all returns that error once
 * every fetch has returned.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

#define FETCH_LIMIT 2

struct fetch {
	cl_ctx *parent;       /* the caller's context */
	int done[16];         /* fetch_one counts the fetches that finished */
	int failing;          /* the checks' own: which item fails (-1: none) */
	cl_time failed_at;    /* the checks' own: when that fetch failed */
};

/* Provided by the checks: fetches item i, watching ctx; returns NULL, an
 * error of its own, or cl_err_canceled when ctx is done first. */
cl_error fetch_one(struct fetch *f, cl_ctx *ctx, int i);

/* Yours: fetches 0..n-1 in tasks named "fetch-I", at most FETCH_LIMIT at
 * once, cancelling the rest at the first error; returns the first error or
 * NULL. */
cl_error fetch_all(struct fetch *f, int n);

#endif
