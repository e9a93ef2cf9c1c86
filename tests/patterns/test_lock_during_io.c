/*
 * test_lock_during_io.c - the lock held during I/O (lock-during-io):
 * correct keeps "ok" under 10,000 random and 2,000 PCT schedules; each
 * broken form shows its declared outcome within 10,000, at its default
 * seed, and on a share of seeds 1..200 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("lock-during-io", "correct", NULL);
}
END_TEST

/* lock-during-io:lock-across-call: updaters wait for the slow write. */
START_TEST(lock_across_call)
{
	check_broken("lock-during-io", "lock-across-call", NULL);
	check_share("lock-during-io", "lock-across-call", NULL, 90);
}
END_TEST

/* lock-during-io:lock-across-send: reporter and consumer wait for each other. */
START_TEST(lock_across_send)
{
	check_broken("lock-during-io", "lock-across-send", NULL);
	check_share("lock-during-io", "lock-across-send", NULL, 30);
}
END_TEST

Suite *suite_lock_during_io(void)
{
	Suite *s = suite_create("lock-during-io");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, lock_across_call);
	tcase_add_test(tc, lock_across_send);
	suite_add_tcase(s, tc);
	return s;
}
