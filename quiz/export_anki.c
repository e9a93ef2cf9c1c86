/*
 * export_anki.c - writes questions as an Anki text import file (export.h):
 * tab-separated notes, HTML fields.  A field can hold neither a tab nor a
 * newline, so text is HTML-escaped, newlines become <br> and tabs &#9;.
 * The id is the note's GUID, so importing again updates notes in place.
 * A snippet that needs a newer Go says so on the front; the back names the
 * exercises that practise the question.
 */
#include <inttypes.h>
#include <string.h>

#include "quiz/export.h"

static void html(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\t': fputs("&#9;", out); break;
		case '\n': fputs("<br>", out); break;
		case '\r': break;
		default: fputc(*s, out);
		}
	}
}

static void front(FILE *out, const struct quiz_question *q, const size_t *order)
{
	html(out, q->prompt);
	if (q->code) {
		fputs("<pre><code>", out);
		html(out, q->code);
		fputs("</code></pre>", out);
		if (q->go) {
			fputs("<i>(needs Go ", out);
			html(out, q->go);
			fputs(" or newer)</i>", out);
		}
	}
	if (q->type == QUIZ_MULTI)
		fputs("<br><i>(one or more answers)</i>", out);
	else if (q->type == QUIZ_TRUEFALSE)
		fputs("<br><i>(true or false)</i>", out);
	for (size_t i = 0; i < q->nchoices; i++) {
		fprintf(out, "<br>%c) ", (char)('a' + i));
		html(out, q->choices[order[i]].text);
	}
}

static void back(FILE *out, const struct quiz_question *q, const size_t *order)
{
	switch (q->type) {
	case QUIZ_SINGLE:
	case QUIZ_MULTI: {
		const char *sep = "";
		for (size_t i = 0; i < q->nchoices; i++)
			if (q->choices[order[i]].correct) {
				fprintf(out, "%s<b>%c)</b> ", sep, (char)('a' + i));
				html(out, q->choices[order[i]].text);
				sep = "<br>";
			}
		break;
	}
	case QUIZ_TRUEFALSE:
		fputs(q->answer_bool ? "<b>True</b>" : "<b>False</b>", out);
		if (q->why) {
			fputs("<br>", out);
			html(out, q->why);
		}
		break;
	case QUIZ_SHORT:
	case QUIZ_CODE:
		fputs("<b>Model answer:</b> ", out);
		if (q->answer_text)
			html(out, q->answer_text);
		break;
	}
	if (q->explanation) {
		fputs("<br><br>", out);
		html(out, q->explanation);
	}
	for (size_t i = 0; i < q->nexercises; i++) {
		fputs(i ? ", " : "<br><br>Practice: ", out);
		fputs("chanlab exercise start ", out);
		html(out, q->exercises[i]);
	}
}

/* Anki tags are separated by spaces; ours have none (lint checks topics). */
static void tags(FILE *out, const struct quiz_question *q)
{
	fputs(quiz_level_name(q->level), out);
	for (size_t i = 0; i < q->ntopics; i++) {
		fputc(' ', out);
		for (const char *s = q->topics[i]; *s; s++)
			fputc(*s == ' ' || *s == '\t' ? '_' : *s, out);
	}
}

int quiz_export_anki(FILE *out, const struct quiz_question *const *qs, size_t n,
                     const struct quiz_export_opts *o)
{
	fputs("#separator:tab\n#html:true\n#notetype:Basic\n#deck:", out);
	/* A header line ends at a newline: keep the name on it. */
	for (const char *s = o && o->deck ? o->deck : "chanlab"; *s; s++)
		fputc(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s, out);
	fputs("\n#guid column:1\n#tags column:4\n", out);
	if (o && o->shuffle)
		fprintf(out, "#chanlab-seed:%" PRIu64 "\n", o->seed);
	for (size_t i = 0; i < n; i++) {
		size_t order[26];
		quiz_export_order(qs[i], o, order);
		html(out, qs[i]->id);
		fputc('\t', out);
		front(out, qs[i], order);
		fputc('\t', out);
		back(out, qs[i], order);
		fputc('\t', out);
		tags(out, qs[i]);
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}
