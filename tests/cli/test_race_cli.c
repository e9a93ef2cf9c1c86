/*
 * test_race_cli.c - `run --race` and `explore --no-race` from the command
 * line: the same jsonl with and without the detector for a race-free run,
 * exit 8 and Go's report for a racy one, --race in replay commands, and the
 * usage error under --sched par.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cli/clirun.h"

/* Every correct variant's jsonl is byte for byte the same with --race. */
static void same_jsonl(const struct pattern *p, const struct pattern_variant *v, void *ctx)
{
	(void)ctx;
	if (p->sched != PATTERN_SCHED_ANY || strcmp(v->outcome, "ok") != 0)
		return;
	for (int seed = 1; seed <= 3; seed++) {
		int s1, s2;
		char *off = cli_run(&s1, "run %s --variant %s --seed %d --format jsonl 2>/dev/null", p->name,
		                    v->name, seed);
		char *on = cli_run(&s2, "run %s --variant %s --seed %d --format jsonl --race 2>/dev/null",
		                   p->name, v->name, seed);
		ck_assert_int_eq(s1, 0);
		ck_assert_int_eq(s2, 0);
		ck_assert_msg(strlen(off) > 100, "%s:%s: no trace", p->name, v->name);
		ck_assert_msg(strcmp(off, on) == 0, "%s:%s seed %d: the jsonl differs with --race", p->name,
		              v->name, seed);
		free(off);
		free(on);
	}
}

START_TEST(race_free_runs_give_the_same_jsonl_with_the_detector)
{
	for_each_variant(same_jsonl, NULL);
}
END_TEST

START_TEST(a_racy_run_exits_8_with_the_report)
{
	int status;
	char *out = cli_run(&status, "run rendezvous --variant sleep-handshake --seed 1 --race 2>&1");
	ck_assert_int_eq(status, 8);
	ck_assert_ptr_nonnull(strstr(out, "WARNING: DATA RACE\nRead at cfg->ready by task 1 \"main\":\n"
	                                  "  patterns/rendezvous.c:"));
	ck_assert_ptr_nonnull(strstr(out, "Previous write at a->cfg->ready by task 2 \"setup\":"));
	ck_assert_ptr_nonnull(strstr(out, "DATA RACE on cfg->ready"));
	ck_assert_ptr_nonnull(strstr(out, "== race (sleep-handshake declares invariant:initialised)"));
	ck_assert_ptr_nonnull(strstr(out, "--seed 1 --race"));
	free(out);
	/* Without the detector the same schedule is simply ok. */
	out = cli_run(&status, "run rendezvous --variant sleep-handshake --seed 1 --quiet 2>&1");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_null(strstr(out, "DATA RACE"));
	free(out);
}
END_TEST

START_TEST(explore_detects_by_default_and_no_race_turns_it_off)
{
	int status;
	char *out = cli_run(&status, "explore lock-free-stack --variant aba --runs 2000 --no-shrink 2>/dev/null");
	ck_assert_int_eq(status, 6);
	ck_assert_ptr_nonnull(strstr(out, " --race\n"));
	free(out);
	out = cli_run(&status, "explore lock-free-stack --variant aba --runs 2000 --no-race --no-shrink 2>/dev/null");
	ck_assert_int_eq(status, 6);
	ck_assert_ptr_null(strstr(out, "--race"));
	free(out);
	out = cli_run(&status, "run fan-in --race --sched par --quiet 2>&1");
	ck_assert_int_eq(status, 64);
	ck_assert_ptr_nonnull(strstr(out, "--race needs --sched det"));
	free(out);
}
END_TEST

Suite *suite_race_cli(void)
{
	Suite *s = suite_create("race-cli");
	TCase *tc = tcase_create("race-cli");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, race_free_runs_give_the_same_jsonl_with_the_detector);
	tcase_add_test(tc, a_racy_run_exits_8_with_the_report);
	tcase_add_test(tc, explore_detects_by_default_and_no_race_turns_it_off);
	suite_add_tcase(s, tc);
	return s;
}
