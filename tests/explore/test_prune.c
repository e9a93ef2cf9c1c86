/*
 * test_prune.c - sleep-set pruning of exhaustive exploration
 * (explore/explore.h, opt.prune): a program whose tasks touch only their
 * own variables explores strictly fewer schedules with pruning than
 * without, and every count stays complete; a lost update between such
 * steps is still found with pruning, at the same bound; and the broken
 * core patterns' mistakes are still found (test_exhaustive.c runs them
 * with pruning on, the default).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "tests/testlib.h"

/* ---- tasks that touch only their own variables, and one shared counter ------------- */

enum { MAX_WORKERS = 4 };

struct own {
	int workers, steps;
	bool racy;                        /* also counter++ (a read, then a write) */
	cl_waitgroup *wg;
	cl_shared(int) mine[MAX_WORKERS];
	cl_shared(int) counter;
	int done;                         /* main's reading of counter at the end */
};

struct own_arg {
	struct own *o;
	int id;
};

static struct own_arg own_args[MAX_WORKERS];

static void own_worker(void *arg)
{
	struct own_arg *a = arg;
	struct own *o = a->o;
	for (int i = 0; i < o->steps; i++)
		cl_wr(o->mine[a->id], cl_rd(o->mine[a->id]) + 1);
	if (o->racy)
		cl_wr(o->counter, cl_rd(o->counter) + 1);
	cl_wg_done(o->wg);
}

static void own_main(void *arg)
{
	struct own *o = arg;
	o->wg = cl_wg_new("wg");
	cl_wg_add(o->wg, o->workers);
	for (int w = 0; w < o->workers; w++) {
		own_args[w] = (struct own_arg){o, w};
		cl_go(own_worker, &own_args[w], "worker-%d", w);
	}
	cl_wg_wait(o->wg);
	o->done = cl_rd(o->counter);
}

static void own_reset(void *arg)
{
	struct own *o = arg;
	for (int w = 0; w < MAX_WORKERS; w++)
		o->mine[w] = 0;
	o->counter = 0;
	o->done = -1;
}

/* The promise: every increment of counter counted (racy), and the run ok. */
static enum ex_judgement own_judge(void *ctx, const struct cl_result *res, struct ex_failure *key)
{
	const struct own *o = ctx;
	if (res->outcome != CL_OUTCOME_OK) {
		key->outcome = res->outcome;
		snprintf(key->kind, sizeof key->kind, "outcome");
		return EX_BROKEN;
	}
	if (o->racy && o->done != o->workers) {
		snprintf(key->kind, sizeof key->kind, "invariant");
		snprintf(key->name, sizeof key->name, "counter");
		return EX_BROKEN;
	}
	return EX_KEPT;
}

static void own_explore(struct own *o, int k, bool prune, bool stop, struct ex_result *r)
{
	struct ex_program prog = {own_main, o, own_reset, "own"};
	struct ex_options opt;
	ex_options_init(&opt);
	opt.strategy = EX_EXHAUSTIVE;
	opt.preemptions = k;
	opt.latency_seeds = 1;
	opt.runs = 2000000;
	opt.race = false;
	opt.shrink = false;
	opt.prune = prune;
	opt.stop_at_first = stop;
	ck_assert_int_eq(ex_explore(&prog, own_judge, o, &opt, r), 0);
}

/* Two and three workers of private steps: strictly fewer schedules with
 * pruning, both complete, none broken, and pruning counted.  (With one
 * preemption nothing is pruned: a task sleeps only in the subtree of the
 * preemption that stopped it, and a second switch there would be another
 * preemption; the end of each task, a WaitGroup Done, conflicts with every
 * step.) */
START_TEST(private_steps_prune)
{
	/* Three workers with three preemptions: 52,997 schedules, release only. */
	bool heavy = !test_heavy_skipped("private_steps_prune, 3 workers, K=3");
	for (int workers = 2; workers <= 3; workers++)
		for (int k = 2; k <= (workers == 3 && !heavy ? 2 : 3); k++) {
			struct own o = {.workers = workers, .steps = 3};
			struct ex_result full, pruned;
			own_explore(&o, k, false, true, &full);
			own_explore(&o, k, true, true, &pruned);
			printf("own %d workers, K=%d: %ld schedules without pruning, %ld with "
			       "(%ld branches pruned)\n", workers, k, full.runs, pruned.runs, pruned.pruned);
			ck_assert(full.complete && pruned.complete);
			ck_assert_int_eq(full.broken + pruned.broken, 0);
			ck_assert_int_eq(full.pruned, 0);
			ck_assert_int_gt(pruned.pruned, 0);
			ck_assert_int_lt(pruned.runs, full.runs);
			ck_assert_int_ge(pruned.runs, 1);
			ex_result_free(&full);
			ex_result_free(&pruned);
		}
}
END_TEST

/* The lost update on counter, between private steps: found at the bounds
 * where the search without pruning finds it, and
 * over the whole tree with pruning every schedule is still judged once: the
 * broken ones are a non-empty subset. */
START_TEST(lost_update_still_found)
{
	for (int k = 2; k <= 3; k++) {
		struct own o = {.workers = 2, .steps = 2, .racy = true};
		struct ex_result full, pruned;
		own_explore(&o, k, false, true, &full);
		own_explore(&o, k, true, true, &pruned);
		ck_assert_msg(full.first.set, "K=%d: no lost update without pruning", k);
		ck_assert_msg(pruned.first.set, "K=%d: pruning lost the lost update", k);
		ck_assert_str_eq(pruned.first.failure.name, "counter");
		ex_result_free(&full);
		ex_result_free(&pruned);
		own_explore(&o, k, false, false, &full);
		own_explore(&o, k, true, false, &pruned);
		ck_assert_int_gt(pruned.broken, 0);
		ck_assert_int_le(pruned.broken, full.broken);
		ck_assert_int_lt(pruned.runs, full.runs);
		ex_result_free(&full);
		ex_result_free(&pruned);
	}
}
END_TEST

Suite *suite_prune(void)
{
	Suite *s = suite_create("prune");
	TCase *tc = tcase_create("prune");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, private_steps_prune);
	tcase_add_test(tc, lost_update_still_found);
	suite_add_tcase(s, tc);
	return s;
}
