/*
 * api.h - 02-stop-and-stopped: what your file and the checks share.
 *
 * A service task ticks until it is told to stop.  service_stop must both
 * ask it to stop and wait until it has: once service_stop returns, the
 * service does no more work and its task is gone.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

struct service {
	int ticks;            /* counted by service_tick */
	cl_chan *tick;        /* given: a ticker's channel, one value per millisecond */
	cl_chan *stop;        /* yours: the request ("please stop") */
	cl_chan *stopped;     /* yours: the acknowledgement ("I have stopped") */
};

/* Provided by the checks: one unit of the service's work. */
void service_tick(struct service *s);

/* Yours: starts a task named "service" that calls service_tick(s) on
 * every value from s->tick until it is asked to stop. */
void service_start(struct service *s);

/* Yours: asks the service to stop, and returns only once it has. */
void service_stop(struct service *s);

#endif
