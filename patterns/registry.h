/*
 * registry.h - the pattern registry: what each pattern is (name, title,
 * level, summary, handshake, seed topics, parameters, variants), how a run
 * hands parameters in, and how a pattern reports an invariant violation or a
 * metric.  The CLI (list, show, run, explore) and the tests use only this
 * header; pattern files include patterns/pattern.h, which includes it.
 *
 * How the CLI runs a variant (and explores it):
 *
 *	const struct pattern *p = pattern_find("worker-pool");        // NULL: exit 64
 *	const struct pattern_variant *v = pattern_variant_find(p, "correct");
 *	struct pattern_run *run = pattern_run_new(p, v);             // params at defaults
 *	if (pattern_run_set(run, "workers", "8", err, sizeof err))   // per --workers 8
 *		exit 64 with err;                                     // names the valid values
 *	for each schedule {
 *		pattern_run_reset(run);        // clears failures and metrics, frees run memory
 *		cl_run(pattern_entry, run, &config, &result);
 *		enum pattern_verdict verdict = pattern_verdict(run, &result);
 *		bool kept = pattern_promise_kept(run, &result);  // explore: exit 6 if !kept
 *		pattern_explain(run, &result, buf, sizeof buf);   // "invariant exactly-once: job 5 ..."
 *		cl_result_free(&result);
 *	}
 *	pattern_run_figures(run, &config, stdout);  // run only: extra figures (hedged-request)
 *	pattern_run_free(run);
 *
 * Exit codes for `run` (DESIGN.md): map the verdict, pattern_verdict_exit().
 *
 * Replay: pattern_replay_args() writes the "--variant V --param value ..."
 * part of a `chanlab run` command for the run's variant and parameters.
 *
 * Thread-safety: a struct pattern_run belongs to one cl_run at a time; inside
 * the run, pattern_fail, pattern_metric and pattern_alloc may be called from any
 * task on any processor (they take a small lock of their own).
 */
#ifndef CHANLAB_PATTERNS_REGISTRY_H
#define CHANLAB_PATTERNS_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "runtime/chanlab.h"

struct pattern_run;

enum pattern_level { PATTERN_JUNIOR, PATTERN_MIDDLE, PATTERN_SENIOR, PATTERN_STAFF };

/* A parameter of a pattern: the CLI's option is "--NAME VALUE".  An integer
 * parameter has choices == NULL and a value in [min, max]; a choice parameter
 * lists its values (NULL-terminated) and its value is the index of one. */
struct pattern_param {
	const char *name;              /* "workers" */
	const char *def;               /* default, as the user would type it: "4", "drop" */
	const char *help;              /* one line */
	long min, max;                 /* integers only */
	const char *const *choices;    /* choice parameters only */
};

/* What a variant promises: exactly one outcome. */
enum pattern_expect {
	PATTERN_EXPECT_OK,          /* "ok": no panic, deadlock, leak, limit, invariant or metric failure */
	PATTERN_EXPECT_DEADLOCK,    /* "deadlock" */
	PATTERN_EXPECT_LEAK,        /* "leak" */
	PATTERN_EXPECT_PANIC,       /* "panic" */
	PATTERN_EXPECT_INVARIANT,   /* "invariant:NAME": the pattern's invariant NAME fails */
	PATTERN_EXPECT_METRIC,      /* "metric:NAME>LIMIT": metric NAME goes over its limit */
	PATTERN_EXPECT_RACE,        /* "race": the race detector reports a data race */
	PATTERN_EXPECT_FATAL,       /* "fatal": an unrecoverable runtime error (Go's fatal error) */
	PATTERN_EXPECT_LIMIT,       /* "limit:REASON" (e.g. "limit:livelock"), or "limit" */
};

struct pattern_variant {
	const char *name;              /* "never-close-jobs"; every pattern has "correct" first */
	const char *teaches;           /* one line: what it teaches */
	const char *outcome;           /* the declared outcome, as in the list above, e.g.
	                                  "invariant:exactly-once", "metric:peak_tasks>workers+3" */
	void (*main)(struct pattern_run *run);  /* entry point: runs as the main task */
	const char *entry;             /* the entry point's name in the C source, for `show` */
	uint64_t seed;                 /* a seed under which `run` (random strategy, default
	                                  parameters) shows the declared outcome: the CLI's
	                                  default --seed for this variant (checked by a test) */
	const char *lesson;            /* broken variants: the mistake and why it matters, in a
	                                  sentence or two of plain words, printed by a failing run */
};

/* Which schedulers a pattern makes sense under. */
enum pattern_sched {
	PATTERN_SCHED_ANY,             /* det by default (replayable, explorable); par on request */
	PATTERN_SCHED_PAR,             /* par only: it shows real parallelism (gmp, false sharing);
	                                  run uses par, explore refuses it */
};

