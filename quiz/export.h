/*
 * export.h - writing questions out for other tools (Moodle GIFT, Anki text,
 * a Markdown handout) and reading Moodle GIFT back into a YAML bank.
 *
 * Exporters take the questions to write (quiz_filter_select() picks them)
 * and return 0, or -1 when writing to out failed.  Whatever GIFT cannot
 * carry natively goes into comment lines above each question, which Moodle
 * ignores and quiz_import_gift() reads, so YAML -> GIFT -> YAML keeps it:
 *   // chanlab: level=L type=T topics=a,b patterns=p,q sources=s lang=go shuffle=false
 *   // chanlab-hint: TEXT
 *   // chanlab-follow-up: TEXT
 *   // chanlab-follow-up-answer: TEXT
 * (TEXT escaped as GIFT question text: "\n" for a newline).
 */
#ifndef CHANLAB_QUIZ_EXPORT_H
#define CHANLAB_QUIZ_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "quiz/bank.h"

/*
 * How to export.  With o NULL (or shuffle false) choices keep file order;
 * otherwise they are shuffled as a quiz with this seed shows them
 * (quiz_choice_order(), which keeps `shuffle: false` questions in order), and
 * the seed is written into the file.  key: where the Markdown handout's
 * answer key goes (NULL: no key; it never goes into the handout itself).
 * deck: the Anki deck name ("chanlab" when NULL).
 */
struct quiz_export_opts {
	bool shuffle;
	uint64_t seed;
	FILE *key;
	const char *deck;
};

/*
 * Moodle GIFT: a "$CATEGORY: chanlab/<bank>" line per bank, then
 * "::id::prompt{...}" with "=right ~wrong#why" (single), "~%50%a ~%-100%b"
 * weights (multi: right ones share 100%, wrong ones -100%), "{T#why}" /
 * "{F#why}" (truefalse), and "{}" essays for short and code, the model answer
 * as general feedback ("####").  Questions with code, or with "->" in an
 * answer (Moodle's sign of a matching question), are written as [html].
 */
int quiz_export_gift(FILE *out, const struct quiz_question *const *qs, size_t n,
                     const struct quiz_export_opts *o);

/*
 * Anki's text import: "#separator:tab", "#html:true", "#notetype:Basic",
 * "#deck:NAME", "#guid column:1", "#tags column:4" header lines (and
 * "#chanlab-seed:N", a key Anki ignores, when shuffled), then one note per line: id, front (prompt,
 * code as <pre>, lettered choices), back (answer, explanation), tags (level
 * and topics).
 */
int quiz_export_anki(FILE *out, const struct quiz_question *const *qs, size_t n,
                     const struct quiz_export_opts *o);

/* A printable handout: the questions grouped by first topic; the answer key
 * (same numbers and letters) to o->key.  Returns -1 when either write failed. */
int quiz_export_markdown(FILE *out, const struct quiz_question *const *qs, size_t n,
                         const struct quiz_export_opts *o);

/* The order a question's choices are exported in (order[i]: index into
 * q->choices of letter i); q->nchoices entries, at most 26. */
void quiz_export_order(const struct quiz_question *q, const struct quiz_export_opts *o,
                       size_t *order);

/*
 * Reads GIFT text (multiple choice, multiple answer, true/false, short answer
 * and essay questions) and writes a YAML bank named bank to out.  Ids come
 * from ::titles:: (made from bank and the question's number otherwise).
 * Problems (an unsupported question type, a missing closing brace) go to
 * diag as "name:line:col: message" and the question is skipped.  Returns
 * the number of questions written, or -1 when none could be or writing
 * failed.
 */
int quiz_import_gift(const char *name, const char *text, size_t len, const char *bank,
                     FILE *out, struct quiz_diag *diag);

/*
 * The same, a bank per "$CATEGORY:" (its last component names the bank; a
 * question before any category, or under a category that is not a bank
 * name, goes to bank): emit is called once per bank with its YAML text and
 * question count, in the order the banks first appear, only after the whole
 * input was read.  Returns the number of questions, or -1 when none could be
 * imported or an emit failed (emit's own non-zero return).
 */
typedef int (*quiz_import_emit_fn)(const char *bank, const char *yaml, size_t len, int count,
                                   void *ctx);
int quiz_import_gift_split(const char *name, const char *text, size_t len, const char *bank,
                           quiz_import_emit_fn emit, void *ctx, struct quiz_diag *diag);

/* The offset of the first byte of text that is not well-formed UTF-8
 * (overlong forms, surrogates, code points past U+10FFFF included), or len.
 * quiz_import_gift() refuses such input. */
size_t quiz_utf8_bad_offset(const char *text, size_t len);

#endif
