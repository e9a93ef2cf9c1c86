/*
 * exam.h - an exam's record, the review shown at its end, and its result
 * file (JSON), which `chanlab quiz grade` reads back (grade.h).
 *
 * The file (version 2; `quiz grade` reads version 1 too, without the
 * digests, filters and times):
 *   {
 *     "chanlab": "exam-result",
 *     "version": 2,
 *     "chanlab_version": "0.1.0",
 *     "banks": "9f2c...",            quiz_bank_digest() of the banks loaded
 *     "name": "Ann",
 *     "seed": 42,
 *     "filters": {"level": null, "topic": "select", "type": null,
 *                 "pattern": null, "count": 20},
 *     "started": "2026-12-01T10:00:00Z", "ended": "2026-12-01T10:20:31Z",
 *     "score": 7, "graded": 9, "ungraded": 1,
 *     "questions": [
 *       {"id": "channels.nil-send-blocks", "type": "single",
 *        "answer": "b", "correct": true, "ms": 5320, "digest": "51d0..."},
 *       {"id": "...", "type": "short", "answer": "free text",
 *        "correct": null, "ms": 41000, "digest": "..."}
 *     ]
 *   }
 * "correct" is null for short/code answers (recorded ungraded, outside the
 * score) and for skipped questions ("answer": null).  The grader ignores it
 * and grades the answer again (it only flags a disagreement).
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
	const struct quiz_bank *bank;   /* not owned; NULL: no digests written */
	const char *level, *topic, *type, *pattern;  /* the filters; NULL = any (not owned) */
	size_t count;       /* --count */
	int64_t started, ended;         /* Unix seconds; 0 = not recorded */
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

/*
 * Content digests (64-bit FNV-1a, written as 16 hex digits): of one question
 * (type, prompt, code, choices in file order with their flags, answers), and
 * of a whole bank (every question's id and digest, independent of the order
 * the files were loaded in).  A result records both so `quiz grade` can
 * tell a question that changed since the exam.
 */
uint64_t quiz_question_digest(const struct quiz_question *q);
uint64_t quiz_bank_digest(const struct quiz_bank *b);

/* Writes s as a JSON string literal, quotes included. */
void quiz_json_string(FILE *out, const char *s);

#endif
