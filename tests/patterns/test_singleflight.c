/*
 * test_singleflight.c - the single-flight cache (singleflight): correct
 * keeps "ok" under 10,000 random and 2,000 PCT schedules; each broken form
 * shows its declared outcome (the race with the detector on, det only) at
 * its default seed and on a share of seeds 1..200, and the metric variants
 * within 10,000 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("singleflight", "correct", NULL);
}
END_TEST

/* singleflight:unlocked-check: the unlocked read races with the write. */
START_TEST(unlocked_check)
{
	check_share("singleflight", "unlocked-check", NULL, 40);
}
END_TEST

/* singleflight:no-inflight: callers that missed fetch again. */
START_TEST(no_inflight)
{
	check_broken("singleflight", "no-inflight", NULL);
	check_share("singleflight", "no-inflight", NULL, 90);
}
END_TEST

/* singleflight:lock-during-fetch: callers wait for the lock while a fetch holds it. */
START_TEST(lock_during_fetch)
{
	check_broken("singleflight", "lock-during-fetch", NULL);
	check_share("singleflight", "lock-during-fetch", NULL, 90);
}
END_TEST

Suite *suite_singleflight(void)
{
	Suite *s = suite_create("singleflight");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, unlocked_check);
	tcase_add_test(tc, no_inflight);
	tcase_add_test(tc, lock_during_fetch);
	suite_add_tcase(s, tc);
	return s;
}
