/*
 * test_partrace.c - traces of par runs pass the same validator as det's
 * (tracecheck.c): times start at the run's start and never run backwards,
 * every flow pairs, every block is woken or reported.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/cli/clirun.h"
#include "tests/cli/tracecheck.h"
#include "tests/testlib.h"

/* Patterns whose par runs take milliseconds (par's timers are real time). */
static bool quick_under_par(const char *name)
{
	const char *quick[] = {"rendezvous", "reply-channel", "fan-in", "worker-pool"};
	for (size_t i = 0; i < sizeof quick / sizeof quick[0]; i++)
		if (strcmp(name, quick[i]) == 0)
			return true;
	return false;
}

static void check_par_trace(const struct pattern *p, const struct pattern_variant *v, void *ctx)
{
	(void)ctx;
	if (!quick_under_par(p->name))
		return;
	char path[] = "/tmp/chanlab-partrace-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	for (int procs = 1; procs <= 4; procs *= 2) {
		int status;
		char *report = cli_run(&status, "run %s --variant %s --sched par --procs %d --max-steps 200000 "
		                       "--format jsonl --out %s 2>&1 >/dev/null", p->name, v->name, procs, path);
		char *trace = test_read_file(path, NULL);
		ck_assert_msg(trace && *trace, "%s:%s: no trace (exit %d)", p->name, v->name, status);
		char err[300];
		ck_assert_msg(tc_check_jsonl(trace, report, err, sizeof err) == 0, "%s:%s par %d: %s", p->name,
		              v->name, procs, err);
		/* The first event (main's spawn) is at the run's start, not at the
		 * machine's uptime: well under a second. */
		const char *t = strstr(trace, "\"time\":");
		ck_assert_ptr_nonnull(t);
		ck_assert_msg(atoll(t + 7) < 1000000000LL, "%s:%s: first event at %s", p->name, v->name, t);
		free(trace);
		free(report);
	}
	close(fd);
	unlink(path);
}

START_TEST(par_traces_pass_the_trace_validator)
{
	for_each_variant(check_par_trace, NULL);
}
END_TEST

Suite *suite_partrace(void)
{
	Suite *s = suite_create("partrace");
	TCase *t = tcase_create("partrace");
	tcase_set_timeout(t, 300);
	tcase_add_test(t, par_traces_pass_the_trace_validator);
	suite_add_tcase(s, t);
	return s;
}
