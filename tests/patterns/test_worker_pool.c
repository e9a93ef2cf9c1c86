/*
 * test_worker_pool.c - the bounded worker pool (worker-pool): every correct form keeps "ok" under
 * 10,000 random and 2,000 PCT schedules; every broken form shows its declared
 * outcome within 10,000 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"

/* Fewer jobs than the default keep each schedule short. */
static const char *const params[] = {"jobs", "8", "workers", "3", NULL};

/* worker-pool:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("worker-pool", "correct", params);
}
END_TEST

/* worker-pool:never-close-jobs shows its declared outcome. */
START_TEST(never_close_jobs)
{
	check_broken("worker-pool", "never-close-jobs", params);
}
END_TEST

/* worker-pool:unbounded shows its declared outcome. */
START_TEST(unbounded)
{
	check_broken("worker-pool", "unbounded", params);
}
END_TEST

/* worker-pool:dispatcher keeps its promise. */
START_TEST(dispatcher)
{
	check_correct("worker-pool", "dispatcher", params);
}
END_TEST

Suite *suite_worker_pool(void)
{
	Suite *s = suite_create("worker-pool");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, never_close_jobs);
	tcase_add_test(tc, unbounded);
	tcase_add_test(tc, dispatcher);
	suite_add_tcase(s, tc);
	return s;
}
