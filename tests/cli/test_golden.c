/*
 * test_golden.c - `chanlab run` of every pattern variant against its golden
 * traces (tests/golden/<pattern>-<variant>-seed<N>.txt and .jsonl, made by
 * tools/golden.sh), byte for byte; the trace validator over each jsonl
 * golden; the chrome and mermaid renderings checked for shape.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cli/clirun.h"
#include "tests/cli/tracecheck.h"
#include "tests/testlib.h"

struct tally {
	int checked, missing;
	char missing_names[512];
	const char *ext;     /* "txt" or "jsonl" */
};

static void note_missing(struct tally *t, const struct pattern *p, const struct pattern_variant *v)
{
	size_t len = strlen(t->missing_names);
	t->missing++;
	snprintf(t->missing_names + len, sizeof t->missing_names - len, " %s:%s", p->name, v->name);
}

#ifdef __clang__
/* A copy of a jsonl trace without the values of "line" fields. */
static char *mask_lines(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	ck_assert_ptr_nonnull(out);
	while (*s) {
		if (strncmp(s, "\"line\":", 7) == 0) {
			memcpy(o, s, 7);
			o += 7;
			s += 7;
			while (*s >= '0' && *s <= '9')
				s++;
			continue;
		}
		*o++ = *s++;
	}
	*o = '\0';
	return out;
}
#endif

/* Whether two jsonl traces differ only in "line" values.  The goldens are
 * made by the gcc build; a call to a cl_* macro spread over several lines
 * has a __LINE__ that gcc and clang pick differently (the first line or the
 * last), so a clang build compares jsonl without them. */
static bool same_but_lines(const char *a, const char *b)
{
#ifdef __clang__
	char *ma = mask_lines(a), *mb = mask_lines(b);
	bool same = strcmp(ma, mb) == 0;
	free(ma);
	free(mb);
	return same;
#else
	(void)a;
	(void)b;
	return false;
#endif
}

/* Compares the run's stdout with the golden file of the variant. */
static void compare_golden(const struct pattern *p, const struct pattern_variant *v, void *ctx)
{
	struct tally *t = ctx;
	uint64_t seed = golden_seed(p->name, v->name);
	if (!seed) {
		note_missing(t, p, v);
		return;
	}
	char path[512];
	snprintf(path, sizeof path, GOLDEN_DIR "/%s-%s-seed%llu.%s", p->name, v->name,
	         (unsigned long long)seed, t->ext);
	size_t want_len;
	char *want = test_read_file(path, &want_len);
	ck_assert_msg(want != NULL, "cannot read %s", path);
	int status;
	char *got = cli_run(&status, "run %s --variant %s --seed %llu%s 2>/dev/null", p->name, v->name,
	                    (unsigned long long)seed, strcmp(t->ext, "jsonl") == 0 ? " --format jsonl" : "");
	ck_assert_msg(status == outcome_exit(v->outcome), "%s:%s at seed %llu exited %d, declares %s",
	              p->name, v->name, (unsigned long long)seed, status, v->outcome);
	if (strcmp(got, want) != 0 && !(strcmp(t->ext, "jsonl") == 0 && same_but_lines(got, want))) {
		/* Name the first line that differs, and show both. */
		size_t i = 0, line = 1, bol = 0;
		while (got[i] && got[i] == want[i])
			if (got[i++] == '\n') {
				line++;
				bol = i;
			}
		ck_abort_msg("%s differs from `chanlab run %s --variant %s --seed %llu` at line %zu "
		             "(run tools/golden.sh after a deliberate change):\n  want: %.*s\n  got:  %.*s",
		             path, p->name, v->name, (unsigned long long)seed, line,
		             (int)strcspn(want + bol, "\n") > 300 ? 300 : (int)strcspn(want + bol, "\n"),
		             want + bol,
		             (int)strcspn(got + bol, "\n") > 300 ? 300 : (int)strcspn(got + bol, "\n"),
		             got + bol);
	}
	t->checked++;
	free(want);
	free(got);
}

/* The golden text trace of every variant is what `chanlab run` prints. */
START_TEST(golden_text_matches)
{
	struct tally t = {.ext = "txt"};
	for_each_variant(compare_golden, &t);
	ck_assert_msg(t.missing == 0, "no golden trace for%s (run make golden)", t.missing_names);
	ck_assert_int_gt(t.checked, 0);
}
END_TEST

/* The golden jsonl trace of every variant is what `chanlab run --format
 * jsonl` prints. */
START_TEST(golden_jsonl_matches)
{
	struct tally t = {.ext = "jsonl"};
	for_each_variant(compare_golden, &t);
	ck_assert_msg(t.missing == 0, "no golden trace for%s (run make golden)", t.missing_names);
	ck_assert_int_gt(t.checked, 0);
}
END_TEST

static void validate_golden(const struct pattern *p, const struct pattern_variant *v, void *ctx)
{
	int *checked = ctx;
	uint64_t seed = golden_seed(p->name, v->name);
	if (!seed)
		return;
	char path[512], err[300];
	snprintf(path, sizeof path, GOLDEN_DIR "/%s-%s-seed%llu.jsonl", p->name, v->name,
	         (unsigned long long)seed);
	char *trace = test_read_file(path, NULL);
	ck_assert_msg(trace != NULL, "cannot read %s", path);
	/* The runtime's final report: the run's stderr. */
	int status;
	char *report = cli_run(&status, "run %s --variant %s --seed %llu --format jsonl 2>&1 >/dev/null",
	                       p->name, v->name, (unsigned long long)seed);
	ck_assert_msg(tc_check_jsonl(trace, report, err, sizeof err) == 0, "%s: %s", path, err);
	(*checked)++;
	free(trace);
	free(report);
}

