/* test_syscall.c - a blocking system call hands its processor to another
 * thread (Go's M/P hand-off), so other tasks run meanwhile. */
#include <check.h>
#include <string.h>
#include <unistd.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"

struct pipe_test {
	int fds[2];
	char got;
};

static void writer(void *arg)
{
	struct pipe_test *pt = arg;
	cl_sleep(CL_MS);
	char c = 'x';
	if (write(pt->fds[1], &c, 1) != 1)
		cl_panic("write failed");
}

static void reader_main(void *arg)
{
	struct pipe_test *pt = arg;
	cl_go(writer, pt, "writer");
	/* With one processor, the writer can run only if this blocking read
	 * gives the processor away. */
	cl_syscall_enter();
	ssize_t n = read(pt->fds[0], &pt->got, 1);
	cl_syscall_exit();
	if (n != 1)
		cl_panic("read failed");
}

START_TEST(a_blocking_call_hands_the_processor_over)
{
	for (int procs = 1; procs <= 2; procs++) {
		struct pipe_test pt = {.got = 0};
		ck_assert_int_eq(pipe(pt.fds), 0);
		struct cl_config cfg;
		cl_config_init(&cfg);
		cfg.sched = CL_SCHED_PAR;
		cfg.procs = procs;
		struct recorder rec = {0};
		struct cl_sink sink = recorder_sink(&rec);
		cfg.sinks = &sink;
		cfg.nsinks = 1;
		struct cl_result r;
		ck_assert_int_eq(cl_run(reader_main, &pt, &cfg, &r), 0);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_eq(pt.got, 'x');
		int enter = 0, exit_seen = 0;
		for (size_t i = 0; i < rec.n; i++) {
			if (rec.ev[i].kind == CL_EV_SYNC && strcmp(rec.ev[i].text, "syscall enter") == 0)
				enter++;
			if (rec.ev[i].kind == CL_EV_SYNC && strcmp(rec.ev[i].text, "syscall exit") == 0)
				exit_seen++;
		}
		ck_assert_int_eq(enter, 1);
		ck_assert_int_eq(exit_seen, 1);
		recorder_free(&rec);
		cl_result_free(&r);
		close(pt.fds[0]);
		close(pt.fds[1]);
	}
}
END_TEST

Suite *suite_syscall(void)
{
	Suite *s = suite_create("syscall");
	TCase *t = tcase_create("syscall");
	/* Runs par itself whatever scheduler the suite was asked for. */
	tcase_set_tags(t, TAG_ANY);
	tcase_set_timeout(t, 30);
	tcase_add_test(t, a_blocking_call_hands_the_processor_over);
	suite_add_tcase(s, t);
	return s;
}
