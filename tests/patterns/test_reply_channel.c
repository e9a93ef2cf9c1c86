/*
 * test_reply_channel.c - request and reply channels (reply-channel): every correct form keeps "ok" under
 * 10,000 random and 2,000 PCT schedules; every broken form shows its declared
 * outcome within 10,000 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"

/* reply-channel:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("reply-channel", "correct", NULL);
}
END_TEST

/* reply-channel:unbuffered-reply shows its declared outcome. */
START_TEST(unbuffered_reply)
{
	check_broken("reply-channel", "unbuffered-reply", NULL);
}
END_TEST

/* reply-channel:shared-reply shows its declared outcome. */
START_TEST(shared_reply)
{
	check_broken("reply-channel", "shared-reply", NULL);
}
END_TEST

Suite *suite_reply_channel(void)
{
	Suite *s = suite_create("reply-channel");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, unbuffered_reply);
	tcase_add_test(tc, shared_reply);
	suite_add_tcase(s, tc);
	return s;
}
