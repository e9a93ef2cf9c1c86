/*
 * exam.h - an exam's record, the review shown at its end, and its result
 * file (JSON), which `chanlab quiz grade` reads back (grade.h).
 *
 * The file:
 *   {
 *     "chanlab": "exam-result",
 *     "version": 1,
 *     "name": "Ann",
 *     "seed": 42,
 *     "score": 7, "graded": 9, "ungraded": 1,
 *     "questions": [
 *       {"id": "channels.nil-send-blocks", "type": "single",
 *        "answer": "b", "correct": true, "ms": 5320},
 *       {"id": "...", "type": "short", "answer": "free text",
 *        "correct": null, "ms": 41000}
 *     ]
 *   }
 * "correct" is null for short/code answers (recorded ungraded, outside the
 * score) and for skipped questions ("answer": null).
 */
#ifndef CHANLAB_QUIZ_EXAM_H
#define CHANLAB_QUIZ_EXAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "quiz/bank.h"
#include "quiz/store.h"

struct quiz_exam_item {
	char *id;           /* owned */
	const char *type;   /* quiz_type_name() */
	char *answer;       /* owned; NULL = skipped / not reached */
	int correct;        /* 1, 0, -1 = ungraded */
	long ms;
};

struct quiz_exam {
	char *name;         /* owned; the student */
	uint64_t seed;
	struct quiz_exam_item *items;
	size_t n, cap;
};

void quiz_exam_init(struct quiz_exam *e);
void quiz_exam_free(struct quiz_exam *e);
/* Appends an item (copies id and answer).  0, or -1 when out of memory. */
int quiz_exam_add(struct quiz_exam *e, const char *id, const char *type, const char *answer,
                  int correct, long ms);

/* Appends a skipped item (no answer) for each question of the paper not in
 * e yet: choice questions count wrong, short/code ungraded.  0 or -1. */
int quiz_exam_fill(struct quiz_exam *e, const struct quiz_question *const *paper, size_t n);

/* Right and graded counts. */
void quiz_exam_score(const struct quiz_exam *e, int *right, int *graded);

/*
 * The review shown when the exam ends: each question with the answer given,
 * right/wrong, the right answer (letters in the exam's choice order) and the
 * explanation, or the model answer; then the score.
 */
void quiz_exam_print_review(FILE *out, const struct quiz_exam *e, const struct quiz_bank *b,
                            bool color);

/* Writes e as JSON to out; 0, or -1 when writing failed. */
int quiz_exam_write_json(FILE *out, const struct quiz_exam *e);

/* Writes the result file (through a temporary file renamed into place). */
int quiz_exam_save(const char *path, const struct quiz_exam *e, struct quiz_err *err);

/* Writes s as a JSON string literal, quotes included. */
void quiz_json_string(FILE *out, const char *s);

#endif