struct pattern {
	const char *name;              /* "worker-pool": what the user types */
	const char *title;             /* "Worker pool" */
	enum pattern_level level;
	const char *summary;           /* one paragraph */
	const char *handshake;         /* the handshake in three or four plain sentences */
	const char *const *topics;     /* seed topics it illustrates, NULL-terminated */
	const struct pattern_param *params;
	int nparams;
	const struct pattern_variant *variants;
	int nvariants;
	const char *source;            /* "patterns/worker_pool.c" (embedded, for show --source) */
	const char *go_source;         /* "patterns/go/worker_pool.go" (for show --go) */
	enum pattern_sched sched;      /* PATTERN_SCHED_ANY unless it is par only */
	/* Optional (NULL for most): after the traced run, measures figures with
	 * more runs on the runtime (tracing off, base's scheduler and seed) and
	 * stores them in the run (see pattern_run_figures). */
	int (*figures)(struct pattern_run *run, const struct cl_config *base);
};

/* ---- the registry ---------------------------------------------------------- */

const struct pattern *pattern_find(const char *name);           /* NULL if unknown */
const struct pattern *const *pattern_all(void);                 /* NULL-terminated, in teaching order */
const struct pattern_variant *pattern_variant_find(const struct pattern *p, const char *name);
const struct pattern_param *pattern_param_find(const struct pattern *p, const char *name);

const char *pattern_level_name(enum pattern_level level);       /* "junior" ... */
int pattern_level_parse(const char *name);                      /* -1 if unknown */

/* Parses a declared outcome.  name receives NAME for invariant: and metric:
 * (else ""); limit_expr receives LIMIT for metric: (else "").  Returns the
 * kind, or -1 if the text is not a valid outcome. */
int pattern_expect_parse(const char *outcome, char *name, size_t name_size,
                         char *limit_expr, size_t limit_size);

/* Writes "valid: a, b, c" lists for error messages: the pattern names, a
 * pattern's variant names, a choice parameter's values.  Returns buf. */
char *pattern_names_list(char *buf, size_t size);
/* Room for every pattern name in one such list (38 patterns take ~600 bytes). */
#define PATTERN_NAMES_SIZE 4096
char *pattern_variants_list(const struct pattern *p, char *buf, size_t size);

/* ---- a run ------------------------------------------------------------------ */

#define PATTERN_MAX_PARAMS 8
#define PATTERN_MAX_METRICS 8
#define PATTERN_MAX_FIGURES 16
#define PATTERN_HIST_BUCKETS 12

struct pattern_metric {
	char name[32];
	int64_t value;
	bool has_value;
	bool has_limit;
	int64_t limit;                 /* the metric fails when value > limit */
	char unit[8];                  /* "ms", "us", "" */
	const char *meaning;           /* what the number means, a sentence template with
	                                  {value} and {limit} (pattern_metric_meaning), or NULL */
};

/* One figure ("p99 with hedging", 41.2, "ms") and histograms, for the
 * patterns that measure (hedged-request); printed by pattern_run_figures. */
struct pattern_figure {
	char name[40];
	double value;
	char unit[8];
};
struct pattern_histogram {
	char title[48];
	char unit[8];
	int64_t lo[PATTERN_HIST_BUCKETS];     /* bucket i holds values in [lo[i], lo[i+1]) */
	long count[PATTERN_HIST_BUCKETS];     /* the last bucket is open-ended */
	int nbuckets;
};

/* The run context a variant's main receives.  Fields are for reading by the
 * CLI and tests; patterns change them only through the functions below. */
struct pattern_run {
	const struct pattern *pattern;
	const struct pattern_variant *variant;
	long params[PATTERN_MAX_PARAMS];      /* in the order of pattern->params */
	bool param_set[PATTERN_MAX_PARAMS];   /* given explicitly (for replay commands) */

	/* The first invariant failure of the run (failed == false: none). */
	bool failed;
	char fail_name[32];                   /* "exactly-once" */
	char fail_msg[200];                   /* "job 5 processed 2 times" */
	int fail_task;                        /* the task that noticed it */
	char fail_task_name[32];              /* its name: "main", "closer" */
	int64_t fail_time;                    /* when (ns) */

	struct pattern_metric metrics[PATTERN_MAX_METRICS];
	int nmetrics;

	struct pattern_figure figures[PATTERN_MAX_FIGURES];
	int nfigures;
	struct pattern_histogram hist[2];
	int nhist;

	/* Internals: memory owned by the run, and the lock of the fields above. */
	void *mem;
	int lock;
	void *mem_spare;   /* the last run's blocks, for pattern_alloc to reuse */
};

/* registry.c's internals, defined at its end so that the line of pattern_fail's
 * note, which golden traces cite, stays where it is. */
struct mem_block;
const struct pattern_param *pattern_param_named(const struct pattern *p, const char *name);
struct mem_block *pattern_mem_reuse(struct pattern_run *run, size_t size);
void pattern_mem_free(struct mem_block *b);
long pattern_param_by_text(struct pattern_run *run, const char *name)
	__attribute__((noinline, cold));   /* keeps pattern_param without a frame */

/* A run of variant v with every parameter at its default.  Never NULL (out
 * of memory aborts, like xmalloc). */
