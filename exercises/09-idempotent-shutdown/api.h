/*
 * api.h - 09-idempotent-shutdown: what your file and the checks share.
 *
 * A server (given) runs until its quit channel is closed, cleans up, and
 * closes stopped.  server_close may be called by several tasks, at the
 * same time or one after another: quit must be closed exactly once, and
 * every call returns only once the server has stopped.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include <stdbool.h>

#include "runtime/chanlab.h"

struct server {
	cl_chan *quit;        /* closed to ask the server to stop */
	cl_chan *stopped;     /* closed by the server when it has cleaned up */
	bool cleaned;         /* set by the server before it closes stopped */
	cl_once *once;        /* yours to use */
};

/* Provided by the checks: the server's task, started by server_start. */
void server_loop(void *server);

/* Yours: makes quit, stopped (and what else you need) and starts
 * server_loop(s) in a task named "server". */
void server_start(struct server *s);

/* Yours: stops the server; safe to call any number of times from any task. */
void server_close(struct server *s);

#endif
