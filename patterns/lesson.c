/*
 * lesson.c - what a failing run teaches, the part that needs no runtime:
 * finding a variant's MISTAKE(variant): marker in a source text (the C file
 * or the Go original, both compiled into the binary), and filling a
 * metric's sentence template.  The CLI assembles the verdict (cmd/verdict.c);
 * every pattern gets it by declaring .lesson and marking its mistake once in
 * each file.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "patterns/pattern.h"

/* Appends the n bytes at s to buf, with a space between words, squeezing
 * runs of blanks into one. */
static void append_words(char *buf, size_t size, const char *s, size_t n)
{
	size_t len = strlen(buf);
	for (size_t i = 0; i < n && len + 1 < size; i++) {
		char c = s[i] == '\t' ? ' ' : s[i];
		if (c == ' ' && (len == 0 || buf[len - 1] == ' '))
			continue;
		buf[len++] = c;
	}
	while (len > 0 && buf[len - 1] == ' ')
		len--;
	buf[len] = '\0';
}

/* The words of the marker on the line [line, end): for a C block comment
 * the comment's text up to its close (joined over its lines, the leading
 * "*" of each dropped); for a trailing Go comment the code before it and
 * the comment after the marker; for a Go comment line, the comment. */
static void marker_words(const char *line, const char *marker, const char *text_end, char *buf,
                         size_t size)
{
	buf[0] = '\0';
	const char *eol = memchr(line, '\n', (size_t)(text_end - line));
	if (!eol)
		eol = text_end;
	const char *after = marker;
	while (after < eol && *after != ':')
		after++;
	if (after < eol)
		after++;
	/* The code before a trailing // comment. */
	const char *slashes = NULL;
	for (const char *p = line; p + 1 < marker; p++)
		if (p[0] == '/' && (p[1] == '/' || p[1] == '*')) {
			slashes = p;
			break;
		}
	if (slashes) {
		const char *code = line;
		while (code < slashes && (*code == ' ' || *code == '\t'))
			code++;
		if (code < slashes) {
			append_words(buf, size, code, (size_t)(slashes - code));
			append_words(buf, size, " -- ", 4);
		}
	}
	/* The comment's words, to the end of the block comment or the line. */
	const char *p = after;
	for (;;) {
		const char *stop = memchr(p, '\n', (size_t)(text_end - p));
		if (!stop)
			stop = text_end;
		const char *close = NULL;
		for (const char *q = p; q + 1 < stop; q++)
			if (q[0] == '*' && q[1] == '/') {
				close = q;
				break;
			}
		append_words(buf, size, " ", 1);
		append_words(buf, size, p, (size_t)((close ? close : stop) - p));
		if (close || stop == text_end || !slashes || slashes[1] != '*')
			break;
		/* The next line of a block comment: skip its indent and "*". */
		p = stop + 1;
		while (p < text_end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < text_end && *p == '*' && !(p + 1 < text_end && p[1] == '/'))
			p++;
		if (p + 1 < text_end && p[0] == '*' && p[1] == '/')
			break;
	}
	/* Trim a leading blank. */
	if (buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
}

int pattern_mistake_find(const char *text, const char *variant, int *line, char *buf, size_t size)
{
	char marker[96];
	snprintf(marker, sizeof marker, "MISTAKE(%s):", variant);
	size_t mlen = strlen(marker);
	const char *end = text + strlen(text);
	int count = 0, lineno = 1;
	if (line)
		*line = 0;
	if (buf && size)
		buf[0] = '\0';
	for (const char *s = text; s < end;) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		if (!eol)
			eol = end;
		for (const char *p = s; p + mlen <= eol; p++)
			if (memcmp(p, marker, mlen) == 0) {
				if (count++ == 0) {
					if (line)
						*line = lineno;
					if (buf && size)
						marker_words(s, p, end, buf, size);
				}
				break;
			}
		s = eol + 1;
		lineno++;
	}
	return count;
}

/* Writes v with its unit: "21", "100ms". */
static void with_unit(char *buf, size_t size, int64_t v, const char *unit)
{
	snprintf(buf, size, "%" PRId64 "%s%s", v, unit[0] && strcmp(unit, "ms") != 0 &&
	                                              strcmp(unit, "us") != 0 ? " " : "", unit);
}

char *pattern_metric_sentence(const struct pattern_metric *m, int64_t value, char *buf, size_t size)
{
	char v[40], l[40];
	with_unit(v, sizeof v, value, m->unit);
	with_unit(l, sizeof l, m->limit, m->unit);
	if (!m->meaning || !m->meaning[0]) {
		snprintf(buf, size, "%s was %s; its limit is %s", m->name, v, l);
		return buf;
	}
	size_t len = 0;
	buf[0] = '\0';
	for (const char *t = m->meaning; *t && len + 1 < size;) {
		const char *sub = NULL;
		size_t skip = 0;
		if (strncmp(t, "{value}", 7) == 0)
			sub = v, skip = 7;
		else if (strncmp(t, "{limit}", 7) == 0)
			sub = l, skip = 7;
		if (sub) {
			len += (size_t)snprintf(buf + len, size - len, "%s", sub);
			if (len >= size)
				len = size - 1;
			t += skip;
		} else {
			buf[len++] = *t++;
			buf[len] = '\0';
		}
	}
	return buf;
}
