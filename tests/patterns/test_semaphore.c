/*
 * test_semaphore.c - the semaphore limiting concurrency (semaphore): the
 * channel and weighted forms keep "ok" under 10,000 random and 2,000 PCT
 * schedules; each broken form shows its declared outcome within 10,000, at
 * its default seed, and on a share of seeds 1..200 (counts scaled by
 * CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

/* semaphore:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("semaphore", "correct", NULL);
}
END_TEST

/* semaphore:forgotten-release deadlocks once every slot is taken. */
START_TEST(forgotten_release)
{
	check_broken("semaphore", "forgotten-release", NULL);
	check_share("semaphore", "forgotten-release", NULL, 100);
}
END_TEST

/* semaphore:acquire-late lets more than limit tasks work at once. */
START_TEST(acquire_late)
{
	check_broken("semaphore", "acquire-late", NULL);
	check_share("semaphore", "acquire-late", NULL, 90);
}
END_TEST

/* semaphore:weighted keeps its promise. */
START_TEST(weighted)
{
	check_correct("semaphore", "weighted", NULL);
}
END_TEST

Suite *suite_semaphore(void)
{
	Suite *s = suite_create("semaphore");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, forgotten_release);
	tcase_add_test(tc, acquire_late);
	tcase_add_test(tc, weighted);
	suite_add_tcase(s, tc);
	return s;
}
