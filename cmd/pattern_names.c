/*
 * pattern_names.c - the names a question may link to ("NAME" and
 * "NAME:VARIANT"), built from the pattern registry and handed to the quiz
 * linter so quiz/ needs no knowledge of patterns/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "patterns/registry.h"

/* Built once, on first use, and kept for the life of the process. */
static const char **names;

static void *xmalloc(size_t size)
{
	void *p = calloc(1, size);
	if (!p) {
		fputs("chanlab: out of memory\n", stderr);
		abort();
	}
	return p;
}

const char *const *cmd_pattern_link_names(void)
{
	if (names)
		return names;
	const struct pattern *const *all = pattern_all();
	size_t n = 1;
	for (int i = 0; all[i]; i++)
		n += 1 + (size_t)all[i]->nvariants;
	const char **list = xmalloc(n * sizeof *list);
	size_t k = 0;
	for (int i = 0; all[i]; i++) {
		const struct pattern *p = all[i];
		list[k++] = p->name;
		for (int v = 0; v < p->nvariants; v++) {
			size_t len = strlen(p->name) + 1 + strlen(p->variants[v].name) + 1;
			char *s = xmalloc(len);
			snprintf(s, len, "%s:%s", p->name, p->variants[v].name);
			list[k++] = s;
		}
	}
	list[k] = NULL;
	names = list;
	return names;
}
