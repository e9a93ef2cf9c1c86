/*
 * test_dining_philosophers.c - the dining philosophers
 * (dining-philosophers): lock ordering and the waiter keep "ok" under
 * 10,000 random and 2,000 PCT schedules; left-then-right deadlocks within
 * 10,000, at its default seed, and on a share of seeds 1..200 (counts scaled
 * by CHANLAB_TEST_SCALE).
 */
#include <check.h>

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
	tcase_add_test(tc, waiter);
	suite_add_tcase(s, tc);
	return s;
}
