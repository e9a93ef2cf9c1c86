/* test_runq.c - many tasks woken at once: close readies every waiter from
 * an array that outgrows its stack buffer, and under par the woken tasks
 * overflow the local ring into the global queue's chunks and come back in
 * batches; each must run exactly once, under det and par (1, 2, 4 procs). */
#include <check.h>
#include <stdlib.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

/* More than close's stack buffer (64), a global chunk (254) and a ring (256). */
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
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.sched = sched;
	cfg.procs = procs;
	struct cl_result r;
	ck_assert_int_eq(cl_run(gate_main, g, &cfg, &r), 0);
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

Suite *suite_runq(void)
{
	Suite *s = suite_create("runq");
	TCase *t = tcase_create("runq");
	tcase_set_tags(t, TAG_DET);   /* picks its schedulers and processors itself */
	tcase_set_timeout(t, 60);
	tcase_add_test(t, close_wakes_thousands_of_receivers_once_each_under_det);
	tcase_add_test(t, close_wakes_thousands_of_receivers_once_each_under_par);
	suite_add_tcase(s, t);
	return s;
}