/* Every golden jsonl trace pairs each send with one receive by flow id,
 * never runs time backwards, and wakes every blocked task unless the final
 * report names it. */
START_TEST(golden_jsonl_valid)
{
	int checked = 0;
	for_each_variant(validate_golden, &checked);
	ck_assert_int_gt(checked, 0);
}
END_TEST

/* The validator itself rejects what it should. */
START_TEST(validator_rejects)
{
	char err[200];
	const char *back = "{\"seq\":1,\"time\":5,\"kind\":\"note\",\"task\":1}\n"
	                   "{\"seq\":2,\"time\":4,\"kind\":\"note\",\"task\":1}\n";
	ck_assert_int_eq(tc_check_jsonl(back, "", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "backwards"));
	const char *twice = "{\"seq\":1,\"time\":0,\"kind\":\"send\",\"task\":1,\"flow\":3,\"peer\":0,\"value\":\"1\"}\n"
	                    "{\"seq\":2,\"time\":0,\"kind\":\"recv\",\"task\":2,\"flow\":3,\"value\":\"1\"}\n"
	                    "{\"seq\":3,\"time\":0,\"kind\":\"recv\",\"task\":3,\"flow\":3,\"value\":\"1\"}\n";
	ck_assert_int_eq(tc_check_jsonl(twice, "", err, sizeof err), -1);
	const char *stuck = "{\"seq\":1,\"time\":0,\"kind\":\"block\",\"task\":2}\n";
	ck_assert_int_eq(tc_check_jsonl(stuck, "", err, sizeof err), -1);
	ck_assert_int_eq(tc_check_jsonl(stuck, "task 2 \"worker\" [chan receive]", err, sizeof err), 0);
	ck_assert_int_eq(tc_check_chrome("{\"traceEvents\":[", err, sizeof err), -1);
	ck_assert_int_eq(tc_check_chrome("{\"traceEvents\":[{\"ph\":\"X\",\"tid\":1,\"ts\":1,\"dur\":2},"
	                                 "{\"ph\":\"s\",\"id\":1,\"tid\":1,\"ts\":2}]}",
	                                 err, sizeof err),
	                 -1);
	ck_assert_int_eq(tc_check_mermaid("graph TD\n", err, sizeof err), -1);
}
END_TEST

static void check_chrome(const struct pattern *p, const struct pattern_variant *v, void *ctx)
{
	(void)ctx;
	char err[300];
	int status;
	uint64_t seed = golden_seed(p->name, v->name);
	char *out = cli_run(&status, "run %s --variant %s --seed %llu --format chrome 2>/dev/null", p->name,
	                    v->name, (unsigned long long)(seed ? seed : 1));
	ck_assert_msg(tc_check_chrome(out, err, sizeof err) == 0, "%s:%s chrome: %s", p->name, v->name, err);
	free(out);
}

/* The chrome output of every variant parses as JSON, and every flow start
 * has exactly one end, each inside a slice of its thread. */
START_TEST(chrome_valid)
{
	for_each_variant(check_chrome, NULL);
}
END_TEST

static void check_mermaid(const struct pattern *p, const struct pattern_variant *v, void *ctx)
{
	(void)ctx;
	char err[300];
	int status;
	uint64_t seed = golden_seed(p->name, v->name);
	char *out = cli_run(&status, "run %s --variant %s --seed %llu --format mermaid 2>/dev/null", p->name,
	                    v->name, (unsigned long long)(seed ? seed : 1));
	ck_assert_msg(tc_check_mermaid(out, err, sizeof err) == 0, "%s:%s mermaid: %s", p->name, v->name, err);
	free(out);
}

/* The mermaid output of every variant starts with sequenceDiagram and each
 * diagram stays under 50,000 characters. */
START_TEST(mermaid_valid)
{
	for_each_variant(check_mermaid, NULL);
}
END_TEST

/* A long run is split into several diagrams, each under the limit. */
START_TEST(mermaid_long_run_split)
{
	char err[300];
	int status;
	char *out = cli_run(&status, "run worker-pool --jobs %ld --format mermaid 2>/dev/null",
	                    test_scaled(3000, 1500));
	ck_assert_int_eq(status, 0);
	ck_assert_msg(tc_check_mermaid(out, err, sizeof err) == 0, "%s", err);
	ck_assert_ptr_nonnull(strstr(out, "\nsequenceDiagram\n"));
	free(out);
}
END_TEST

Suite *suite_cli_golden(void)
{
	Suite *s = suite_create("cli_golden");
	TCase *tc = tcase_create("golden");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, golden_text_matches);
	tcase_add_test(tc, golden_jsonl_matches);
	tcase_add_test(tc, golden_jsonl_valid);
	tcase_add_test(tc, validator_rejects);
	tcase_add_test(tc, chrome_valid);
	tcase_add_test(tc, mermaid_valid);
	tcase_add_test(tc, mermaid_long_run_split);
	suite_add_tcase(s, tc);
	return s;
}
