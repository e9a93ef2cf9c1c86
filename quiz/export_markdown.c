/*
 * export_markdown.c - writes questions as a printable Markdown handout
 * (export.h): numbered questions grouped by first topic, choices lettered in
 * the export's order (shuffled by seed), room to write for free-text
 * questions; the answer key with the explanations goes to a file of its own,
 * so a handout never carries its answers.  Text is written as it is in the bank.
 * A snippet that needs a newer Go says so under it; the key names the
 * exercises (`exercises:`) that practise each question.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/export.h"
#include "quiz/filter.h"

static const char *const type_labels[QUIZ_NTYPES] = {
	[QUIZ_SINGLE] = "one answer", [QUIZ_MULTI] = "one or more answers",
	[QUIZ_TRUEFALSE] = "true or false", [QUIZ_SHORT] = "short answer",
	[QUIZ_CODE] = "code reading",
};

/* A code fence longer than any run of backticks in code. */
static void fence(FILE *out, const char *code, const char *lang)
{
	size_t run = 0, longest = 0;
	for (const char *s = code; *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		fputc('`', out);
	if (lang)
		fputs(lang, out);
	fputc('\n', out);
}

static void question(FILE *out, size_t num, const struct quiz_question *q,
                     const struct quiz_export_opts *o)
{
	size_t order[26];
	quiz_export_order(q, o, order);
	fprintf(out, "**%zu.** %s *(%s, %s)*\n\n", num, q->prompt, quiz_level_name(q->level),
	        type_labels[q->type]);
	if (q->code) {
		fence(out, q->code, q->lang);
		fprintf(out, "%s\n", q->code);
		fence(out, q->code, NULL);
		fputc('\n', out);
		if (q->go)  /* the reader needs the version to read the code right */
			fprintf(out, "*(needs Go %s or newer)*\n\n", q->go);
	}
	switch (q->type) {
	case QUIZ_SINGLE:
	case QUIZ_MULTI:
		for (size_t i = 0; i < q->nchoices; i++)
			fprintf(out, "- %c) %s\n", (char)('a' + i), q->choices[order[i]].text);
		fputc('\n', out);
		break;
	case QUIZ_TRUEFALSE:
		fputs("True / False\n\n", out);
		break;
	case QUIZ_SHORT:
	case QUIZ_CODE:
		fputs("Answer: ______________________________________________\n\n"
		      "_______________________________________________________\n\n", out);
		break;
	}
}

static void key(FILE *out, size_t num, const struct quiz_question *q,
                const struct quiz_export_opts *o)
{
	size_t order[26];
	quiz_export_order(q, o, order);
	fprintf(out, "%zu. `%s`: ", num, q->id);
	switch (q->type) {
	case QUIZ_SINGLE:
	case QUIZ_MULTI: {
		const char *sep = "";
		for (size_t i = 0; i < q->nchoices; i++)
			if (q->choices[order[i]].correct) {
				fprintf(out, "%s**%c)** %s", sep, (char)('a' + i), q->choices[order[i]].text);
				sep = "; ";
			}
		break;
	}
	case QUIZ_TRUEFALSE:
		fprintf(out, "**%s**", q->answer_bool ? "True" : "False");
		if (q->why)
			fprintf(out, " (%s)", q->why);
		break;
	case QUIZ_SHORT:
	case QUIZ_CODE:
		fprintf(out, "%s", q->answer_text ? q->answer_text : "");
		break;
	}
	if (q->explanation) {
		fputs("  \n   ", out);
		for (const char *s = q->explanation; *s; s++) {
			fputc(*s, out);
			if (*s == '\n')
				fputs("   ", out);  /* stay inside the list item */
		}
	}
	/* Exercises that practise it: in the key, where a name cannot give the
	 * answer away. */
	for (size_t i = 0; i < q->nexercises; i++)
		fprintf(out, "%s`chanlab exercise start %s`", i ? ", " : "  \n   Practice: ",
		        q->exercises[i]);
	fputc('\n', out);
}

int quiz_export_markdown(FILE *out, const struct quiz_question *const *qs, size_t n,
                         const struct quiz_export_opts *o)
{
	const struct quiz_question **v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		quiz_oom();
	memcpy(v, qs, n * sizeof *v);
	quiz_group_by_topic(v, n);
	fprintf(out, "# chanlab questions\n\n%zu question%s.", n, n == 1 ? "" : "s");
	if (o && o->shuffle)
		fprintf(out, " Choices shuffled with seed %" PRIu64 ".", o->seed);
	fputc('\n', out);
	const char *topic = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *t = v[i]->ntopics ? v[i]->topics[0] : "general";
		if (!topic || strcmp(topic, t) != 0) {
			fprintf(out, "\n## %s\n\n", t);
			topic = t;
		}
		question(out, i + 1, v[i], o);
	}
	FILE *k = o ? o->key : NULL;
	if (k) {
		fputs("# chanlab questions: answer key\n\n", k);
		if (o->shuffle)
			fprintf(k, "Choices shuffled with seed %" PRIu64 ".\n\n", o->seed);
		for (size_t i = 0; i < n; i++)
			key(k, i + 1, v[i], o);
	}
	free(v);
	return ferror(out) || (k && ferror(k)) ? -1 : 0;
}
