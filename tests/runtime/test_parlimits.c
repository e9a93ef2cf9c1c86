/* test_parlimits.c - the par scheduler keeps the run's limits: --max-steps,
 * the time limit and the caller's interrupt flag end a run that would go
 * on forever, with 1, 2 and 4 processors. */
#include <check.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

static void yield_forever(void *arg)
{
	(void)arg;
	for (;;)
		cl_yield();
}

static void yielders_main(void *arg)
{
	(void)arg;
	cl_go(yield_forever, NULL, "spinner");
	yield_forever(NULL);
}

static void sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		cl_sleep(CL_MS);
}

static volatile int interrupt_flag;

/* Raises the interrupt flag itself (as a SIGINT handler would), then keeps
 * the run busy. */
static void interrupt_then_yield(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++)
		cl_yield();
	__atomic_store_n(&interrupt_flag, 1, __ATOMIC_RELAXED);   /* the run reads it on other threads */
	yield_forever(NULL);
}

static struct cl_result run_par(void (*fn)(void *), int procs, uint64_t max_steps, cl_time max_time)
{
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.sched = CL_SCHED_PAR;
	cfg.procs = procs;
	cfg.max_steps = max_steps;
	cfg.max_time = max_time;
	cfg.interrupt = (volatile int *)&interrupt_flag;
	interrupt_flag = 0;
	struct cl_result r;
	ck_assert_int_eq(cl_run(fn, NULL, &cfg, &r), 0);
	return r;
}

START_TEST(a_yield_loop_under_par_stops_at_max_steps)
{
	int procs[] = {1, 2, 4};
	uint64_t limits[] = {1, 1000, 1000000};
	for (int i = 0; i < 3; i++) {
		for (int k = 0; k < 3; k++) {
			if (limits[k] > 1000 && test_scaled(1, 0) == 0)
				continue;   /* sanitizers: the small limits only */
			struct cl_result r = run_par(yielders_main, procs[i], limits[k], 3600 * CL_SEC);
			ck_assert_int_eq(r.outcome, CL_OUTCOME_LIMIT);
			ck_assert_msg(strstr(r.report, "step limit") != NULL, "%s", r.report);
			ck_assert_uint_gt(r.steps, limits[k]);
			cl_result_free(&r);
		}
	}
}
END_TEST

START_TEST(a_sleep_loop_under_par_stops_at_the_time_limit)
{
	for (int procs = 1; procs <= 4; procs *= 2) {
		struct cl_result r = run_par(sleep_forever, procs, 0, 20 * CL_MS);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_LIMIT);
		ck_assert_msg(strstr(r.report, "time limit: 20 ms") != NULL, "%s", r.report);
		ck_assert_int_ge(r.time, 20 * CL_MS);
		cl_result_free(&r);
	}
}
END_TEST

START_TEST(the_interrupt_flag_ends_a_par_run)
{
	for (int procs = 1; procs <= 4; procs *= 2) {
		struct cl_result r = run_par(interrupt_then_yield, procs, 0, 0);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_LIMIT);
		ck_assert_msg(strstr(r.report, "interrupted") != NULL, "%s", r.report);
		cl_result_free(&r);
	}
	/* And while every processor sleeps: an idle processor polls it. */
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.sched = CL_SCHED_PAR;
	cfg.procs = 2;
	__atomic_store_n(&interrupt_flag, 1, __ATOMIC_RELAXED);   /* the run reads it on other threads */
	cfg.interrupt = (volatile int *)&interrupt_flag;
	struct cl_result r;
	ck_assert_int_eq(cl_run(sleep_forever, NULL, &cfg, &r), 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_LIMIT);
	cl_result_free(&r);
}
END_TEST

Suite *suite_parlimits(void)
{
	Suite *s = suite_create("parlimits");
	/* Each test picks par and its processors itself: run once. */
	TCase *t = tcase_create("parlimits");
	tcase_set_tags(t, TAG_DET);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, a_yield_loop_under_par_stops_at_max_steps);
	tcase_add_test(t, a_sleep_loop_under_par_stops_at_the_time_limit);
	tcase_add_test(t, the_interrupt_flag_ends_a_par_run);
	suite_add_tcase(s, t);
	return s;
}
