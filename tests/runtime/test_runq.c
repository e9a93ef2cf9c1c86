/* test_runq.c - many tasks woken at once: close takes its waiters off in
 * batches, letting go of the channel's lock between them, and under par
 * the woken tasks overflow the local ring into the global queue's chunks
 * and come back in batches; each must run exactly once, under det and par
 * (1, 2, 4 procs), also when some waiters are selects that another channel
 * fires while close is between batches. */
#include <check.h>
#include <stdlib.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

/* More than close's batch (64), a global chunk (254) and a ring (256). */
#define WAITERS 3000

struct gate {
	cl_chan *c;
	cl_waitgroup *ready, *done;
	int runs[WAITERS];        /* times each waiter got past the gate */
	int zero[WAITERS];        /* the zero value each received from the close */
	int next;                 /* the next waiter's index (main's only) */
};

struct waiter_arg {
	struct gate *g;
	int i;
};

static struct waiter_arg args[WAITERS];

static void waiter(void *arg)
{
	struct waiter_arg *a = arg;
	int v = 7;
	cl_wg_done(a->g->ready);
	bool ok = cl_recv(a->g->c, &v);
	if (!ok)
		__atomic_add_fetch(&a->g->runs[a->i], 1, __ATOMIC_RELAXED);
	a->g->zero[a->i] = v;
	cl_wg_done(a->g->done);
}

static void gate_main(void *arg)
{
	struct gate *g = arg;
	g->c = cl_chan_make("gate", sizeof(int), 0);
	g->ready = cl_wg_new("ready");
	g->done = cl_wg_new("done");
	cl_wg_add(g->ready, WAITERS);
	cl_wg_add(g->done, WAITERS);
	for (g->next = 0; g->next < WAITERS; g->next++) {
		args[g->next] = (struct waiter_arg){g, g->next};
		cl_go(waiter, &args[g->next], "w");
	}
	cl_wg_wait(g->ready);
	cl_close(g->c);
	cl_wg_wait(g->done);
}

static void run_gate(enum cl_sched_kind sched, int procs)
{
	struct gate *g = calloc(1, sizeof *g);
	ck_assert_ptr_nonnull(g);
	struct cl_result r = run_on(gate_main, g, sched, procs, 1);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	for (int i = 0; i < WAITERS; i++) {
		ck_assert_msg(g->runs[i] == 1, "procs %d: waiter %d woke by close %d times", procs, i,
		              g->runs[i]);
		ck_assert_msg(g->zero[i] == 0, "procs %d: waiter %d received %d, not the zero value",
		              procs, i, g->zero[i]);
	}
	cl_result_free(&r);
	free(g);
}

START_TEST(close_wakes_thousands_of_receivers_once_each_under_det)
{
	run_gate(CL_SCHED_DET, 1);
}
END_TEST

START_TEST(close_wakes_thousands_of_receivers_once_each_under_par)
{
	for (int procs = 1; procs <= 4; procs *= 2)
		run_gate(CL_SCHED_PAR, procs);
}
END_TEST

/* Selects on the gate and on a second channel, fed while the gate closes:
 * each select returns once, by one case or the other.  Some of them are
 * fired by the feeder while still queued on the gate, where close must
 * skip them, not wake them a second time. */
#define SELECTS 1500
#define FED (SELECTS / 2)

struct race {
	cl_chan *gate, *fed;
	cl_waitgroup *ready, *done;
	int returns[SELECTS];     /* times each select returned */
	int by_close[SELECTS];    /* 1 if it returned by the gate's close */
	int got[SELECTS];         /* the value it received */
};

struct racer_arg {
	struct race *r;
	int i;
};

static struct racer_arg racers[SELECTS];

static void racer(void *arg)
{
	struct racer_arg *a = arg;
	struct race *r = a->r;
	int from_gate = -1, from_fed = -1;
	struct cl_case cases[2] = {CL_RECV_CASE(r->gate, &from_gate), CL_RECV_CASE(r->fed, &from_fed)};
	cl_wg_done(r->ready);
	int k = cl_select(cases, 2);
	__atomic_add_fetch(&r->returns[a->i], 1, __ATOMIC_RELAXED);
	if (k == 0) {
		r->by_close[a->i] = !cases[0].ok;
		r->got[a->i] = from_gate;
	} else {
		r->got[a->i] = from_fed;
	}
	cl_wg_done(r->done);
}

static void feeder(void *arg)
{
	struct race *r = arg;
	for (int v = 1; v <= FED; v++)
		cl_send(r->fed, &v);
}

