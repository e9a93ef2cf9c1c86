/*
 * test_rate_limit.c - rate limiting and backpressure (rate-limit): correct
 * keeps "ok" under 10,000 random and 2,000 PCT schedules; each broken form
 * goes over its metric within 10,000, at its default seed, and on a share of
 * seeds 1..200 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("rate-limit", "correct", NULL);
}
END_TEST

/* rate-limit:unbounded-queue: the backlog grows past the bound. */
START_TEST(unbounded_queue)
{
	check_broken("rate-limit", "unbounded-queue", NULL);
	check_share("rate-limit", "unbounded-queue", NULL, 80);
}
END_TEST

/* rate-limit:no-limit: bursts go through at full speed. */
START_TEST(no_limit)
{
	check_broken("rate-limit", "no-limit", NULL);
	check_share("rate-limit", "no-limit", NULL, 95);
}
END_TEST

Suite *suite_rate_limit(void)
{
	Suite *s = suite_create("rate-limit");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, unbounded_queue);
	tcase_add_test(tc, no_limit);
	suite_add_tcase(s, tc);
	return s;
}
