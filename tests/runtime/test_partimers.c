/* test_partimers.c - under par a due timer fires although every processor
 * always has a runnable task: tasks that keep yielding must not hold a
 * sleeper back (Go's findRunnable checks timers before its queues). */
#include <check.h>
#include <stdint.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"

struct yielders {
	int woke;           /* set by main once its sleep has ended */
	long left[4];       /* yields each yielder had left when it saw woke */
	cl_waitgroup *wg;
	int next;
};

/* Yields until main wakes, for at most a few seconds' worth of yields. */
static void yielder(void *arg)
{
	struct yielders *y = arg;
	int me = __atomic_fetch_add(&y->next, 1, __ATOMIC_RELAXED);
	long n = 20000000;
	while (n && !__atomic_load_n(&y->woke, __ATOMIC_ACQUIRE)) {
		cl_yield();
		n--;
	}
	y->left[me] = n;
	cl_wg_done(y->wg);
}

static void sleeper_main(void *arg)
{
	struct yielders *y = arg;
	int procs = cl_procs();
	y->wg = cl_wg_new("wg");
	cl_wg_add(y->wg, procs);
	for (int i = 0; i < procs; i++)
		cl_go(yielder, y, "yielder-%d", i);
	cl_sleep(CL_MS);
	__atomic_store_n(&y->woke, 1, __ATOMIC_RELEASE);
	cl_wg_wait(y->wg);
}

START_TEST(a_due_timer_fires_while_every_processor_is_busy)
{
	for (int procs = 1; procs <= 4; procs *= 2) {
		struct cl_config cfg;
		cl_config_init(&cfg);
		cfg.sched = CL_SCHED_PAR;
		cfg.procs = procs;
		/* yields are no progress: without a timer that fires they would
		 * end as a livelock or at the step limit, not by running out */
		cfg.livelock_steps = 0;
		cfg.max_steps = UINT64_MAX;
		struct yielders y = {0};
		struct cl_result r;
		ck_assert_int_eq(cl_run(sleeper_main, &y, &cfg, &r), 0);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		for (int i = 0; i < procs; i++)
			ck_assert_msg(y.left[i] > 0, "%d procs: yielder %d ran out of yields before main woke",
			              procs, i);
		cl_result_free(&r);
	}
}
END_TEST

Suite *suite_partimers(void)
{
	Suite *s = suite_create("partimers");
	TCase *t = tcase_create("partimers");
	tcase_set_tags(t, TAG_DET);   /* picks par and its processors itself */
	tcase_set_timeout(t, 120);
	tcase_add_test(t, a_due_timer_fires_while_every_processor_is_busy);
	suite_add_tcase(s, t);
	return s;
}
