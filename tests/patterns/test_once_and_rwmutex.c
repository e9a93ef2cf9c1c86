/*
 * test_once_and_rwmutex.c - sync.Once and sync.RWMutex (once-and-rwmutex):
 * correct keeps "ok" under 10,000 random and 2,000 PCT schedules; each
 * broken form deadlocks within 10,000, at its default seed, and on a share
 * of seeds 1..200 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("once-and-rwmutex", "correct", NULL);
}
END_TEST

/* once-and-rwmutex:once-recursive: Do waits for itself. */
START_TEST(once_recursive)
{
	check_broken("once-and-rwmutex", "once-recursive", NULL);
	check_share("once-and-rwmutex", "once-recursive", NULL, 100);
}
END_TEST

/* once-and-rwmutex:rlock-upgrade: Lock waits for the caller's own RLock. */
START_TEST(rlock_upgrade)
{
	check_broken("once-and-rwmutex", "rlock-upgrade", NULL);
	check_share("once-and-rwmutex", "rlock-upgrade", NULL, 100);
}
END_TEST

Suite *suite_once_and_rwmutex(void)
{
	Suite *s = suite_create("once-and-rwmutex");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, once_recursive);
	tcase_add_test(tc, rlock_upgrade);
	suite_add_tcase(s, tc);
	return s;
}
