/*
 * test_loop_capture.c - the loop-variable capture bug (loop-capture): the
 * per-iteration copy keeps "ok" under 10,000 random and 2,000 PCT
 * schedules; shared-var races (det, detector on) and address-of-var fails
 * own-value, each at its default seed and on a share of seeds 1..200
 * (counts scaled by CHANLAB_TEST_SCALE).  go vet's loopclosure finding on
 * the Go original is checked by test_go.c.
 */
#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("loop-capture", "correct", NULL);
}
END_TEST

/* loop-capture:shared-var: main's i++ races with every task's read. */
START_TEST(shared_var)
{
	check_share("loop-capture", "shared-var", NULL, 100);
}
END_TEST

/* loop-capture:address-of-var: every handler sees the last value. */
START_TEST(address_of_var)
{
	check_broken("loop-capture", "address-of-var", NULL);
	check_share("loop-capture", "address-of-var", NULL, 100);
}
END_TEST

Suite *suite_loop_capture(void)
{
	Suite *s = suite_create("loop-capture");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, shared_var);
	tcase_add_test(tc, address_of_var);
	suite_add_tcase(s, tc);
	return s;
}
