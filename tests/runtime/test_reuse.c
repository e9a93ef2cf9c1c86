/*
 * test_reuse.c - what a thread's runs reuse (run.c's cache of the scheduler,
 * the tables and the objects' arena; race.c's detector): a run after a
 * bigger one, on the same thread, gives the same events, finds its objects
 * new, and the race detector reports the same races.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

/* ---- a small program, run before and after a big one ---------------------------- */

struct small {
	cl_chan *jobs;
	cl_mutex *mu;
	cl_waitgroup *wg;
	int fresh;             /* objects found as new ones are: 1 */
};

static void small_worker(void *arg)
{
	struct small *p = arg;
	int j;
	while (cl_recv(p->jobs, &j)) {
		cl_sleep((cl_time)(j % 3 + 1) * CL_MS);
		cl_lock(p->mu);
		cl_unlock(p->mu);
	}
	cl_wg_done(p->wg);
}

static void small_main(void *arg)
{
	struct small *p = arg;
	p->jobs = cl_make("jobs", int, 2);
	p->mu = cl_mutex_new("mu");
	p->wg = cl_wg_new("wg");
	/* An object from the arena is zeroed: empty, unlocked. */
	p->fresh = cl_len(p->jobs) == 0 && cl_trylock(p->mu);
	if (p->fresh)
		cl_unlock(p->mu);
	cl_wg_add(p->wg, 3);
	for (int w = 1; w <= 3; w++)
		cl_go(small_worker, p, "worker-%d", w);
	for (int j = 1; j <= 9; j++)
		cl_send(p->jobs, &j);
	cl_close(p->jobs);
	cl_wg_wait(p->wg);
}

/* ---- a big one: more tasks, objects, timers and syncs than one chunk holds ------ */

#define BIG_TASKS 300

struct big {
	cl_chan *done;
};

static void big_task(void *arg)
{
	struct big *b = arg;
	cl_chan *mine = cl_make("mine", int, 64);   /* ~400 bytes of arena each */
	int v = 1;
	cl_send(mine, &v);
	cl_sleep((cl_time)(cl_rand_below(50) + 1) * CL_MS);
	cl_recv(mine, &v);
	cl_send(b->done, &v);
}

static void big_main(void *arg)
{
	struct big *b = arg;
	b->done = cl_make("done", int, 0);
	for (int i = 0; i < BIG_TASKS; i++)
		cl_go(big_task, b, "big-%d", i);
	int v, sum = 0;
	for (int i = 0; i < BIG_TASKS; i++)
		sum += cl_recv(b->done, &v) ? v : 0;
	ck_assert_int_eq(sum, BIG_TASKS);
}

static void run_big(bool race)
{
	struct big b = {0};
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.seed = 7;
	cfg.race = race;
	struct cl_result res;
	ck_assert_int_eq(cl_run(big_main, &b, &cfg, &res), 0);
	ck_assert_int_eq(res.outcome, CL_OUTCOME_OK);
	cl_result_free(&res);
}

START_TEST(a_run_after_a_bigger_one_gives_the_same_events)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct small p1 = {0}, p2 = {0};
		char *before = run_stream(small_main, &p1, seed, CL_STRATEGY_RANDOM);
		run_big(seed % 2 == 0);
		char *after = run_stream(small_main, &p2, seed, CL_STRATEGY_RANDOM);
		ck_assert_int_eq(p1.fresh, 1);
		ck_assert_int_eq(p2.fresh, 1);
		ck_assert_msg(strcmp(before, after) == 0, "seed %llu: the streams differ",
		              (unsigned long long)seed);
		free(before);
		free(after);
	}
}
END_TEST

/* ---- the race detector, reused ------------------------------------------------------ */

struct racy {
	cl_shared(int) counter;
	cl_waitgroup *wg;
};

static void bump(void *arg)
{
	struct racy *p = arg;
	int x = cl_rd(p->counter);
	cl_wr(p->counter, x + 1);
	cl_wg_done(p->wg);
}

static void racy_main(void *arg)
{
	struct racy *p = arg;
	p->wg = cl_wg_new("wg");
	cl_wg_add(p->wg, 2);
	cl_go(bump, p, "bumper-%d", 1);
	cl_go(bump, p, "bumper-%d", 2);
	cl_wg_wait(p->wg);
}

static struct cl_result run_racy(uint64_t seed)
{
	struct racy p = {0};
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.seed = seed;
	cfg.race = true;
	struct cl_result res;
	ck_assert_int_eq(cl_run(racy_main, &p, &cfg, &res), 0);
	return res;
}

START_TEST(the_race_detector_reports_the_same_races_after_reuse)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct cl_result a = run_racy(seed);
		run_big(true);
		struct cl_result b = run_racy(seed);
		/* A detector emptied for reuse forgets the pairs it reported. */
		ck_assert_int_eq(a.outcome, CL_OUTCOME_RACE);
		ck_assert_int_eq(b.outcome, CL_OUTCOME_RACE);
		ck_assert_uint_eq(a.races, b.races);
		ck_assert_ptr_nonnull(a.report);
		ck_assert_ptr_nonnull(b.report);
		ck_assert_str_eq(a.report, b.report);
		cl_result_free(&a);
		cl_result_free(&b);
	}
}
END_TEST

Suite *suite_reuse(void)
{
	Suite *s = suite_create("reuse");
	TCase *t = tcase_create("reuse");
	tcase_set_tags(t, TAG_DET);
	tcase_add_test(t, a_run_after_a_bigger_one_gives_the_same_events);
	tcase_add_test(t, the_race_detector_reports_the_same_races_after_reuse);
	suite_add_tcase(s, t);
	return s;
}
