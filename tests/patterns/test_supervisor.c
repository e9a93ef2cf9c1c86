/*
 * test_supervisor.c - the supervisor (supervisor): correct keeps "ok" under
 * 10,000 random and 2,000 PCT schedules, escalating during the storm and,
 * with no storm, restarting by policy until it is stopped; every broken form
 * shows its declared outcome within 10,000, on the share of seeds its lesson
 * promises, and carries its lesson and MISTAKE markers (counts scaled by
 * CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/lessons.h"

/* supervisor:correct keeps its promise, with and without a restart storm. */
START_TEST(correct)
{
	check_correct("supervisor", "correct", NULL);
	static const char *const calm[] = {"storm", "0", NULL};
	check_correct("supervisor", "correct", calm);
}
END_TEST

/* supervisor:no-limit restarts flaky far more often than max in a window. */
START_TEST(no_limit)
{
	check_broken("supervisor", "no-limit", NULL);
	check_share("supervisor", "no-limit", NULL, 90, 100);
}
END_TEST

/* supervisor:recover-in-supervisor dies of the child's first panic. */
START_TEST(recover_in_supervisor)
{
	check_broken("supervisor", "recover-in-supervisor", NULL);
	check_share("supervisor", "recover-in-supervisor", NULL, 90, 100);
}
END_TEST

/* supervisor:orphans leaves its children running. */
START_TEST(orphans)
{
	check_broken("supervisor", "orphans", NULL);
	check_share("supervisor", "orphans", NULL, 90, 100);
}
END_TEST

/* Each broken variant has its lesson and one MISTAKE marker in C and Go. */
START_TEST(lessons)
{
	check_lessons("supervisor");
}
END_TEST

Suite *suite_supervisor(void)
{
	Suite *s = suite_create("supervisor");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, no_limit);
	tcase_add_test(tc, recover_in_supervisor);
	tcase_add_test(tc, orphans);
	tcase_add_test(tc, lessons);
	suite_add_tcase(s, tc);
	return s;
}
