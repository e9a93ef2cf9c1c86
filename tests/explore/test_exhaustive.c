/*
 * test_exhaustive.c - exhaustive exploration (explore/explore.h): the
 * number of schedules of a small program is the hand-computed one for
 * preemption bounds 0, 1 and 2; every correct core pattern at its smallest
 * parameters keeps its promise over every schedule with <= 2 preemptions,
 * every broken one (but aba, whose fewest is 3) fails at its smallest or
 * default parameters.  The pattern tests are skipped under sanitizers
 * (CHANLAB_TEST_SCALE below 1).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "patterns/registry.h"
#include "tests/explore/judge.h"
#include "tests/testlib.h"

/* ---- two tasks of n steps --------------------------------------------------------- */

struct two {
	int n;
	cl_waitgroup *wg;
};

static void steps(struct two *t)
{
	for (int i = 0; i < t->n; i++)
		cl_yield();
}

static void other(void *arg)
{
	struct two *t = arg;
	steps(t);
	cl_wg_done(t->wg);
}

/* main and one other task, each n yields: main spawns the other (a
 * scheduling point), yields n times, then waits for it. */
static void two_main(void *arg)
{
	struct two *t = arg;
	t->wg = cl_wg_new("wg");
	cl_wg_add(t->wg, 1);
	cl_go(other, t, "other");
	steps(t);
	cl_wg_wait(t->wg);
}

static enum ex_judgement always_kept(void *ctx, const struct cl_result *res, struct ex_failure *key)
{
	(void)ctx;
	(void)key;
	return res->outcome == CL_OUTCOME_OK ? EX_KEPT : EX_BROKEN;
}

static long count_schedules(int n, int k)
{
	struct two t = {.n = n};
	struct ex_program prog = {two_main, &t, NULL, "two"};
	struct ex_options opt;
	ex_options_init(&opt);
	opt.strategy = EX_EXHAUSTIVE;
	opt.preemptions = k;
	opt.latency_seeds = 1;
	opt.runs = 1000000;
	opt.race = false;
	opt.prune = false;   /* the count of every schedule */
	struct ex_result r;
	ck_assert_int_eq(ex_explore(&prog, always_kept, NULL, &opt, &r), 0);
	ck_assert_msg(r.complete, "n=%d K=%d: not complete", n, k);
	ck_assert_int_eq(r.broken, 0);
	long runs = r.runs;
	ex_result_free(&r);
	return runs;
}

/* The count by hand.  main has a = n+2 points where it could go on (the
 * spawn, n yields, the wait's point); the other task, while main can run,
 * b = n+1 (n yields, the done's point).  With no preemption main runs to
 * its wait and blocks, then the other runs: 1 schedule.  One preemption:
 * main switches away at one of its a points and the other runs to its end
 * (then main is the only task left): a schedules.  Two: main switches away
 * at one of a points and the other back at one of its b points, after
 * which main runs to its wait: a*b.  So K=0: 1, K=1: 1+a, K=2: 1+a+a*b. */
static long by_hand(int n, int k)
{
	long a = n + 2, b = n + 1;
	return k == 0 ? 1 : k == 1 ? 1 + a : 1 + a + a * b;
}

START_TEST(two_tasks_counts)
{
	for (int n = 0; n <= 6; n++)
		for (int k = 0; k <= 2; k++)
			ck_assert_msg(count_schedules(n, k) == by_hand(n, k), "n=%d K=%d: %ld schedules, "
			              "by hand %ld", n, k, count_schedules(n, k), by_hand(n, k));
}
END_TEST

/* ---- the core patterns ---------------------------------------------------------- */

/* The seven core patterns (the later ones have their own suites, and
 * exploring all forty exhaustively here would take minutes). */
static bool core(const struct pattern *p)
{
	static const char *const names[] = {"rendezvous", "reply-channel", "fan-in", "worker-pool",
	                                    "pub-sub", "hedged-request", "lock-free-stack", NULL};
	for (int i = 0; names[i]; i++)
		if (strcmp(p->name, names[i]) == 0)
			return true;
	return false;
}

/* Every parameter at its smallest (integers) or default (choices). */
static void smallest(const struct pattern *p, char values[][24], const char *pairs[])
{
	int m = 0;
	for (int i = 0; i < p->nparams; i++) {
		if (p->params[i].choices)
			continue;
		snprintf(values[i], 24, "%ld", p->params[i].min);
		pairs[m++] = p->params[i].name;
		pairs[m++] = values[i];
	}
	pairs[m] = NULL;
}

static void exhaust(const struct pattern *p, const struct pattern_variant *v, bool small,
                    int seeds, bool prune, struct ex_result *r)
{
	char values[PATTERN_MAX_PARAMS][24];
	const char *pairs[2 * PATTERN_MAX_PARAMS + 1];
	smallest(p, values, pairs);
	struct pattern_prog pp;
	pattern_prog_open(&pp, p->name, v->name, small ? pairs : NULL);
	struct ex_options opt;
	ex_options_init(&opt);
	opt.strategy = EX_EXHAUSTIVE;
	opt.preemptions = 2;
	opt.latency_seeds = seeds;
	opt.runs = 1000000;
	opt.shrink = false;
	opt.race = false;
	opt.prune = prune;
	ck_assert_msg(ex_explore(&pp.prog, pattern_judge, &pp, &opt, r) == 0, "%s", r->error);
	pattern_prog_close(&pp);
}

