/*
 * export_gift.c - writes questions as Moodle GIFT (export.h), so a teacher
 * can move them into an LMS.  GIFT's special characters ~ = # { } : and the
 * backslash are escaped with a backslash, and newlines are written as "\n"
 * (a blank line would end the question).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/export.h"
#include "quiz/filter.h"
#include "quiz/session.h"

/* GIFT-escaped text; with html, also &, < and > as entities.  Newlines are
 * "\n" escapes, which Moodle turns back into newlines: kept in plain text and
 * in <pre>, so html text outside <pre> says <br> (gift_html). */
static void gift_text(FILE *out, const char *s, bool html)
{
	for (; *s; s++) {
		switch (*s) {
		case '~': case '=': case '#': case '{': case '}': case ':': case '\\':
			fputc('\\', out);
			fputc(*s, out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			break;
		case '&':
			fputs(html ? "&amp;" : "&", out);
			break;
		case '<':
			fputs(html ? "&lt;" : "<", out);
			break;
		case '>':
			fputs(html ? "&gt;" : ">", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

/* Text of an [html] question outside <pre>: html-escaped, lines <br>. */
static void gift_html(FILE *out, const char *s)
{
	for (const char *nl; (nl = strchr(s, '\n')); s = nl + 1) {
		char *line = strndup(s, (size_t)(nl - s));
		if (!line)
			quiz_oom();
		gift_text(out, line, true);
		fputs("<br>", out);
		free(line);
	}
	gift_text(out, s, true);
}

/* Text in the question's format. */
static void text_in(FILE *out, const char *s, bool html)
{
	if (html)
		gift_html(out, s);
	else
		gift_text(out, s, false);
}

static void join(FILE *out, const char *key, char *const *v, size_t n)
{
	if (!n)
		return;
	fprintf(out, " %s=", key);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? "," : "", v[i]);
}

/* What GIFT cannot say, for quiz_import_gift(); Moodle skips comments. */
static void metadata(FILE *out, const struct quiz_question *q)
{
	fprintf(out, "// chanlab: level=%s type=%s", quiz_level_name(q->level),
	        quiz_type_name(q->type));
	join(out, "topics", q->topics, q->ntopics);
	join(out, "patterns", q->patterns, q->npatterns);
	if (q->code && strcmp(q->lang, "go") != 0 && !strpbrk(q->lang, " \t\n"))
		fprintf(out, " lang=%s", q->lang);
	if (!q->shuffle)
		fputs(" shuffle=false", out);
	join(out, "sources", q->sources, q->nsources);
	if (q->go && !strpbrk(q->go, " \t\n"))
		fprintf(out, " go=%s", q->go);
	join(out, "exercises", q->exercises, q->nexercises);
	fputc('\n', out);
	/* Free text GIFT has no place for, one comment line each, escaped as
	 * question text is (so a newline is "\n" and the line stays one). */
	const struct { const char *key; const char *text; } extra[] = {
		{"hint", q->hint},
		{"follow-up", q->follow_up_prompt},
		{"follow-up-answer", q->follow_up_answer},
	};
	for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
		if (!extra[i].text)
			continue;
		fprintf(out, "// chanlab-%s: ", extra[i].key);
		gift_text(out, extra[i].text, false);
		fputc('\n', out);
	}
}

/* The bank a question came from: its `bank:` name, else its id's prefix. */
static void bank_of(const struct quiz_question *q, char *buf, size_t size)
{
	if (q->bank) {
		snprintf(buf, size, "%s", q->bank);
		return;
	}
	size_t n = strcspn(q->id, ".");
	snprintf(buf, size, "%.*s", (int)n, q->id);
}

/*
 * Moodle reads answers in the question's format, and takes any answer block
 * holding "->" for a matching question (GIFT has no escape for it).  So a
 * question with code, or with "->" in an answer, is written as [html], its
 * answers with entities ("-&gt;").
 */
static bool needs_html(const struct quiz_question *q)
{
	if (q->code)
		return true;
	for (size_t i = 0; i < q->nchoices; i++)
		if (strstr(q->choices[i].text, "->") ||
		    (q->choices[i].why && strstr(q->choices[i].why, "->")))
			return true;
	return (q->explanation && strstr(q->explanation, "->")) || (q->why && strstr(q->why, "->")) ||
	       (q->answer_text && strstr(q->answer_text, "->"));
}

static void question_text(FILE *out, const struct quiz_question *q, bool html)
{
	fprintf(out, "::");
	gift_text(out, q->id, false);
	fprintf(out, "::");
	if (!html) {
		gift_text(out, q->prompt, false);
		return;
	}
	fputs("[html]<p>", out);
	gift_html(out, q->prompt);
	fputs("</p>", out);
	if (q->code) {
		fputs("<pre><code>", out);
		gift_text(out, q->code, true);
		fputs("</code></pre>", out);
	}
}

/* "%33.33333%": Moodle's list of grades has these to 5 decimals. */
static void weight(FILE *out, double w)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%.5f", w);
	char *end = buf + strlen(buf);
	while (end[-1] == '0')
		*--end = '\0';
	if (end[-1] == '.')
		end[-1] = '\0';
	fprintf(out, "%%%s%%", buf);
}

static void feedback(FILE *out, const char *why, bool html)
{
	if (why) {
		fputc('#', out);
		text_in(out, why, html);
	}
}

static void general_feedback(FILE *out, const char *text, bool html)
{
	if (text) {
		fputs("\t####", out);
		text_in(out, text, html);
		fputc('\n', out);
	}
}

static void choices(FILE *out, const struct quiz_question *q, bool html,
                    const struct quiz_export_opts *o)
{
	size_t order[26];
	quiz_export_order(q, o, order);
	size_t right = 0;
	for (size_t i = 0; i < q->nchoices; i++)
		right += q->choices[i].correct;
	size_t wrong = q->nchoices - right;
	fputs("{\n", out);
	for (size_t i = 0; i < q->nchoices; i++) {
		const struct quiz_choice *c = &q->choices[order[i]];
		fputc('\t', out);
		if (q->type == QUIZ_SINGLE) {
			fputc(c->correct ? '=' : '~', out);
		} else {
			fputc('~', out);
			weight(out, c->correct ? 100.0 / (double)right : -100.0 / (double)wrong);
		}
		text_in(out, c->text, html);
		feedback(out, c->why, html);
		fputc('\n', out);
	}
	general_feedback(out, q->explanation, html);
	fputs("}\n", out);
}

static void truefalse(FILE *out, const struct quiz_question *q, bool html)
{
	fputs(q->answer_bool ? "{T" : "{F", out);
	feedback(out, q->why, html);
	if (q->explanation) {
		fputs("####", out);
		text_in(out, q->explanation, html);
	}
	fputs("}\n", out);
}

/* An essay: the model answer, then the explanation, as general feedback. */
static void essay(FILE *out, const struct quiz_question *q, bool html)
{
	fputs("{", out);
	if (q->answer_text || q->explanation) {
		fputs("####", out);
		if (q->answer_text)
			text_in(out, q->answer_text, html);
		if (q->answer_text && q->explanation)
			text_in(out, "\n\nExplanation: ", html);
		if (q->explanation)
			text_in(out, q->explanation, html);
	}
	fputs("}\n", out);
}

void quiz_export_order(const struct quiz_question *q, const struct quiz_export_opts *o,
                       size_t *order)
{
	if (o && o->shuffle && q->nchoices <= 26) {
		quiz_choice_order(q, o->seed, order);
		return;
	}
	for (size_t i = 0; i < q->nchoices && i < 26; i++)
		order[i] = i;
}

int quiz_export_gift(FILE *out, const struct quiz_question *const *qs, size_t n,
                     const struct quiz_export_opts *o)
{
	const struct quiz_question **v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		quiz_oom();
	/* Grouped by bank, banks in the order they first appear (a stable
	 * pass per bank: n * banks, fine for a bank), so that each $CATEGORY
	 * imports back as one bank whose ids all start with its name. */
	size_t k = 0;
	bool *done = calloc(n ? n : 1, sizeof *done);
	if (!done)
		quiz_oom();
	for (size_t i = 0; i < n; i++) {
		if (done[i])
			continue;
		char bi[128], bj[128];
		bank_of(qs[i], bi, sizeof bi);
		for (size_t j = i; j < n; j++) {
			if (done[j])
				continue;
			bank_of(qs[j], bj, sizeof bj);
			if (strcmp(bi, bj) == 0) {
				v[k++] = qs[j];
				done[j] = true;
			}
		}
	}
	free(done);
	fputs("// Exported by chanlab: Moodle GIFT, one $CATEGORY per bank.\n", out);
	if (o && o->shuffle)
		fprintf(out, "// chanlab: choices shuffled with seed %" PRIu64 "\n", o->seed);
	char topic[128] = "";
	for (size_t i = 0; i < n; i++) {
		const struct quiz_question *q = v[i];
		char t[128];
		bank_of(q, t, sizeof t);
		if (!topic[0] || strcmp(topic, t) != 0) {
			fprintf(out, "\n$CATEGORY: chanlab/%s\n", t);
			snprintf(topic, sizeof topic, "%s", t);
		}
		fputc('\n', out);
		metadata(out, q);
		bool html = needs_html(q);
		question_text(out, q, html);
		switch (q->type) {
		case QUIZ_SINGLE:
		case QUIZ_MULTI:
			choices(out, q, html, o);
			break;
		case QUIZ_TRUEFALSE:
			truefalse(out, q, html);
			break;
		case QUIZ_SHORT:
		case QUIZ_CODE:
			essay(out, q, html);
			break;
		}
	}
	free(v);
	return ferror(out) ? -1 : 0;
}
