/*
 * test_timers.c - timers and tickers (timers): correct keeps "ok" under
 * 10,000 random and 2,000 PCT schedules; each broken form shows its
 * declared outcome within 10,000, at its default seed, and on a share of
 * seeds 1..200 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("timers", "correct", NULL);
}
END_TEST

/* timers:after-per-iteration: the live timers pile up. */
START_TEST(after_per_iteration)
{
	check_broken("timers", "after-per-iteration", NULL);
	check_share("timers", "after-per-iteration", NULL, 95);
}
END_TEST

/* timers:ticker-never-stopped: the heartbeat outlives main. */
START_TEST(ticker_never_stopped)
{
	check_broken("timers", "ticker-never-stopped", NULL);
	check_share("timers", "ticker-never-stopped", NULL, 95);
}
END_TEST

Suite *suite_timers(void)
{
	Suite *s = suite_create("timers");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, after_per_iteration);
	tcase_add_test(tc, ticker_never_stopped);
	suite_add_tcase(s, tc);
	return s;
}
