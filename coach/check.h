/*
 * check.h - checking a student's file: compile it with the system C
 * compiler, refuse writable globals, link it with the exercise's test.c and
 * the harness, run it in a child process under limits, and read the
 * harness's report over a pipe (coach/harness.h).  chanlab itself never
 * runs student code in its own process.
 */
#ifndef CHANLAB_COACH_CHECK_H
#define CHANLAB_COACH_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "coach/pack.h"

/* How to compile and link against chanlab: from the build tree (the
 * build's own flags, e.g. ASan) or an installed prefix (pkg-config). */
struct coach_toolchain {
	char cc[512];          /* the compiler's path */
	char cflags[2048];     /* -I... and the flags the runtime needs, space separated */
	char libs[2048];       /* libcoach, librender, libruntime and system libraries */
};

/* Finds the C compiler: $CC when set, else "cc", looked up in $PATH.
 * Returns -1 when there is none. */
int coach_find_cc(char *path, size_t size);

/* The child's limits. */
struct coach_limits {
	int cpu_seconds;       /* RLIMIT_CPU (default 20) */
	int wall_seconds;      /* killed after this (default 60) */
	long rss_mib;          /* resident memory watched by the parent (default 512) */
	long output_kib;       /* the program's own output (default 256) */
	long task_cap;         /* tasks per schedule (default 10,000) */
};

struct coach_check_opts {
	struct coach_limits limits;
	const char *replay;    /* run only this schedule (with its trace); @FILE reads it */
	bool no_race;          /* the race detector off (--no-race) */
	const char *format;    /* the trace's renderer (default lanes) */
	bool color;
	int width;
	bool quiet_progress;   /* no progress line on stderr */
	volatile int *interrupt;
};

enum coach_status {
	COACH_PASS,
	COACH_FAIL,            /* a check failed (crash, limit, globals included) */
	COACH_COMPILE,         /* the student's file did not compile */
	COACH_NO_CC,
	COACH_ERROR,           /* chanlab's side: cannot write a temp dir, the pack's test.c fails ... */
	COACH_INTERRUPTED,
};

struct coach_verdict {
	enum coach_status status;
	char kind[16];         /* the failed check: deadlock, leak, panic, fatal, limit, race,
	                          result, event, crash, globals */
	char why[1024];        /* in plain words */
	char *schedule;        /* the failing schedule (coach/explore.h; "" when none) */
	long schedules, random, pct, exhaustive;
	bool exhaustive_complete;
	int latency_seeds;     /* exhaustive: latency seeds fully covered */
	int complete_bound;    /* the largest preemption bound fully covered (-1: none) */
	long complete_count;   /* its schedules */
	int exhaustive_bound;  /* the last bound tried; exhaustive counts its schedules */
	bool no_race;          /* checked with the race detector off */
	bool shrunk;           /* the schedule was shrunk from ... to ...: */
	size_t from_decisions, to_decisions;
	int from_preemptions, to_preemptions;
	/* Where the failure was found (coach/explore.h): "exhaustive", "pct",
	 * "random", "shrink" or "replay" (a crash while shrinking or replaying),
	 * or "" when unknown; the schedule's number in that phase, the
	 * exhaustive pass's preemption bound and the seed. */
	char found_phase[16];
	long found_index;
	int found_bound;
	unsigned long long found_seed;
	char *report;          /* the runtime's report of the failing schedule, or NULL */
	char *trace;           /* the failing schedule's trace, or NULL */
	char *output;          /* what the program printed (capped), or NULL */
};

/* Checks file against exercise spec.  Messages from the compiler go to
 * stderr as the compiler prints them. */
void coach_check(const struct coach_toolchain *tc, const struct coach_spec *spec,
                 const char *file, const struct coach_check_opts *opts, struct coach_verdict *v);
void coach_verdict_free(struct coach_verdict *v);

/* Which phase found a failure, in words ("found in the exhaustive phase,
 * schedule 3 of all with <= 0 preemptions (latency seed 1)", "found by
 * random schedule seed 9"), or "" when the verdict does not say. */
void coach_verdict_found(const struct coach_spec *spec, const struct coach_verdict *v,
                         char *buf, size_t size);

/* The verdict in words: what was covered, or the failure, its trace and
 * how to replay it. */
void coach_verdict_print(FILE *out, const struct coach_spec *spec, const char *file,
                         const struct coach_verdict *v);

#endif
