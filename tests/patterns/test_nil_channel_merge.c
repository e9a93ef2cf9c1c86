/*
 * test_nil_channel_merge.c - merging with nil channels (nil-channel-merge):
 * correct keeps "ok" under 10,000 random and 2,000 PCT schedules; each
 * broken form shows its declared outcome within 10,000, at its default
 * seed, and on a share of seeds 1..200 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("nil-channel-merge", "correct", NULL);
}
END_TEST

/* nil-channel-merge:keep-closed spins on the closed input. */
START_TEST(keep_closed)
{
	check_broken("nil-channel-merge", "keep-closed", NULL);
	check_share("nil-channel-merge", "keep-closed", NULL, 95);
}
END_TEST

/* nil-channel-merge:stop-at-first-close loses the other input's values. */
START_TEST(stop_at_first_close)
{
	check_broken("nil-channel-merge", "stop-at-first-close", NULL);
	check_share("nil-channel-merge", "stop-at-first-close", NULL, 95);
}
END_TEST

Suite *suite_nil_channel_merge(void)
{
	Suite *s = suite_create("nil-channel-merge");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, keep_closed);
	tcase_add_test(tc, stop_at_first_close);
	suite_add_tcase(s, tc);
	return s;
}
