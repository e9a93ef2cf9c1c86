/*
 * verdict.h - what a run of a pattern teaches, assembled once after cl_run
 * and shown everywhere: on the terminal after the runtime's report, and as
 * the `verdict` event (docs/events.md, version 2) that every trace format
 * carries.  Every pattern gets it from its registry entry (.lesson) and its
 * MISTAKE(variant): markers in the sources compiled into the binary
 * (patterns/registry.h, "lessons").
 *
 * Use (cmd/run.c):
 *
 *	struct cmd_verdict_sink hold;
 *	cfg.sinks = cmd_verdict_sink_wrap(&hold, sink);   // holds back `end`
 *	cl_run(pattern_entry, run, &cfg, &res);
 *	struct cmd_verdict v;
 *	cmd_verdict_make(&v, run, &res, &cfg, seed_given);
 *	cmd_verdict_sink_finish(&hold, &v);    // verdict event, then end, then sink.end()
 *	... print the runtime's report ...
 *	cmd_verdict_print(stdout, &v, color);  // lesson, MISTAKE lines, read more
 */
#ifndef CHANLAB_CMD_VERDICT_H
#define CHANLAB_CMD_VERDICT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "patterns/registry.h"
#include "runtime/event.h"

struct cmd_verdict {
	enum pattern_verdict verdict;
	int exit;                  /* pattern_verdict_exit */
	bool broken;               /* the variant declares a failure */
	bool kept;                 /* the declared outcome showed (pattern_promise_kept) */
	bool clean;                /* a broken variant ran clean under this schedule */
	char outcome[32];          /* "invariant", "deadlock", "ok" */
	char what[400];            /* what went wrong, one line ("" for a clean run) */
	const char *lesson;        /* the variant's lesson, "" if none */
	char mistake[400];         /* "patterns/fan_in.c:136: words", "" if no marker */
	char go_mistake[400];      /* the Go original's, "" if none */
	char read_more[80];        /* "chanlab show fan-in" */
	char explore[400];         /* clean: the explore command that finds a failing schedule */
};

/* Fills v after a run under cfg.  seed_given: the user chose the seed (a
 * clean run of a broken variant then points to explore). */
void cmd_verdict_make(struct cmd_verdict *v, const struct pattern_run *run,
                      const struct cl_result *res, const struct cl_config *cfg);

/* Prints the teaching part for a failing or clean-broken run (nothing for a
 * correct variant that ran clean): "lesson: ...", "mistake: file:line ...",
 * "in Go: file:line ...", "read more: chanlab show P". */
void cmd_verdict_print(FILE *out, const struct cmd_verdict *v, bool color);

/* The verdict as an event (task 0, after the run's last event). */
struct cl_event cmd_verdict_event(const struct cmd_verdict *v, uint64_t seq, int64_t time);

/* A sink that forwards every event to inner but holds back the runtime's
 * `end` (and inner's end()), so the verdict can come first and `end` can
 * name the pattern's verdict: a trace never says "end: ok" for a run whose
 * invariant or metric failed. */
struct cmd_verdict_sink {
	struct cl_sink inner;
	struct cl_sink self;
	bool have_end;
	uint64_t last_seq;
	int64_t last_time;
};
const struct cl_sink *cmd_verdict_sink_wrap(struct cmd_verdict_sink *h, struct cl_sink inner);
/* Emits the verdict, then `end` with the verdict's outcome, then inner's end(). */
void cmd_verdict_sink_finish(struct cmd_verdict_sink *h, const struct cmd_verdict *v);

#endif
