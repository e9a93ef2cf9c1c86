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
/* The same; with exam set the header leaves out the id and the topics
 * (both can give the answer away): "[num/total] (level)"; text is wrapped
 * to width columns. */
void quiz_present_question_as(FILE *out, const struct quiz_question *q, const size_t *order,
                              size_t num, size_t total, bool color, bool exam, int width);

/* A code block, indented four spaces, highlighted when color is set. */
void quiz_present_code(FILE *out, const char *code, bool color);

/*
 * After a graded choice/true-false answer: "right" or "wrong (answer: b)",
 * for a wrong multi answer each right choice not picked ("+c) TEXT (right
 * too; not picked)"), why each wrong choice is wrong (those picked marked),
 * the explanation,
 * and a pointer to :follow when there is a follow-up.
 */
void quiz_present_feedback(FILE *out, const struct quiz_question *q, const size_t *order,
                           const char *given, int correct, bool color, int width);

/* The model answer of a short/code question, then the explanation. */
void quiz_present_model(FILE *out, const struct quiz_question *q, bool color, int width);

/*
 * Writes s with terminal control characters neutralised: C0 controls, DEL
 * and the UTF-8 encoded C1 controls (U+0080..U+009F, which include CSI and
 * OSC) each become '?', so text from a bank, a result file or a student's
 * name cannot move the cursor, clear the screen or set the terminal's title.
 * With keep_newlines, '\n' and '\t' pass.
 */
void quiz_safe_fputs(FILE *out, const char *s, bool keep_newlines);
/* The same for n bytes of s. */
void quiz_safe_fwrite(FILE *out, const char *s, size_t n, bool keep_newlines);

/* Text wrapped to width columns after an indent (no wrapping if width 0). */
void quiz_present_wrapped(FILE *out, const char *text, int indent, int width);

#endif
