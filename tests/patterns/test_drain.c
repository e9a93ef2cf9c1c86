/*
 * test_drain.c - the drain handshake (drain): correct keeps "ok" under 10,000
 * random and 2,000 PCT schedules, with the default and with very slow
 * workers (the forced stage); every broken form shows its declared outcome
 * within 10,000, on the share of seeds its lesson promises, and carries its
 * lesson and MISTAKE markers (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/lessons.h"

/* drain:correct keeps its promise; with slow workers it is the force that
 * keeps the drain within budget. */
START_TEST(correct)
{
	check_correct("drain", "correct", NULL);
	static const char *const slow[] = {"work", "100", NULL};
	check_correct("drain", "correct", slow);
}
END_TEST

/* drain:push-after-close panics whenever a producer pushes after the close. */
START_TEST(push_after_close)
{
	check_broken("drain", "push-after-close", NULL);
	check_share("drain", "push-after-close", NULL, 90, 100);
}
END_TEST

/* drain:no-deadline overruns its budget on most seeds (a full queue, slow workers). */
START_TEST(no_deadline)
{
	check_broken("drain", "no-deadline", NULL);
	check_share("drain", "no-deadline", NULL, 50, 95);
}
END_TEST

/* drain:receiver-closes panics on a second close or a send on the closed in. */
START_TEST(receiver_closes)
{
	check_broken("drain", "receiver-closes", NULL);
	check_share("drain", "receiver-closes", NULL, 70, 100);
}
END_TEST

/* Each broken variant has its lesson and one MISTAKE marker in C and Go. */
START_TEST(lessons)
{
	check_lessons("drain");
}
END_TEST

Suite *suite_drain(void)
{
	Suite *s = suite_create("drain");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, push_after_close);
	tcase_add_test(tc, no_deadline);
	tcase_add_test(tc, receiver_closes);
	tcase_add_test(tc, lessons);
	suite_add_tcase(s, tc);
	return s;
}
