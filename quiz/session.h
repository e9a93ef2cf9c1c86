/*
 * session.h - which questions a quiz session asks and in what order:
 * filters, modes (new + due, review, mistakes, cram, exam), seeded shuffles
 * of questions and choices, the in-session queue with learning steps (a
 * question answered wrong comes back later), and checking a typed answer
 * against a question.
 *
 * Deterministic: for a given bank, filter, mode, seed and card states the
 * selection and every choice order are the same on every machine.  The
 * exam paper depends only on seed, filter and bank (not on progress, nor on
 * the order the bank files were given in).
 */
#ifndef CHANLAB_QUIZ_SESSION_H
#define CHANLAB_QUIZ_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quiz/bank.h"
#include "quiz/filter.h"  /* struct quiz_filter, quiz_filter_match() */

enum quiz_mode {
	QUIZ_MODE_DEFAULT,   /* due cards first, then new ones */
	QUIZ_MODE_REVIEW,    /* only due cards */
	QUIZ_MODE_MISTAKES,  /* questions whose last graded answer was wrong */
	QUIZ_MODE_CRAM,      /* every matching question, scheduling ignored */
	QUIZ_MODE_EXAM,      /* a fixed paper from the seed; no learning steps */
};

/* What the progress store knows of one question. */
struct quiz_progress {
	bool has_card;
	int64_t due;        /* Unix seconds */
	int last_result;    /* 1 right, 0 wrong, -1 never graded */
};

/* Fills *p for qid; returns 0, or -1 to abort the selection. */
typedef int (*quiz_progress_fn)(const char *qid, struct quiz_progress *p, void *ctx);

/* A small deterministic generator (splitmix64). */
struct quiz_rng {
	uint64_t state;
};
void quiz_rng_seed(struct quiz_rng *r, uint64_t seed);
uint64_t quiz_rng_next(struct quiz_rng *r);
/* Uniform in [0, n); n > 0. */
size_t quiz_rng_below(struct quiz_rng *r, size_t n);

/*
 * Picks up to count questions (0 = no limit) of b for mode; progress may be
 * NULL for cram and exam.  *out is a malloc'd array of pointers into b
 * (free() it), *n its length.  Returns 0, or -1 (out of memory, or progress
 * failed).
 */
int quiz_session_select(const struct quiz_bank *b, const struct quiz_filter *f,
                        enum quiz_mode mode, uint64_t seed, size_t count, int64_t now,
                        quiz_progress_fn progress, void *ctx,
                        const struct quiz_question ***out, size_t *n);

/*
 * The order choices are shown in: order[i] is the index into q->choices of
 * the i-th letter.  Shuffled by seed and the question's id (so the same for a
 * question wherever it appears), or file order when q->shuffle is false.
 * order must hold q->nchoices entries.
 */
void quiz_choice_order(const struct quiz_question *q, uint64_t seed, size_t *order);

/*
 * Checks a typed answer to a single, multi or truefalse question: "b",
 * "a,c" (any order, spaces allowed), "t"/"f" (or true/false/yes/no).
 * Returns 1 right, 0 wrong, -1 when the input is not an answer (an unknown
 * letter, two letters to a single-choice question...).  canon (if not
 * NULL, size >= 32) gets the answer in canonical form ("a,c", "t").
 */
int quiz_check_answer(const struct quiz_question *q, const size_t *order, const char *input,
                      char *canon, size_t canon_size);

/* The right answer in the same form ("b", "a,c", "t"). */
void quiz_right_answer(const struct quiz_question *q, const size_t *order, char *buf,
                       size_t size);

/* The in-session queue: questions still to ask, wrong ones put back. */
struct quiz_queue {
	const struct quiz_question **items;
	size_t len, cap;
	size_t pos;          /* next to ask */
};

/* Takes ownership of the array from quiz_session_select. */
void quiz_queue_init(struct quiz_queue *qu, const struct quiz_question **items, size_t n);
void quiz_queue_free(struct quiz_queue *qu);
/* The next question, or NULL when done. */
const struct quiz_question *quiz_queue_next(struct quiz_queue *qu);
/* Asks q again after `gap` more questions (at the end if fewer remain);
 * returns the index it went to, or -1 when out of memory. */
long quiz_queue_again(struct quiz_queue *qu, const struct quiz_question *q, size_t gap);
/* Inserts q at index idx (>= pos); idx == pos asks it next.  0 or -1. */
int quiz_queue_insert(struct quiz_queue *qu, size_t idx, const struct quiz_question *q);
/* Removes the entry at idx (>= pos). */
void quiz_queue_remove(struct quiz_queue *qu, size_t idx);
/* Questions left to ask. */
size_t quiz_queue_left(const struct quiz_queue *qu);

/* How many questions later a wrong answer comes back (twice that after a
 * second miss), and how many times one question comes back in a session. */
#define QUIZ_RELEARN_GAP 3
#define QUIZ_RELEARN_MAX 2

#endif
