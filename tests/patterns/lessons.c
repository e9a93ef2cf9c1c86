/* lessons.c - failure shares and lesson markers for the suites (see lessons.h). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "cmd/embedded.h"
#include "tests/patterns/explore.h"
#include "tests/patterns/lessons.h"
#include "tests/testlib.h"

void check_share(const char *pattern, const char *variant, const char *const *params,
                 int min_pct, int max_pct)
{
	struct explore_result r;
	explore(pattern, variant, CL_STRATEGY_RANDOM, 3, test_scaled(200, 20), params, false, &r);
	long pct = r.kept * 100 / r.runs;
	ck_assert_msg(pct >= min_pct && pct <= max_pct, "%s:%s showed its outcome on %ld of %ld seeds "
	              "(%ld%%), expected %d-%d%%", pattern, variant, r.kept, r.runs, pct, min_pct,
	              max_pct);
}

static const char *embedded_text(const char *path)
{
	for (const struct cl_embedded *e = cl_embedded_files; e->path; e++)
		if (strcmp(e->path, path) == 0)
			return e->data;
	return NULL;
}

/* How many times needle occurs in hay. */
static int occurrences(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

void check_lessons(const char *pattern)
{
	const struct pattern *p = pattern_find(pattern);
	ck_assert_msg(p != NULL, "no pattern %s", pattern);
	const char *c = embedded_text(p->source), *go = embedded_text(p->go_source);
	ck_assert_msg(c && go, "%s: sources not embedded", pattern);
	for (int i = 1; i < p->nvariants; i++) {
		const struct pattern_variant *v = &p->variants[i];
		if (strcmp(v->outcome, "ok") == 0)
			continue;
		char c_mark[96], go_mark[96];
		ck_assert_msg(v->lesson && strlen(v->lesson) > 20, "%s:%s has no lesson", pattern, v->name);
		snprintf(c_mark, sizeof c_mark, "/* MISTAKE(%s):", v->name);
		snprintf(go_mark, sizeof go_mark, "// MISTAKE(%s):", v->name);
		ck_assert_msg(occurrences(c, c_mark) == 1, "%s: %d markers '%s'", p->source,
		              occurrences(c, c_mark), c_mark);
		ck_assert_msg(occurrences(go, go_mark) == 1, "%s: %d markers '%s'", p->go_source,
		              occurrences(go, go_mark), go_mark);
	}
}
