/*
 * test_pipeline.c - the pipeline with cancellation (pipeline): correct keeps
 * "ok" under 10,000 random and 2,000 PCT schedules; each broken form shows
 * its declared leak within 10,000, at its default seed, and on a share of
 * seeds 1..200 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

/* pipeline:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("pipeline", "correct", NULL);
}
END_TEST

/* pipeline:send-without-select: square blocks on its plain send and leaks. */
START_TEST(send_without_select)
{
	check_broken("pipeline", "send-without-select", NULL);
	check_share("pipeline", "send-without-select", NULL, 25);
}
END_TEST

/* pipeline:never-close: square ranges over an input nobody closes. */
START_TEST(never_close)
{
	check_broken("pipeline", "never-close", NULL);
	check_share("pipeline", "never-close", NULL, 25);
}
END_TEST

Suite *suite_pipeline(void)
{
	Suite *s = suite_create("pipeline");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, send_without_select);
	tcase_add_test(tc, never_close);
	suite_add_tcase(s, tc);
	return s;
}
