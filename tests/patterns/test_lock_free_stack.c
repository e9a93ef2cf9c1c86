/*
 * test_lock_free_stack.c - the lock-free stack (lock-free-stack): every correct form keeps "ok" under
 * 10,000 random and 2,000 PCT schedules; every broken form shows its declared
 * outcome within 10,000 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"

/* lock-free-stack:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("lock-free-stack", "correct", NULL);
}
END_TEST

/* lock-free-stack:aba shows its declared outcome. */
START_TEST(aba)
{
	check_broken("lock-free-stack", "aba", NULL);
}
END_TEST

/* lock-free-stack:no-retry shows its declared outcome. */
START_TEST(no_retry)
{
	check_broken("lock-free-stack", "no-retry", NULL);
}
END_TEST

/* lock-free-stack:mutex keeps its promise. */
START_TEST(mutex)
{
	check_correct("lock-free-stack", "mutex", NULL);
}
END_TEST

Suite *suite_lock_free_stack(void)
{
	Suite *s = suite_create("lock-free-stack");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, aba);
	tcase_add_test(tc, no_retry);
	tcase_add_test(tc, mutex);
	suite_add_tcase(s, tc);
	return s;
}
