/*
 * test_safe_go.c - tasks that recover their own panics (safe-go): correct
 * keeps "ok" under 10,000 random and 2,000 PCT schedules, also when every
 * task panics; every broken form shows its declared outcome within 10,000,
 * on the share of seeds its lesson promises, and carries its lesson and
 * MISTAKE markers (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/lessons.h"

/* safe-go:correct keeps its promise, however many tasks panic. */
START_TEST(correct)
{
	check_correct("safe-go", "correct", NULL);
	static const char *const all_panic[] = {"panics", "100", NULL};
	check_correct("safe-go", "correct", all_panic);
}
END_TEST

/* safe-go:recover-in-parent dies whenever a task panics (about 59%: 4 tasks, 20%). */
START_TEST(recover_in_parent)
{
	check_broken("safe-go", "recover-in-parent", NULL);
	check_share("safe-go", "recover-in-parent", NULL, 40, 80);
}
END_TEST

/* safe-go:swallow hangs whenever a task panics. */
START_TEST(swallow)
{
	check_broken("safe-go", "swallow", NULL);
	check_share("safe-go", "swallow", NULL, 40, 80);
}
END_TEST

/* safe-go:defer-recover: deferring recover itself stops nothing, as in Go,
 * so a task's panic ends the program. */
START_TEST(defer_recover)
{
	check_broken("safe-go", "defer-recover", NULL);
	check_share("safe-go", "defer-recover", NULL, 40, 80);
}
END_TEST

/* Each broken variant has its lesson and one MISTAKE marker in C and Go. */
START_TEST(lessons)
{
	check_lessons("safe-go");
}
END_TEST

Suite *suite_safe_go(void)
{
	Suite *s = suite_create("safe-go");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, recover_in_parent);
	tcase_add_test(tc, swallow);
	tcase_add_test(tc, defer_recover);
	tcase_add_test(tc, lessons);
	suite_add_tcase(s, tc);
	return s;
}
