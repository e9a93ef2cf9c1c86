/*
 * test_verdict.c - the verdict of `chanlab run` (cmd/verdict.c): every
 * broken variant, run without --seed, fails as it declares and says its
 * lesson, its MISTAKE lines in C and Go and where to read more; the trace
 * formats carry the verdict; no trace's end says ok when the run was not;
 * a chosen seed that runs a broken variant clean points to explore.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/cli/clirun.h"
#include "tests/cli/tracecheck.h"
#include "tests/testlib.h"

static void check_default_seed(const struct pattern *p, const struct pattern_variant *v, void *ctx)
{
	int *checked = ctx;
	int status;
	if (strcmp(v->outcome, "ok") == 0)
		return;
	char *out = cli_run(&status, "run %s --variant %s 2>/dev/null", p->name, v->name);
	ck_assert_msg(status == outcome_exit(v->outcome), "%s:%s at its default seed exited %d, declares %s",
	              p->name, v->name, status, v->outcome);
	char want[120];
	snprintf(want, sizeof want, "seed %llu;", (unsigned long long)v->seed);
	ck_assert_msg(strstr(out, want), "%s:%s did not run at its seed %llu", p->name, v->name,
	              (unsigned long long)v->seed);
	ck_assert_msg(strstr(out, "\nlesson:    "), "%s:%s prints no lesson", p->name, v->name);
	/* The lesson's first words, as the registry has them. */
	snprintf(want, sizeof want, "lesson:    %.20s", v->lesson);
	ck_assert_msg(strstr(out, want), "%s:%s: lesson is not the registry's", p->name, v->name);
	snprintf(want, sizeof want, "\nmistake:   %s:", p->source);
	ck_assert_msg(strstr(out, want), "%s:%s prints no C mistake line", p->name, v->name);
	snprintf(want, sizeof want, "\nin Go:     %s:", p->go_source);
	ck_assert_msg(strstr(out, want), "%s:%s prints no Go mistake line", p->name, v->name);
	snprintf(want, sizeof want, "\nread more: chanlab show %s\n", p->name);
	ck_assert_msg(strstr(out, want), "%s:%s prints no read more", p->name, v->name);
	/* The outcome is the same everywhere: text and mermaid end with it. */
	ck_assert_msg(!strstr(out, "run ended: ok"), "%s:%s: the text trace says ok", p->name, v->name);
	free(out);
	out = cli_run(&status, "run %s --variant %s --format mermaid 2>/dev/null", p->name, v->name);
	ck_assert_msg(!strstr(out, "end: ok"), "%s:%s: mermaid says end: ok", p->name, v->name);
	ck_assert_msg(strstr(out, "Note over t1: verdict: "), "%s:%s: mermaid has no verdict note", p->name,
	              v->name);
	ck_assert_msg(strstr(out, "Note over t1: lesson: "), "%s:%s: mermaid has no lesson", p->name,
	              v->name);
	free(out);
	(*checked)++;
}

START_TEST(broken_variants_teach_at_their_default_seed)
{
	int checked = 0;
	for_each_variant(check_default_seed, &checked);
	ck_assert_int_ge(checked, 15);
}
END_TEST

