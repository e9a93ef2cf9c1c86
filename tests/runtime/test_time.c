/* test_time.c - virtual time: sleep, timeouts, timers, tickers. */
#include <check.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"

struct timeout {
	int chosen;
	cl_time at;
};

static void timeout_main(void *arg)
{
	struct timeout *t = arg;
	cl_chan *never = cl_make("reply", int, 1);
	int v;
	struct cl_case cases[2] = {CL_RECV_CASE(never, &v), CL_RECV_CASE(cl_after(5 * CL_SEC), NULL)};
	t->chosen = cl_select(cases, 2);
	t->at = cl_now();
}

START_TEST(a_five_second_timeout_completes_at_five_seconds)
{
	struct timeout t = {0};
	struct cl_result r = run_prog(timeout_main, &t, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(t.chosen, 1);
	ck_assert_int_eq(t.at, 5 * CL_SEC);
	ck_assert_int_eq(r.time, 5 * CL_SEC);
	cl_result_free(&r);
}
END_TEST

static cl_time wake_times[3];
static void sleeper(void *arg)
{
	int i = *(int *)arg;
	cl_sleep((cl_time)(3 - i) * CL_MS);
	wake_times[i] = cl_now();
}

static void sleep_main(void *arg)
{
	(void)arg;
	static int ids[3] = {0, 1, 2};
	for (int i = 0; i < 3; i++)
		cl_go(sleeper, &ids[i], "sleeper-%d", i);
	cl_sleep(10 * CL_MS);
}

START_TEST(sleep_wakes_at_the_exact_virtual_time)
{
	struct cl_result r = run_prog(sleep_main, NULL, 9, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(wake_times[0], 3 * CL_MS);
	ck_assert_int_eq(wake_times[1], 2 * CL_MS);
	ck_assert_int_eq(wake_times[2], 1 * CL_MS);
	ck_assert_int_eq(r.time, 10 * CL_MS);
	cl_result_free(&r);
}
END_TEST

static int timer_results[4];
static void timer_main(void *arg)
{
	(void)arg;
	cl_timer *t = cl_timer_new(CL_SEC);
	timer_results[0] = cl_timer_stop(t);      /* pending: stopped */
	timer_results[1] = cl_timer_stop(t);      /* already stopped */
	cl_timer_reset(t, 2 * CL_SEC);
	cl_time fired;
	cl_recv(cl_timer_chan(t), &fired);
	timer_results[2] = (int)(fired / CL_SEC);
	timer_results[3] = (int)(cl_now() / CL_SEC);
}

START_TEST(timers_stop_and_reset)
{
	struct cl_result r = run_prog(timer_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(timer_results[0], 1);
	ck_assert_int_eq(timer_results[1], 0);
	ck_assert_int_eq(timer_results[2], 2);
	ck_assert_int_eq(timer_results[3], 2);
	cl_result_free(&r);
}
END_TEST

static cl_time ticks[5];
static void ticker_main(void *arg)
{
	(void)arg;
	cl_timer *t = cl_ticker_new(100 * CL_MS);
	for (int i = 0; i < 3; i++)
		cl_recv(cl_timer_chan(t), &ticks[i]);
	/* A slow reader misses ticks: the channel holds one. */
	cl_sleep(350 * CL_MS);
	cl_recv(cl_timer_chan(t), &ticks[3]);
	cl_recv(cl_timer_chan(t), &ticks[4]);
	cl_timer_stop(t);
}

START_TEST(ticker_ticks_and_drops_when_unread)
{
	struct cl_result r = run_prog(ticker_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(ticks[0], 100 * CL_MS);
	ck_assert_int_eq(ticks[1], 200 * CL_MS);
	ck_assert_int_eq(ticks[2], 300 * CL_MS);
	ck_assert_int_eq(ticks[3], 400 * CL_MS);   /* kept; the ticks at 500 and 600 found it full */
	ck_assert_int_eq(ticks[4], 700 * CL_MS);
	cl_result_free(&r);
}
END_TEST

static void leaked_ticker_main(void *arg)
{
	(void)arg;
	cl_timer *t = cl_ticker_new(CL_SEC);
	(void)t;
	cl_chan *never = cl_make("never", int, 0);
	int v;
	cl_recv(never, &v);   /* the ticker keeps time moving: no deadlock */
}

START_TEST(a_leaked_ticker_ends_in_the_time_limit)
{
	struct cl_result r = run_prog(leaked_ticker_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_LIMIT);
	ck_assert_ptr_nonnull(r.report);
	ck_assert_ptr_nonnull(strstr(r.report, "time limit"));
	ck_assert_ptr_nonnull(strstr(r.report, "[chan receive, channel \"never\"]"));
	cl_result_free(&r);
}
END_TEST

Suite *suite_time(void)
{
	Suite *s = suite_create("time");
	TCase *t = tcase_create("virtual");
	tcase_set_tags(t, TAG_DET);
	tcase_add_test(t, a_five_second_timeout_completes_at_five_seconds);
	tcase_add_test(t, sleep_wakes_at_the_exact_virtual_time);
	tcase_add_test(t, timers_stop_and_reset);
	tcase_add_test(t, ticker_ticks_and_drops_when_unread);
	tcase_add_test(t, a_leaked_ticker_ends_in_the_time_limit);
	suite_add_tcase(s, t);
	return s;
}
