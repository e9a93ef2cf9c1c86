/*
 * test_rendezvous.c - the started channel and the unbuffered hand-off (rendezvous): every correct form keeps "ok" under
 * 10,000 random and 2,000 PCT schedules; every broken form shows its declared
 * outcome within 10,000 (counts scaled by CHANLAB_TEST_SCALE).
 */
#include <check.h>

#include "tests/patterns/explore.h"

/* rendezvous:correct keeps its promise. */
START_TEST(correct)
{
	check_correct("rendezvous", "correct", NULL);
}
END_TEST

/* rendezvous:buffered shows its declared outcome. */
START_TEST(buffered)
{
	check_broken("rendezvous", "buffered", NULL);
}
END_TEST

/* rendezvous:sleep-handshake shows its declared outcome. */
START_TEST(sleep_handshake)
{
	check_broken("rendezvous", "sleep-handshake", NULL);
}
END_TEST

Suite *suite_rendezvous(void)
{
	Suite *s = suite_create("rendezvous");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, buffered);
	tcase_add_test(tc, sleep_handshake);
	suite_add_tcase(s, tc);
	return s;
}
