/*
 * test_pub_sub.c - the publish-subscribe broker (pub-sub): every correct form keeps "ok" under
 * 10,000 random and 2,000 PCT schedules; every broken form shows its declared
 * outcome within 10,000 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"

/* The block policy has its own promise (no-loss) and is checked on its own. */
static const char *const block[] = {"policy", "block", NULL};

/* pub-sub:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("pub-sub", "correct", NULL);
}
END_TEST

/* pub-sub:correct with --policy block loses nothing. */
START_TEST(correct_block)
{
	check_correct("pub-sub", "correct", block);
}
END_TEST

/* pub-sub:slow-blocks-all shows its declared outcome. */
START_TEST(slow_blocks_all)
{
	check_broken("pub-sub", "slow-blocks-all", NULL);
}
END_TEST

/* pub-sub:unsubscribe-race shows its declared outcome. */
START_TEST(unsubscribe_race)
{
	check_broken("pub-sub", "unsubscribe-race", NULL);
}
END_TEST

Suite *suite_pub_sub(void)
{
	Suite *s = suite_create("pub-sub");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, correct_block);
	tcase_add_test(tc, slow_blocks_all);
	tcase_add_test(tc, unsubscribe_race);
	suite_add_tcase(s, tc);
	return s;
}
