/*
 * test_semantics.c - where the runtime must behave as Go does and once did
 * not (issue 10): fatal errors, Once after a panic, saturating durations,
 * tickers, panic chains, recover's rule, makechan's limits, mutex
 * starvation, limits with a reason and livelock.
 */
#include <check.h>
#include <malloc.h>
#include <stdint.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

/* The sanitizers' allocators abort on an oversized request instead of
 * returning NULL. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SAN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define UNDER_SAN_ALLOCATOR 1
#endif
#endif

static const char *first_line_is(const char *report, const char *want)
{
	size_t n = strlen(want);
	return report && strncmp(report, want, n) == 0 && report[n] == '\n' ? report : NULL;
}

/* ---- fatal errors: the run ends, no deferred function runs, no recover ---------- */

struct fatal_test {
	int kind;            /* 0 Mutex.Unlock, 1 RWMutex.RUnlock, 2 RWMutex.Unlock, 3 in Cond.Wait */
	int deferred_ran;
	cl_cond *cond;
};

static void try_recover(void *arg)
{
	struct fatal_test *x = arg;
	x->deferred_ran++;
	cl_recover();
}

static void fatal_main(void *arg)
{
	struct fatal_test *x = arg;
	cl_defer(try_recover, x);
	switch (x->kind) {
	case 0:
		cl_unlock(cl_mutex_new("mu"));
		break;
	case 1:
		cl_runlock(cl_rwmutex_new("rw"));
		break;
	case 2:
		cl_wunlock(cl_rwmutex_new("rw"));
		break;
	default:
		x->cond = cl_cond_new("cond", cl_mutex_new("mu"));
		cl_cond_wait(x->cond);   /* its mutex is not locked */
		break;
	}
}

