/*
 * test_hedged_request.c - hedged requests (hedged-request): every correct form keeps "ok" under
 * 10,000 random and 2,000 PCT schedules; every broken form shows its declared
 * outcome within 10,000 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"

/* hedged-request:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("hedged-request", "correct", NULL);
}
END_TEST

/* hedged-request:unbuffered-results shows its declared outcome. */
START_TEST(unbuffered_results)
{
	check_broken("hedged-request", "unbuffered-results", NULL);
}
END_TEST

/* hedged-request:no-cancel shows its declared outcome. */
START_TEST(no_cancel)
{
	check_broken("hedged-request", "no-cancel", NULL);
}
END_TEST

Suite *suite_hedged_request(void)
{
	Suite *s = suite_create("hedged-request");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, unbuffered_results);
	tcase_add_test(tc, no_cancel);
	suite_add_tcase(s, tc);
	return s;
}
