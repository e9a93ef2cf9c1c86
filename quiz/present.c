/*
 * present.c - printing questions, code and feedback (see present.h).
 * The highlighter is a small Go lexer: line and block comments, "..." and
 * '...' with escapes, raw `...` strings, and keywords; everything else is
 * printed as is.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/present.h"

#define ANSI_RESET "\033[0m"
#define ANSI_BOLD "\033[1m"
#define ANSI_DIM "\033[2m"
#define ANSI_KEYWORD "\033[1;34m"
#define ANSI_STRING "\033[32m"
#define ANSI_COMMENT "\033[2;37m"
#define ANSI_RIGHT "\033[1;32m"
#define ANSI_WRONG "\033[1;31m"

#define WIDTH 78   /* when the caller knows no terminal width */

static const char *const go_keywords[] = {
	"break", "case", "chan", "const", "continue", "default", "defer", "else",
	"fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map",
	"package", "range", "return", "select", "struct", "switch", "type", "var",
	"nil", "true", "false", "make", "close", "len", "cap", "new", "panic", "recover",
	"append", "iota",
};

static void on(FILE *out, bool color, const char *code)
{
	if (color)
		fputs(code, out);
}

static bool is_keyword(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof go_keywords / sizeof go_keywords[0]; i++)
		if (strlen(go_keywords[i]) == n && memcmp(go_keywords[i], s, n) == 0)
			return true;
	return false;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Prints a token of n bytes, restarting colour after each newline (so the
 * indentation stays plain). */
static void token(FILE *out, const char *s, size_t n, const char *colour, bool color)
{
	on(out, color, colour);
	for (size_t i = 0; i < n;) {
		size_t k = i;
		while (k < n && s[k] != '\n')
			k++;
		quiz_safe_fwrite(out, s + i, k - i, true);
		if (k < n) {
			fputc('\n', out);
			on(out, color, ANSI_RESET);
			fputs("    ", out);
			on(out, color, colour);
			k++;
		}
		i = k;
	}
	on(out, color, ANSI_RESET);
}

/* Length of the string or rune literal at s (quote q), escapes skipped. */
static size_t quoted_len(const char *s, char q)
{
	size_t i = 1;
	while (s[i] && s[i] != q && s[i] != '\n') {
		if (s[i] == '\\' && s[i + 1])
			i++;
		i++;
	}
	return s[i] == q ? i + 1 : i;
}

void quiz_present_code(FILE *out, const char *code, bool color)
{
	const char *s = code;
	fputs("    ", out);
	while (*s) {
		size_t n;
		if (s[0] == '/' && s[1] == '/') {
			n = strcspn(s, "\n");
			token(out, s, n, ANSI_COMMENT, color);
		} else if (s[0] == '/' && s[1] == '*') {
			const char *end = strstr(s + 2, "*/");
			n = end ? (size_t)(end + 2 - s) : strlen(s);
			token(out, s, n, ANSI_COMMENT, color);
		} else if (*s == '"' || *s == '\'') {
			n = quoted_len(s, *s);
			token(out, s, n, ANSI_STRING, color);
		} else if (*s == '`') {
			const char *end = strchr(s + 1, '`');
			n = end ? (size_t)(end + 1 - s) : strlen(s);
			token(out, s, n, ANSI_STRING, color);
		} else if (ident_char(*s)) {
			n = 1;
			while (ident_char(s[n]))
				n++;
			if (is_keyword(s, n) && !isdigit((unsigned char)*s))
				token(out, s, n, ANSI_KEYWORD, color);
			else
				fwrite(s, 1, n, out);
		} else {
			/* One character (a whole UTF-8 sequence, so a C1 control
			 * is seen as one). */
			n = 1;
			while (((unsigned char)s[0] & 0xc0) == 0xc0 && ((unsigned char)s[n] & 0xc0) == 0x80)
				n++;
			quiz_safe_fwrite(out, s, n, true);
			if (*s == '\n' && s[1])
				fputs("    ", out);
		}
		s += n;
	}
	if (s == code || s[-1] != '\n')
		fputc('\n', out);
}

void quiz_safe_fwrite(FILE *out, const char *s, size_t n, bool keep_newlines)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (c == '\n' && keep_newlines)
			fputc('\n', out);
		else if (c == '\t' && keep_newlines)
			fputc('\t', out);
		else if (c < 0x20 || c == 0x7f)
			fputc('?', out);
		else if (c == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			fputc('?', out);
			i++;
		} else
			fputc(c, out);
	}
}

void quiz_safe_fputs(FILE *out, const char *s, bool keep_newlines)
{
	quiz_safe_fwrite(out, s, strlen(s), keep_newlines);
}

/*
 * Words of text wrapped to width columns, the cursor being at column col on
 * the first line; later lines start with indent spaces.  The author's line
 * breaks are kept (a blank line is a paragraph).  Ends with a newline.
 */
