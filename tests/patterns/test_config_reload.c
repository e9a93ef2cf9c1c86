/*
 * test_config_reload.c - the acknowledged config reload (config-reload):
 * correct keeps "ok" under 10,000 random and 2,000 PCT schedules, with the
 * default and with one worker; every broken form shows its declared outcome
 * within 10,000, on the share of seeds its lesson promises, and carries its
 * lesson and MISTAKE markers (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/lessons.h"

/* config-reload:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("config-reload", "correct", NULL);
	static const char *const one[] = {"workers", "1", NULL};
	check_correct("config-reload", "correct", one);
}
END_TEST

/* config-reload:no-ack serves old-config requests after Reload on most seeds. */
START_TEST(no_ack)
{
	check_broken("config-reload", "no-ack", NULL);
	check_share("config-reload", "no-ack", NULL, 60, 100);
}
END_TEST

/* config-reload:one-ack does the same whenever another worker is mid-request. */
START_TEST(one_ack)
{
	check_broken("config-reload", "one-ack", NULL);
	check_share("config-reload", "one-ack", NULL, 60, 100);
}
END_TEST

/* config-reload:close-ack panics on the second worker's close. */
START_TEST(close_ack)
{
	check_broken("config-reload", "close-ack", NULL);
	check_share("config-reload", "close-ack", NULL, 90, 100);
}
END_TEST

/* Each broken variant has its lesson and one MISTAKE marker in C and Go. */
START_TEST(lessons)
{
	check_lessons("config-reload");
}
END_TEST

Suite *suite_config_reload(void)
{
	Suite *s = suite_create("config-reload");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, no_ack);
	tcase_add_test(tc, one_ack);
	tcase_add_test(tc, close_ack);
	tcase_add_test(tc, lessons);
	suite_add_tcase(s, tc);
	return s;
}
