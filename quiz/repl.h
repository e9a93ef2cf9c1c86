/*
 * repl.h - a quiz session: asks the selected questions, reads answers and
 * commands, records each answer in the progress store (one transaction per
 * answer), brings wrong ones back later, and ends with a summary.  Also runs
 * exams (fixed paper, no feedback until the end, optional JSON result).
 *
 * On a terminal (interactive) it reads lines with libedit (history, line
 * editing; Ctrl-C clears the line, Ctrl-D ends).  Otherwise it reads one
 * answer per line from `in`, prints plain text and, after each answer's
 * transaction has committed, an acknowledgement line (flushed) so a script
 * or a test can follow along:
 *
 *   \006ok <question-id>      in a drill
 *   \006ok <n>                in an exam (n: the question's place on the
 *                             paper; ids are not shown during an exam)
 *
 * The line starts with the ASCII ACK control character (0x06).  Text from a
 * bank or a name is always printed with control characters neutralised
 * (quiz_safe_fputs), so no other line the session prints can start with it,
 * however a question's text wraps.
 */
#define QUIZ_ACK_PREFIX "\006ok "

#ifndef CHANLAB_QUIZ_REPL_H
#define CHANLAB_QUIZ_REPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "quiz/bank.h"
#include "quiz/exam.h"
#include "quiz/fsrs.h"
#include "quiz/session.h"
#include "quiz/store.h"

struct quiz_repl_opts {
	const struct quiz_bank *bank;
	struct quiz_store *store;
	const struct quiz_fsrs *fsrs;
	const struct quiz_filter *filter;
	enum quiz_mode mode;
	uint64_t seed;              /* question and choice order */
	size_t count;               /* questions to pick; 0 = all that qualify */
	bool interactive;           /* stdin is a terminal: use libedit */
	bool color;                 /* ANSI colour on out */
	int width;                  /* columns text is wrapped to; 0 = 78 */
	FILE *in;                   /* answers when not interactive */
	FILE *out;                  /* everything the session prints */
	const char *student;        /* exam: the student's name (--name) */
	/* exam: writes the result at the end (quiz_exam_write_json() gives the
	 * text) and returns 0, or -1 after saying why on stderr.  The REPL then
	 * prints "result written to " result_path.  NULL: no result file. */
	int (*save_result)(const struct quiz_exam *e, void *ctx);
	void *result_ctx;
	const char *result_path;
	/* :demo runs this with the question's first pattern link ("NAME" or
	 * "NAME:VARIANT"); it prints the run and returns an exit status, and may
	 * put one line saying what the demo showed in summary (printed after it
	 * as "demo: ..."; left empty, the REPL prints the status).  NULL: :demo
	 * is unavailable. */
	int (*run_demo)(const char *link, void *ctx, char *summary, size_t summary_size);
	void *demo_ctx;
};

/* Runs the session.  Returns 0, or -1 with err set (database or result file
 * errors; what was committed before stays). */
int quiz_repl_run(const struct quiz_repl_opts *o, struct quiz_err *err);

#endif
