/*
 * explore.h - the one place where the exercise checker runs a program over
 * many schedules.  The harness (coach/harness.c) calls only coach_explore
 * and coach_replay; nothing else in coach/ knows how schedules are chosen.
 *
 * Both are built on the explorer library (explore/explore.h): first every
 * schedule with at most bounds->preemptions preemptions (exhaustive, for
 * latency seeds 1..bounds->latency_seeds, the bounds 0, 1 ... K in turn
 * within one cap), then PCT schedules, then random
 * ones, all with the race detector on unless bounds->no_race.  The first
 * broken promise stops the search and is shrunk by explore's shrinker to
 * the fewest preemptions, then the fewest decisions, that fail the same way.
 *
 * A schedule the checker names (report->schedule, the --replay argument)
 * is the strategy and seed it replays under, then explore's schedule
 * string (runtime/schedule.h):
 *
 *	random:SEED:S1-HASH-DECISIONS          exhaustive and random schedules
 *	pct:DEPTH:STEPS:SEED:S1-HASH-DECISIONS PCT schedules
 *
 * The older seed-only forms "random:SEED" and "pct:DEPTH:STEPS:SEED" still
 * replay (the seed alone fixes a random or PCT run).
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
	const char *identity;              /* names the program in schedule headers ("exercise NAME") */
	size_t stack_size;                 /* 0: the runtime's default */
	uint64_t max_steps;                /* for coach_replay: as the explore's bounds (0: default) */
	cl_time max_time;                  /* virtual time before a schedule is a limit (0: default) */
	bool race;                         /* coach_replay: with the race detector */
	/* Called before each schedule (reset the event checks' state) and
	 * asked for the sinks of that schedule; may be NULL.  The sinks must be
	 * the same every time (explore's options hold them for the search). */
	void (*before)(void *ctx, const struct cl_sink **sinks, int *nsinks);
	void *ctx;
	/* When *interrupt becomes non-zero the schedule in progress stops (the
	 * harness's task cap); the search ends there and reports it. */
	volatile int *interrupt;
	/* Called with the failing schedule found (its checker's name, which
	 * replays it, and the check's kind) before it is shrunk: a crash while
	 * shrinking has no schedule of its own to replay, but this one.  May
	 * be NULL. */
	void (*found)(void *ctx, const char *schedule, const char *kind);
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
	int preemptions;      /* exhaustive bound K */
	int latency_seeds;    /* exhaustive: latency seeds 1..S (0: 1) */
	long exhaustive_cap;  /* exhaustive: schedules at most (0: 20,000) */
	long pct;             /* PCT schedules */
	int pct_depth;        /* PCT's d */
	long random;          /* random schedules */
	uint64_t max_steps;   /* a schedule longer than this is a limit */
	bool no_race;         /* the race detector off */
	bool no_shrink;       /* report the first failing schedule as found */
};

struct coach_explore_report {
	long schedules;       /* schedules run in all (shrinking not counted) */
	long exhaustive_runs; /* of which exhaustive: bounds 0, 1, ... K in turn */
	long exhaustive;      /* the schedules of the last bound tried (with the smaller
	                         bounds' schedules among them) */
	int exhaustive_bound; /* that bound */
	bool exhaustive_complete;  /* every schedule within the bound K was run */
	int complete_bound;   /* the largest bound whose schedules all ran (-1: none) */
	long complete_count;  /* how many those were */
	int latency_seeds;    /* exhaustive: latency seeds covered */
	long pct, random;
	bool failed;
	bool interrupted;
	char *schedule;       /* the failing schedule (malloc'd), replayable by coach_replay */
	char kind[16];
	char why[512];
	uint64_t steps;       /* of the failing schedule */
	/* Where the failure was found: the phase ("exhaustive", "pct" or
	 * "random"), the schedule's 1-based number in it, the preemption bound
	 * of that exhaustive pass, and the seed (the latency seed of an
	 * exhaustive schedule, else the PCT or random seed). */
	char found_phase[16];
	long found_index;
	int found_bound;
	uint64_t found_seed;
	char *report;         /* the runtime's report of the failing schedule (malloc'd) or NULL */
	/* Shrinking: the failure as found and as reported. */
	bool shrunk;
	size_t from_decisions, to_decisions;
	int from_preemptions, to_preemptions;
	long shrink_runs;
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
 * (free it with cl_result_free), or -1 for a malformed schedule string
 * (with err set: what is wrong with it). */
int coach_replay(const struct coach_program *prog, const char *schedule,
                 const struct cl_sink *extra, int nextra, struct cl_result *result,
                 char *err, size_t err_size);

void coach_explore_report_free(struct coach_explore_report *report);

#endif
