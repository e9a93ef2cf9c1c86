/* test_syscall.c - a blocking system call hands its processor to another
 * thread (Go's M/P hand-off), so other tasks run meanwhile. */
#include <check.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "runtime/chanlab.h"
#include "runtime/rt.h"
#include "runtime/sched.h"
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
		int enter = 0, exit_seen = 0, handoffs = 0;
		for (size_t i = 0; i < rec.n; i++) {
			/* The hand-off itself is an event of its own (the call's task). */
			if (rec.ev[i].kind == CL_EV_HANDOFF) {
				handoffs++;
				ck_assert_int_eq(rec.ev[i].task, 1);
				ck_assert(strcmp(rec.ev[i].text, "new thread") == 0 ||
				          strcmp(rec.ev[i].text, "spare thread") == 0);
			}
			if (rec.ev[i].kind == CL_EV_SYNC && strcmp(rec.ev[i].text, "syscall enter") == 0)
				enter++;
			if (rec.ev[i].kind == CL_EV_SYNC && strcmp(rec.ev[i].text, "syscall exit") == 0)
				exit_seen++;
		}
		ck_assert_int_eq(enter, 1);
		ck_assert_int_eq(exit_seen, 1);
		ck_assert_int_eq(handoffs, 1);
		recorder_free(&rec);
		cl_result_free(&r);
		close(pt.fds[0]);
		close(pt.fds[1]);
	}
}
END_TEST

/* ---- the window between a system call's return and the task's queueing ---------- */

/* Holds the thread back from its system call until every processor has
 * gone to sleep for want of work, or the run is over: if the task no
 * longer counted as in a system call here, the last processor to go idle
 * would declare a deadlock. */
static void wait_until_all_idle(struct rt_sched *s)
{
	while (__atomic_load_n(&s->nidle, __ATOMIC_ACQUIRE) < s->nprocs &&
	       !__atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void quick_call_main(void *arg)
{
	(void)arg;
	cl_syscall_enter();
	cl_syscall_exit();
}

START_TEST(a_task_back_from_a_system_call_is_never_a_deadlock)
{
	rt_par_syscall_exit_hook = wait_until_all_idle;
	for (int procs = 1; procs <= 4; procs *= 2) {
		struct cl_result r = run_on(quick_call_main, NULL, CL_SCHED_PAR, procs, 1);
		ck_assert_msg(r.outcome == CL_OUTCOME_OK, "%d procs: %s", procs,
		              r.report ? r.report : cl_outcome_name(r.outcome));
		cl_result_free(&r);
	}
	rt_par_syscall_exit_hook = NULL;
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
	/* Picks par and its processors itself: run once. */
	t = tcase_create("syscall-window");
	tcase_set_tags(t, TAG_DET);
	tcase_set_timeout(t, 30);
	tcase_add_test(t, a_task_back_from_a_system_call_is_never_a_deadlock);
	suite_add_tcase(s, t);
	return s;
}
