/*
 * explore.h - runs one program under many schedules and checks a promise:
 * random and PCT schedules by seed, or every schedule up to a preemption
 * bound (exhaustive); the first failing schedule is kept as a string that
 * replays it exactly, and shrunk to the fewest preemptions, then the fewest
 * decisions, that still fail the same way.
 *
 * The module knows the runtime only (DESIGN.md: explore uses runtime, not
 * patterns): the caller hands in the program (main_fn, its arg, a reset
 * called before every run) and a judge that says whether a run kept the
 * promise and, if not, which failure it was.  The CLI (cmd/explore.c), the
 * exercise checker (coach/) and the pattern suites call it in-process:
 *
 *	struct ex_program prog = {pattern_entry, run, reset_fn, "fan-in --variant add-inside"};
 *	struct ex_options opt;
 *	ex_options_init(&opt);                    // random, 1000 runs, seed 1, shrink on
 *	opt.strategy = EX_EXHAUSTIVE;
 *	struct ex_result res;
 *	if (ex_explore(&prog, judge, judge_ctx, &opt, &res) != 0)
 *		error: res.error says why (the runtime could not start ...);
 *	if (res.found)
 *		show res.failure, replay res.shrunk (or res.schedule) under res.seed;
 *	ex_result_free(&res);
 *
 * Schedules are strings (runtime/schedule.h, docs/explore.md): a header
 * with the format version and a hash of the program's identity, the seed,
 * the strategy and PCT's depth (ex_schedule_hash), then the scheduler's
 * decisions.  They replay under the same seed (which drives cl_rand, so
 * the pattern's latencies, and select's order) and strategy.
 *
 * Not reentrant across threads (cl_run is not): one exploration at a time
 * per thread.  No global state.  With opt.processes > 1 random and PCT
 * seeds run in forked worker processes (the program's globals are each
 * worker's own); the caller must not mind a fork.
 */
#ifndef CHANLAB_EXPLORE_H
#define CHANLAB_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/chanlab.h"

/* The program: main_fn(arg) runs as task 1 under each schedule; reset(arg)
 * (may be NULL) runs before each cl_run (pattern_run_reset).  identity names
 * the program for schedule headers: pattern, variant and parameters, e.g.
 * "fan-in --variant add-inside --producers 3".  A schedule recorded for one
 * identity (or seed, strategy, depth) is refused by another. */
struct ex_program {
	void (*main_fn)(void *arg);
	void *arg;
	void (*reset)(void *arg);
	const char *identity;
};

/* "The same failure", which shrinking keeps: the same outcome; for an
 * invariant the same invariant; for a panic the same message.  The judge
 * fills it; what keys compare is ex_failure_same. */
struct ex_failure {
	enum cl_outcome outcome;      /* the runtime's outcome (ok for an invariant or metric) */
	char kind[16];                /* the judge's word: "panic", "invariant", "metric", "race" ... */
	char name[48];                /* invariant or metric name; "" otherwise */
	char panic_msg[160];          /* panic: the message; "" otherwise */
};
bool ex_failure_same(const struct ex_failure *a, const struct ex_failure *b);

/* What the judge says of one run. */
enum ex_judgement {
	EX_KEPT,      /* the promise held */
	EX_BROKEN,    /* the promise broke: what explore looks for; *key says how */
	EX_ASIDE,     /* went wrong, but not the way looked for (a broken variant that
	                 deadlocked instead of showing its invariant): noted, explore goes on */
};
typedef enum ex_judgement (*ex_judge_fn)(void *ctx, const struct cl_result *res,
                                         struct ex_failure *key);

enum ex_strategy { EX_RANDOM, EX_PCT, EX_EXHAUSTIVE };

/* Progress, for a bar on stderr: called after each run (explore) or each
 * candidate (shrink), at most as often as the caller can bear; cheap. */
struct ex_progress {
	const char *phase;            /* "explore" or "shrink" */
	long done;                    /* runs so far in this phase */
	long total;                   /* the cap (explore), 0 if unknown (shrink) */
	long kept;
	int latency_seed;             /* exhaustive: the latency seed being explored */
	size_t decisions;             /* shrink: the current best's decisions */
	int preemptions;              /* shrink: the current best's preemptions */
};

