/*
 * test_cond_queue.c - the bounded queue on a sync.Cond (cond-queue): correct
 * keeps "ok" under 10,000 random and 2,000 PCT schedules; each broken form
 * shows its declared outcome within 10,000, at its default seed, and on a
 * share of seeds 1..200 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

/* cond-queue:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("cond-queue", "correct", NULL);
}
END_TEST

/* cond-queue:if-wait: a woken consumer takes from an empty queue. */
START_TEST(if_wait)
{
	check_broken("cond-queue", "if-wait", NULL);
	check_share("cond-queue", "if-wait", NULL, 90);
}
END_TEST

/* cond-queue:signal: a lost wake-up leaves consumers asleep for ever. */
START_TEST(signal)
{
	check_broken("cond-queue", "signal", NULL);
	check_share("cond-queue", "signal", NULL, 25);
}
END_TEST

Suite *suite_cond_queue(void)
{
	Suite *s = suite_create("cond-queue");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, if_wait);
	tcase_add_test(tc, signal);
	suite_add_tcase(s, tc);
	return s;
}