/* Every variant that declares ok, at its smallest parameters, keeps the
 * promise over every schedule with <= 2 preemptions (latency seeds 1-2),
 * with pruning and without; pruning never runs more. */
START_TEST(correct_exhaustive)
{
	if (test_heavy_skipped("correct_exhaustive"))
		return;
	for (const struct pattern *const *pp = pattern_all(); *pp; pp++) {
		const struct pattern *p = *pp;
		if (p->sched != PATTERN_SCHED_ANY || !core(p))
			continue;
		for (int i = 0; i < p->nvariants; i++) {
			const struct pattern_variant *v = &p->variants[i];
			if (strcmp(v->outcome, "ok") != 0)
				continue;
			struct ex_result r, full;
			exhaust(p, v, true, 2, true, &r);
			ck_assert_msg(r.complete && r.broken == 0 && r.aside == 0 && r.runs > 1,
			              "%s:%s: %ld schedules, complete %d, broken %ld", p->name, v->name,
			              r.runs, r.complete, r.broken);
			ex_result_free(&r);
			if (r.runs > 20000)
				continue;   /* worker-pool dispatcher: 389,534 schedules, twice is too long */
			/* Pruning never runs more. */
			exhaust(p, v, true, 2, false, &full);
			ck_assert(full.complete && full.broken == 0 && full.pruned == 0);
			ck_assert_int_le(r.runs, full.runs);
			printf("%s:%s: %ld schedules, %ld with pruning (%ld branches pruned)\n", p->name,
			       v->name, full.runs, r.runs, r.pruned);
			ex_result_free(&full);
		}
	}
}
END_TEST

/* Every broken variant shows its declared failure within <= 2 preemptions
 * at its smallest parameters or else its default ones, with pruning on -- except lock-free-stack aba, whose fewest is
 * 3 (test_shrink.c shows both halves of that). */
START_TEST(broken_exhaustive)
{
	if (test_heavy_skipped("broken_exhaustive"))
		return;
	for (const struct pattern *const *pp = pattern_all(); *pp; pp++) {
		const struct pattern *p = *pp;
		if (p->sched != PATTERN_SCHED_ANY || !core(p))
			continue;
		for (int i = 0; i < p->nvariants; i++) {
			const struct pattern_variant *v = &p->variants[i];
			if (strcmp(v->outcome, "ok") == 0 ||
			    (strcmp(p->name, "lock-free-stack") == 0 && strcmp(v->name, "aba") == 0))
				continue;
			/* The smallest parameters first; some mistakes need more tasks. */
			struct ex_result r;
			exhaust(p, v, true, 10, true, &r);
			if (!r.first.set) {
				ex_result_free(&r);
				exhaust(p, v, false, 10, true, &r);
			}
			ck_assert_msg(r.first.set && r.broken == 1, "%s:%s: %ld schedules, none showed %s",
			              p->name, v->name, r.runs, v->outcome);
			ex_result_free(&r);
		}
	}
}
END_TEST

/* The interrupt flag (a SIGINT handler sets it in the CLI): set here by the
 * progress callback after 5 schedules, explore stops with the counts so
 * far and the schedule it was on, which replays. */
static void interrupt_after_5(void *ctx, const struct ex_progress *p)
{
	if (p->done >= 5)
		*(volatile int *)ctx = 1;
}

START_TEST(interrupt_stops_with_the_current_schedule)
{
	struct two t = {.n = 6};
	struct ex_program prog = {two_main, &t, NULL, "two"};
	volatile int flag = 0;
	struct ex_options opt;
	ex_options_init(&opt);
	opt.strategy = EX_EXHAUSTIVE;
	opt.race = false;
	opt.interrupt = &flag;
	opt.progress = interrupt_after_5;
	opt.progress_ctx = (void *)&flag;
	struct ex_result r;
	ck_assert_int_eq(ex_explore(&prog, always_kept, NULL, &opt, &r), 0);
	ck_assert(r.interrupted);
	ck_assert(!r.complete);
	ck_assert_int_eq(r.runs, 5);
	ck_assert_ptr_nonnull(r.current);
	struct cl_config cfg;
	ex_config(&opt, r.current_seed, EX_RANDOM, &cfg);
	cfg.interrupt = NULL;
	struct cl_result res;
	ck_assert_int_eq(ex_replay(&prog, r.current, ex_schedule_hash("two", r.current_seed,
	                                                               EX_RANDOM, 0), &cfg, &res), 0);
	ck_assert_int_eq(res.outcome, CL_OUTCOME_OK);
	cl_result_free(&res);
	ex_result_free(&r);
}
END_TEST

Suite *suite_exhaustive(void)
{
	Suite *s = suite_create("exhaustive");
	TCase *tc = tcase_create("counts");
	tcase_add_test(tc, two_tasks_counts);
	tcase_add_test(tc, interrupt_stops_with_the_current_schedule);
	suite_add_tcase(s, tc);
	TCase *pat = tcase_create("patterns");
	tcase_set_timeout(pat, 600);
	tcase_add_test(pat, correct_exhaustive);
	tcase_add_test(pat, broken_exhaustive);
	suite_add_tcase(s, pat);
	return s;
}
