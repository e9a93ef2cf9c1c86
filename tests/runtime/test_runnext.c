/* test_runnext.c - under par a task woken by a task that keeps computing
 * does not wait for its waker: another processor takes it from the
 * waker's runnext (after a short grace), or from the waker's ring, whose
 * short backlog is left to a busy owner for a grace too (steal's
 * runq_stealable), with 2 and 4 processors; so does a task spawned while
 * every other processor sleeps (no wake-up is sent for it: the sleepers'
 * polls find it).  And spawn+join, whose children run on their parent's
 * processor, wakes no sleeping one. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "runtime/rt.h"
#include "runtime/sched.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

static int woken_ran;

static void receiver(void *arg)
{
	cl_recv(arg, NULL);
	__atomic_store_n(&woken_ran, 1, __ATOMIC_RELEASE);
}

/* True once task id is blocked (it is parked in its receive). */
static bool blocked(int id)
{
	struct rt_sched *s = rt_s();
	bool yes = false;
	rt_lock_acquire(&s->tasks_lock);
	for (int i = 0; i < s->nslots; i++)
		if (s->slots[i] && s->slots[i]->id == id)
			yes = __atomic_load_n(&s->slots[i]->state, __ATOMIC_ACQUIRE) == RT_BLOCKED;
	rt_lock_release(&s->tasks_lock);
	return yes;
}

static uint64_t loops_left;
static int spawned_ran;

static void waker_main(void *arg)
{
	(void)arg;
	cl_chan *c = cl_chan_make("wake", sizeof(int), 0);
	int id = cl_go(receiver, c, "receiver");
	while (!blocked(id))
		cl_yield();
	int v = 1;
	cl_send(c, &v);   /* the receiver goes to this processor's runnext */
	/* Compute without a scheduling point; seconds if nobody takes it. */
	uint64_t n = 4000000000u;
	while (n && !__atomic_load_n(&woken_ran, __ATOMIC_ACQUIRE))
		n--;
	loops_left = n;
}

static int ring_ran;

static void ring_receiver(void *arg)
{
	cl_recv(arg, NULL);
	__atomic_add_fetch(&ring_ran, 1, __ATOMIC_ACQ_REL);
}

/* Wakes two receivers: the second takes runnext and pushes the first into
 * this processor's ring, a backlog of one that only a thief can run while
 * this task computes. */
static void ring_waker_main(void *arg)
{
	(void)arg;
	cl_chan *c[2];
	int id[2];
	for (int i = 0; i < 2; i++) {
		c[i] = cl_chan_make("wake", sizeof(int), 0);
		id[i] = cl_go(ring_receiver, c[i], "receiver");
	}
	for (int i = 0; i < 2; i++)
		while (!blocked(id[i]))
			cl_yield();
	int v = 1;
	for (int i = 0; i < 2; i++)
		cl_send(c[i], &v);
	uint64_t n = 4000000000u;
	while (n && __atomic_load_n(&ring_ran, __ATOMIC_ACQUIRE) < 2)
		n--;
	loops_left = n;
}

/* Runs main_fn under par with 2 and 4 processors: each run must end well
 * with the computing waker's loop cut short (the woken task ran meanwhile). */
static void expect_woken_before_waker_blocks(void (*main_fn)(void *), const char *what)
{
	for (int procs = 2; procs <= 4; procs *= 2) {
		struct cl_config cfg;
		cl_config_init(&cfg);
		cfg.sched = CL_SCHED_PAR;
		cfg.procs = procs;
		woken_ran = 0;
		ring_ran = 0;
		spawned_ran = 0;
		struct cl_result r;
		ck_assert_int_eq(cl_run(main_fn, NULL, &cfg, &r), 0);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_msg(loops_left > 0, "%d procs: %s waited for its waker", procs, what);
		cl_result_free(&r);
	}
}

static void spawned(void *arg)
{
	(void)arg;
	__atomic_store_n(&spawned_ran, 1, __ATOMIC_RELEASE);
}

/* Waits, without a scheduling point, until every other processor is
 * parked, then spawns a task (it goes to runnext, and no wake-up is sent
 * for it: sched_par.c's owe_wake) and computes without a scheduling point
 * until it has run: only a parked processor's own poll can run it. */
static void spawner_main(void *arg)
{
	(void)arg;
	struct rt_sched *s = rt_s();
	while (__atomic_load_n(&s->nidle, __ATOMIC_ACQUIRE) < s->nprocs - 1)
		rt_cpu_relax();
	cl_go(spawned, NULL, "spawned");
	uint64_t n = 4000000000u;
	while (n && !__atomic_load_n(&spawned_ran, __ATOMIC_ACQUIRE))
		n--;
	loops_left = n;
}

START_TEST(a_task_spawned_while_the_others_sleep_runs_before_its_spawner_blocks)
{
	spawned_ran = 0;
	expect_woken_before_waker_blocks(spawner_main, "the spawned task");
}
END_TEST

static void child_done(void *arg)
{
	cl_wg_done(arg);
}

/* Spawn+join: each child goes to runnext and runs as soon as its parent
 * waits, so nothing should wake the other processor (it sleeps, polling
 * now and then); before owe_wake, a wake-up went out about every 90
 * spawns. */
