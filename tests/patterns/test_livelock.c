/*
 * test_livelock.c - the livelock in a corridor (livelock): randomised
 * backoff and the asymmetric walker keep "ok" under 10,000 random and 2,000
 * PCT schedules; polite and backoff-no-jitter end as limit "livelock" at
 * their default seed and on every seed of 1..200 (counts scaled by
 * CHANLAB_TEST_SCALE), within the pattern's short window, with both
 * walkers named as the tasks that kept running.
 */
#include <check.h>
#include <string.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("livelock", "correct", NULL);
}
END_TEST

START_TEST(asymmetric)
{
	check_correct("livelock", "asymmetric", NULL);
}
END_TEST

/* livelock:polite steps across in lockstep for ever. */
START_TEST(polite)
{
	check_broken("livelock", "polite", NULL);
	check_share("livelock", "polite", NULL, 100);
}
END_TEST

/* livelock:backoff-no-jitter doubles both waits alike and meets again. */
START_TEST(backoff_no_jitter)
{
	check_broken("livelock", "backoff-no-jitter", NULL);
	check_share("livelock", "backoff-no-jitter", NULL, 100);
}
END_TEST

/* The run ends within the pattern's window (--patience, 400 decisions by
 * default, not the runtime's million), as a limit whose reason is
 * livelock, naming the walkers; nobody is reported as deadlocked. */
START_TEST(livelock_ends_the_run_early)
{
	const struct pattern *p = pattern_find("livelock");
	const struct pattern_variant *v = pattern_variant_find(p, "polite");
	struct pattern_run *run = pattern_run_new(p, v);
	struct cl_config config;
	cl_config_init(&config);
	config.seed = v->seed;
	struct cl_result res;
	ck_assert_int_eq(cl_run(pattern_entry, run, &config, &res), 0);
	ck_assert_int_eq(res.outcome, CL_OUTCOME_LIMIT);
	ck_assert_str_eq(res.limit_reason, "livelock");
	ck_assert_uint_lt(res.steps, 1000);
	ck_assert_ptr_nonnull(res.report);
	ck_assert_ptr_nonnull(strstr(res.report, "400 scheduling decisions without progress"));
	ck_assert_ptr_nonnull(strstr(res.report, "running: task 2 \"walker-0\", task 3 \"walker-1\""));
	ck_assert_ptr_null(strstr(res.report, "deadlock"));
	ck_assert(pattern_promise_kept(run, &res));
	cl_result_free(&res);
	pattern_run_free(run);
}
END_TEST

Suite *suite_livelock(void)
{
	Suite *s = suite_create("livelock");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, asymmetric);
	tcase_add_test(tc, polite);
	tcase_add_test(tc, backoff_no_jitter);
	tcase_add_test(tc, livelock_ends_the_run_early);
	suite_add_tcase(s, tc);
	return s;
}