struct pattern_run *pattern_run_new(const struct pattern *p, const struct pattern_variant *v);
/* Sets parameter NAME from the user's text.  0, or -1 with one line in err
 * naming the parameter and what is valid (the CLI exits 64). */
int pattern_run_set(struct pattern_run *run, const char *name, const char *value,
                    char *err, size_t err_size);
/* Before each cl_run: forgets failures, metrics and figures; frees the
 * memory the previous run's tasks allocated.  Parameters stay. */
void pattern_run_reset(struct pattern_run *run);
void pattern_run_free(struct pattern_run *run);

/* The main_fn to hand to cl_run, with the run as its arg. */
void pattern_entry(void *run);

/* What happened, in order of precedence: the runtime's panic and deadlock,
 * then the pattern's invariant, then a metric over its limit, then a data
 * race (cl_config.race), then a leak, then a step/time limit. */
enum pattern_verdict {
	PATTERN_VERDICT_OK,
	PATTERN_VERDICT_PANIC,
	PATTERN_VERDICT_DEADLOCK,
	PATTERN_VERDICT_INVARIANT,
	PATTERN_VERDICT_METRIC,
	PATTERN_VERDICT_LEAK,
	PATTERN_VERDICT_LIMIT,
	PATTERN_VERDICT_FATAL,
	PATTERN_VERDICT_RACE,
};
enum pattern_verdict pattern_verdict(const struct pattern_run *run, const struct cl_result *res);
const char *pattern_verdict_name(enum pattern_verdict verdict);   /* "ok", "panic" ... */
/* DESIGN.md's exit code for a verdict: 0, 2 panic or fatal, 3 deadlock,
 * 4 leak, 5 invariant or metric, 7 limit, 8 race. */
int pattern_verdict_exit(enum pattern_verdict verdict);

/* Did the run show what the variant declared?  For "ok": nothing went wrong
 * at all.  For a failure: that failure happened (other failures may have
 * happened too, e.g. an invariant failure and then a leak). */
bool pattern_promise_kept(const struct pattern_run *run, const struct cl_result *res);

/* One line saying what the pattern itself saw go wrong: "invariant
 * exactly-once failed: job 5 processed 2 times (main at 12.5ms)" or
 * "metric peak_tasks = 21 > 7"; "" when the pattern saw nothing wrong (the
 * runtime's report says the rest).  Returns buf. */
char *pattern_explain(const struct pattern_run *run, const struct cl_result *res,
                      char *buf, size_t size);

/* Writes the variant and parameters as `chanlab run` options
 * ("--variant aba --tasks 3"), every parameter that differs from its
 * default.  Returns buf. */
char *pattern_replay_args(const struct pattern_run *run, char *buf, size_t size);

/* How often variant v shows its declared outcome: runs seeds 1..seeds
 * (random strategy, default parameters, tracing off) and returns how many
 * kept the variant's promise (-1 if the runtime could not start).  For a
 * broken variant this is the share of schedules that show the mistake;
 * `show` and `list --json` print it. */
int pattern_failure_count(const struct pattern *p, const struct pattern_variant *v, int seeds);
#define PATTERN_SHARE_SEEDS 1000

/* For patterns with a figures function: measures (with more runs on the
 * runtime, tracing off) and prints the figures and histograms on out as
 * plain text.  Returns 0 (also when the pattern has none), -1 if a
 * measuring run could not start. */
int pattern_run_figures(struct pattern_run *run, const struct cl_config *base, FILE *out);
/* Prints the figures a run holds (pattern_run_figures calls it). */
void pattern_figures_print(const struct pattern_run *run, FILE *out);

/* ---- lessons (lesson.c) -----------------------------------------------------
 *
 * A broken variant teaches through three things every pattern declares the
 * same way: .lesson in its variant (plain words), and exactly one marker
 * comment naming the variant in each source file: a block comment that
 * begins "MISTAKE(aba): ..." in the C file and a "// MISTAKE(aba): ..."
 * comment in the Go original, on or just above the line that is wrong.  The CLI finds the markers in the sources
 * compiled into the binary and prints them with the lesson (cmd/verdict.c). */

/* Scans text (a NUL-terminated source file) for "MISTAKE(variant):".
 * Returns how many lines carry it (a test wants exactly one); the first
 * one's line number goes to *line (0 if none) and its words to buf: a C
 * block comment's text joined over its lines, or the code before a Go
 * trailing comment, " -- ", and the comment. */
int pattern_mistake_find(const char *text, const char *variant, int *line, char *buf, size_t size);

/* The sentence saying what metric m's value means, from m->meaning with
 * {value} and {limit} filled in (units attached), or "NAME was V; its limit
 * is L" when the pattern gave none.  Returns buf. */
char *pattern_metric_sentence(const struct pattern_metric *m, int64_t value, char *buf, size_t size);

/* The metric over its limit that decided a metric verdict (NULL if none),
 * and its value after the run in *value. */
const struct pattern_metric *pattern_metric_failed(const struct pattern_run *run,
                                                   const struct cl_result *res, int64_t *value);

#endif