START_TEST(unlock_of_unlocked_is_fatal_and_not_recoverable)
{
	static const char *const want[] = {
		"fatal error: sync: unlock of unlocked mutex",
		"fatal error: sync: RUnlock of unlocked RWMutex",
		"fatal error: sync: Unlock of unlocked RWMutex",
		"fatal error: sync: unlock of unlocked mutex",
	};
	for (int kind = 0; kind < 4; kind++) {
		struct fatal_test x = {.kind = kind};
		struct cl_result r = run_prog(fatal_main, &x, 1, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_FATAL);
		ck_assert_ptr_nonnull(first_line_is(r.report, want[kind]));
		ck_assert_ptr_nonnull(strstr(r.report, "task 1 \"main\" [running]"));
		ck_assert_int_eq(x.deferred_ran, 0);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- Once: a panicking function counts as done -------------------------------------- */

struct once_panic {
	cl_once *once;
	int calls;
	int second_returned;
	int waiter_returned;
	cl_waitgroup *wg;
	cl_chan *init_started;
};

static void panicking_init(void *arg)
{
	struct once_panic *x = arg;
	x->calls++;
	cl_send(x->init_started, NULL);   /* buffered: main then starts the waiter */
	cl_sleep(CL_MS);                  /* the waiter queues meanwhile */
	cl_panic("init failed");
}

static void swallow(void *arg)
{
	(void)arg;
	cl_recover();
}

static void first_caller(void *arg)
{
	struct once_panic *x = arg;
	cl_defer(swallow, NULL);
	cl_once_do(x->once, panicking_init, x);
}

static void waiting_caller(void *arg)
{
	struct once_panic *x = arg;
	cl_once_do(x->once, panicking_init, x);
	x->waiter_returned = 1;
	cl_wg_done(x->wg);
}

static void once_panic_main(void *arg)
{
	struct once_panic *x = arg;
	x->once = cl_once_new("once");
	x->wg = cl_wg_new("wg");
	cl_wg_add(x->wg, 1);
	x->init_started = cl_chan_make("init-started", 0, 1);
	cl_go(first_caller, x, "first");
	cl_recv(x->init_started, NULL);   /* a sleep could end before first starts, under par */
	cl_go(waiting_caller, x, "waiter");
	cl_wg_wait(x->wg);
	cl_once_do(x->once, panicking_init, x);
	x->second_returned = 1;
}

START_TEST(once_whose_function_panicked_is_done)
{
	struct once_panic x = {0};
	struct cl_result r = run_prog(once_panic_main, &x, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(x.calls, 1);
	ck_assert_int_eq(x.waiter_returned, 1);
	ck_assert_int_eq(x.second_returned, 1);
	cl_result_free(&r);
}
END_TEST

/* ---- makechan's limits ------------------------------------------------------------------- */

struct makechan_test {
	size_t elem, cap;
};

static void makechan_main(void *arg)
{
	struct makechan_test *x = arg;
	cl_chan_make("c", x->elem, x->cap);
}

START_TEST(makechan_out_of_range_panics)
{
	const struct makechan_test cases[] = {
		{sizeof(int), (size_t)-1},            /* make(chan int, -1) */
		{sizeof(int), SIZE_MAX / 2 + 1},      /* negative as an int */
		{SIZE_MAX / 4, 8},                    /* elem * cap wraps */
		{1 << 16, (size_t)1 << 40},           /* more than can be allocated */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct makechan_test x = cases[i];
		expect_panic(makechan_main, &x, 1, "makechan: size out of range");
	}
}
END_TEST

/* ---- durations saturate ------------------------------------------------------------------- */

struct huge_test {
	int which;          /* the case that won the select */
	int ctx_err;        /* a context with a huge timeout was cancelled */
	int reset_fired;
};

static void huge_main(void *arg)
{
	struct huge_test *x = arg;
	cl_sleep(CL_MS);    /* virtual time past 0, where now + d wraps */
	cl_timer *t = cl_timer_new(CL_SEC);
	cl_timer_reset(t, INT64_MAX);
	cl_timer *tick = cl_ticker_new(INT64_MAX);
	cl_ctx *ctx = cl_with_timeout(cl_background(), INT64_MAX);
	cl_ctx *dl = cl_with_deadline(ctx, INT64_MAX);
	struct cl_case cases[] = {
		CL_RECV_CASE(cl_after(INT64_MAX), NULL),
		CL_RECV_CASE(cl_timer_chan(t), NULL),
		CL_RECV_CASE(cl_timer_chan(tick), NULL),
		CL_RECV_CASE(cl_ctx_done(ctx), NULL),
		CL_RECV_CASE(cl_ctx_done(dl), NULL),
		CL_RECV_CASE(cl_after(10 * CL_MS), NULL),
	};
	x->which = cl_select(cases, 6);
	x->ctx_err = cl_ctx_err(ctx) != NULL || cl_ctx_err(dl) != NULL;
	cl_timer_stop(tick);
}

START_TEST(huge_durations_saturate_instead_of_wrapping)
{
	struct huge_test x = {.which = -2};
	struct cl_result r = run_prog(huge_main, &x, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(x.which, 5);
	ck_assert_int_eq(x.ctx_err, 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	cl_result_free(&r);
}
END_TEST

/* ---- tickers ----------------------------------------------------------------------------- */

struct ticker_test {
	int reset_zero;     /* 1: Reset(0); 0: NewTicker(0); 2: NewTicker(-1) */
	int ticks_after;    /* ticks received after a failed Reset was recovered */
};

static void ticker_main(void *arg)
{
	struct ticker_test *x = arg;
	if (x->reset_zero == 1) {
		cl_timer *t = cl_ticker_new(CL_MS);
		cl_timer_reset(t, 0);
	} else {
		cl_ticker_new(x->reset_zero ? -1 : 0);
	}
}

START_TEST(ticker_with_non_positive_period_panics)
{
	static const char *const want[] = {"non-positive interval for NewTicker",
	                                   "non-positive interval for Ticker.Reset",
	                                   "non-positive interval for NewTicker"};
	for (int k = 0; k < 3; k++) {
		struct ticker_test x = {.reset_zero = k};
		expect_panic(ticker_main, &x, 1, want[k]);
	}
}
END_TEST

static void ticker_keeps_ticking_main(void *arg)
{
	struct ticker_test *x = arg;
	cl_timer *tick = cl_ticker_new(CL_MS);
	cl_timer_reset(tick, 2 * CL_MS);     /* still a ticker, with the new period */
	for (int i = 0; i < 3; i++)
		cl_recv(cl_timer_chan(tick), NULL);
	x->ticks_after = 3;
	cl_timer *t = cl_timer_new(CL_SEC);
	cl_timer_reset(t, 0);                /* a Timer's Reset(0) fires at once */
	cl_recv(cl_timer_chan(t), NULL);
	cl_timer_stop(tick);
}

START_TEST(ticker_reset_stays_periodic_and_timer_reset_zero_fires)
{
	struct ticker_test x = {0};
	struct cl_result r = run_prog(ticker_keeps_ticking_main, &x, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(x.ticks_after, 3);
	cl_result_free(&r);
}
END_TEST

/* ---- panic chains, as Go prints them ---------------------------------------------------- */

static void panic_second(void *arg)
{
	(void)arg;
	cl_panic("second");
}

static void recover_then_panic(void *arg)
{
	(void)arg;
	const char *msg = cl_recover();
	cl_panic("again %s", msg ? msg : "nil");
}

static void chain_main(void *arg)
{
	int kind = *(int *)arg;
	if (kind == 0) {
		cl_defer(panic_second, NULL);
	} else if (kind == 1) {
		cl_defer(recover_then_panic, NULL);
	} else if (kind == 2) {
		cl_defer(panic_second, NULL);   /* runs last: "third" in Go's test */
		cl_defer(recover_then_panic, NULL);
	} else {
		cl_defer(panic_second, NULL);   /* after a recovery that returned: a new panic */
		cl_defer(swallow, NULL);
	}
	cl_panic("first");
}

START_TEST(panic_chains_print_as_go)
{
	/* The first lines Go 1.19 prints for the same programs. */
	static const char *const want[] = {
		"panic: first\n\tpanic: second\n",
		"panic: first [recovered]\n\tpanic: again first\n",
		"panic: first [recovered]\n\tpanic: again first\n\tpanic: second\n",
		"panic: second\n\n",
	};
	for (int kind = 0; kind < 4; kind++) {
		struct cl_result r = run_prog(chain_main, &kind, 1, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_PANIC);
		ck_assert_ptr_nonnull(r.report);
		ck_assert_msg(strncmp(r.report, want[kind], strlen(want[kind])) == 0,
		              "case %d: got %s", kind, r.report);
		cl_result_free(&r);
	}
}
END_TEST

static int chain_seen;

static void count_and_panic(void *arg)
{
	(void)arg;
	chain_seen++;
	cl_panic("p%d", chain_seen);
}

static void long_chain_main(void *arg)
{
	(void)arg;
	for (int i = 0; i < 10000; i++)
		cl_defer(count_and_panic, NULL);
	cl_panic("p0");
}

START_TEST(ten_thousand_chained_panics_do_not_overflow)
{
	chain_seen = 0;
	struct cl_result r = run_prog(long_chain_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_PANIC);
	ck_assert_int_eq(chain_seen, 10000);
	ck_assert_ptr_nonnull(strstr(r.report, "\tpanic: p9999\n"));
	ck_assert_ptr_nonnull(strstr(r.report, "panic: p0\n\tpanic: p1\n"));
	cl_result_free(&r);
}
END_TEST

/* ---- recover works only directly in the deferred function -------------------------------- */

static const char *helper_got;

static __attribute__((noinline)) const char *recover_helper(void)
{
	return cl_recover();
}

static void defer_calls_helper(void *arg)
{
	(void)arg;
	helper_got = recover_helper();
	__asm__ volatile("" ::: "memory");   /* no tail call */
}

static void direct_recover(void *arg)
{
	const char **got = arg;
	*got = cl_recover();
}

static const char *direct_got;

static void recover_main(void *arg)
{
	int kind = *(int *)arg;
	if (kind == 0)
		cl_defer(cl_recover, NULL);          /* defer recover() */
	else if (kind == 1)
		cl_defer(defer_calls_helper, NULL);
	else
		cl_defer(direct_recover, &direct_got);
	if (kind == 2 && cl_recover() != NULL)   /* not in a deferred function */
		return;
	cl_panic("first");
}

START_TEST(recover_only_directly_in_a_deferred_function)
{
	for (int kind = 0; kind < 3; kind++) {
		helper_got = direct_got = "unset";
		struct cl_result r = run_prog(recover_main, &kind, 1, CL_STRATEGY_RANDOM, NULL);
		if (kind < 2) {
			ck_assert_int_eq(r.outcome, CL_OUTCOME_PANIC);
			ck_assert_str_eq(r.panic_msg, "first");
		} else {
			ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
			ck_assert_str_eq(direct_got, "first");
		}
		if (kind == 1)
			ck_assert_ptr_null(helper_got);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- limits with a reason, livelock ------------------------------------------------------ */

struct polite {
	volatile int waiting[2];
	int id;
	cl_waitgroup *wg;
	volatile int *interrupt;
	int mode;      /* 0 polite pair; 1 yield loop; 2 sleep loop; 3 interrupt after 100 yields;
	                  4 yield loop after cl_livelock_within(window) */
	uint64_t window;
};

static void polite_task(void *arg)
{
	struct polite *x = arg;
	int me = x->id++, other = 1 - me;
	/* Each lets the other go first for as long as the other waits: both
	 * wait, so both back off in lockstep forever. */
	while (x->waiting[other]) {
		cl_sleep(CL_MS);
		cl_yield();
	}
	x->waiting[me] = 0;
	cl_wg_done(x->wg);
}

static void limit_main(void *arg)
{
	struct polite *x = arg;
	switch (x->mode) {
	case 0:
		x->waiting[0] = x->waiting[1] = 1;
		x->wg = cl_wg_new("wg");
		cl_wg_add(x->wg, 2);
		cl_go(polite_task, x, "left");
		cl_go(polite_task, x, "right");
		cl_wg_wait(x->wg);
		break;
	case 1:
		for (;;)
			cl_yield();
	case 2:
		for (;;)
			cl_sleep(CL_SEC);
	case 4:
		cl_livelock_within(x->window);
		for (;;)
			cl_yield();
	default:
		for (int i = 0;; i++) {
			if (i == 100)
				*x->interrupt = 1;   /* what the SIGINT handler does */
			cl_yield();
		}
	}
}

static struct cl_result run_limited(struct polite *x, uint64_t livelock, uint64_t max_steps)
{
	struct cl_config cfg;
	test_config(&cfg);
	cfg.livelock_steps = livelock;
	cfg.max_steps = max_steps;
	cfg.interrupt = x->interrupt;
	struct cl_result r;
	ck_assert_int_eq(cl_run(limit_main, x, &cfg, &r), 0);
	return r;
}

START_TEST(polite_pair_ends_as_livelock_naming_both)
{
	struct polite x = {.mode = 0};
	struct cl_result r = run_limited(&x, 20000, 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_LIMIT);
	ck_assert_str_eq(r.limit_reason, "livelock");
	ck_assert_ptr_nonnull(strstr(r.report, "livelock: 20000 scheduling decisions without progress"));
	ck_assert_msg(strstr(r.report, "running: task 2 \"left\", task 3 \"right\"\n") != NULL, "%s", r.report);
	cl_result_free(&r);

	struct cl_config cfg;
	cl_config_init(&cfg);
	ck_assert_uint_eq(cfg.livelock_steps, 1000000);
}
END_TEST

START_TEST(limits_say_why)
{
	volatile int flag = 0;
	struct polite yield = {.mode = 1}, sleep = {.mode = 2}, intr = {.mode = 3, .interrupt = &flag};
	struct cl_result r = run_limited(&yield, 0, 5000);   /* livelock off: the step limit */
	ck_assert_int_eq(r.outcome, CL_OUTCOME_LIMIT);
	ck_assert_str_eq(r.limit_reason, "steps");
	cl_result_free(&r);
	r = run_limited(&sleep, 0, 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_LIMIT);
	ck_assert_str_eq(r.limit_reason, "time");
	cl_result_free(&r);
	r = run_limited(&yield, 3000, 0);
	ck_assert_str_eq(r.limit_reason, "livelock");
	ck_assert_ptr_nonnull(strstr(r.report, "running: task 1 \"main\"\n"));
	cl_result_free(&r);
	r = run_limited(&intr, 0, 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_LIMIT);
	ck_assert_str_eq(r.limit_reason, "interrupted");
	ck_assert_uint_lt(r.steps, 200);
	cl_result_free(&r);
}
END_TEST

/* Two tasks that each wait for the other to go first, yielding: under
 * either scheduler and any interleaving both flags stay set, so the pair
 * backs off in lockstep forever without a message, note, start or exit. */
struct lockstep {
	int waiting[2];
	int next_id;
	cl_waitgroup *wg;
};

static void lockstep_task(void *arg)
{
	struct lockstep *x = arg;
	int me = __atomic_fetch_add(&x->next_id, 1, __ATOMIC_RELAXED), other = 1 - me;
	while (__atomic_load_n(&x->waiting[other], __ATOMIC_ACQUIRE))
		cl_yield();
	__atomic_store_n(&x->waiting[me], 0, __ATOMIC_RELEASE);
	cl_wg_done(x->wg);
}

static void lockstep_main(void *arg)
{
	struct lockstep *x = arg;
	x->waiting[0] = x->waiting[1] = 1;
	x->wg = cl_wg_new("wg");
	cl_wg_add(x->wg, 2);
	cl_go(lockstep_task, x, "left");
	cl_go(lockstep_task, x, "right");
	cl_wg_wait(x->wg);
}

START_TEST(lockstep_pair_ends_as_livelock_under_either_scheduler)
{
	struct cl_config cfg;
	test_config(&cfg);
	cfg.livelock_steps = 20000;
	struct lockstep x = {{0, 0}, 0, NULL};
	struct cl_result r;
	ck_assert_int_eq(cl_run(lockstep_main, &x, &cfg, &r), 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_LIMIT);
	ck_assert_str_eq(r.limit_reason, "livelock");
	ck_assert_msg(strstr(r.report, "livelock: 20000 scheduling decisions without progress") == r.report,
	              "%s", r.report);
	/* main waits on the group for good: not part of the loop. */
	ck_assert_msg(strstr(r.report, "running: task 2 \"left\", task 3 \"right\"\n") != NULL,
	              "%s", r.report);
	ck_assert_uint_gt(r.steps, 20000);
	cl_result_free(&r);
}
END_TEST

/* cl_livelock_within tightens the window for the rest of the run; a wider
 * one changes nothing, and detection turned off stays off. */
START_TEST(livelock_within_tightens_the_window)
{
	struct polite tight = {.mode = 4, .window = 300}, wide = {.mode = 4, .window = 50000};
	struct cl_result r = run_limited(&tight, 20000, 0);
	ck_assert_str_eq(r.limit_reason, "livelock");
	ck_assert_ptr_nonnull(strstr(r.report, "livelock: 300 scheduling decisions without progress"));
	ck_assert_uint_lt(r.steps, 400);
	cl_result_free(&r);
	r = run_limited(&wide, 20000, 0);
	ck_assert_str_eq(r.limit_reason, "livelock");
	ck_assert_ptr_nonnull(strstr(r.report, "livelock: 20000 scheduling decisions without progress"));
	cl_result_free(&r);
	r = run_limited(&tight, 0, 5000);   /* off: the step limit ends it */
	ck_assert_str_eq(r.limit_reason, "steps");
	cl_result_free(&r);
}
END_TEST

/* ---- context: Err, Done and the tree agree at every instant (par) --------------------- */

#define CTX_DEPTH 6

struct ctx_watch {
	cl_ctx *chain[CTX_DEPTH];     /* chain[i + 1] is chain[i]'s child */
	cl_atomic64 round;            /* the round whose chain is published */
	cl_waitgroup *wg;
	int bad_done, bad_child;
	int rounds;
};

static void ctx_observer(void *arg)
{
	struct ctx_watch *x = arg;
	for (int r = 1; r <= x->rounds; r++) {
		while (cl_atomic_load(&x->round) < r)
			cl_yield();
		cl_ctx **chain = x->chain;
		for (;;) {
			/* Read from the root down: a parent's error implies every
			 * child's, and any error implies a closed done. */
			bool parent_err = false, all = true;
			for (int i = 0; i < CTX_DEPTH; i++) {
				cl_error e = cl_ctx_err(chain[i]);
				if (parent_err && !e)
					__atomic_add_fetch(&x->bad_child, 1, __ATOMIC_RELAXED);
				if (e) {
					struct cl_case c = CL_RECV_CASE(cl_ctx_done(chain[i]), NULL);
					if (cl_select_default(&c, 1) != 0)
						__atomic_add_fetch(&x->bad_done, 1, __ATOMIC_RELAXED);
				}
				parent_err = e != NULL;
				all = all && e;
			}
			if (all)
				break;
			cl_yield();
		}
		cl_wg_done(x->wg);
	}
}

static void ctx_watch_main(void *arg)
{
	struct ctx_watch *x = arg;
	x->wg = cl_wg_new("observed");
	for (int i = 0; i < 3; i++)
		cl_go(ctx_observer, x, "observer-%d", i);
	for (int r = 1; r <= x->rounds; r++) {
		x->chain[0] = cl_with_cancel(cl_background());
		for (int i = 1; i < CTX_DEPTH; i++)
			x->chain[i] = cl_with_cancel(x->chain[i - 1]);
		cl_wg_add(x->wg, 3);
		cl_atomic_store(&x->round, r);
		cl_yield();
		cl_cancel(x->chain[0]);
		cl_wg_wait(x->wg);
	}
}

START_TEST(context_err_done_and_children_agree)
{
	struct ctx_watch x = {.rounds = (int)test_scaled(300, 20)};
	/* The observers wait for main by yielding, and main moves on through
	 * contexts and a wait group, which are not progress: under par,
	 * where they spin in real time (and main's thread may be preempted
	 * on a loaded machine), that can pass the livelock window. */
	struct cl_config cfg;
	test_config(&cfg);
	cfg.livelock_steps = 0;
	struct cl_result r;
	ck_assert_int_eq(cl_run(ctx_watch_main, &x, &cfg, &r), 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(x.bad_done, 0);
	ck_assert_int_eq(x.bad_child, 0);
	cl_result_free(&r);
}
END_TEST

/* ---- mutex starvation mode ------------------------------------------------------------- */

struct starve {
	cl_mutex *mu;
	cl_atomic64 hog_rounds;     /* rounds the hog finished */
	int64_t got_at_round;       /* hog's rounds done when the victim got the lock (-1: never) */
	cl_time waited;             /* det: virtual time the victim waited */
	int rounds;
	cl_chan *hog_done;          /* closed when the hog has finished its rounds */
};

static void hog(void *arg)
{
	struct starve *x = arg;
	for (int i = 0; i < x->rounds; i++) {
		cl_lock(x->mu);
		cl_sleep(100 * CL_US);          /* holds it a while, then relocks at once */
		cl_unlock(x->mu);
		cl_atomic_add(&x->hog_rounds, 1);
	}
	cl_close(x->hog_done);
}

static void starve_main(void *arg)
{
	struct starve *x = arg;
	x->mu = cl_mutex_new("mu");
	x->hog_done = cl_make("hog-done", int, 0);
	x->got_at_round = -1;
	cl_go(hog, x, "hog");
	cl_sleep(50 * CL_US);               /* the hog holds it now */
	cl_time start = cl_now();
	cl_lock(x->mu);
	x->waited = cl_now() - start;
	x->got_at_round = cl_atomic_load(&x->hog_rounds);
	cl_unlock(x->mu);
	/* Wait for the hog, so that whether it is sleeping or runnable when
	 * main returns (a leak or not) does not depend on timing under par. */
	cl_recv(x->hog_done, NULL);
}

START_TEST(mutex_waiter_is_not_starved)
{
	/* Go: a waiter that waited 1 ms gets the lock handed over, so it is
	 * served long before the hog's 500 rounds (50 ms) end.  Under det PCT
	 * gives the hog priority in about half the seeds, so without starvation
	 * mode it would always win the relock. */
	struct cl_config cfg;
	test_config(&cfg);
	bool det = cfg.sched == CL_SCHED_DET;
	for (uint64_t seed = 1; seed <= 10; seed++) {
		struct starve x = {.rounds = 500};
		struct cl_result r = run_prog(starve_main, &x, seed, CL_STRATEGY_PCT, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_ge(x.got_at_round, 0);
		ck_assert_int_lt(x.got_at_round, x.rounds / 2);
		if (det)   /* virtual time: 1 ms, then at most two holds */
			ck_assert_int_le(x.waited, CL_MS + 300 * CL_US);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- a select of more than 8 cases leaks nothing --------------------------------------- */

static void big_select(int panic)
{
	struct cl_case cases[12];
	cl_chan *never = cl_make("never", int, 0);
	for (int i = 0; i < 12; i++)
		cases[i] = CL_RECV_CASE(never, NULL);
	int v = 1;
	if (panic) {
		cl_chan *closed = cl_make("closed", int, 0);
		cl_close(closed);
		cases[11] = CL_SEND_CASE(closed, &v);   /* send on closed channel */
	}
	cl_select(cases, 12);
}

/* 1: the select panics; 0: it waits until the run ends (a deadlock). */
static void big_select_main(void *arg)
{
	big_select(*(int *)arg);
}

START_TEST(big_select_frees_its_arrays_on_panic_and_run_end)
{
	for (int panic = 0; panic < 2; panic++) {
		int arg = panic;
		struct cl_result r = run_prog(big_select_main, &arg, 1, CL_STRATEGY_RANDOM, NULL);
		cl_result_free(&r);   /* warm the caches */
		struct mallinfo2 before = mallinfo2();
		for (int i = 0; i < 2000; i++) {
			r = run_prog(big_select_main, &arg, (uint64_t)i, CL_STRATEGY_RANDOM, NULL);
			ck_assert_int_eq(r.outcome, (panic ? CL_OUTCOME_PANIC : CL_OUTCOME_DEADLOCK));
			cl_result_free(&r);
		}
		struct mallinfo2 after = mallinfo2();
		/* A leak would be 2000 x 12 x 80 bytes, about 1.9 MB. */
		ck_assert_int_lt((long long)after.uordblks - (long long)before.uordblks, 200 * 1024);
	}
}
END_TEST

/* ---- a recovered misuse leaves the object as it was ------------------------------------ */

struct misuse {
	cl_waitgroup *wg;
	cl_sema *sem;
	cl_chan *done;
	int try_ok;
};

static void swallow_and_signal(void *arg)
{
	struct misuse *x = arg;
	cl_recover();
	cl_close(x->done);
}

static void misuser(void *arg)
{
	struct misuse *x = arg;
	cl_defer(swallow_and_signal, x);
	if (cl_rand_below(2))
		cl_wg_add(x->wg, -2);          /* counter 1: refused */
	else
		cl_sema_release(x->sem, 2);    /* 1 held: refused */
}

static void misuse_main(void *arg)
{
	struct misuse *x = arg;
	x->wg = cl_wg_new("wg");
	x->sem = cl_sema_new("sem", 2);
	x->done = cl_make("done", int, 0);
	cl_wg_add(x->wg, 1);
	cl_sema_acquire(x->sem, 1);
	cl_go(misuser, x, "misuser");
	cl_recv(x->done, NULL);
	cl_wg_done(x->wg);                 /* 1 -> 0: fine when the panic changed nothing */
	cl_wg_wait(x->wg);
	cl_sema_release(x->sem, 1);
	x->try_ok = cl_sema_try_acquire(x->sem, 2);
}

START_TEST(recovered_misuse_changes_nothing)
{
	for (uint64_t seed = 1; seed <= 8; seed++) {
		struct misuse x = {0};
		struct cl_result r = run_prog(misuse_main, &x, seed, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_eq(x.try_ok, 1);
		cl_result_free(&r);
	}
}
END_TEST

START_TEST(interrupt_stops_the_run)
{
	volatile int flag = 0;
	struct polite intr = {.mode = 3, .interrupt = &flag};
	struct cl_result r = run_limited(&intr, 0, 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_LIMIT);
	ck_assert_str_eq(r.limit_reason, "interrupted");
	ck_assert_ptr_nonnull(strstr(r.report, "interrupted"));
	cl_result_free(&r);
}
END_TEST

/* ---- cl_run's failure paths release what they took ------------------------------------- */

static void never_runs(void *arg)
{
	*(int *)arg = 1;
}

START_TEST(failed_start_releases_the_main_task)
{
#ifdef UNDER_SAN_ALLOCATOR
	return;
#endif
	/* A billion processors: their records cannot be allocated, so the
	 * par scheduler cannot start after the main task was created. */
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.sched = CL_SCHED_PAR;
	cfg.procs = 1 << 30;
	int ran = 0;
	struct cl_result r;
	ck_assert_int_eq(cl_run(never_runs, &ran, &cfg, &r), -1);
	cl_result_free(&r);
	struct mallinfo2 before = mallinfo2();
	for (int i = 0; i < 500; i++) {
		ck_assert_int_eq(cl_run(never_runs, &ran, &cfg, &r), -1);
		ck_assert_ptr_nonnull(strstr(r.report, "cannot start"));
		cl_result_free(&r);
	}
	struct mallinfo2 after = mallinfo2();
	ck_assert_int_eq(ran, 0);
	/* A leak would be the task table: about 750 bytes a run. */
	ck_assert_int_lt((long long)after.uordblks - (long long)before.uordblks, 64 * 1024);
}
END_TEST

Suite *suite_semantics(void)
{
	Suite *s = suite_create("semantics");
	TCase *t = tcase_create("semantics");
	tcase_set_tags(t, TAG_ANY);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, unlock_of_unlocked_is_fatal_and_not_recoverable);
	tcase_add_test(t, once_whose_function_panicked_is_done);
	tcase_add_test(t, makechan_out_of_range_panics);
	tcase_add_test(t, huge_durations_saturate_instead_of_wrapping);
	tcase_add_test(t, ticker_with_non_positive_period_panics);
	tcase_add_test(t, ticker_reset_stays_periodic_and_timer_reset_zero_fires);
	tcase_add_test(t, panic_chains_print_as_go);
	tcase_add_test(t, ten_thousand_chained_panics_do_not_overflow);
	tcase_add_test(t, recover_only_directly_in_a_deferred_function);
	tcase_add_test(t, context_err_done_and_children_agree);
	tcase_add_test(t, mutex_waiter_is_not_starved);
	tcase_add_test(t, big_select_frees_its_arrays_on_panic_and_run_end);
	tcase_add_test(t, recovered_misuse_changes_nothing);
	tcase_add_test(t, interrupt_stops_the_run);
	tcase_add_test(t, lockstep_pair_ends_as_livelock_under_either_scheduler);
	suite_add_tcase(s, t);

	t = tcase_create("semantics-det");
	tcase_set_tags(t, TAG_DET);
	tcase_add_test(t, polite_pair_ends_as_livelock_naming_both);
	tcase_add_test(t, limits_say_why);
	tcase_add_test(t, livelock_within_tightens_the_window);
	tcase_add_test(t, failed_start_releases_the_main_task);
	suite_add_tcase(s, t);
	return s;
}
