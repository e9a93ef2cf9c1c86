/*
 * test_errgroup.c - the error group (errgroup): correct and set-limit keep
 * "ok" under 10,000 random and 2,000 PCT schedules; each broken form shows
 * its declared outcome within 10,000, at its default seed, and on a share of
 * seeds 1..200 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

/* errgroup:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("errgroup", "correct", NULL);
}
END_TEST

/* errgroup:background-ctx keeps fetching after the group is cancelled. */
START_TEST(background_ctx)
{
	check_broken("errgroup", "background-ctx", NULL);
	check_share("errgroup", "background-ctx", NULL, 80);
}
END_TEST

/* errgroup:blocked-send leaves fetchers blocked in a send nobody receives. */
START_TEST(blocked_send)
{
	check_broken("errgroup", "blocked-send", NULL);
	check_share("errgroup", "blocked-send", NULL, 40);
}
END_TEST

/* errgroup:set-limit keeps its promise, the limit included. */
START_TEST(set_limit)
{
	check_correct("errgroup", "set-limit", NULL);
}
END_TEST

Suite *suite_errgroup(void)
{
	Suite *s = suite_create("errgroup");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, background_ctx);
	tcase_add_test(tc, blocked_send);
	tcase_add_test(tc, set_limit);
	suite_add_tcase(s, tc);
	return s;
}
