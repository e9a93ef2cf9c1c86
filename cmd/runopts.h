/*
 * runopts.h - the options 'run' and 'explore' share: which pattern and
 * variant, the scheduler and its seed, strategy and depth, limits, and the
 * pattern's own parameters (--workers 4); plus the helpers both need to
 * build a run, measure PCT's step count and write a replay command.
 */
#ifndef CHANLAB_CMD_RUNOPTS_H
#define CHANLAB_CMD_RUNOPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patterns/registry.h"

/* Which options a command accepts (flags to cmd_runopts_parse). */
#define CMD_RUNOPT_RUN     1u   /* --sched --procs --starve-warn --format --out --pace --step --quiet */
#define CMD_RUNOPT_EXPLORE 2u   /* --runs */

#define CMD_RUNOPT_MAX_PARAMS 16

struct cmd_runopts {
	const char *command;               /* "run" or "explore", for messages */
	const struct pattern *pattern;
	const struct pattern_variant *variant;
	uint64_t seed;                     /* run: the seed; explore: the first seed */
	bool seed_set;
	enum cl_strategy strategy;
	int depth;                         /* PCT's depth */
	uint64_t max_steps;                /* 0: the runtime's default */
	bool par;                          /* --sched par (or a par-only pattern) */
	bool sched_set;                    /* --sched given */
	int procs;                         /* 0: not given (the CPUs available) */
	int starve_warn_ms;                /* --starve-warn MS (par), 0: off */
	bool race;                         /* the race detector: run --race; explore unless --no-race */
	size_t stack_size;                 /* --stack-size, bytes; 0: the runtime's default */
	bool race_set;                     /* --race or --no-race given (else a variant declaring
	                                      "race" turns the detector on) */

	/* run only */
	const char *format;                /* "text" by default */
	const char *out;                   /* NULL: stdout */
	double pace;                       /* 0: no pacing */
	bool step;
	bool quiet;

	/* explore only */
	long runs;
	bool runs_set;

	/* schedules (cmd/schedule_opt.c, docs/explore.md) */
	const char *schedule;              /* run --schedule STR or @FILE */
	bool print_schedule;               /* run --print-schedule */
	bool exhaustive;                   /* explore --strategy exhaustive */
	int preemptions;                   /* explore --preemptions K (default 2) */
	int latency_seeds;                 /* explore --latency-seeds S (default 10) */
	bool no_shrink;                    /* explore --no-shrink */
	bool no_prune;                     /* explore --no-prune (exhaustive) */
	bool json;                         /* explore --json */
	int processes;                     /* explore --parallel N (0: one per CPU) */
	const char *html;                  /* explore --html FILE: the shrunk run as a page */

	/* pattern parameters in the order given */
	char param_name[CMD_RUNOPT_MAX_PARAMS][40];
	const char *param_value[CMD_RUNOPT_MAX_PARAMS];
	int nparams;
};

/* Parses argv[1..argc-1] (argv[0] is the command's name).  Returns 0, or an
 * exit code (CL_EXIT_USAGE) after printing one line on stderr.  Help is not
 * handled here: callers check for it first (cmd_runopts_wants_help). */
int cmd_runopts_parse(int argc, char **argv, unsigned flags, struct cmd_runopts *o);

/* The common start of run and explore: --help (usage, then the pattern's
 * parameters), the options, the pattern run and its config.  Returns 0 to
 * go on, -1 when help was printed (exit 0), else the exit code; *run is set
 * only on 0. */
int cmd_runopts_start(int argc, char **argv, unsigned flags, void (*usage)(FILE *),
                      struct cmd_runopts *o, struct pattern_run **run, struct cl_config *cfg);

/* The name (without "--") of option i that a command with flags accepts,
 * NULL past the last: the parser's own table, for the completion script. */
const char *cmd_runopts_option(unsigned flags, int i);

/* True when any argument is -h or --help. */
bool cmd_runopts_wants_help(int argc, char **argv);

/* If an argument names a pattern, prints its parameters and variants (for
 * 'chanlab run PATTERN --help'). */
void cmd_runopts_pattern_help(int argc, char **argv, FILE *out);

/* The run of o's variant with o's parameters applied, or NULL after one
 * line on stderr (a bad parameter: the caller exits 64). */
struct pattern_run *cmd_runopts_new_run(const struct cmd_runopts *o);

/* The runtime configuration for o (seed, strategy, depth, limits); no sinks.
 * For PCT it also measures the run's length (cmd_pct_measure). */
int cmd_runopts_config(const struct cmd_runopts *o, struct pattern_run *run, struct cl_config *cfg);

/* PCT places its change points among the steps it expects: a first run of
 * the same variant and parameters (random strategy, seed 1, no tracing)
 * counts them.  run and explore both measure this way, so a replayed PCT
 * schedule is the one explore found.  Returns the step count (>= 1), or 0
 * if the runtime could not start. */
uint64_t cmd_pct_measure(struct pattern_run *run, const struct cl_config *cfg);

/* Writes "chanlab run PATTERN --variant V --seed N [--strategy pct --depth D]
 * [--race] [--max-steps N] [params]" into buf.  Returns buf. */
char *cmd_replay_command(const struct pattern_run *run, const struct cl_config *cfg,
                         uint64_t max_steps_given, char *buf, size_t size);

/* "12.345ms": virtual time in ms with microseconds.  buf needs 32 bytes. */
char *cmd_format_ms(char *buf, size_t size, int64_t ns);

/* Wall-clock seconds from a monotonic clock. */
double cmd_now_seconds(void);

#endif
