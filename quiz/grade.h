/*
 * grade.h - grading a class: reads exam result files (exam.h's JSON, read
 * with jansson) and grades every answer again against the loaded banks,
 * never trusting the file's own "correct" flags.  Prints each student's
 * score and, per question, the share of students who got it right, hardest
 * first, as an aligned table or CSV, and the free-text answers for the
 * teacher to read.
 *
 * A result whose questions do not match the banks (an id the banks lack, a
 * question whose type or content changed since the exam, a "correct" flag
 * that disagrees with the answer, an id twice) is flagged: one note per
 * problem in notes[], the student marked, quiz_grade_flagged() true.
 * Warnings (papers of different seeds or filters mixed, a student or a
 * file twice) are notes too but flag nothing; the same file twice is
 * counted once.
 */
#ifndef CHANLAB_QUIZ_GRADE_H
#define CHANLAB_QUIZ_GRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "quiz/bank.h"
#include "quiz/store.h"   /* struct quiz_err */

struct quiz_grade_student {
	char *file;
	char *name;
	int right;
	int graded;
	int ungraded;
	bool flagged;
	/* What the paper was, for the mixed-papers warning. */
	uint64_t seed;
	char *paper;        /* "seed 42, level junior, ..." */
	uint64_t content;   /* hash of the file's bytes, for the same-file warning */
};

/* A free-text answer, for --answers. */
struct quiz_grade_answer {
	size_t student;     /* index into students */
	char *text;
};

struct quiz_grade_question {
	const struct quiz_question *q;  /* in the bank */
	int right;          /* students who got it right */
	int graded;         /* students with a graded answer (skips count as wrong) */
	int ungraded;       /* short/code answers, graded by hand */
	struct quiz_grade_answer *answers;
	size_t nanswers, acap;
};

struct quiz_grade_index {
	const char *id;
	size_t index;                          /* into bank->questions */
};

struct quiz_grade {
	const struct quiz_bank *bank;
	struct quiz_grade_index *by_id;        /* the bank's ids, sorted */
	long *row_of;                          /* bank index -> questions[] row, or -1 */
	struct quiz_grade_student *students;   /* in the order files were added */
	size_t nstudents, scap;
	struct quiz_grade_question *questions; /* in order of first appearance */
	size_t nquestions, qcap;
	char **notes;                          /* "FILE: flagged: ..." / "FILE: warning: ..." */
	size_t nnotes, ncap;
	size_t nflagged;
};

/* bank must outlive g. */
void quiz_grade_init(struct quiz_grade *g, const struct quiz_bank *bank);
void quiz_grade_free(struct quiz_grade *g);

/* Adds one result file.  Errors (unreadable file, malformed JSON, not an
 * exam result) name the file and, for JSON, line and column
 * ("results/ann.json:7:3: ..."); the file then adds nothing.  Flags and
 * warnings go to notes and return 0. */
int quiz_grade_add_file(struct quiz_grade *g, const char *path, struct quiz_err *err);
/* The same from memory; name is used in messages. */
int quiz_grade_add_text(struct quiz_grade *g, const char *name, const char *text, size_t len,
                        struct quiz_err *err);

static inline bool quiz_grade_flagged(const struct quiz_grade *g)
{
	return g->nflagged > 0;
}

/* Questions sorted hardest first (lowest share right; ungraded last; ties
 * by id). */
void quiz_grade_sort(struct quiz_grade *g);

/* Every line is printed with terminal control characters neutralised. */
void quiz_grade_print_table(FILE *out, const struct quiz_grade *g);
/* "kind,name,right,total,percent,ungraded,flagged" rows: one per student,
 * then per question. */
void quiz_grade_print_csv(FILE *out, const struct quiz_grade *g);

/* One CSV field: as it is, or in double quotes (quotes doubled) when it
 * holds a comma, a quote or a line break; control characters as '?'. */
void quiz_csv_field(FILE *out, const char *s);
/* Per short/code question, each student's answer, indented. */
void quiz_grade_print_answers(FILE *out, const struct quiz_grade *g);
/* The notes, one a line. */
void quiz_grade_print_notes(FILE *out, const struct quiz_grade *g);

#endif