static void spawn_join_main(void *arg)
{
	(void)arg;
	cl_waitgroup *wg = cl_wg_new("wg");
	for (int i = 0; i < 20000; i++) {
		cl_wg_add(wg, 1);
		cl_go(child_done, wg, "child");
		cl_wg_wait(wg);
	}
}

START_TEST(spawn_join_wakes_no_idle_processor)
{
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.sched = CL_SCHED_PAR;
	cfg.procs = 2;
	struct cl_result r;
	ck_assert_int_eq(cl_run(spawn_join_main, NULL, &cfg, &r), 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	/* 0 in release builds here, 126 before owe_wake.  Under the
	 * sanitizers and valgrind a parent can take longer than the runnext
	 * grace between its spawn and its Wait, so the polling processor
	 * steals children now and then, and the wake-ups that follow are not
	 * counted against it. */
	uint64_t bound = test_scaled_down() ? 20000 : 20;
	ck_assert_msg(r.proc_wakes <= bound, "%llu wake-ups for 20,000 spawn+joins",
	              (unsigned long long)r.proc_wakes);
	cl_result_free(&r);
}
END_TEST

/* Owner and thieves at once on one runnext: each round main spawns a
 * child (it goes to main's runnext), has the wake-up it owes for it paid,
 * computes for 0 to 60 us (across the wake-up and the grace after which
 * the woken processor takes the child), then waits for the child, and its
 * Wait takes runnext itself if no thief did: the two takes land in the
 * same few hundred nanoseconds now and then.  A child both took would run
 * twice, on two threads at once and on one stack. */
#define RACE_ROUNDS 3000
static uint64_t runnext_steals_seen;
static int child_runs[RACE_ROUNDS];

struct race_child {
	cl_waitgroup *wg;
	int round;
};

static void race_child(void *arg)
{
	struct race_child *c = arg;
	__atomic_add_fetch(&child_runs[c->round], 1, __ATOMIC_RELAXED);
	cl_wg_done(c->wg);
}

static void owner_and_thief_main(void *arg)
{
	(void)arg;
	struct rt_sched *s = rt_s();
	cl_chan *never = cl_chan_make("never", sizeof(int), 0);
	cl_waitgroup *wg = cl_wg_new("wg");
	uint64_t x = 88172645463325252ull;   /* xorshift: the computing times */
	for (int i = 0; i < RACE_ROUNDS; i++) {
		struct race_child c = {wg, i};
		cl_wg_add(wg, 1);
		cl_go(race_child, &c, "child");
		/* Scheduling points that do not block: the third pays the
		 * wake-up owed for the child (owe_wake). */
		for (int k = 0; k < 3; k++) {
			struct cl_case none = CL_RECV_CASE(never, NULL);
			cl_select_default(&none, 1);
		}
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int64_t until = rt_mono_ns() + (int64_t)(x % 60000);
		while (rt_mono_ns() < until)
			rt_cpu_relax();
		cl_wg_wait(wg);
	}
	runnext_steals_seen = __atomic_load_n(&s->runnext_steals, __ATOMIC_RELAXED);
}

START_TEST(a_runnext_its_owner_and_a_thief_both_want_runs_once)
{
	uint64_t steals = 0;
	for (int procs = 2; procs <= 4; procs *= 2) {
		memset(child_runs, 0, sizeof child_runs);
		struct cl_result r = run_on(owner_and_thief_main, NULL, CL_SCHED_PAR, procs, 1);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		for (int i = 0; i < RACE_ROUNDS; i++)
			ck_assert_msg(child_runs[i] == 1, "%d procs: child %d ran %d times", procs, i,
			              child_runs[i]);
		steals += runnext_steals_seen;
		cl_result_free(&r);
	}
	/* About 2,000 of the 3,000 rounds here: the thieves were there. */
	ck_assert_msg(steals > 0, "no thief took a runnext in %d rounds", 2 * RACE_ROUNDS);
}
END_TEST

START_TEST(a_task_in_the_ring_of_a_computing_waker_runs_before_it_blocks)
{
	expect_woken_before_waker_blocks(ring_waker_main, "a woken task");
}
END_TEST

START_TEST(a_woken_task_runs_before_its_computing_waker_blocks)
{
	expect_woken_before_waker_blocks(waker_main, "the woken task");
}
END_TEST

Suite *suite_runnext(void)
{
	Suite *s = suite_create("runnext");
	TCase *t = tcase_create("runnext");
	tcase_set_tags(t, TAG_DET);   /* picks par and its processors itself */
	tcase_set_timeout(t, 60);
	tcase_add_test(t, a_woken_task_runs_before_its_computing_waker_blocks);
	tcase_add_test(t, a_task_in_the_ring_of_a_computing_waker_runs_before_it_blocks);
	tcase_add_test(t, a_task_spawned_while_the_others_sleep_runs_before_its_spawner_blocks);
	tcase_add_test(t, spawn_join_wakes_no_idle_processor);
	tcase_add_test(t, a_runnext_its_owner_and_a_thief_both_want_runs_once);
	suite_add_tcase(s, t);
	return s;
}
