/*
 * test_fan_in.c - fan-in with a wait-group closer (fan-in): every correct form keeps "ok" under
 * 10,000 random and 2,000 PCT schedules; every broken form shows its declared
 * outcome within 10,000 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"

/* fan-in:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("fan-in", "correct", NULL);
}
END_TEST

/* fan-in:close-early shows its declared outcome. */
START_TEST(close_early)
{
	check_broken("fan-in", "close-early", NULL);
}
END_TEST

/* fan-in:never-close shows its declared outcome. */
START_TEST(never_close)
{
	check_broken("fan-in", "never-close", NULL);
}
END_TEST

/* fan-in:add-inside shows its declared outcome. */
START_TEST(add_inside)
{
	check_broken("fan-in", "add-inside", NULL);
}
END_TEST

Suite *suite_fan_in(void)
{
	Suite *s = suite_create("fan-in");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, close_early);
	tcase_add_test(tc, never_close);
	tcase_add_test(tc, add_inside);
	suite_add_tcase(s, tc);
	return s;
}