/* A correct variant's clean run: no lesson, and its trace ends "ok". */
START_TEST(correct_run_says_nothing_more)
{
	int status;
	char *out = cli_run(&status, "run fan-in 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_null(strstr(out, "lesson:"));
	ck_assert_ptr_nonnull(strstr(out, "run ended: ok\n"));
	free(out);
}
END_TEST

/* jsonl: version 2, a verdict event before the end, with the lesson and
 * both mistake lines; the end names the verdict. */
START_TEST(jsonl_carries_the_verdict)
{
	int status;
	char *out = cli_run(&status, "run worker-pool --variant unbounded --format jsonl 2>/dev/null");
	ck_assert_int_eq(status, 5);
	ck_assert_ptr_nonnull(strstr(out, "{\"schema\":\"chanlab-events\",\"version\":2}\n"));
	const char *v = strstr(out, "\"kind\":\"verdict\"");
	ck_assert_ptr_nonnull(v);
	const char *end = strstr(out, "\"kind\":\"end\"");
	ck_assert_ptr_nonnull(end);
	ck_assert(end > v);
	ck_assert_ptr_nonnull(strstr(v, "\"text\":\"metric\""));
	ck_assert_ptr_nonnull(strstr(v, "\"lesson\":\"starting a goroutine per job"));
	ck_assert_ptr_nonnull(strstr(v, "\"mistake\":\"patterns/worker_pool.c:"));
	ck_assert_ptr_nonnull(strstr(v, "\"go_mistake\":\"patterns/go/worker_pool.go:"));
	ck_assert_ptr_nonnull(strstr(end, "\"text\":\"metric\""));
	free(out);
	out = cli_run(&status, "run worker-pool --variant unbounded --format chrome 2>/dev/null");
	ck_assert_ptr_nonnull(strstr(out, "],\"metadata\":{\"verdict\":\"metric\""));
	ck_assert_ptr_nonnull(strstr(out, "\"name\":\"verdict: metric\""));
	free(out);
}
END_TEST

/* A seed the user chose that runs a broken variant clean: the verdict says
 * so and gives the explore command. */
START_TEST(clean_seed_points_to_explore)
{
	int status = 0;
	char *out = NULL;
	uint64_t seed;
	for (seed = 1; seed < 200; seed++) {
		free(out);
		out = cli_run(&status, "run fan-in --variant add-inside --seed %llu 2>/dev/null",
		              (unsigned long long)seed);
		if (status == 0)
			break;
	}
	ck_assert_msg(status == 0, "no clean seed of fan-in add-inside below 200");
	ck_assert_ptr_nonnull(strstr(out, "ran clean"));
	ck_assert_ptr_nonnull(strstr(out, "explore:   chanlab explore fan-in --variant add-inside"));
	free(out);
}
END_TEST

/* show and list --json say how often each broken variant's mistake shows,
 * and show names topics in words. */
START_TEST(show_and_list_print_the_share)
{
	int status;
	char *out = cli_run(&status, "show fan-in");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "shows its mistake on "));
	ck_assert_ptr_nonnull(strstr(out, " of seeds 1..1000 ("));
	free(out);
	out = cli_run(&status, "show worker-pool");
	ck_assert_ptr_null(strstr(out, "t17"));
	ck_assert_ptr_nonnull(strstr(out, "bounded worker pool"));
	free(out);
	out = cli_run(&status, "list --json");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "\"name\": \"add-inside\""));
	const char *v = strstr(out, "\"name\": \"add-inside\"");
	ck_assert_ptr_nonnull(strstr(v, "\"failing_seeds\": "));
	ck_assert_ptr_nonnull(strstr(v, "\"of_seeds\": 1000"));
	ck_assert_ptr_nonnull(strstr(v, "\"lesson\": \"each forwarder"));
	free(out);
}
END_TEST

/* Task names are unique in every pattern's trace (the runtime does not
 * rename: each pattern names its tasks apart). */
static void check_unique_names(const struct pattern *p, const struct pattern_variant *v, void *ctx)
{
	int *checked = ctx, status;
	char *out = cli_run(&status, "run %s --variant %s --format jsonl 2>/dev/null", p->name, v->name);
	char *names[4096];
	int n = 0;
	for (const char *s = strstr(out, "\"kind\":\"spawn\""); s; s = strstr(s + 1, "\"kind\":\"spawn\"")) {
		const char *t = strstr(s, "\"text\":\"");
		ck_assert_ptr_nonnull(t);
		t += 8;
		size_t len = strcspn(t, "\"");
		char *name = strndup(t, len);
		for (int k = 0; k < n; k++)
			ck_assert_msg(strcmp(names[k], name) != 0, "%s:%s: two tasks named '%s'", p->name,
			              v->name, name);
		if (n < 4096)
			names[n++] = name;
		else
			free(name);
	}
	ck_assert_int_gt(n, 1);
	for (int k = 0; k < n; k++)
		free(names[k]);
	free(out);
	(*checked)++;
}

START_TEST(task_names_unique)
{
	int checked = 0;
	for_each_variant(check_unique_names, &checked);
	ck_assert_int_ge(checked, 20);
}
END_TEST

