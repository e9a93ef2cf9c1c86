/*
 * test_fatal_cli.c - a fatal error (Go's throw: here an unlock of an
 * unlocked mutex) reaches the user through the CLI with Go's text and the
 * task dump: from `chanlab run` (sharded-map's unlock-twice, exit 2 as in
 * Go), and as a failed check with the exercise checker's exit status when the
 * user's own C makes the mistake.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/cli/clirun.h"
#include "tests/testlib.h"

#define EX "06-cond-queue"

/* Runs a shell command line in dir with chanlab's data under dir; stdout
 * and stderr together. */
static char *in_dir(const char *dir, int *status, const char *bin, const char *args)
{
	char cmd[3 * PATH_MAX + 256];
	snprintf(cmd, sizeof cmd, "cd '%s' && NO_COLOR=1 XDG_DATA_HOME='%s/data' '%s' %s 2>&1", dir, dir,
	         bin, args);
	return test_run_capture(cmd, status);
}

START_TEST(unlock_of_unlocked_mutex_is_a_fatal_error_on_the_cli)
{
	if (test_heavy_skipped("unlock_of_unlocked_mutex_is_a_fatal_error_on_the_cli"))
		return;   /* compiles and checks a C file: seconds under the sanitizers */
	char dir[] = "/tmp/chanlab-fatal-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char bin[PATH_MAX];
	ck_assert_ptr_nonnull(realpath(test_chanlab_bin(), bin));
	int status;
	free(in_dir(dir, &status, bin, "exercise start " EX));
	ck_assert_int_eq(status, 0);

	/* The skeleton, with one Unlock of the mutex it has just made. */
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/chanlab-exercises/" EX "/cond-queue.c", dir);
	size_t size;
	char *text = test_read_file(path, &size);
	ck_assert_ptr_nonnull(text);
	const char *anchor = "q->mu = cl_mutex_new(\"queue\");\n";
	char *at = strstr(text, anchor);
	ck_assert_ptr_nonnull(at);
	at += strlen(anchor);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%.*s\tcl_unlock(q->mu);   /* not locked: fatal */\n%s", (int)(at - text), text, at);
	ck_assert_int_eq(fclose(f), 0);
	free(text);

	char *out = in_dir(dir, &status, bin, "exercise check " EX);
	ck_assert_msg(status == 6, "exit %d:\n%s", status, out);   /* a check failed (DESIGN.md) */
	ck_assert_msg(strstr(out, "FAILED " EX ": fatal check"), "%s", out);
	/* Go's text, and the dump of the task that made the mistake. */
	ck_assert_msg(strstr(out, "\n  fatal error: sync: unlock of unlocked mutex\n"), "%s", out);
	ck_assert_msg(!strstr(out, "fatal error: fatal error"), "the prefix is doubled:\n%s", out);
	ck_assert_msg(strstr(out, "task 1 \"main\" [running]:"), "%s", out);
	ck_assert_msg(strstr(out, "end: fatal"), "%s", out);
	free(out);

	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* run: exit 2, Go's text, the dump naming the line of the second Unlock,
 * then the lesson; the end line says fatal, never ok. */
START_TEST(run_of_a_fatal_variant_exits_2)
{
	int status;
	char *err = cli_run(&status, "run sharded-map --variant unlock-twice 2>&1 >/dev/null");
	ck_assert_msg(status == 2, "exit %d:\n%s", status, err);
	ck_assert_msg(strncmp(err, "fatal error: sync: unlock of unlocked mutex\n", 44) == 0, "%s", err);
	ck_assert_msg(strstr(err, "[running]:\n\tstopped at patterns/sharded_map.c:"), "%s", err);
	free(err);
	/* the verdict, on stdout with the trace */
	char *out = cli_run(&status, "run sharded-map --variant unlock-twice 2>/dev/null");
	ck_assert_int_eq(status, 2);
	ck_assert_msg(strstr(out, "\nlesson:"), "%s", out);
	ck_assert_msg(strstr(out, "== fatal, as unlock-twice declares (fatal)"), "%s", out);
	free(out);
}
END_TEST

Suite *suite_fatal_cli(void)
{
	Suite *s = suite_create("fatal_cli");
	TCase *t = tcase_create("fatal_cli");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, unlock_of_unlocked_mutex_is_a_fatal_error_on_the_cli);
	tcase_add_test(t, run_of_a_fatal_variant_exits_2);
	suite_add_tcase(s, t);
	return s;
}
