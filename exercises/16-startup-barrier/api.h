/*
 * api.h - 16-startup-barrier: what your file and the checks share.
 *
 * start_all() starts n children and returns only when every one of them
 * is ready, or, when one fails to initialise, after stopping the others:
 * then it returns the failure and no child is left running.  stop_all()
 * stops a fleet that started and waits for every child.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include <stdbool.h>

#include "runtime/chanlab.h"

#define MAX_CHILDREN 4

struct fleet {
	bool running[MAX_CHILDREN];   /* set by child_serve while it serves */
	int failing;                  /* the checks' own: which child fails (-1: none) */
	cl_chan *stop;                /* yours: closed to stop the children */
	cl_waitgroup *wg;             /* yours: counts the children still alive */
	cl_chan *results;             /* yours: where each child reports its start */
};

/* Provided by the checks: child i's set-up (takes a while; may fail). */
cl_error child_init(struct fleet *f, int i);
/* Provided by the checks: child i's work after set-up, until stop is closed. */
void child_serve(struct fleet *f, int i);

/* Yours: starts children "child-I" (each: child_init, report it, then
 * child_serve if it succeeded), waits for all to report; on the first
 * failure stops the rest and waits for them; returns that failure or NULL. */
cl_error start_all(struct fleet *f, int n);
/* Yours: stops the children of a fleet that started, and waits for them. */
void stop_all(struct fleet *f);

#endif
