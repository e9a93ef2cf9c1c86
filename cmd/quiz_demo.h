/*
 * quiz_demo.h - the quiz's :demo: runs the pattern a question links to at
 * the seed that shows its variant's mistake (the registry's demo seed, the
 * same default `chanlab run` uses) and prints the trace, the runtime's
 * report and the run's verdict (cmd/verdict.h: lesson, MISTAKE lines, where
 * to read more), then one summary line for the REPL to print after it.
 */
#ifndef CHANLAB_CMD_QUIZ_DEMO_H
#define CHANLAB_CMD_QUIZ_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cmd_quiz_demo {
	char pattern[64];         /* "fan-in" */
	char variant[64];         /* "add-inside" ("correct" for a bare NAME link) */
	uint64_t seed;            /* the seed it ran at */
	bool broken;              /* the variant declares a failure */
	bool showed;              /* the run showed the declared outcome (for "ok": ran clean) */
	int exit;                 /* the run's exit status, as `chanlab run` would exit */
	char outcome[32];         /* the verdict's name: "invariant", "deadlock", "ok" */
	char summary[1200];       /* one line: what the demo showed and how to replay it */
};

/* Runs link ("NAME" or "NAME:VARIANT") under det at the variant's demo seed
 * (race detector on for a variant that declares a race; the par scheduler
 * for a par-only pattern).  The trace (text format) and the verdict go to
 * out, the runtime's report to report (may be out).  Returns 0 with d
 * filled, or -1 with one line in err (unknown pattern or variant, the
 * runtime could not start). */
int cmd_quiz_demo_run(const char *link, FILE *out, FILE *report, bool color, int width,
                      struct cmd_quiz_demo *d, char *err, size_t err_size);

#endif
