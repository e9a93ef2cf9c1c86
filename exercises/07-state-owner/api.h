/*
 * api.h - 07-state-owner: what your file and the checks share.
 *
 * A counter owned by one task: nobody else touches its value.  Clients
 * send it operations on a channel, each with its own reply channel, and
 * the owner answers.  counter_stop closes the operations channel and
 * waits until the owner has finished.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

enum op_kind { OP_ADD, OP_GET };

struct op {
	enum op_kind kind;
	int delta;            /* OP_ADD */
	cl_chan *reply;       /* a channel of int: the value after the operation */
};

struct counter {
	cl_chan *ops;         /* yours: a channel of struct op */
	cl_chan *done;        /* yours: closed by the owner when it has finished */
};

/* Yours: starts the owner task, named "owner". */
void counter_start(struct counter *c);
/* Yours: adds delta; returns the counter's value just after this add. */
int counter_add(struct counter *c, int delta);
/* Yours: the counter's value. */
int counter_get(struct counter *c);
/* Yours: stops the owner and waits until it has finished. */
void counter_stop(struct counter *c);

#endif
