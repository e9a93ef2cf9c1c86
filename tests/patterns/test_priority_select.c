/*
 * test_priority_select.c - priority select (priority-select): the nested
 * select keeps "ok" under 10,000 random and 2,000 PCT schedules; each
 * broken form shows its declared outcome within 10,000, at its default
 * seed, and on a share of seeds 1..200 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("priority-select", "correct", NULL);
}
END_TEST

/* priority-select:one-select takes low work while high work waits. */
START_TEST(one_select)
{
	check_broken("priority-select", "one-select", NULL);
	check_share("priority-select", "one-select", NULL, 80);
}
END_TEST

/* priority-select:no-default waits for high work that never comes. */
START_TEST(no_default)
{
	check_broken("priority-select", "no-default", NULL);
	check_share("priority-select", "no-default", NULL, 100);
}
END_TEST

Suite *suite_priority_select(void)
{
	Suite *s = suite_create("priority-select");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, one_select);
	tcase_add_test(tc, no_default);
	suite_add_tcase(s, tc);
	return s;
}
