/*
 * check_main.c - the libcheck runner of one test module.  The Makefile
 * compiles it once per module with SUITES_H naming a generated list of that
 * module's suites.  CK_RUN_SUITE=name runs one suite (libcheck reads it).
 */
#include <check.h>
#include <stdlib.h>

#define SUITE(fn) Suite *fn(void);
#include SUITES_H
#undef SUITE

int main(void)
{
	SRunner *runner = srunner_create(NULL);
#define SUITE(fn) srunner_add_suite(runner, fn());
#include SUITES_H
#undef SUITE
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
