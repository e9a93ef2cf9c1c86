/*
 * test_word_count.c - the concurrent word count (word-count): correct keeps
 * "ok" under 10,000 random and 2,000 PCT schedules; shared-map races (det,
 * detector on) and add-inside loses counts, each at its default seed and on
 * a share of seeds 1..200 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("word-count", "correct", NULL);
}
END_TEST

/* word-count:shared-map: the readers' unlocked increments race. */
START_TEST(shared_map)
{
	check_share("word-count", "shared-map", NULL, 100);
}
END_TEST

/* word-count:add-inside: main's Wait returns before the readers counted. */
START_TEST(add_inside)
{
	check_broken("word-count", "add-inside", NULL);
	check_share("word-count", "add-inside", NULL, 90);
}
END_TEST

Suite *suite_word_count(void)
{
	Suite *s = suite_create("word-count");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, shared_map);
	tcase_add_test(tc, add_inside);
	suite_add_tcase(s, tc);
	return s;
}
