/*
 * grade.h - grading a class: reads exam result files (exam.h's JSON) and
 * prints each student's score and, per question, the share of students who
 * got it right, hardest first, as an aligned table or CSV.
 *
 * The JSON reader is ours and small: it reads any JSON value into a tree
 * and reports the first syntax error as "file:line: message"; the grader
 * then checks the shape it needs.
 */
#ifndef CHANLAB_QUIZ_GRADE_H
#define CHANLAB_QUIZ_GRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "quiz/store.h"   /* struct quiz_err */

struct quiz_grade_student {
	char *file;
	char *name;
	int right;
	int graded;
	int ungraded;
};

struct quiz_grade_question {
	char *id;
	int right;          /* students who got it right */
	int graded;         /* students with a graded answer (skips count as wrong) */
	int ungraded;       /* short/code answers, graded by hand */
};

struct quiz_grade {
	struct quiz_grade_student *students;   /* in the order files were added */
	size_t nstudents, scap;
	struct quiz_grade_question *questions; /* in order of first appearance */
	size_t nquestions, qcap;
};

void quiz_grade_init(struct quiz_grade *g);
void quiz_grade_free(struct quiz_grade *g);

/* Adds one result file.  Errors name the file and, for malformed JSON or a
 * wrong shape, the line ("results/ann.json:7: expected ',' or '}'"). */
int quiz_grade_add_file(struct quiz_grade *g, const char *path, struct quiz_err *err);
/* The same from memory; name is used in messages. */
int quiz_grade_add_text(struct quiz_grade *g, const char *name, const char *text, size_t len,
                        struct quiz_err *err);

/* Questions sorted hardest first (lowest share right; ungraded last; ties
 * by id). */
void quiz_grade_sort(struct quiz_grade *g);

void quiz_grade_print_table(FILE *out, const struct quiz_grade *g);
/* "kind,name,right,total,percent" rows: one per student, then per question. */
void quiz_grade_print_csv(FILE *out, const struct quiz_grade *g);

#endif
