/* test_sync.c - Mutex, RWMutex, Cond, Once, WaitGroup, semaphore. */
#include <check.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

/* ---- mutual exclusion under random schedules ---------------------------------- */

struct counter {
	cl_mutex *mu;
	cl_waitgroup *wg;
	int inside, max_inside;
	long value;
	bool locked;   /* use the mutex at all */
};

static void incrementer(void *arg)
{
	struct counter *c = arg;
	for (int i = 0; i < 20; i++) {
		if (c->locked)
			cl_lock(c->mu);
		c->inside++;
		if (c->inside > c->max_inside)
			c->max_inside = c->inside;
		long v = c->value;
		cl_yield();                 /* a scheduling point inside the section */
		c->value = v + 1;
		c->inside--;
		if (c->locked)
			cl_unlock(c->mu);
	}
	cl_wg_done(c->wg);
}

static void counter_main(void *arg)
{
	struct counter *c = arg;
	c->mu = cl_mutex_new("mu");
	c->wg = cl_wg_new("wg");
	for (int i = 0; i < 5; i++) {
		cl_wg_add(c->wg, 1);
		cl_go(incrementer, c, "inc-%d", i);
	}
	cl_wg_wait(c->wg);
}

START_TEST(mutex_excludes_under_every_schedule)
{
	long runs = test_scaled(500, 20);
	for (uint64_t seed = 1; seed <= (uint64_t)runs; seed++) {
		struct counter c = {.locked = true};
		struct cl_result r = run_prog(counter_main, &c, seed,
		                              seed % 2 ? CL_STRATEGY_PCT : CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_eq(c.max_inside, 1);
		ck_assert_int_eq(c.value, 100);
		cl_result_free(&r);
	}
}
END_TEST

START_TEST(without_the_mutex_updates_are_lost)
{
	/* The same program without the lock: the explorer must find lost updates. */
	bool lost = false;
	for (uint64_t seed = 1; seed <= 50 && !lost; seed++) {
		struct counter c = {.locked = false};
		struct cl_result r = run_prog(counter_main, &c, seed, CL_STRATEGY_RANDOM, NULL);
		lost = c.value < 100;
		cl_result_free(&r);
	}
	ck_assert(lost);
}
END_TEST

static void unlock_unlocked_main(void *arg)
{
	(void)arg;
	cl_unlock(cl_mutex_new("mu"));
}

START_TEST(unlock_of_unlocked_mutex_is_fatal)
{
	struct cl_result r = run_prog(unlock_unlocked_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_FATAL);
	ck_assert_ptr_nonnull(strstr(r.report, "fatal error: sync: unlock of unlocked mutex\n"));
	cl_result_free(&r);
}
END_TEST

/* Two tasks locking two mutexes in opposite orders: a deadlock with a cycle.
 * A rendezvous makes sure each holds its first lock before either reaches
 * for its second, on any scheduler and however loaded the machine. */
struct abba {
	cl_mutex *a, *b;
	cl_chan *both_hold;
};

static void lock_ba(void *arg)
{
	struct abba *x = arg;
	cl_lock(x->b);
	cl_send(x->both_hold, NULL);
	cl_lock(x->a);
}

static void abba_main(void *arg)
{
	struct abba *x = arg;
	x->a = cl_mutex_new("a");
	x->b = cl_mutex_new("b");
	x->both_hold = cl_chan_make("both_hold", 0, 0);
	cl_go(lock_ba, x, "ba");
	cl_lock(x->a);
	cl_recv(x->both_hold, NULL);
	cl_lock(x->b);
}

START_TEST(lock_order_inversion_reports_the_cycle)
{
	struct abba x;
	struct cl_result r = run_prog(abba_main, &x, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_DEADLOCK);
	ck_assert_ptr_nonnull(strstr(r.report, "[sync.Mutex.Lock, mutex \"b\"]"));
	ck_assert_ptr_nonnull(strstr(r.report, "[sync.Mutex.Lock, mutex \"a\"]"));
	ck_assert_ptr_nonnull(strstr(r.report, "wait-for cycle: task 1 \"main\" waits for mutex \"b\" held by task 2 \"ba\", "
	                                        "who waits for mutex \"a\" held by task 1 \"main\" "
	                                        "(back to the start)\n"));
	cl_result_free(&r);
}
END_TEST

/* ---- RWMutex: readers share, writers exclude ---------------------------------------- */

struct rw {
	cl_rwmutex *rw;
	cl_waitgroup *wg;
	int readers, writers, max_readers, bad;
};

static void reader(void *arg)
{
	struct rw *x = arg;
	for (int i = 0; i < 5; i++) {
		cl_rlock(x->rw);
		x->readers++;
		if (x->writers)
			x->bad++;
		if (x->readers > x->max_readers)
			x->max_readers = x->readers;
		cl_yield();
		x->readers--;
		cl_runlock(x->rw);
	}
	cl_wg_done(x->wg);
}

static void writer(void *arg)
{
	struct rw *x = arg;
	for (int i = 0; i < 5; i++) {
		cl_wlock(x->rw);
		x->writers++;
		if (x->writers > 1 || x->readers)
			x->bad++;
		cl_yield();
		x->writers--;
		cl_wunlock(x->rw);
	}
	cl_wg_done(x->wg);
}

static void rw_main(void *arg)
{
	struct rw *x = arg;
	x->rw = cl_rwmutex_new("rw");
	x->wg = cl_wg_new("wg");
	cl_wg_add(x->wg, 6);
	for (int i = 0; i < 4; i++)
		cl_go(reader, x, "reader-%d", i);
	for (int i = 0; i < 2; i++)
		cl_go(writer, x, "writer-%d", i);
	cl_wg_wait(x->wg);
}

START_TEST(rwmutex_shares_reads_and_excludes_writes)
{
	int max_readers = 0;
	for (uint64_t seed = 1; seed <= 200; seed++) {
		struct rw x = {0};
		struct cl_result r = run_prog(rw_main, &x, seed, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_eq(x.bad, 0);
		if (x.max_readers > max_readers)
			max_readers = x.max_readers;
		cl_result_free(&r);
	}
	ck_assert_int_gt(max_readers, 1);
}
END_TEST

/* ---- Cond: a bounded queue with two conditions ------------------------------------ */

struct bq {
	cl_mutex *mu;
	cl_cond *not_empty, *not_full;
	int items[4];
	int n;
	long sum;
};

static void bq_producer(void *arg)
{
	struct bq *q = arg;
	for (int i = 1; i <= 50; i++) {
		cl_lock(q->mu);
		while (q->n == 4)
			cl_cond_wait(q->not_full);
		q->items[q->n++] = i;
		cl_cond_signal(q->not_empty);
		cl_unlock(q->mu);
	}
}

static void bq_main(void *arg)
{
	struct bq *q = arg;
	q->mu = cl_mutex_new("mu");
	q->not_empty = cl_cond_new("not_empty", q->mu);
	q->not_full = cl_cond_new("not_full", q->mu);
	cl_go(bq_producer, q, "producer");
	for (int i = 0; i < 50; i++) {
		cl_lock(q->mu);
		while (q->n == 0)
			cl_cond_wait(q->not_empty);
		q->sum += q->items[--q->n];
		cl_cond_broadcast(q->not_full);
		cl_unlock(q->mu);
	}
}

START_TEST(cond_wait_and_signal_never_lose_a_wakeup)
{
	for (uint64_t seed = 1; seed <= 200; seed++) {
		struct bq q = {0};
		struct cl_result r = run_prog(bq_main, &q, seed, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_eq(q.sum, 1275);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- Once under contention ------------------------------------------------------------- */

struct once_test {
	cl_once *once;
	cl_waitgroup *wg;
	int calls;
	int saw_uninitialised;
	int value;
};

static void init_value(void *arg)
{
	struct once_test *o = arg;
	o->calls++;
	cl_sleep(CL_MS);   /* slow initialisation: others must wait for it */
	o->value = 42;
}

static void once_user(void *arg)
{
	struct once_test *o = arg;
	cl_once_do(o->once, init_value, o);
	if (o->value != 42)
		__atomic_add_fetch(&o->saw_uninitialised, 1, __ATOMIC_RELAXED);
	cl_wg_done(o->wg);
}

static void once_main(void *arg)
{
	struct once_test *o = arg;
	o->once = cl_once_new("once");
	o->wg = cl_wg_new("wg");
	cl_wg_add(o->wg, 8);
	for (int i = 0; i < 8; i++)
		cl_go(once_user, o, "user-%d", i);
	cl_wg_wait(o->wg);
}

START_TEST(once_runs_once_and_callers_wait_for_it)
{
	for (uint64_t seed = 1; seed <= 200; seed++) {
		struct once_test o = {0};
		struct cl_result r = run_prog(once_main, &o, seed, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_eq(o.calls, 1);
		ck_assert_int_eq(o.saw_uninitialised, 0);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- WaitGroup misuse ------------------------------------------------------------------ */

static void negative_wg_main(void *arg)
{
	(void)arg;
	cl_waitgroup *wg = cl_wg_new("wg");
	cl_wg_add(wg, 1);
	cl_wg_done(wg);
	cl_wg_done(wg);
}

START_TEST(negative_waitgroup_counter_panics)
{
	expect_panic(negative_wg_main, NULL, 1, "sync: negative WaitGroup counter");
}
END_TEST

/* Dones from many processors at once, with Adds among them (each worker
 * counts a child before its own Done): the counter reaches zero only after
 * the last Done, and every Wait returns after every counted task has
 * finished.  Under par most Dones take the lock-free path (a counter of
 * two or more); the one to zero takes the lock. */
#define WG_WORKERS 400
#define WG_WAITERS 4

struct wg_storm {
	cl_waitgroup *wg;
	int finished;             /* counted tasks past their work */
	int early;                /* Waits that returned before all had finished */
};

static void wg_child(void *arg)
{
	struct wg_storm *w = arg;
	__atomic_add_fetch(&w->finished, 1, __ATOMIC_RELAXED);
	cl_wg_done(w->wg);
}

static void wg_worker(void *arg)
{
	struct wg_storm *w = arg;
	cl_wg_add(w->wg, 1);   /* while counted itself, so never from zero */
	cl_go(wg_child, w, "child");
	__atomic_add_fetch(&w->finished, 1, __ATOMIC_RELAXED);
	cl_wg_done(w->wg);
}

/* Waits for the group and counts the Wait as early if any counted task
 * has not finished yet. */
static void wait_and_check(struct wg_storm *w)
{
	cl_wg_wait(w->wg);
	if (__atomic_load_n(&w->finished, __ATOMIC_RELAXED) != 2 * WG_WORKERS)
		__atomic_add_fetch(&w->early, 1, __ATOMIC_RELAXED);
}

static void wg_waiter(void *arg)
{
	wait_and_check(arg);
}

static void wg_storm_main(void *arg)
{
	struct wg_storm *w = arg;
	w->wg = cl_wg_new("wg");
	cl_wg_add(w->wg, WG_WORKERS);
	for (int i = 0; i < WG_WAITERS; i++)
		cl_go(wg_waiter, w, "waiter");
	for (int i = 0; i < WG_WORKERS; i++)
		cl_go(wg_worker, w, "worker");
	wait_and_check(w);
	cl_wg_done(w->wg);   /* below zero: panics, with the lock-free path or without */
}

START_TEST(waitgroup_reaches_zero_only_after_the_last_done)
{
	int rounds = (int)test_scaled(20, 2);
	for (int round = 0; round < rounds; round++) {
		for (int procs = 2; procs <= 4; procs *= 2) {
			struct wg_storm w = {0};
			struct cl_result r = run_on(wg_storm_main, &w, CL_SCHED_PAR, procs,
			                            (uint64_t)round + 1);
			ck_assert_int_eq(r.outcome, CL_OUTCOME_PANIC);
			ck_assert_str_eq(r.panic_msg, "sync: negative WaitGroup counter");
			ck_assert_int_eq(w.early, 0);
			ck_assert_int_eq(w.finished, 2 * WG_WORKERS);
			cl_result_free(&r);
		}
	}
}
END_TEST

struct self_wait {
	cl_waitgroup *wg;
};

static void counted_waiter(void *arg)
{
	struct self_wait *x = arg;
	cl_wg_wait(x->wg);   /* waits for itself: its own Done never comes */
	cl_wg_done(x->wg);
}

static void self_wait_main(void *arg)
{
	struct self_wait *x = arg;
	x->wg = cl_wg_new("workers");
	cl_wg_add(x->wg, 1);
	cl_go(counted_waiter, x, "worker");
	cl_wg_wait(x->wg);
}

START_TEST(wait_inside_a_counted_task_deadlocks)
{
	struct self_wait x;
	struct cl_result r = run_prog(self_wait_main, &x, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_DEADLOCK);
	ck_assert_ptr_nonnull(strstr(r.report, "task 2 \"worker\" [sync.WaitGroup.Wait, waitgroup \"workers\"]"));
	cl_result_free(&r);
}
END_TEST

/* ---- semaphore bounds concurrency ------------------------------------------------------- */

struct sem_test {
	cl_sema *sem;
	cl_waitgroup *wg;
	int active, max_active;
};

static void sem_worker(void *arg)
{
	struct sem_test *x = arg;
	cl_sema_acquire(x->sem, 1);
	int active = __atomic_add_fetch(&x->active, 1, __ATOMIC_ACQ_REL);
	int max = __atomic_load_n(&x->max_active, __ATOMIC_ACQUIRE);
	while (active > max &&
	       !__atomic_compare_exchange_n(&x->max_active, &max, active, false, __ATOMIC_ACQ_REL,
	                                    __ATOMIC_ACQUIRE)) {
	}
	cl_sleep((cl_time)cl_rand_below(10) * CL_MS);
	__atomic_sub_fetch(&x->active, 1, __ATOMIC_ACQ_REL);
	cl_sema_release(x->sem, 1);
	cl_wg_done(x->wg);
}

static void sem_main(void *arg)
{
	struct sem_test *x = arg;
	x->sem = cl_sema_new("sem", 3);
	x->wg = cl_wg_new("wg");
	for (int i = 0; i < 12; i++) {
		cl_wg_add(x->wg, 1);
		cl_go(sem_worker, x, "w-%d", i);
	}
	cl_wg_wait(x->wg);
}

START_TEST(semaphore_bounds_concurrency)
{
	for (uint64_t seed = 1; seed <= 100; seed++) {
		struct sem_test x = {0};
		struct cl_result r = run_prog(sem_main, &x, seed, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_le(x.max_active, 3);
		ck_assert_int_ge(x.max_active, 2);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- atomics ------------------------------------------------------------------------------ */

struct atom {
	cl_atomic64 n;
	cl_waitgroup *wg;
};

static void atom_adder(void *arg)
{
	struct atom *a = arg;
	for (int i = 0; i < 50; i++)
		cl_atomic_add(&a->n, 1);
	cl_wg_done(a->wg);
}

static void atom_main(void *arg)
{
	struct atom *a = arg;
	a->wg = cl_wg_new("wg");
	cl_wg_add(a->wg, 4);
	for (int i = 0; i < 4; i++)
		cl_go(atom_adder, a, "adder-%d", i);
	cl_wg_wait(a->wg);
}

START_TEST(atomic_add_loses_nothing)
{
	for (uint64_t seed = 1; seed <= 50; seed++) {
		struct atom a = {{0}, NULL};
		struct cl_result r = run_prog(atom_main, &a, seed, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_eq(a.n.v, 200);
		cl_result_free(&r);
	}
}
END_TEST

Suite *suite_sync(void)
{
	Suite *s = suite_create("sync");
	TCase *t = tcase_create("sync");
	tcase_set_tags(t, TAG_ANY);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, mutex_excludes_under_every_schedule);
	tcase_add_test(t, unlock_of_unlocked_mutex_is_fatal);
	tcase_add_test(t, lock_order_inversion_reports_the_cycle);
	tcase_add_test(t, cond_wait_and_signal_never_lose_a_wakeup);
	tcase_add_test(t, once_runs_once_and_callers_wait_for_it);
	tcase_add_test(t, negative_waitgroup_counter_panics);
	tcase_add_test(t, wait_inside_a_counted_task_deadlocks);
	tcase_add_test(t, semaphore_bounds_concurrency);
	tcase_add_test(t, atomic_add_loses_nothing);
	suite_add_tcase(s, t);
	/* Deliberate data races and unsynchronised counters: det only. */
	t = tcase_create("sync-det");
	tcase_set_tags(t, TAG_DET);
	tcase_add_test(t, without_the_mutex_updates_are_lost);
	tcase_add_test(t, rwmutex_shares_reads_and_excludes_writes);
	suite_add_tcase(s, t);
	/* Picks the par scheduler and its processors itself. */
	t = tcase_create("sync-par");
	tcase_set_tags(t, TAG_DET);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, waitgroup_reaches_zero_only_after_the_last_done);
	suite_add_tcase(s, t);
	return s;
}