static void wrap_from(FILE *out, const char *text, int col, int indent, int width)
{
	const char *s = text;
	bool first = true;   /* no word on this line yet */
	bool fresh = false;  /* at the start of a line we broke: indent first */
	while (*s) {
		if (*s == '\n') {
			fputc('\n', out);
			col = 0;
			first = fresh = true;
			s++;
			continue;
		}
		if (*s == ' ') {
			s++;
			continue;
		}
		size_t n = strcspn(s, " \n");
		if (!first && width > 0 && col + 1 + (int)n > width) {
			fputc('\n', out);
			col = 0;
			first = fresh = true;
		}
		if (fresh) {
			fprintf(out, "%*s", indent, "");
			col = indent;
			fresh = false;
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		quiz_safe_fwrite(out, s, n, false);
		col += (int)n;
		first = false;
		s += n;
	}
	if (!first || col > 0)
		fputc('\n', out);
}

void quiz_present_wrapped(FILE *out, const char *text, int indent, int width)
{
	fprintf(out, "%*s", indent, "");
	wrap_from(out, text, indent, indent, width);
}

static const char *type_hint(const struct quiz_question *q)
{
	switch (q->type) {
	case QUIZ_SINGLE:
		return "one letter";
	case QUIZ_MULTI:
		return "every right letter, e.g. a,c";
	case QUIZ_TRUEFALSE:
		return "t or f";
	default:
		return "your answer in a line; then grade yourself";
	}
}

void quiz_present_question(FILE *out, const struct quiz_question *q, const size_t *order,
                           size_t num, size_t total, bool color)
{
	quiz_present_question_as(out, q, order, num, total, color, false, WIDTH);
}

void quiz_present_question_as(FILE *out, const struct quiz_question *q, const size_t *order,
                              size_t num, size_t total, bool color, bool exam, int width)
{
	fputc('\n', out);
	on(out, color, ANSI_DIM);
	if (total)
		fprintf(out, "[%zu/%zu] ", num, total);
	if (exam) {
		fprintf(out, "(%s)", quiz_level_name(q->level));
	} else {
		quiz_safe_fputs(out, q->id, false);
		fprintf(out, " (%s", quiz_level_name(q->level));
		for (size_t i = 0; i < q->ntopics; i++) {
			fputs(i ? ", " : "; ", out);
			quiz_safe_fputs(out, q->topics[i], false);
		}
		fputs(")", out);
	}
	on(out, color, ANSI_RESET);
	fputc('\n', out);
	on(out, color, ANSI_BOLD);
	quiz_present_wrapped(out, q->prompt, 0, width);
	on(out, color, ANSI_RESET);
	if (q->code) {
		fputc('\n', out);
		quiz_present_code(out, q->code, color);
		fputc('\n', out);
	}
	for (size_t i = 0; i < q->nchoices; i++) {
		fprintf(out, "  %c) ", (char)('a' + i));
		wrap_from(out, q->choices[order[i]].text, 5, 5, width);
	}
	if (q->type == QUIZ_TRUEFALSE)
		fputs("  t) true    f) false\n", out);
	on(out, color, ANSI_DIM);
	char hint[96];
	snprintf(hint, sizeof hint, "(%s; :help for commands)", type_hint(q));
	quiz_present_wrapped(out, hint, 0, width);
	on(out, color, ANSI_RESET);
}

static bool picked(const char *given, size_t letter)
{
	for (const char *s = given; s && *s; s++)
		if (*s == (char)('a' + letter))
			return true;
	return false;
}

static void explanation(FILE *out, const struct quiz_question *q, bool color, int width)
{
	on(out, color, ANSI_BOLD);
	fputs("Why:\n", out);
	on(out, color, ANSI_RESET);
	quiz_present_wrapped(out, q->explanation, 2, width);
	if (q->follow_up_prompt) {
		on(out, color, ANSI_DIM);
		fputs("(:follow for the interviewer's next question)\n", out);
		on(out, color, ANSI_RESET);
	}
}

void quiz_present_feedback(FILE *out, const struct quiz_question *q, const size_t *order,
                           const char *given, int correct, bool color, int width)
{
	if (correct) {
		on(out, color, ANSI_RIGHT);
		fputs("right\n", out);
		on(out, color, ANSI_RESET);
	} else {
		on(out, color, ANSI_WRONG);
		fputs("wrong", out);
		on(out, color, ANSI_RESET);
		if (q->type == QUIZ_TRUEFALSE) {
			fprintf(out, " (answer: %s)\n", q->answer_bool ? "true" : "false");
		} else {
			fputs(" (answer: ", out);
			bool first = true;
			for (size_t i = 0; i < q->nchoices; i++)
				if (q->choices[order[i]].correct) {
					fprintf(out, "%s%c", first ? "" : ",", (char)('a' + i));
					first = false;
				}
			fputs(")\n", out);
		}
	}
	if (q->type == QUIZ_TRUEFALSE && q->why && !correct)
		quiz_present_wrapped(out, q->why, 2, width);
	/* A partly wrong multi answer: the right choices left out, too. */
	for (size_t i = 0; q->type == QUIZ_MULTI && !correct && i < q->nchoices; i++) {
		const struct quiz_choice *c = &q->choices[order[i]];
		if (!c->correct || picked(given, i))
			continue;
		char *line = NULL;
		if (asprintf(&line, "%s (right too; not picked)", c->text) < 0)
			quiz_oom();
		fprintf(out, "  +%c) ", (char)('a' + i));
		wrap_from(out, line, 6, 6, width);
		free(line);
	}
	for (size_t i = 0; i < q->nchoices; i++) {
		const struct quiz_choice *c = &q->choices[order[i]];
		if (c->correct || !c->why)
			continue;
		/* Every wrong choice's reason, the ones picked first-marked. */
		fprintf(out, "  %s%c) ", picked(given, i) ? "*" : " ", (char)('a' + i));
		wrap_from(out, c->why, 6, 6, width);
	}
	explanation(out, q, color, width);
}

void quiz_present_model(FILE *out, const struct quiz_question *q, bool color, int width)
{
	on(out, color, ANSI_BOLD);
	fputs("Model answer:\n", out);
	on(out, color, ANSI_RESET);
	quiz_present_wrapped(out, q->answer_text ? q->answer_text : "", 2, width);
	explanation(out, q, color, width);
}
