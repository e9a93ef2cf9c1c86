/*
 * test_step_down.c - promotion and step-down (step-down): correct keeps "ok"
 * under 10,000 random and 2,000 PCT schedules, also with a slow hand-over;
 * every broken form shows its declared outcome within 10,000, on the share
 * of seeds its lesson promises, and carries its lesson and MISTAKE markers
 * (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/lessons.h"

/* step-down:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("step-down", "correct", NULL);
	static const char *const slow[] = {"handover", "50", NULL};
	check_correct("step-down", "correct", slow);
}
END_TEST

/* step-down:promote-early has two leaders accept writes on most seeds. */
START_TEST(promote_early)
{
	check_broken("step-down", "promote-early", NULL);
	check_share("step-down", "promote-early", NULL, 40, 90);
}
END_TEST

/* step-down:check-then-close panics when the two callers interleave (about a third). */
START_TEST(check_then_close)
{
	check_broken("step-down", "check-then-close", NULL);
	check_share("step-down", "check-then-close", NULL, 20, 60);
}
END_TEST

/* Each broken variant has its lesson and one MISTAKE marker in C and Go. */
START_TEST(lessons)
{
	check_lessons("step-down");
}
END_TEST

Suite *suite_step_down(void)
{
	Suite *s = suite_create("step-down");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, promote_early);
	tcase_add_test(tc, check_then_close);
	tcase_add_test(tc, lessons);
	suite_add_tcase(s, tc);
	return s;
}
