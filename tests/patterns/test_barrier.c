/*
 * test_barrier.c - the N-way startup barrier (barrier): its three correct
 * forms keep "ok" under 10,000 random and 2,000 PCT schedules, with the
 * default failure chance, with none and with every child failing; every
 * broken form shows its declared outcome within 10,000, on the share of
 * seeds its lesson promises, and carries its lesson and MISTAKE markers
 * (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/lessons.h"

static const char *const none_fail[] = {"fail", "0", NULL};
static const char *const all_fail[] = {"fail", "100", NULL};

static void check_correct_form(const char *variant)
{
	check_correct("barrier", variant, NULL);
	check_correct("barrier", variant, none_fail);
	check_correct("barrier", variant, all_fail);
}

/* barrier:correct (per-child started channels) keeps its promise. */
START_TEST(correct)
{
	check_correct_form("correct");
}
END_TEST

/* barrier:waitgroup keeps its promise. */
START_TEST(waitgroup)
{
	check_correct_form("waitgroup");
}
END_TEST

/* barrier:ready-channel keeps its promise. */
START_TEST(ready_channel)
{
	check_correct_form("ready-channel");
}
END_TEST

/* barrier:no-cancel leaks whenever a child fails (about 2 seeds in 3). */
START_TEST(no_cancel)
{
	check_broken("barrier", "no-cancel", NULL);
	check_share("barrier", "no-cancel", NULL, 40, 85);
}
END_TEST

/* barrier:unbuffered-errors deadlocks when a second child fails or is
 * cancelled while starting (about half the seeds). */
START_TEST(unbuffered_errors)
{
	check_broken("barrier", "unbuffered-errors", NULL);
	check_share("barrier", "unbuffered-errors", NULL, 25, 75);
}
END_TEST

/* barrier:add-inside lets main through before the children are ready. */
START_TEST(add_inside)
{
	check_broken("barrier", "add-inside", NULL);
	check_share("barrier", "add-inside", NULL, 80, 100);
}
END_TEST

/* Each broken variant has its lesson and one MISTAKE marker in C and Go. */
START_TEST(lessons)
{
	check_lessons("barrier");
}
END_TEST

Suite *suite_barrier(void)
{
	Suite *s = suite_create("barrier");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, waitgroup);
	tcase_add_test(tc, ready_channel);
	tcase_add_test(tc, no_cancel);
	tcase_add_test(tc, unbuffered_errors);
	tcase_add_test(tc, add_inside);
	tcase_add_test(tc, lessons);
	suite_add_tcase(s, tc);
	return s;
}
