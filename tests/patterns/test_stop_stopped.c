/*
 * test_stop_stopped.c - the stop/stopped pair (stop-stopped): correct keeps
 * "ok" under 10,000 random and 2,000 PCT schedules, also when every record
 * makes its worker panic; every broken form shows its declared outcome
 * within 10,000, on the share of seeds its lesson promises, and carries its
 * lesson and MISTAKE markers (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/lessons.h"

/* stop-stopped:correct keeps its promise, with and without panicking workers. */
START_TEST(correct)
{
	check_correct("stop-stopped", "correct", NULL);
	static const char *const all_bad[] = {"bad", "1", NULL};
	check_correct("stop-stopped", "correct", all_bad);
}
END_TEST

/* stop-stopped:forget-stopped reads unflushed state nearly every time. */
START_TEST(forget_stopped)
{
	check_broken("stop-stopped", "forget-stopped", NULL);
	check_share("stop-stopped", "forget-stopped", NULL, 80, 100);
}
END_TEST

/* stop-stopped:send-stop strands a worker unless one already died. */
START_TEST(send_stop)
{
	check_broken("stop-stopped", "send-stop", NULL);
	check_share("stop-stopped", "send-stop", NULL, 50, 95);
}
END_TEST

/* stop-stopped:double-close panics on the deferred second Stop. */
START_TEST(double_close)
{
	check_broken("stop-stopped", "double-close", NULL);
	check_share("stop-stopped", "double-close", NULL, 90, 100);
}
END_TEST

/* stop-stopped:recover-no-defer hangs whenever a worker panicked (about
 * 30% of seeds with one bad record in 30). */
START_TEST(recover_no_defer)
{
	check_broken("stop-stopped", "recover-no-defer", NULL);
	check_share("stop-stopped", "recover-no-defer", NULL, 15, 50);
}
END_TEST

/* Each broken variant has its lesson and one MISTAKE marker in C and Go. */
START_TEST(lessons)
{
	check_lessons("stop-stopped");
}
END_TEST

Suite *suite_stop_stopped(void)
{
	Suite *s = suite_create("stop-stopped");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, forget_stopped);
	tcase_add_test(tc, send_stop);
	tcase_add_test(tc, double_close);
	tcase_add_test(tc, recover_no_defer);
	tcase_add_test(tc, lessons);
	suite_add_tcase(s, tc);
	return s;
}
