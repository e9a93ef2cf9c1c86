/*
 * test_lesson.c - what a failing run teaches (patterns/lesson.c): every
 * broken variant of every pattern has a lesson and exactly one
 * MISTAKE(variant): marker in its C source and one in its Go original;
 * every marker names a variant of its pattern; marker words and metric
 * sentences come out as the verdict prints them.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/embedded.h"
#include "patterns/registry.h"
#include "tests/testlib.h"

static const char *embedded_text(const char *path)
{
	for (const struct cl_embedded *e = cl_embedded_files; e->path; e++)
		if (strcmp(e->path, path) == 0)
			return e->data;
	return NULL;
}

/* Every marker "MISTAKE(NAME):" in text names a broken variant of p. */
static void markers_name_variants(const struct pattern *p, const char *path, const char *text)
{
	for (const char *s = strstr(text, "MISTAKE("); s; s = strstr(s + 1, "MISTAKE(")) {
		const char *name = s + 8, *close = strchr(name, ')');
		ck_assert_msg(close && close[1] == ':', "%s: a MISTAKE marker without '(variant):'", path);
		char variant[64];
		snprintf(variant, sizeof variant, "%.*s", (int)(close - name), name);
		const struct pattern_variant *v = pattern_variant_find(p, variant);
		ck_assert_msg(v != NULL, "%s: MISTAKE(%s) names no variant of %s", path, variant, p->name);
		ck_assert_msg(strcmp(v->outcome, "ok") != 0, "%s: MISTAKE(%s) marks a correct variant",
		              path, variant);
	}
	ck_assert_msg(strstr(text, "MISTAKE:") == NULL, "%s: a marker that names no variant", path);
}

START_TEST(one_marker_per_broken_variant)
{
	int checked = 0;
	for (const struct pattern *const *pp = pattern_all(); *pp; pp++) {
		const struct pattern *p = *pp;
		const char *c = embedded_text(p->source), *go = embedded_text(p->go_source);
		ck_assert_msg(c && go, "%s: sources not embedded", p->name);
		markers_name_variants(p, p->source, c);
		markers_name_variants(p, p->go_source, go);
		for (int i = 0; i < p->nvariants; i++) {
			const struct pattern_variant *v = &p->variants[i];
			char words[300];
			int line;
			if (strcmp(v->outcome, "ok") == 0)
				continue;
			ck_assert_msg(v->lesson && strlen(v->lesson) > 40, "%s:%s has no lesson", p->name,
			              v->name);
			ck_assert_int_eq(pattern_mistake_find(c, v->name, &line, words, sizeof words), 1);
			ck_assert_int_gt(line, 0);
			ck_assert_msg(strlen(words) > 10, "%s:%s: empty marker", p->source, v->name);
			ck_assert_msg(strstr(words, "MISTAKE") == NULL && strstr(words, "*/") == NULL,
			              "%s: marker words '%s'", p->source, words);
			ck_assert_int_eq(pattern_mistake_find(go, v->name, &line, words, sizeof words), 1);
			ck_assert_int_gt(line, 0);
			checked++;
		}
	}
	ck_assert_int_ge(checked, 15);
}
END_TEST

/* Marker words: a C block comment joined over its lines; a Go trailing
 * comment with the code before it; the line number counts from 1. */
START_TEST(marker_words)
{
	const char *c = "int x;\n"
	                "\t/* MISTAKE(aba): pack(n, 0) -- no counter,\n"
	                "\t * like a plain pointer CAS. */\n"
	                "\tcas();\n";
	char words[200];
	int line;
	ck_assert_int_eq(pattern_mistake_find(c, "aba", &line, words, sizeof words), 1);
	ck_assert_int_eq(line, 2);
	ck_assert_str_eq(words, "pack(n, 0) -- no counter, like a plain pointer CAS.");
	const char *go = "package main\n\n\twg.Add(1) // MISTAKE(add-inside): too late\n";
	ck_assert_int_eq(pattern_mistake_find(go, "add-inside", &line, words, sizeof words), 1);
	ck_assert_int_eq(line, 3);
	ck_assert_str_eq(words, "wg.Add(1) -- too late");
	ck_assert_int_eq(pattern_mistake_find(go, "aba", &line, words, sizeof words), 0);
	ck_assert_int_eq(line, 0);
	ck_assert_str_eq(words, "");
}
END_TEST

