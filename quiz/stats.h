/*
 * stats.h - tallies of answers by level and topic: the summary printed at
 * the end of a session ("score by level and topic") and the bar chart of
 * `chanlab quiz stats` (answered, accuracy and due counts).
 */
#ifndef CHANLAB_QUIZ_STATS_H
#define CHANLAB_QUIZ_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "quiz/bank.h"

struct quiz_tally_row {
	char *key;          /* level or topic name (owned) */
	int questions;      /* distinct questions counted */
	int answered;       /* graded answers */
	int right;
	int due;            /* questions due now */
};

struct quiz_tally {
	struct quiz_tally_row levels[QUIZ_NLEVELS];
	struct quiz_tally_row *topics;   /* in order of first appearance */
	size_t ntopics, cap;
	struct quiz_tally_row total;
};

void quiz_tally_init(struct quiz_tally *t);
void quiz_tally_free(struct quiz_tally *t);

/* Adds one question's numbers to its level, each of its topics and the
 * total.  Returns 0, or -1 when out of memory. */
int quiz_tally_add(struct quiz_tally *t, const struct quiz_question *q, int answered,
                   int right, bool due);

/* "score by level" and "by topic" tables: right/answered and percent. */
void quiz_tally_print_summary(FILE *out, const struct quiz_tally *t);

/* Answered, accuracy and due per level and topic, with bars of '#'. */
void quiz_tally_print_chart(FILE *out, const struct quiz_tally *t, bool color);

/* "the next card is due in 3 h 5 min (2026-12-01 14:05 UTC)\n", or "no card
 * is scheduled yet\n" when due is 0; now and due in Unix seconds. */
void quiz_print_next_due(FILE *out, int64_t due, int64_t now);

#endif
