/* clirun.c - running the chanlab binary from the CLI suites (clirun.h). */
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cli/clirun.h"
#include "tests/testlib.h"

char *cli_run(int *status, const char *fmt, ...)
{
	char args[2048], cmd[2600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof cmd, "unset COLUMNS; NO_COLOR=1 '%s' %s", test_chanlab_bin(), args);
	char *out = test_run_capture(cmd, status);
	if (!out) {
		out = calloc(1, 1);
		if (!out)
			abort();
		if (status)
			*status = -1;
	}
	return out;
}

uint64_t golden_seed(const char *pattern, const char *variant)
{
	char pat[512];
	glob_t g;
	uint64_t seed = 0;
	snprintf(pat, sizeof pat, GOLDEN_DIR "/%s-%s-seed*.txt", pattern, variant);
	if (glob(pat, 0, NULL, &g) != 0)
		return 0;
	for (size_t i = 0; i < g.gl_pathc && !seed; i++) {
		const char *s = g.gl_pathv[i] + strlen(pat) - strlen("*.txt");
		char *end;
		unsigned long long v = strtoull(s, &end, 10);
		if (end != s && strcmp(end, ".txt") == 0)
			seed = v;
	}
	globfree(&g);
	return seed;
}

int outcome_exit(const char *outcome)
{
	if (strcmp(outcome, "ok") == 0)
		return 0;
	if (strcmp(outcome, "panic") == 0 || strcmp(outcome, "fatal") == 0)
		return 2;
	if (strcmp(outcome, "deadlock") == 0)
		return 3;
	if (strcmp(outcome, "leak") == 0)
		return 4;
	if (strncmp(outcome, "invariant:", 10) == 0 || strncmp(outcome, "metric:", 7) == 0)
		return 5;
	if (strcmp(outcome, "race") == 0)
		return 8;
	if (strcmp(outcome, "limit") == 0 || strncmp(outcome, "limit:", 6) == 0)
		return 7;
	return -1;
}

void for_each_variant(void (*fn)(const struct pattern *p, const struct pattern_variant *v, void *ctx),
                      void *ctx)
{
	const struct pattern *const *all = pattern_all();
	for (int i = 0; all[i]; i++)
		for (int v = 0; v < all[i]->nvariants && all[i]->sched == PATTERN_SCHED_ANY; v++)
			fn(all[i], &all[i]->variants[v], ctx);
}