struct ex_options {
	enum ex_strategy strategy;    /* default EX_RANDOM */
	long runs;                    /* schedules to run; exhaustive: the cap (default 1000;
	                                 exhaustive default 100,000) */
	uint64_t seed;                /* random/PCT: the first seed, then seed+1 ... (default 1) */
	int pct_depth;                /* PCT's d (default 3) */
	uint64_t pct_steps;           /* PCT's expected contended steps (0: measured by a first run) */
	int preemptions;              /* exhaustive: the bound K (default 2) */
	int latency_seeds;            /* exhaustive: seeds 1..S (default 10) */
	bool prune;                   /* exhaustive: sleep-set pruning (default true): a choice
	                                 that would only reorder steps that commute with a
	                                 schedule already run is skipped (explore.c says
	                                 when, so the bound still covers every class) */
	const char *stack_advice;     /* cl_config.stack_advice */
	bool record_runs;             /* exhaustive with pruning: every run still records its
	                                 decisions (no runnable sets) in cl_config.record, for
	                                 a crash handler that names the run it died in
	                                 (coach/crash.c); off by default, it costs a push a step */
	bool shrink;                  /* shrink the first failing schedule (default true) */
	bool race;                    /* run with the race detector (default true; cl_config.race) */
	bool stop_at_first;           /* stop at the first EX_BROKEN run (default true) */
	int processes;                /* random/PCT: run the seeds on this many worker
	                                 processes at once (parallel.c; 0 or 1: in this
	                                 process).  The result is the same, but for the
	                                 seconds; not with sinks, and not below 64 runs
	                                 per process, where one process is as fast */
	uint64_t max_steps;           /* 0: the runtime's default */
	size_t stack_size;            /* 0: the runtime's default */
	void (*progress)(void *ctx, const struct ex_progress *p);  /* may be NULL */
	void *progress_ctx;
	/* When non-NULL and *interrupt becomes non-zero, the run in progress stops
	 * at its next decision and ex_explore returns with interrupted set, the
	 * counts so far and the schedule it was on. */
	volatile int *interrupt;
	/* Every run's event sinks (cl_config.sinks; NULL: none) and virtual-time
	 * limit (cl_config.max_time; 0: the runtime's default), copied by
	 * ex_config: the exercise checker judges event rules with a sink. */
	const struct cl_sink *sinks;
	int nsinks;
	cl_time max_time;
};
void ex_options_init(struct ex_options *opt);

/* How shrinking went. */
struct ex_shrink_stats {
	size_t from_decisions, to_decisions;
	int from_preemptions, to_preemptions;
	long runs;                    /* candidate schedules tried */
	double seconds;               /* wall clock */
};

/* One failing (or noted) run. */
struct ex_found {
	bool set;
	long index;                   /* 0-based run number */
	uint64_t seed;                /* the seed it ran under (random/PCT seed, or latency seed) */
	enum ex_strategy strategy;    /* EX_RANDOM or EX_PCT: the strategy to replay under
	                                 (exhaustive schedules replay under EX_RANDOM) */
	int pct_depth;
	uint64_t pct_steps;
	struct ex_failure failure;
	char *schedule;               /* its schedule string (malloc'd) */
	size_t decisions;
	int preemptions;
};

struct ex_result {
	long runs;                    /* schedules run */
	long kept, broken, aside;     /* judged so */
	long pruned;                  /* exhaustive with prune: branches skipped as equivalent
	                                 (each a subtree of one or more schedules) */
	bool cap_hit;                 /* stopped at opt.runs before covering everything */
	bool complete;                /* exhaustive: every schedule within the bound was run */
	bool interrupted;
	int latency_seeds_done;       /* exhaustive: seeds fully covered */
	struct ex_found first;        /* the first EX_BROKEN run */
	struct ex_found first_aside;  /* the first EX_ASIDE run */
	char *shrunk;                 /* first's schedule shrunk (malloc'd), NULL if not */
	size_t shrunk_decisions;
	int shrunk_preemptions;
	struct ex_shrink_stats shrink;
	char *current;                /* interrupted: the schedule of the run it was on, or NULL */
	uint64_t current_seed;
	double seconds;
	int processes;                /* the processes that ran the schedules (1: this one) */
	char error[256];              /* ex_explore returned -1: why */
};
void ex_result_free(struct ex_result *res);

/* Runs the exploration.  0 (whatever was found), or -1 with res->error set
 * when a run could not start. */
int ex_explore(const struct ex_program *prog, ex_judge_fn judge, void *judge_ctx,
               const struct ex_options *opt, struct ex_result *res);

/* The hash a schedule's header carries: of identity, seed, strategy and
 * depth (depth ignored unless PCT).  `chanlab run --schedule` computes it the
 * same way, so a schedule replays only where it was recorded. */
uint64_t ex_schedule_hash(const char *identity, uint64_t seed, enum ex_strategy strategy,
                          int pct_depth);

/* Fills cfg (from cl_config_init) for one run of found's kind: seed,
 * strategy, depth, steps, race, limits from opt.  Used by replays. */
void ex_config(const struct ex_options *opt, uint64_t seed, enum ex_strategy strategy,
               struct cl_config *cfg);

/* One run of prog under schedule (a string) with cfg's sinks (a trace of
 * the shrunk run).  schedule_hash must be ex_schedule_hash of the same
 * identity, seed and strategy.  Returns cl_run's value. */
int ex_replay(const struct ex_program *prog, const char *schedule, uint64_t schedule_hash,
              const struct cl_config *cfg, struct cl_result *res);

/* Shrinks a failing schedule: the fewest preemptions, then the fewest
 * decisions, with the same failure (ex_failure_same).  Deterministic.
 * Returns the shrunk schedule (malloc'd; schedule itself if nothing
 * shorter fails the same way), or NULL with err set. */
char *ex_shrink(const struct ex_program *prog, ex_judge_fn judge, void *judge_ctx,
                const struct ex_options *opt, const struct ex_found *found,
                struct ex_shrink_stats *stats, char *err, size_t err_size);

/* For checking that a shrunk schedule is 1-minimal: runs found's schedule
 * with its which-th preemption (0-based, in order of the anchors: task id,
 * then the task's scheduling point) removed, every other switch kept where
 * it happens (anchored to its task's scheduling point, not to a position),
 * and judges the run.  0, or -1 (bad schedule, which out of range). */
int ex_without_preemption(const struct ex_program *prog, ex_judge_fn judge, void *judge_ctx,
                          const struct ex_options *opt, const struct ex_found *found, int which,
                          enum ex_judgement *judgement, struct ex_failure *key);

#endif
