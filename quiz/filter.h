/*
 * filter.h - picking questions out of a bank by level, topic, type and
 * linked pattern (the options of `quiz export`, usable by any command).
 */
#ifndef CHANLAB_QUIZ_FILTER_H
#define CHANLAB_QUIZ_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "quiz/bank.h"

/* Every criterion set must hold; an unset one matches everything. */
struct quiz_filter {
	int level;            /* an enum quiz_level, or -1 for any */
	int type;             /* an enum quiz_type, or -1 for any */
	const char *topic;    /* one of the question's topics, or NULL */
	const char *pattern;  /* "NAME" matches NAME and NAME:*; "NAME:VARIANT" exactly; or NULL */
};

/* Sets every criterion to "any". */
void quiz_filter_init(struct quiz_filter *f);

bool quiz_filter_match(const struct quiz_filter *f, const struct quiz_question *q);

/*
 * The matching questions of b, in bank order, as a malloc'd array the caller
 * frees (the questions stay owned by b).  Returns how many; *out is never
 * NULL.
 */
size_t quiz_filter_select(const struct quiz_bank *b, const struct quiz_filter *f,
                          const struct quiz_question ***out);

/* Reorders qs so questions sharing a first topic are together, topics in
 * the order they first appear, questions in their order within a topic. */
void quiz_group_by_topic(const struct quiz_question **qs, size_t n);

#endif