static void race_main(void *arg)
{
	struct race *r = arg;
	r->gate = cl_chan_make("gate", sizeof(int), 0);
	r->fed = cl_chan_make("fed", sizeof(int), FED);   /* the feeder never blocks */
	r->ready = cl_wg_new("ready");
	r->done = cl_wg_new("done");
	cl_wg_add(r->ready, SELECTS);
	cl_wg_add(r->done, SELECTS);
	for (int i = 0; i < SELECTS; i++) {
		racers[i] = (struct racer_arg){r, i};
		cl_go(racer, &racers[i], "s");
	}
	cl_wg_wait(r->ready);
	cl_go(feeder, r, "feeder");
	cl_close(r->gate);
	cl_wg_wait(r->done);
}

static void run_race(enum cl_sched_kind sched, int procs, uint64_t seed)
{
	struct race *r = calloc(1, sizeof *r);
	ck_assert_ptr_nonnull(r);
	struct cl_result res = run_on(race_main, r, sched, procs, seed);
	ck_assert_msg(res.outcome == CL_OUTCOME_OK, "procs %d: %s", procs, res.report);
	int closed = 0;
	long fed_sum = 0;
	for (int i = 0; i < SELECTS; i++) {
		ck_assert_msg(r->returns[i] == 1, "procs %d: select %d returned %d times", procs, i,
		              r->returns[i]);
		if (r->by_close[i]) {
			closed++;
			ck_assert_msg(r->got[i] == 0, "procs %d: select %d got %d from the close", procs,
			              i, r->got[i]);
		} else {
			ck_assert_msg(r->got[i] >= 1 && r->got[i] <= FED, "procs %d: select %d got %d",
			              procs, i, r->got[i]);
			fed_sum += r->got[i];
		}
	}
	/* Every select that did not see the close took a distinct fed value,
	 * the first ones sent (the feeder's values leave fed in order). */
	int by_fed = SELECTS - closed;
	ck_assert_int_le(by_fed, FED);
	ck_assert_int_eq(fed_sum, (long)by_fed * (by_fed + 1) / 2);
	cl_result_free(&res);
	free(r);
}

START_TEST(close_skips_selects_fired_meanwhile_under_det)
{
	for (uint64_t seed = 1; seed <= 3; seed++)
		run_race(CL_SCHED_DET, 1, seed);
}
END_TEST

START_TEST(close_skips_selects_fired_meanwhile_under_par)
{
	int rounds = (int)test_scaled(8, 1);
	for (int round = 0; round < rounds; round++)
		for (int procs = 2; procs <= 4; procs *= 2)
			run_race(CL_SCHED_PAR, procs, (uint64_t)round + 1);
}
END_TEST

/* More senders parked than close takes in one batch: every one is taken
 * off while the lock is held (none may be left for a receive to take a
 * value from), and the first to run panics. */
static void parked_sender(void *arg)
{
	int v = 1;
	cl_send(arg, &v);
}

static void senders_main(void *arg)
{
	(void)arg;
	cl_chan *c = cl_chan_make("c", sizeof(int), 0);
	for (int i = 0; i < 3 * 64 + 1; i++)
		cl_go(parked_sender, c, "sender");
	cl_sleep(CL_MS);   /* every sender has parked */
	cl_close(c);
	int v = -1;
	ck_assert(!cl_recv(c, &v));   /* no sender's value: the channel is closed */
	ck_assert_int_eq(v, 0);
	cl_recv(NULL, NULL);   /* a sender's panic ends the run */
}

START_TEST(close_with_many_parked_senders_panics_one)
{
	expect_panic(senders_main, NULL, 1, "send on closed channel");
}
END_TEST

Suite *suite_runq(void)
{
	Suite *s = suite_create("runq");
	TCase *t = tcase_create("runq");
	tcase_set_tags(t, TAG_DET);   /* picks its schedulers and processors itself */
	tcase_set_timeout(t, 60);
	tcase_add_test(t, close_wakes_thousands_of_receivers_once_each_under_det);
	tcase_add_test(t, close_wakes_thousands_of_receivers_once_each_under_par);
	tcase_add_test(t, close_skips_selects_fired_meanwhile_under_det);
	tcase_add_test(t, close_skips_selects_fired_meanwhile_under_par);
	tcase_add_test(t, close_with_many_parked_senders_panics_one);
	suite_add_tcase(s, t);
	return s;
}
