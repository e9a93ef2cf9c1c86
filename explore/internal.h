/*
 * internal.h - what explore.c shares with parallel.c: one judged run, the
 * re-run of a seed that records its schedule, and the bookkeeping of a
 * failure found.  Not part of the module's interface (explore.h).
 */
#ifndef CHANLAB_EXPLORE_INTERNAL_H
#define CHANLAB_EXPLORE_INTERNAL_H

#include "explore/explore.h"
#include "runtime/schedule.h"

/* One exploration's program, judge and options, and where an error goes. */
struct explorer {
	const struct ex_program *prog;
	ex_judge_fn judge;
	void *judge_ctx;
	const struct ex_options *opt;
	char *error;                  /* where a start failure is described */
	size_t error_size;
};

bool ex_interrupted(const struct ex_options *opt);
void ex_progress_report(const struct ex_options *opt, const struct ex_progress *p);

/* Runs once under cfg, judges the run; *stopped when an interrupt stopped
 * it.  0, or -1 when the runtime could not start (x->error set). */
int ex_run_once(struct explorer *x, struct cl_config *cfg, enum ex_judgement *judgement,
                struct ex_failure *key, bool *stopped);

/* Runs seed again with its decisions recorded in rec (not interruptible);
 * key (may be NULL) gets the judge's failure.  0 or -1 as ex_run_once. */
int ex_record_seed(struct explorer *x, const struct ex_options *opt, uint64_t seed,
                   enum ex_strategy strategy, struct cl_schedule *rec, struct ex_failure *key);

void ex_set_found(struct ex_found *f, long index, uint64_t seed, enum ex_strategy strategy,
                  const struct ex_options *opt, const struct ex_failure *key,
                  struct cl_schedule *rec);

/* Random and PCT seeds run by opt->processes worker processes
 * (parallel.c); the result is the one explore_seeds would give, but for
 * the seconds.  0, or -1 with x->error set. */
int ex_explore_seeds_parallel(struct explorer *x, const struct ex_options *opt,
                              struct ex_result *res);

#endif
