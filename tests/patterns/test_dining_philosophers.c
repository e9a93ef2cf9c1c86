/*
 * test_dining_philosophers.c - the dining philosophers
 * (dining-philosophers): lock ordering and the waiter keep "ok" under
 * 10,000 random and 2,000 PCT schedules; left-then-right deadlocks within
 * 10,000, at its default seed, and on a share of seeds 1..200 (counts scaled
 * by CHANLAB_TEST_SCALE); its deadlock report names the whole wait-for
 * cycle, fork by fork, in one line.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("dining-philosophers", "correct", NULL);
}
END_TEST

START_TEST(left_then_right)
{
	check_broken("dining-philosophers", "left-then-right", NULL);
	check_share("dining-philosophers", "left-then-right", NULL, 35);
}
END_TEST

/* The report's one line: each philosopher waits for the fork his right
 * neighbour holds, round the table and back to the first. */
START_TEST(left_then_right_reports_the_cycle)
{
	const struct pattern *p = pattern_find("dining-philosophers");
	const struct pattern_variant *v = pattern_variant_find(p, "left-then-right");
	struct pattern_run *run = pattern_run_new(p, v);
	struct cl_config config;
	cl_config_init(&config);
	config.seed = v->seed;
	struct cl_result res;
	ck_assert_int_eq(cl_run(pattern_entry, run, &config, &res), 0);
	ck_assert_int_eq(res.outcome, CL_OUTCOME_DEADLOCK);
	const char *line = strstr(res.report, "\nwait-for cycle: ");
	ck_assert_ptr_nonnull(line);
	const char *end = strchr(line + 1, '\n');
	ck_assert_ptr_nonnull(end);
	char cycle[1024];
	ck_assert_int_lt(end - line, (long)sizeof cycle);
	memcpy(cycle, line + 1, (size_t)(end - line - 1));
	cycle[end - line - 1] = 0;
	/* Philosopher i waits for fork i+1, held by philosopher i+1 (mod 5),
	 * round the table from the first philosopher in the cycle. */
	const char *at = strstr(cycle, "waits for mutex");
	ck_assert_ptr_nonnull(at);
	int first = -1;
	ck_assert_int_eq(sscanf(cycle, "wait-for cycle: task %*d \"philosopher-%d\"", &first), 1);
	for (int k = 0; k < 5; k++) {
		int next = (first + k + 1) % 5;
		char link[96];
		snprintf(link, sizeof link, "waits for mutex \"fork-%d\" held by task %d \"philosopher-%d\"",
		         next, next + 2, next);
		ck_assert_msg(strncmp(at, link, strlen(link)) == 0, "link %d is not \"%s\" in: %s", k, link, cycle);
		at += strlen(link);
		if (k < 4) {
			ck_assert_msg(strncmp(at, ", who ", 6) == 0, "no \", who\" after link %d in: %s", k, cycle);
			at += 6;
		}
	}
	ck_assert_str_eq(at, " (back to the start)");
	cl_result_free(&res);
	pattern_run_free(run);
}
END_TEST

START_TEST(waiter)
{
	check_correct("dining-philosophers", "waiter", NULL);
}
END_TEST

Suite *suite_dining_philosophers(void)
{
	Suite *s = suite_create("dining-philosophers");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, left_then_right);
	tcase_add_test(tc, left_then_right_reports_the_cycle);
	tcase_add_test(tc, waiter);
	suite_add_tcase(s, tc);
	return s;
}
