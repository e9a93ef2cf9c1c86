/*
 * api.h - 24-supervisor-restart: what your file and the checks share.
 *
 * A supervisor runs a child task and restarts it when it panics, but only
 * MAX_RESTARTS times: a child that keeps crashing is given up on (restart
 * intensity).  A panic must never escape the child's task: it is turned
 * into a report to the supervisor.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

#define MAX_RESTARTS 2

struct supervisor {
	int starts;           /* counted by child_body */
	int crashes;          /* the checks' own: how many first starts crash */
};

extern const char err_gave_up[];   /* "restart intensity exceeded" (the checks') */

/* Provided by the checks: the child's work; panics on its first
 * s->crashes starts, returns normally after. */
void child_body(struct supervisor *s);

/* Yours: runs child_body(s) in a task named "child", again after each
 * panic, at most MAX_RESTARTS restarts; returns NULL when a run returned
 * normally, err_gave_up when the child crashed once more than allowed. */
cl_error supervise(struct supervisor *s);

#endif
