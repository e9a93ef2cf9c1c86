/*
 * test_shutdown.c - the phased, idempotent shutdown (shutdown): correct keeps
 * "ok" under 10,000 random and 2,000 PCT schedules, with the default and
 * with slow requests and flushes (the forced phases); every broken form
 * shows its declared outcome within 10,000, on the share of seeds its lesson
 * promises, and carries its lesson and MISTAKE markers (counts scaled by
 * CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/lessons.h"

/* shutdown:correct keeps its promise; with slow work the phase budgets force it. */
START_TEST(correct)
{
	check_correct("shutdown", "correct", NULL);
	static const char *const slow[] = {"work", "60", "flush", "40", NULL};
	check_correct("shutdown", "correct", slow);
}
END_TEST

/* shutdown:over-budget overruns the total when the phases are slow (about a quarter). */
START_TEST(over_budget)
{
	check_broken("shutdown", "over-budget", NULL);
	check_share("shutdown", "over-budget", NULL, 12, 45);
}
END_TEST

/* shutdown:no-wait loses the results of requests that finish after the flush. */
START_TEST(no_wait)
{
	check_broken("shutdown", "no-wait", NULL);
	check_share("shutdown", "no-wait", NULL, 50, 90);
}
END_TEST

/* shutdown:double-close panics on the second caller, every time. */
START_TEST(double_close)
{
	check_broken("shutdown", "double-close", NULL);
	check_share("shutdown", "double-close", NULL, 90, 100);
}
END_TEST

/* shutdown:early-return hands the second caller a shutdown still in progress
 * whenever the two calls overlap (about half the seeds). */
START_TEST(early_return)
{
	check_broken("shutdown", "early-return", NULL);
	check_share("shutdown", "early-return", NULL, 35, 75);
}
END_TEST

/* Each broken variant has its lesson and one MISTAKE marker in C and Go. */
START_TEST(lessons)
{
	check_lessons("shutdown");
}
END_TEST

Suite *suite_shutdown(void)
{
	Suite *s = suite_create("shutdown");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, over_budget);
	tcase_add_test(tc, no_wait);
	tcase_add_test(tc, double_close);
	tcase_add_test(tc, early_return);
	tcase_add_test(tc, lessons);
	suite_add_tcase(s, tc);
	return s;
}
