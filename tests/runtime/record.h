/*
 * record.h - running a program under test and keeping its events.
 */
#ifndef CHANLAB_TEST_RECORD_H
#define CHANLAB_TEST_RECORD_H

#include <stdio.h>

#include "runtime/chanlab.h"

struct rec_event {
	enum cl_event_kind kind;
	int task, peer, ok, count;
	uint64_t flow, obj;
	int64_t time, arg;
	enum cl_wait wait;
	char value[32];
	char obj_name[32];
	char text[64];
};

struct recorder {
	struct rec_event *ev;
	size_t n, cap;
};

struct cl_sink recorder_sink(struct recorder *r);
void recorder_free(struct recorder *r);

/* Runs fn under det with the given seed and strategy (PCT depth 3); events
 * go to r (may be NULL).  Fails the test if cl_run itself fails. */
struct cl_result run_prog(void (*fn)(void *), void *arg, uint64_t seed,
                          enum cl_strategy strategy, struct recorder *r);

/* The plain-text event stream of a run, malloc'd. */
char *run_stream(void (*fn)(void *), void *arg, uint64_t seed, enum cl_strategy strategy);

#endif
