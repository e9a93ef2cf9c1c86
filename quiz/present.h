/*
 * present.h - how the quiz shows things: a question with its code block
 * (lightly highlighted: Go keywords, strings, comments) and lettered
 * choices, and the feedback after an answer.  Colour only when the caller
 * says so (cmd decides from NO_COLOR and isatty); plain text otherwise.
 */
#ifndef CHANLAB_QUIZ_PRESENT_H
#define CHANLAB_QUIZ_PRESENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "quiz/bank.h"

/*
 * The question: a header "[num/total] id (level, topics)", the prompt, the
 * code block indented, choices "a) ..." in order (see quiz_choice_order),
 * and what to type.  total 0 leaves the count out.
 */
void quiz_present_question(FILE *out, const struct quiz_question *q, const size_t *order,
                           size_t num, size_t total, bool color);

/* A code block, indented four spaces, highlighted when color is set. */
void quiz_present_code(FILE *out, const char *code, bool color);

/*
 * After a graded choice/true-false answer: "right" or "wrong (answer: b)",
 * why each wrong choice is wrong (those picked marked), the explanation,
 * and a pointer to :follow when there is a follow-up.
 */
void quiz_present_feedback(FILE *out, const struct quiz_question *q, const size_t *order,
                           const char *given, int correct, bool color);

/* The model answer of a short/code question, then the explanation. */
void quiz_present_model(FILE *out, const struct quiz_question *q, bool color);

/* Text wrapped to width columns after an indent (no wrapping if width 0). */
void quiz_present_wrapped(FILE *out, const char *text, int indent, int width);

#endif