/* A metric's sentence fills {value} and {limit} with their units. */
START_TEST(metric_sentences)
{
	struct pattern_metric m = {.name = "fast_delay", .limit = 20, .unit = "ms",
	                           .meaning = "the fast subscribers waited {value} for a message; "
	                                      "a slow subscriber must not hold them up beyond {limit}"};
	char buf[200];
	ck_assert_str_eq(pattern_metric_sentence(&m, 100, buf, sizeof buf),
	                 "the fast subscribers waited 100ms for a message; a slow subscriber must "
	                 "not hold them up beyond 20ms");
	m.meaning = NULL;
	ck_assert_str_eq(pattern_metric_sentence(&m, 100, buf, sizeof buf),
	                 "fast_delay was 100ms; its limit is 20ms");
}
END_TEST

/* A mistake shows about as often as in real Go: each broken variant shows
 * its declared failure on 20-100% of seeds 1..1000 (fewer seeds under
 * sanitizers, where the share is checked more loosely). */
START_TEST(failure_shares)
{
	int seeds = (int)test_scaled(PATTERN_SHARE_SEEDS, 50);
	char bad[1000] = "";
	for (const struct pattern *const *pp = pattern_all(); *pp; pp++)
		for (int i = 0; i < (*pp)->nvariants; i++) {
			const struct pattern_variant *v = &(*pp)->variants[i];
			if (strcmp(v->outcome, "ok") == 0 || (*pp)->sched != PATTERN_SCHED_ANY)
				continue;   /* par-only: seeds fix no schedule (test_parpatterns.c) */
			int n = pattern_failure_count(*pp, v, seeds);
			if (getenv("CHANLAB_SHOW_SHARES"))
				fprintf(stderr, "%s %s: %d of %d\n", (*pp)->name, v->name, n, seeds);
			bool low_ok = seeds < PATTERN_SHARE_SEEDS;
			if (n * 100 < seeds * (low_ok ? 10 : 20)) {
				size_t len = strlen(bad);
				snprintf(bad + len, sizeof bad - len, " %s:%s %d of %d;", (*pp)->name, v->name,
				         n, seeds);
			}
		}
	ck_assert_msg(!bad[0], "mistakes that show too rarely:%s", bad);
}
END_TEST

/* Values of a type the runtime has no formatter for print as their bytes;
 * int channels get theirs from the type. */
struct pair {
	unsigned char a, b;
};
static char seen_values[4][64];
static int nseen;
static void capture(void *ctx, const struct cl_event *ev)
{
	(void)ctx;
	if (ev->kind == CL_EV_SEND && nseen < 4)
		snprintf(seen_values[nseen++], sizeof seen_values[0], "%s", ev->value);
}
static void send_two(void *arg)
{
	(void)arg;
	cl_chan *pairs = cl_make("pairs", struct pair, 1);
	struct pair p = {5, 255};
	cl_send(pairs, &p);
	cl_chan *ints = cl_make("ints", int, 1);
	int v = 42;
	cl_send(ints, &v);
}
START_TEST(values_print_as_bytes)
{
	struct cl_config config;
	struct cl_result res;
	cl_config_init(&config);
	struct cl_sink sink = {capture, NULL, NULL};
	config.sinks = &sink;
	config.nsinks = 1;
	nseen = 0;
	ck_assert_int_eq(cl_run(send_two, NULL, &config, &res), 0);
	cl_result_free(&res);
	ck_assert_int_eq(nseen, 2);
	ck_assert_str_eq(seen_values[0], "[05 ff]");
	ck_assert_str_eq(seen_values[1], "42");
}
END_TEST

Suite *suite_lesson(void)
{
	Suite *s = suite_create("lesson");
	TCase *tc = tcase_create("lesson");
	tcase_add_test(tc, one_marker_per_broken_variant);
	tcase_add_test(tc, marker_words);
	tcase_add_test(tc, metric_sentences);
	tcase_add_test(tc, failure_shares);
	tcase_add_test(tc, values_print_as_bytes);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);
	return s;
}
