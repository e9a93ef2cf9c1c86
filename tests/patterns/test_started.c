/*
 * test_started.c - the started handshake (started): correct keeps "ok" under
 * 10,000 random and 2,000 PCT schedules; every broken form shows its declared
 * outcome within 10,000, on the share of seeds its lesson promises, and
 * carries its lesson and MISTAKE markers (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/lessons.h"

/* started:correct keeps its promise, also when every bind fails. */
START_TEST(correct)
{
	check_correct("started", "correct", NULL);
	static const char *const always_busy[] = {"busy", "100", NULL};
	check_correct("started", "correct", always_busy);
}
END_TEST

/* started:sleep dials too soon on about a quarter of the seeds (bind > wait). */
START_TEST(sleep_instead)
{
	check_broken("started", "sleep", NULL);
	check_share("started", "sleep", NULL, 15, 45);
}
END_TEST

/* started:close-early lets the waiters in before the bind, every time. */
START_TEST(close_early)
{
	check_broken("started", "close-early", NULL);
	check_share("started", "close-early", NULL, 90, 100);
}
END_TEST

/* started:send-ready leaves the second waiter asleep, every time. */
START_TEST(send_ready)
{
	check_broken("started", "send-ready", NULL);
	check_share("started", "send-ready", NULL, 90, 100);
}
END_TEST

/* Each broken variant has its lesson and one MISTAKE marker in C and Go. */
START_TEST(lessons)
{
	check_lessons("started");
}
END_TEST

Suite *suite_started(void)
{
	Suite *s = suite_create("started");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, sleep_instead);
	tcase_add_test(tc, close_early);
	tcase_add_test(tc, send_ready);
	tcase_add_test(tc, lessons);
	suite_add_tcase(s, tc);
	return s;
}
