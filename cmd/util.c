/* util.c - small helpers shared by the subcommands (see cmd.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"

int cmd_fail(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("chanlab: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return code;
}

const char *cmd_opt_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

bool cmd_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

bool cmd_use_color(FILE *stream)
{
	const char *no = getenv("NO_COLOR");
	if (no && *no)
		return false;
	return isatty(fileno(stream));
}

void cmd_wrap_word(struct cmd_wrap *w, const char *word, size_t n)
{
	if (w->started && w->col + 1 + (int)n > CMD_WRAP_WIDTH) {
		fprintf(w->out, "\n%*s", w->indent, "");
		w->col = w->indent;
	} else if (w->started) {
		fputc(' ', w->out);
		w->col++;
	}
	fprintf(w->out, "%.*s", (int)n, word);
	w->col += (int)n;
	w->started = true;
}

void cmd_print_list(FILE *out, const char *lead, const char *list)
{
	fputs(lead, out);
	struct cmd_wrap w = {out, (int)strlen(lead), (int)strlen(lead), false};
	for (const char *s = list; *s;) {
		size_t n = strcspn(s, ",");
		n += s[n] == ',';          /* an item goes with its comma */
		cmd_wrap_word(&w, s, n);
		s += n;
		s += strspn(s, " ");
	}
	fputc('\n', out);
}

void cmd_print_item(FILE *out, const char *head, int indent, const char *text, int width)
{
	int col = fprintf(out, "%s", head);
	/* A head that reaches the text's column needs a space before it. */
	if (col > indent || (col == indent && col > 0 && head[col - 1] != ' ')) {
		fputc('\n', out);
		col = 0;
	}
	const char *s = text;
	do {
		while (*s == ' ')
			s++;
		int room = width - indent, n = 0, last_space = -1;
		while (s[n] && s[n] != '\n' && n < room) {
			if (s[n] == ' ')
				last_space = n;
			n++;
		}
		if (s[n] && s[n] != '\n' && s[n] != ' ' && last_space > 0)
			n = last_space;
		fprintf(out, "%*s%.*s\n", indent - col, "", n, s);
		col = 0;
		s += n;
		if (*s == '\n')
			s++;
	} while (*s);
}
