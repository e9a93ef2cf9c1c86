/*
 * guess.h - can a question be answered without knowing the subject?  The
 * statistics `quiz lint --strict` prints and checks: how often the right
 * choice of a single-choice question is simply the longest, multi-choice
 * questions whose wrong choices are all shorter than every right one,
 * the balance of true and false answers, and prompts so alike that they
 * ask the same thing twice.
 */
#ifndef CHANLAB_QUIZ_GUESS_H
#define CHANLAB_QUIZ_GUESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "quiz/bank.h"

/* The limits of docs/bank-format.md ("Not guessable"). */
#define QUIZ_GUESS_LONGEST_MAX_PCT 35      /* single: right choice strictly longest */
#define QUIZ_GUESS_TRUE_MIN_PCT 40         /* truefalse: share answered true */
#define QUIZ_GUESS_TRUE_MAX_PCT 60
#define QUIZ_GUESS_SIMILAR_PCT 80          /* prompts sharing this share of words */

struct quiz_guess_stats {
	size_t single;            /* single-choice questions */
	size_t single_longest;    /* ... whose right choice is strictly the longest */
	size_t multi;             /* multi-choice questions */
	size_t multi_giveaway;    /* ... with no wrong choice longer than the shortest right */
	size_t truefalse;         /* true/false questions */
	size_t truefalse_true;    /* ... whose answer is true */
};

/* Adds question q to st. */
void quiz_guess_count(struct quiz_guess_stats *st, const struct quiz_question *q);

/* single: the right choice is longer (in characters) than every wrong one. */
bool quiz_guess_right_is_longest(const struct quiz_question *q);
/* multi: no wrong choice is longer than the shortest right one. */
bool quiz_guess_multi_giveaway(const struct quiz_question *q);

/* The share (percent, 0-100) of the words of the longer prompt that the
 * other prompt also has: 100 for the same words, whatever their order. */
int quiz_guess_prompt_overlap(const char *a, const char *b);

/* Calls fn for every pair of questions (i < j, indexes into b) whose text
 * (prompt, code and choices: what makes two "what does this print?" or two
 * "which statements are true?" differ) overlap by at least QUIZ_GUESS_SIMILAR_PCT.  Returns -1 if out of memory. */
int quiz_guess_similar_pairs(const struct quiz_bank *b,
                             void (*fn)(void *ctx, size_t i, size_t j, int pct), void *ctx);

/* Prints the statistics of every file of b, then of all of them, as a table
 * (what `quiz lint --strict` shows). */
void quiz_guess_report(const struct quiz_bank *b, FILE *out);

#endif
