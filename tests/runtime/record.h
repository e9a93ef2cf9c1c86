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

/* A default config on the scheduler the run asks for: det, or par with
 * CHANLAB_TEST_SCHED=par and CHANLAB_TEST_PROCS=N (`make check-par`). */
void test_config(struct cl_config *cfg);

/* Test cases are tagged "det" (exact schedules, virtual time, byte-identical
 * streams: det only) or "any" (semantics: any scheduler). */
#define TAG_DET "det"
#define TAG_ANY "any"

/* Runs fn with the given seed and strategy (PCT depth 3) on the scheduler
 * test_config picks; events go to r (may be NULL).  Fails the test if
 * cl_run itself fails. */
struct cl_result run_prog(void (*fn)(void *), void *arg, uint64_t seed,
                          enum cl_strategy strategy, struct recorder *r);

/* Runs fn on the given scheduler, processors and seed, nothing else set:
 * for tests that pick their scheduler themselves, whatever test_config
 * would pick.  Fails the test if cl_run itself fails. */
struct cl_result run_on(void (*fn)(void *), void *arg, enum cl_sched_kind sched, int procs,
                        uint64_t seed);

/* Runs fn as run_prog does (random strategy, no recorder) and fails the
 * test unless the run panicked with exactly msg. */
void expect_panic(void (*fn)(void *), void *arg, uint64_t seed, const char *msg);

/* The plain-text event stream of a run, malloc'd. */
char *run_stream(void (*fn)(void *), void *arg, uint64_t seed, enum cl_strategy strategy);

#endif
