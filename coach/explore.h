/*
 * explore.h - the one place where the exercise checker runs a program over
 * many schedules.  The harness (coach/harness.c) calls only coach_explore
 * and coach_replay; nothing else in coach/ knows how schedules are chosen.
 *
 * INTEGRATION POINT: today coach/explore.c implements both with plain
 * cl_run calls over random seeds and PCT seeds, and a cheap shrink (among
 * the first failures, the one with the fewest steps).  When the explore/
 * library lands, coach/explore.c is re-implemented on it (exhaustive search
 * up to bounds->preemptions, then PCT and random; explore's schedule strings
 * in report->schedule; its shrinker), and this header stays as it is.
 */
#ifndef CHANLAB_COACH_EXPLORE_H
#define CHANLAB_COACH_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/chanlab.h"

/* What runs under each schedule. */
struct coach_program {
	void (*main_fn)(void *arg);
	void *arg;
	size_t stack_size;                 /* 0: the runtime's default */
	uint64_t max_steps;                /* for coach_replay: as the explore's bounds (0: default) */
	cl_time max_time;                  /* virtual time before a schedule is a limit (0: default) */
	/* Called before each schedule (reset the event checks' state) and
	 * asked for the sinks of that schedule; may be NULL. */
	void (*before)(void *ctx, const struct cl_sink **sinks, int *nsinks);
	void *ctx;
	volatile int *interrupt;           /* cl_config.interrupt (Ctrl-C, task cap) */
};

/* The promise: failed() looks at a finished schedule and returns true when
 * it broke the promise, with the check's kind ("deadlock", "result",
 * "event" ...) and the failure in plain words. */
struct coach_promise {
	bool (*failed)(void *ctx, const struct cl_result *r, char *kind, size_t kind_size,
	               char *why, size_t why_size);
	void *ctx;
};

struct coach_bounds {
	int preemptions;      /* exhaustive bound K (not honoured until explore/ lands) */
	long pct;             /* PCT schedules */
	int pct_depth;        /* PCT's d */
	long random;          /* random schedules */
	uint64_t max_steps;   /* a schedule longer than this is a limit */
	long shrink;          /* after a failure, schedules tried for a shorter one */
};

struct coach_explore_report {
	long schedules;       /* schedules run in all */
	long exhaustive;      /* of which exhaustive (0 until explore/ lands) */
	bool exhaustive_complete;
	long pct, random;
	bool failed;
	bool interrupted;
	char schedule[64];    /* the failing schedule, replayable by coach_replay */
	char kind[16];
	char why[512];
	uint64_t steps;       /* of the failing schedule */
	char *report;         /* the runtime's report of the failing schedule (malloc'd) or NULL */
};

/* Called before every schedule with its name, the count run so far and the
 * planned total (so a crash that kills the process can be pinned on it). */
typedef void (*coach_progress_fn)(void *ctx, const char *schedule, long done, long total);

/* Runs the program over the schedules the bounds allow and stops at the
 * first broken promise (then shrinks).  Returns 0 (see report->failed), or
 * -1 when the runtime could not start (report->why says why). */
int coach_explore(const struct coach_program *prog, const struct coach_promise *promise,
                  const struct coach_bounds *bounds, coach_progress_fn progress, void *pctx,
                  struct coach_explore_report *report);

/* Runs one schedule named by a string from report->schedule, with extra
 * sinks (a renderer) after the program's own.  Returns 0 and fills *result
 * (free it with cl_result_free), or -1 for a malformed schedule string. */
int coach_replay(const struct coach_program *prog, const char *schedule,
                 const struct cl_sink *extra, int nextra, struct cl_result *result);

void coach_explore_report_free(struct coach_explore_report *report);

#endif
