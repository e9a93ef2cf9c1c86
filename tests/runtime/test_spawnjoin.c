/* test_spawnjoin.c - the fast paths of a spawn and a join: a dead task's
 * stack kept for the next spawn on its processor, par's direct switch from
 * a task that parks or exits to the next one (which must still let due
 * timers and the global queue have their turn), and a task's cl_rand
 * stream under par, seeded at its first draw. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "runtime/rt.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

/* ---- spawn and join, many times ----------------------------------------------------- */

struct loop {
	long n;
	int *ids;           /* each child's id, by its index */
	long ran;           /* children that ran */
	cl_waitgroup *wg;
	long next;
};

static void counted_child(void *arg)
{
	struct loop *l = arg;
	long me = l->next;   /* main waits for each child before the next spawn */
	l->ids[me] = cl_task_id();
	__atomic_add_fetch(&l->ran, 1, __ATOMIC_RELAXED);
	cl_wg_done(l->wg);
}

static void loop_main(void *arg)
{
	struct loop *l = arg;
	l->wg = cl_wg_new("wg");
	for (l->next = 0; l->next < l->n; l->next++) {
		cl_wg_add(l->wg, 1);
		cl_go(counted_child, l, "child");
		cl_wg_wait(l->wg);
	}
}

START_TEST(a_spawn_join_loop_runs_every_child_once_in_id_order)
{
	struct loop l = {.n = test_scaled(20000, 500)};
	l.ids = calloc((size_t)l.n, sizeof *l.ids);
	ck_assert_ptr_nonnull(l.ids);
	struct cl_result r = run_prog(loop_main, &l, 7, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(l.ran, l.n);
	for (long i = 0; i < l.n; i++)
		ck_assert_int_eq(l.ids[i], (int)i + 2);   /* main is 1; spawned one after another */
	ck_assert_uint_eq(r.tasks, (uint64_t)l.n + 1);
	/* main and the child joined, beside children past their Done still
	 * exiting: one under det (seed 7); under par each keeps the processor
	 * it exits on (no preemption), so at most one per other processor:
	 * with 4 processors on 2 cores the OS can stall three of them. */
	uint64_t exiting = r.procs > 1 ? (uint64_t)r.procs - 1 : 1;
	ck_assert_uint_ge(r.peak_tasks, 2);
	ck_assert_uint_le(r.peak_tasks, 2 + exiting);
	cl_result_free(&r);
	free(l.ids);
}
END_TEST

/* Every stack goes back to the cache at the end of a run, the kept one
 * (rt_proc.spare_stack) too: were one lost per run, more runs than the
 * cache keeps free stacks would need new slabs. */
START_TEST(runs_of_spawn_join_loops_give_every_stack_back)
{
	if (test_heavy_skipped("runs_of_spawn_join_loops_give_every_stack_back"))
		return;
	int ids[4];
	long slabs = 0;
	for (int run = 0; run < 3000; run++) {
		struct loop l = {.n = 4, .ids = ids};
		struct cl_result r = run_prog(loop_main, &l, (uint64_t)run, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		cl_result_free(&r);
		if (run == 10)
			slabs = rt_stack_slabs();
	}
	ck_assert_int_eq(rt_stack_slabs(), slabs);
}
END_TEST

/* ---- det: the next spawn takes the dead task's stack ---------------------------------- */

static const char *records[2];

static void note_record(void *arg)
{
	records[(intptr_t)arg] = cl_task_name();   /* the name lives in the task's record */
}

static void reuse_main(void *arg)
{
	(void)arg;
	cl_go(note_record, (void *)0, "first");
	cl_sleep(CL_MS);   /* virtual time: the first has ended before it moves */
	cl_go(note_record, (void *)1, "second");
	cl_sleep(CL_MS);
}

START_TEST(the_next_spawn_reuses_the_record_of_the_task_that_died)
{
	records[0] = records[1] = NULL;
	struct cl_result r = run_prog(reuse_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	cl_result_free(&r);
	ck_assert_ptr_nonnull(records[0]);
	ck_assert_ptr_eq(records[0], records[1]);
}
END_TEST

/* ---- par: direct switches leave room for timers and the global queue ----------------- */

struct pair {
	cl_chan *ping, *pong;
	int stop;           /* set once the task the pair must not starve has run */
	long left[2];       /* rounds each side had left when it saw stop */
	cl_waitgroup *wg;
};

#define PAIR_ROUNDS 20000000L   /* seconds' worth: only a starved task uses them up */

/* Every round parks with the other side in runnext: a direct switch. */
static void pinger(void *arg)
{
	struct pair *p = arg;
	long n = PAIR_ROUNDS;
	int v = 0;
	while (n && !__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE)) {
		cl_send(p->ping, &v);
		cl_recv(p->pong, &v);
		n--;
	}
	p->left[0] = n;
	v = -1;
	cl_send(p->ping, &v);
	cl_wg_done(p->wg);
}

static void ponger(void *arg)
{
	struct pair *p = arg;
	long n = PAIR_ROUNDS;
	int v;
	for (;;) {
		cl_recv(p->ping, &v);
		if (v < 0)
			break;
		cl_send(p->pong, &v);
		n--;
	}
	p->left[1] = n;
	cl_wg_done(p->wg);
}

static void start_pair(struct pair *p)
{
	p->ping = cl_chan_make("ping", sizeof(int), 0);
	p->pong = cl_chan_make("pong", sizeof(int), 0);
	p->wg = cl_wg_new("pair");
	cl_wg_add(p->wg, 2);
	cl_go(ponger, p, "ponger");
	cl_go(pinger, p, "pinger");
}

static void sleep_beside_pair(void *arg)
{
	struct pair *p = arg;
	start_pair(p);
	cl_sleep(CL_MS);   /* only g0 fires the timer: the pair must let it */
	__atomic_store_n(&p->stop, 1, __ATOMIC_RELEASE);
	cl_wg_wait(p->wg);
}

static void yielder(void *arg)
{
	struct pair *p = arg;
	for (int i = 0; i < 1000; i++)
		cl_yield();   /* to the global queue each time */
	__atomic_store_n(&p->stop, 1, __ATOMIC_RELEASE);
}

static void yield_beside_pair(void *arg)
{
	struct pair *p = arg;
	start_pair(p);
	cl_go(yielder, p, "yielder");
	cl_wg_wait(p->wg);
}

static struct cl_result run_par(void (*fn)(void *), void *arg, int procs)
{
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.sched = CL_SCHED_PAR;
	cfg.procs = procs;
	cfg.livelock_steps = 0;
	cfg.max_steps = UINT64_MAX;
	struct cl_result r;
	ck_assert_int_eq(cl_run(fn, arg, &cfg, &r), 0);
	return r;
}

START_TEST(a_due_timer_fires_beside_tasks_that_switch_directly)
{
	for (int procs = 1; procs <= 2; procs++) {
		struct pair p;
		memset(&p, 0, sizeof p);
		struct cl_result r = run_par(sleep_beside_pair, &p, procs);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_msg(p.left[0] > 0, "%d procs: the sleeper woke only when the pair ran out",
		              procs);
		cl_result_free(&r);
	}
}
END_TEST

START_TEST(a_yielding_task_runs_beside_tasks_that_switch_directly)
{
	for (int procs = 1; procs <= 2; procs++) {
		struct pair p;
		memset(&p, 0, sizeof p);
		struct cl_result r = run_par(yield_beside_pair, &p, procs);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_msg(p.left[0] > 0, "%d procs: the yielder ran only when the pair ran out",
		              procs);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- par: a task's cl_rand stream ------------------------------------------------------ */

struct draws {
	int first_draws;    /* whether the first child draws before it dies */
	uint64_t second[3]; /* the second child's draws */
};

static void draw_first(void *arg)
{
	struct draws *d = arg;
	if (d->first_draws)
		(void)cl_rand();
}

static void draw_second(void *arg)
{
	struct draws *d = arg;
	for (int i = 0; i < 3; i++)
		d->second[i] = cl_rand();
}

/* The second child (task 3) takes the first's record: its stream must be
 * its own from the start, whatever the first did with the record's. */
static void draws_main(void *arg)
{
	cl_go(draw_first, arg, "first");
	for (int i = 0; i < 100; i++)   /* with one processor the first has ended after one */
		cl_yield();
	cl_go(draw_second, arg, "second");
	for (int i = 0; i < 100; i++)
		cl_yield();
}

START_TEST(a_tasks_cl_rand_stream_depends_on_the_seed_and_its_id_alone)
{
	for (int procs = 1; procs <= 2; procs++) {
		struct draws a = {.first_draws = 1}, b = {.first_draws = 0}, c = {.first_draws = 1};
		struct cl_result r = run_par(draws_main, &a, procs);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		cl_result_free(&r);
		r = run_par(draws_main, &b, procs);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		cl_result_free(&r);
		r = run_par(draws_main, &c, procs);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		cl_result_free(&r);
		for (int i = 0; i < 3; i++) {
			ck_assert_msg(a.second[i] == b.second[i], "%d procs: draw %d differs", procs, i);
			ck_assert_msg(a.second[i] == c.second[i], "%d procs: draw %d differs", procs, i);
		}
		ck_assert(a.second[0] != a.second[1]);
	}
}
END_TEST

Suite *suite_spawnjoin(void)
{
	Suite *s = suite_create("spawnjoin");
	TCase *t = tcase_create("spawnjoin");
	tcase_set_tags(t, TAG_ANY);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, a_spawn_join_loop_runs_every_child_once_in_id_order);
	tcase_add_test(t, runs_of_spawn_join_loops_give_every_stack_back);
	suite_add_tcase(s, t);
	t = tcase_create("spawnjoin-det");
	tcase_set_tags(t, TAG_DET);   /* the par cases pick par and their processors */
	tcase_set_timeout(t, 120);
	tcase_add_test(t, the_next_spawn_reuses_the_record_of_the_task_that_died);
	tcase_add_test(t, a_due_timer_fires_beside_tasks_that_switch_directly);
	tcase_add_test(t, a_yielding_task_runs_beside_tasks_that_switch_directly);
	tcase_add_test(t, a_tasks_cl_rand_stream_depends_on_the_seed_and_its_id_alone);
	suite_add_tcase(s, t);
	return s;
}
