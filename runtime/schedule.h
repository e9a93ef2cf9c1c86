/*
 * schedule.h - a det run's schedule: the scheduler's decisions, recorded
 * as the run goes, replayed to repeat it exactly, and written as a short
 * string (docs/explore.md):
 *
 *	S1-9f3a0c1d2e3b4a59-1x12.3.2x5
 *	|  |                |
 *	|  |                decisions: the task that ran at each contended step
 *	|  |                (a step where more than one task could run), "IDxN"
 *	|  |                for N in a row, separated by dots
 *	|  the caller's hash of what the schedule is for (pattern, variant,
 *	|  parameters, seed, strategy): a schedule is refused elsewhere
 *	format version
 *
 * A replay follows the decisions; when they run out before the run does,
 * it continues without preemption: the task that reached the point goes on
 * while it can, and when it cannot the runnable task with the lowest id
 * runs (that pick is the decision's "default").  A decision naming a task
 * that is not runnable stops the run with outcome limit and a message
 * naming the step (strict), or takes the default (lenient, for shrinking).
 *
 * The seed still drives everything else (cl_rand, select's order): a
 * replay draws the same words as the recorded run, whose strategy it
 * keeps, so a schedule and its seed fix the run, event for event.
 */
#ifndef CHANLAB_SCHEDULE_H
#define CHANLAB_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CL_SCHEDULE_VERSION 1

/* One contended step.  A replay reads only task. */
struct cl_decision {
	int task;          /* the task that ran */
	int current;       /* the task that reached the point, if it could have gone on; else 0 */
	int dflt;          /* what the continuation rule picks here */
	uint32_t first;    /* detail only: runnable ids are runnable[first .. first+nrunnable) */
	uint32_t nrunnable;
	int from;          /* the task whose scheduling point this is (runnable or not) */
	uint64_t from_points;  /* its scheduling points so far, this one included: (from,
	                          from_points) names the step whatever ran elsewhere */
};

/* What the step that ended at a contended decision did (for partial-order
 * pruning, explore.c): the steps between two contended decisions that ran
 * one segment from a yield or a cl_rd/cl_wr (atomics: see atomic.c), drew no
 * randomness, made no task runnable and did not end a task, are LOCAL, READ
 * or WRITE of addr;
 * anything else is OTHER, which conflicts with every step.  Operations that
 * are not scheduling points and wake nobody are taken to be the task's own. */
enum cl_step_kind { CL_STEP_OTHER = 0, CL_STEP_LOCAL, CL_STEP_READ, CL_STEP_WRITE };

/* What cl_config.choose is told at a contended step. */
struct cl_choice {
	uint64_t index;            /* contended steps before this one */
	int from;                  /* as in cl_decision */
	uint64_t from_points;
	int current;               /* from, if it can go on; else 0 */
	int dflt;
	int nrunnable;
	const int *runnable;       /* sorted by id */
	enum cl_step_kind step;    /* the step that ended here (since the last contended step) */
	const void *step_addr;     /* READ, WRITE: the variable */
	/* What each runnable task (runnable[i]) does first when it runs next:
	 * READ or WRITE of next_addr[i] (the cl_rd/cl_wr or atomic whose point
	 * it waits at), LOCAL (a yield, or a task that has not run yet), or
	 * OTHER.  The addresses are this run's: memory a program allocates may
	 * sit elsewhere in another run, so the explorer never compares an
	 * address of one run with one of another (explore.c). */
	const enum cl_step_kind *next_step;
	const void *const *next_addr;
};

struct cl_schedule {
	uint64_t hash;
	struct cl_decision *d;
	size_t n, cap;
	bool detail;       /* record: also keep each step's runnable set (sorted by id) */
	int *runnable;
	size_t nrunnable, cap_runnable;
};

/* An empty schedule (zeroed); free with cl_schedule_free. */
void cl_schedule_init(struct cl_schedule *s);
void cl_schedule_free(struct cl_schedule *s);
void cl_schedule_clear(struct cl_schedule *s);   /* n = 0, memory kept */
/* Appends a decision naming task (replay input).  -1 out of memory. */
int cl_schedule_push(struct cl_schedule *s, int task);
/* Copies src's first n decisions' tasks into dst (cleared first).  -1 out of memory. */
int cl_schedule_copy_prefix(struct cl_schedule *dst, const struct cl_schedule *src, size_t n);

/* Switches away from a task that could have gone on, in a recorded schedule. */
int cl_schedule_preemptions(const struct cl_schedule *s, size_t n);

/* The string for s (header with s->hash, then the first n decisions);
 * malloc'd, NULL out of memory. */
char *cl_schedule_format(const struct cl_schedule *s, size_t n);

/* Parses text into *out (initialised here).  With check_hash, a header
 * whose hash is not expect_hash is refused.  0, or -1 with one line in err
 * (bad version, wrong hash, a bad token and where it is). */
int cl_schedule_parse(const char *text, bool check_hash, uint64_t expect_hash,
                      struct cl_schedule *out, char *err, size_t err_size);

/* FNV-1a of a string, chained from h (start with CL_SCHEDULE_HASH_INIT). */
#define CL_SCHEDULE_HASH_INIT 0xcbf29ce484222325ull
uint64_t cl_schedule_hash_str(uint64_t h, const char *text);
uint64_t cl_schedule_hash_u64(uint64_t h, uint64_t v);

#endif
