/*
 * test_waitgroup_mistakes.c - WaitGroup mistakes (waitgroup-mistakes):
 * correct keeps "ok" under 10,000 random and 2,000 PCT schedules; each
 * broken form shows its declared outcome within 10,000, at its default
 * seed, and on a share of seeds 1..200 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("waitgroup-mistakes", "correct", NULL);
}
END_TEST

/* waitgroup-mistakes:wait-inside: a counted job waits for itself. */
START_TEST(wait_inside)
{
	check_broken("waitgroup-mistakes", "wait-inside", NULL);
	check_share("waitgroup-mistakes", "wait-inside", NULL, 100);
}
END_TEST

/* waitgroup-mistakes:add-after-wait: Wait returns before the late batch. */
START_TEST(add_after_wait)
{
	check_broken("waitgroup-mistakes", "add-after-wait", NULL);
	check_share("waitgroup-mistakes", "add-after-wait", NULL, 15);
}
END_TEST

Suite *suite_waitgroup_mistakes(void)
{
	Suite *s = suite_create("waitgroup-mistakes");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, wait_inside);
	tcase_add_test(tc, add_after_wait);
	suite_add_tcase(s, tc);
	return s;
}
