/*
 * test_parcli.c - the CLI and the par-only patterns: `run` uses the par
 * scheduler for them without being asked, refuses --sched det with one line
 * saying why, `explore` refuses them (par runs are not replayable), `list`
 * marks them, and a par trace shows the processors, the steals and the
 * hand-offs in the text, lanes and jsonl formats.
 */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cli/clirun.h"

static const char *const par_only[] = {"gmp", "syscall-handoff", "starvation", "false-sharing"};

/* run uses par for them: the verdict line counts processors, not virtual time. */
START_TEST(run_uses_par)
{
	int status;
	char *out = cli_run(&status, "run gmp --procs 2 --quiet 2>&1");
	ck_assert_msg(status == 0, "run gmp exited %d: %s", status, out);
	ck_assert_ptr_nonnull(strstr(out, "real time on 2 processors"));
	free(out);
	out = cli_run(&status, "run syscall-handoff --procs 1 --quiet 2>&1");
	ck_assert_msg(status == 0, "run syscall-handoff exited %d: %s", status, out);
	ck_assert_ptr_nonnull(strstr(out, "real time on 1 processor"));
	free(out);
}
END_TEST

/* --sched det and explore are refused, exit 64, with one line naming the pattern and why. */
START_TEST(det_and_explore_refused)
{
	for (size_t i = 0; i < sizeof par_only / sizeof par_only[0]; i++) {
		int status;
		char *out = cli_run(&status, "run %s --sched det 2>&1 >/dev/null", par_only[i]);
		ck_assert_int_eq(status, 64);
		ck_assert_ptr_nonnull(strstr(out, par_only[i]));
		ck_assert_ptr_nonnull(strstr(out, "runs only under --sched par"));
		ck_assert_ptr_nonnull(strstr(out, "real threads"));
		ck_assert_ptr_eq(strchr(out, '\n'), out + strlen(out) - 1);   /* one line */
		free(out);
		out = cli_run(&status, "explore %s 2>&1 >/dev/null", par_only[i]);
		ck_assert_int_eq(status, 64);
		ck_assert_ptr_nonnull(strstr(out, "not replayable"));
		ck_assert_ptr_nonnull(strstr(out, "chanlab run"));
		ck_assert_ptr_eq(strchr(out, '\n'), out + strlen(out) - 1);
		free(out);
	}
	/* Options of par work as usual with them (no --sched needed). */
	int status;
	char *out = cli_run(&status, "run gmp --sched par --procs 1 --quiet 2>&1");
	ck_assert_int_eq(status, 0);
	free(out);
}
END_TEST

/* Whether the header of pattern name in `list` (its line, and the lines
 * under the title a long one wraps to) ends with "[par only]". */
static bool header_marked(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *line = list; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, name, n) != 0 || line[n] != ' ')
			continue;
		for (;;) {
			const char *eol = strchr(line, '\n');
			size_t len = eol ? (size_t)(eol - line) : strlen(line);
			bool wraps = eol && strspn(eol + 1, " ") >= 25;
			if (!wraps)
				return len > 10 && strncmp(line + len - 10, "[par only]", 10) == 0;
			line = eol + 1;
		}
	}
	return false;
}

/* list marks them; list --json names each pattern's scheduler. */
START_TEST(list_marks_par_only)
{
	int status;
	char *out = cli_run(&status, "list");
	ck_assert_int_eq(status, 0);
	for (size_t i = 0; i < sizeof par_only / sizeof par_only[0]; i++)
		ck_assert_msg(header_marked(out, par_only[i]), "list does not mark %s", par_only[i]);
	ck_assert(!header_marked(out, "worker-pool"));
	free(out);
	out = cli_run(&status, "list --json");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "\"name\": \"gmp\""));
	ck_assert_ptr_nonnull(strstr(out, "\"sched\": \"par\""));
	ck_assert_ptr_nonnull(strstr(out, "\"sched\": \"any\""));
	free(out);
}
END_TEST

/* The text trace of gmp names each event's processor and says what a steal
 * did; lanes show it in the stolen task's lane; jsonl carries kind "steal"
 * and proc. */
START_TEST(traces_show_steals)
{
	int status;
	char *out = cli_run(&status, "run gmp --procs 2 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "[P0]"));
	ck_assert_ptr_nonnull(strstr(out, "[P1]"));
	ck_assert_ptr_nonnull(strstr(out, "stolen: P"));
	ck_assert_ptr_nonnull(strstr(out, "run queue"));
	free(out);
	out = cli_run(&status, "run gmp --procs 2 --format lanes 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "stolen P"));
	free(out);
	out = cli_run(&status, "run gmp --procs 2 --format jsonl 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "\"kind\":\"steal\""));
	ck_assert_ptr_nonnull(strstr(out, "\"proc\":2"));
	free(out);
}
END_TEST

/* syscall-handoff's trace shows each hand-off, in text, lanes, chrome and mermaid. */
START_TEST(traces_show_handoffs)
{
	int status;
	char *out = cli_run(&status, "run syscall-handoff --procs 1 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "in a blocking system call: handed P0 to a"));
	free(out);
	out = cli_run(&status, "run syscall-handoff --procs 1 --format lanes 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "syscall: P0"));
	free(out);
	out = cli_run(&status, "run syscall-handoff --procs 1 --format chrome 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "syscall: P0 to a"));
	free(out);
	out = cli_run(&status, "run syscall-handoff --procs 1 --format mermaid 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "blocking syscall: P0 handed to a"));
	free(out);
}
END_TEST

/* A broken variant's run teaches as any other: lesson, mistake line, exit 5. */
START_TEST(broken_run_teaches)
{
	int status;
	char *out = cli_run(&status, "run syscall-handoff --variant blocks-processor --timeout 60 "
	                    "--procs 1 --quiet 2>&1");
	ck_assert_msg(status == 5, "exit %d: %s", status, out);
	free(out);
	out = cli_run(&status, "run syscall-handoff --variant blocks-processor --timeout 60 "
	              "--procs 1 2>&1");
	ck_assert_ptr_nonnull(strstr(out, "lesson:"));
	ck_assert_ptr_nonnull(strstr(out, "patterns/syscall_handoff.c:"));
	ck_assert_ptr_nonnull(strstr(out, "read_wait_ms"));
	free(out);
}
END_TEST

Suite *suite_parcli(void)
{
	Suite *s = suite_create("parcli");
	TCase *tc = tcase_create("parcli");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, run_uses_par);
	tcase_add_test(tc, det_and_explore_refused);
	tcase_add_test(tc, list_marks_par_only);
	tcase_add_test(tc, traces_show_steals);
	tcase_add_test(tc, traces_show_handoffs);
	tcase_add_test(tc, broken_run_teaches);
	suite_add_tcase(s, tc);
	return s;
}