/* Durations print as durations: time.After sends the time it fired. */
START_TEST(durations_in_words)
{
	int status;
	char *out = cli_run(&status, "run hedged-request 2>/dev/null");
	ck_assert_ptr_nonnull(strstr(out, "ms to time.After"));
	ck_assert_ptr_nonnull(strstr(out, "started call-2-replica-1"));
	free(out);
	/* Atomics name their variable, arrays with the index. */
	out = cli_run(&status, "run lock-free-stack 2>/dev/null");
	ck_assert_ptr_nonnull(strstr(out, "atomic load on head -> "));
	ck_assert_ptr_nonnull(strstr(out, "atomic add on fresh -> 1"));
	ck_assert_ptr_nonnull(strstr(out, " on next["));
	ck_assert_ptr_null(strstr(out, "atomic load ->"));
	free(out);
}
END_TEST

/* A run too long for one Mermaid diagram: on stdout several diagrams, each
 * well-formed and under 50,000 characters; with --out FILE.md one fenced
 * block each. */
START_TEST(mermaid_long_run_splits)
{
	int status;
	char err[300];
	char *out = cli_run(&status, "run worker-pool --jobs 2000 --format mermaid 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_msg(tc_check_mermaid(out, err, sizeof err) == 0, "stdout: %s", err);
	int blocks = 0;
	for (const char *s = out; (s = strstr(s, "sequenceDiagram\n")) != NULL; s++)
		blocks++;
	ck_assert_int_ge(blocks, 5);
	free(out);
	char path[] = "/tmp/chanlab-mermaid-XXXXXX.md";
	int fd = mkstemps(path, 3);
	ck_assert_int_ge(fd, 0);
	close(fd);
	free(cli_run(&status, "run worker-pool --jobs 2000 --format mermaid --out %s 2>/dev/null", path));
	ck_assert_int_eq(status, 0);
	char *md = test_read_file(path, NULL);
	unlink(path);
	ck_assert_ptr_nonnull(md);
	ck_assert_msg(tc_check_mermaid(md, err, sizeof err) == 0, "file: %s", err);
	int fences = 0, closes = 0;
	for (const char *s = md; (s = strstr(s, "```mermaid\nsequenceDiagram\n")) != NULL; s++)
		fences++;
	for (const char *s = md; (s = strstr(s, "\n```\n")) != NULL; s++)
		closes++;
	ck_assert_int_eq(fences, blocks);
	ck_assert_int_eq(closes, blocks);
	free(md);
}
END_TEST

/* Lanes follow COLUMNS: a wider terminal gets more lanes, no line wider. */
START_TEST(lanes_follow_columns)
{
	for (int cols = 60; cols <= 160; cols += 100) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "COLUMNS=%d NO_COLOR=1 \"%s\" run worker-pool --format lanes 2>/dev/null",
		         cols, test_chanlab_bin());
		int status, widest = 0;
		char *out = test_run_capture(cmd, &status);
		ck_assert_int_eq(status, 0);
		/* The chart: from the legend to the end marker. */
		char *end = strstr(out, "== end: ok ==");
		ck_assert_ptr_nonnull(end);
		for (char *line = out; line && line < end;) {
			char *nl = strchr(line, '\n');
			int len = nl ? (int)(nl - line) : (int)strlen(line);
			if (len > widest)
				widest = len;
			line = nl ? nl + 1 : NULL;
		}
		ck_assert_int_le(widest, cols > 80 ? cols : 80);   /* the legend takes up to 80 */
		if (cols > 80)
			ck_assert_int_gt(widest, 100);
		free(out);
	}
}
END_TEST

Suite *suite_verdict(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("verdict");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, broken_variants_teach_at_their_default_seed);
	tcase_add_test(tc, correct_run_says_nothing_more);
	tcase_add_test(tc, jsonl_carries_the_verdict);
	tcase_add_test(tc, clean_seed_points_to_explore);
	tcase_add_test(tc, show_and_list_print_the_share);
	tcase_add_test(tc, task_names_unique);
	tcase_add_test(tc, durations_in_words);
	tcase_add_test(tc, mermaid_long_run_splits);
	tcase_add_test(tc, lanes_follow_columns);
	suite_add_tcase(s, tc);
	return s;
}
