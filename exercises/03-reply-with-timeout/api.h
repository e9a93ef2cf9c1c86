/*
 * api.h - 03-reply-with-timeout: what your file and the checks share.
 *
 * A server task (given) answers requests: it reads a struct request from
 * the requests channel, takes a while (sometimes longer than the caller
 * wants to wait), and sends n * n on the request's own reply channel.
 * ask() sends one request and waits for the answer, but no longer than
 * its timeout; a caller that gave up must not leave the server stuck.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include <stdbool.h>

#include "runtime/chanlab.h"

struct request {
	int n;
	cl_chan *reply;       /* a channel of int, made by the caller for this request */
};

/* Yours: sends {n, reply} on requests (a channel of struct request) and
 * waits for the answer at most timeout.  Returns true with *answer set,
 * or false once the timeout has passed. */
bool ask(cl_chan *requests, int n, cl_time timeout, int *answer);

#endif
