/*
 * test_stacksize.c - --stack-size on run and explore: bytes or a K, M or G
 * suffix from 16 KiB to 1 GiB; anything else is a usage error (exit 64).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "tests/cli/clirun.h"

START_TEST(stack_size_takes_bytes_or_a_suffix_from_16k_to_1g)
{
	const char *good[] = {"16K", "16384", "64k", "1M", "300000", "1G"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int status;
		free(cli_run(&status, "run rendezvous --quiet --stack-size %s >/dev/null 2>&1", good[i]));
		ck_assert_msg(status == 0, "run --stack-size %s: exit %d", good[i], status);
		free(cli_run(&status, "explore rendezvous --runs 2 --stack-size=%s >/dev/null 2>&1", good[i]));
		ck_assert_msg(status == 0, "explore --stack-size %s: exit %d", good[i], status);
	}
}
END_TEST

START_TEST(a_bad_stack_size_exits_64_naming_the_range)
{
	const char *bad[] = {"8K", "16383", "2G", "1.5M", "-1", "64KiB", "K", "''", "99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		for (int cmd = 0; cmd < 2; cmd++) {
			int status;
			char *err = cli_run(&status, "%s rendezvous --stack-size %s 2>&1 >/dev/null",
			                    cmd ? "explore --runs 1" : "run", bad[i]);
			ck_assert_msg(status == CL_EXIT_USAGE, "--stack-size %s: exit %d", bad[i], status);
			ck_assert_msg(strstr(err, "--stack-size") && strstr(err, "16K to 1G"), "%s", err);
			free(err);
		}
	}
}
END_TEST

Suite *suite_stacksize(void)
{
	Suite *s = suite_create("stacksize");
	TCase *t = tcase_create("stacksize");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, stack_size_takes_bytes_or_a_suffix_from_16k_to_1g);
	tcase_add_test(t, a_bad_stack_size_exits_64_naming_the_range);
	suite_add_tcase(s, t);
	return s;
}
