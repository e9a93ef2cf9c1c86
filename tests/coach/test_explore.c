/*
 * test_explore.c - the checker's search (coach/explore.h) in-process, on
 * two tasks that add to one counter: with the race detector the unlocked
 * version is a race; without it, exhaustive search finds the lost update
 * (in the bound-1 tree: bounds are tried 0, 1, 2 in turn) and the
 * shrinker leaves the one preemption it needs; the schedule
 * reported replays to the same failure; the locked version passes every
 * schedule within the bound, and the search says it covered them all.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "coach/coach.h"
#include "coach/explore.h"

struct counter {
	cl_shared(int) n;
	cl_mutex *mu;          /* NULL: unlocked */
	cl_waitgroup *wg;
};

static void adder(void *arg)
{
	struct counter *c = arg;
	if (c->mu)
		cl_lock(c->mu);
	int v = cl_rd(c->n);
	cl_wr(c->n, v + 1);
	if (c->mu)
		cl_unlock(c->mu);
	cl_wg_done(c->wg);
}

static void run_counter(bool locked)
{
	struct counter c = {.mu = locked ? cl_mutex_new("mu") : NULL, .wg = cl_wg_new("wg")};
	cl_wg_add(c.wg, 2);
	cl_go(adder, &c, "adder-1");
	cl_go(adder, &c, "adder-2");
	cl_wg_wait(c.wg);
	coach_expect(cl_rd(c.n) == 2, "both adds are counted (the counter is %d)", cl_rd(c.n));
}

static void unlocked_main(void *arg)
{
	(void)arg;
	run_counter(false);
}

static void locked_main(void *arg)
{
	(void)arg;
	run_counter(true);
}

static bool failed(void *ctx, const struct cl_result *r, char *kind, size_t ksize, char *why,
                   size_t wsize)
{
	(void)ctx;
	if (r->outcome == CL_OUTCOME_OK)
		return false;
	if (r->outcome == CL_OUTCOME_PANIC &&
	    strncmp(r->panic_msg, COACH_EXPECT_PREFIX, strlen(COACH_EXPECT_PREFIX)) == 0) {
		snprintf(kind, ksize, "result");
		snprintf(why, wsize, "%s", r->panic_msg + strlen(COACH_EXPECT_PREFIX));
	} else {
		snprintf(kind, ksize, "%s", cl_outcome_name(r->outcome));
		snprintf(why, wsize, "%s", r->report ? r->report : "");
	}
	return true;
}

static const struct coach_promise promise = {failed, NULL};

static struct coach_bounds small_bounds(bool race)
{
	return (struct coach_bounds){.preemptions = 2, .latency_seeds = 1, .exhaustive_cap = 5000,
	                             .pct = 50, .pct_depth = 3, .random = 50, .max_steps = 10000,
	                             .no_race = !race};
}

/* The unlocked counter with the detector on: a race, named so. */
START_TEST(unlocked_counter_is_a_race)
{
	struct coach_program prog = {.main_fn = unlocked_main, .identity = "test counter"};
	struct coach_bounds b = small_bounds(true);
	struct coach_explore_report rep;
	ck_assert_int_eq(coach_explore(&prog, &promise, &b, NULL, NULL, &rep), 0);
	ck_assert(rep.failed);
	ck_assert_str_eq(rep.kind, "race");
	ck_assert_ptr_nonnull(strstr(rep.why, "DATA RACE"));
	ck_assert_ptr_nonnull(strstr(rep.why, "c->n"));
	ck_assert_int_eq(rep.pct, 0);   /* found before PCT began */
	ck_assert_int_ge(rep.exhaustive, 1);
	coach_explore_report_free(&rep);
}
END_TEST

/* Without the detector, exhaustive search finds the lost update; the
 * shrunk schedule keeps exactly the one preemption it needs (between one
 * adder's read and its write) and replays to the same failure. */
START_TEST(lost_update_shrunk_and_replayed)
{
	struct coach_program prog = {.main_fn = unlocked_main, .identity = "test counter",
	                             .max_steps = 10000};
	struct coach_bounds b = small_bounds(false);
	struct coach_explore_report rep;
	ck_assert_int_eq(coach_explore(&prog, &promise, &b, NULL, NULL, &rep), 0);
	ck_assert(rep.failed);
	ck_assert_str_eq(rep.kind, "result");
	ck_assert_ptr_nonnull(strstr(rep.why, "the counter is 1"));
	ck_assert_int_eq(rep.pct, 0);
	/* Bounds are tried 0, 1, 2: no schedule without a preemption loses an
	 * update, and the search stops in the bound-1 tree. */
	ck_assert_int_eq(rep.exhaustive_bound, 1);
	ck_assert_int_eq(rep.complete_bound, 0);
	ck_assert(rep.shrunk);
	ck_assert_int_eq(rep.to_preemptions, 1);
	ck_assert_uint_le(rep.to_decisions, rep.from_decisions);
	ck_assert_ptr_nonnull(strstr(rep.schedule, "random:"));
	ck_assert_ptr_nonnull(strstr(rep.schedule, ":S1-"));

	struct cl_result r;
	char err[256];
	ck_assert_int_eq(coach_replay(&prog, rep.schedule, NULL, 0, &r, err, sizeof err), 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_PANIC);
	ck_assert_ptr_nonnull(strstr(r.panic_msg, "the counter is 1"));
	ck_assert_uint_eq(r.steps, rep.steps);
	cl_result_free(&r);

	/* The same search again finds the same shrunk schedule. */
	struct coach_explore_report again;
	ck_assert_int_eq(coach_explore(&prog, &promise, &b, NULL, NULL, &again), 0);
	ck_assert_str_eq(again.schedule, rep.schedule);
	coach_explore_report_free(&again);
	coach_explore_report_free(&rep);
}
END_TEST

/* The locked counter passes every schedule with <= 2 preemptions, then
 * the PCT and random ones, and the report says the search was complete. */
START_TEST(locked_counter_passes_all)
{
	struct coach_program prog = {.main_fn = locked_main, .identity = "test counter"};
	struct coach_bounds b = small_bounds(true);
	struct coach_explore_report rep;
	ck_assert_int_eq(coach_explore(&prog, &promise, &b, NULL, NULL, &rep), 0);
	ck_assert(!rep.failed);
	ck_assert(rep.exhaustive_complete);
	ck_assert_int_gt(rep.exhaustive, 2);
	ck_assert_int_lt(rep.exhaustive, b.exhaustive_cap);
	ck_assert_int_eq(rep.latency_seeds, 1);
	ck_assert_int_eq(rep.pct, 50);
	ck_assert_int_eq(rep.random, 50);
	ck_assert_int_eq(rep.exhaustive_bound, 2);
	ck_assert_int_eq(rep.complete_bound, 2);
	ck_assert_int_eq(rep.complete_count, rep.exhaustive);
	/* The bound-0 and bound-1 trees ran first. */
	ck_assert_int_gt(rep.exhaustive_runs, rep.exhaustive);
	ck_assert_int_eq(rep.schedules, rep.exhaustive_runs + 100);
	coach_explore_report_free(&rep);
}
END_TEST

/* A schedule for another program, or no schedule at all, is refused. */
START_TEST(replay_refuses_bad_schedules)
{
	struct coach_program prog = {.main_fn = locked_main, .identity = "test counter"};
	struct cl_result r;
	char err[256];
	ck_assert_int_eq(coach_replay(&prog, "bogus", NULL, 0, &r, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a schedule"));
	struct coach_program other = {.main_fn = unlocked_main, .identity = "another program"};
	struct coach_bounds b = small_bounds(false);
	struct coach_explore_report rep;
	ck_assert_int_eq(coach_explore(&other, &promise, &b, NULL, NULL, &rep), 0);
	ck_assert(rep.failed);
	ck_assert_int_eq(coach_replay(&prog, rep.schedule, NULL, 0, &r, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "hash"));
	/* The seed-only form still runs. */
	ck_assert_int_eq(coach_replay(&prog, "random:3", NULL, 0, &r, err, sizeof err), 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	cl_result_free(&r);
	coach_explore_report_free(&rep);
}
END_TEST

Suite *suite_coach_explore(void)
{
	Suite *s = suite_create("coach_explore");
	TCase *tc = tcase_create("explore");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, unlocked_counter_is_a_race);
	tcase_add_test(tc, lost_update_shrunk_and_replayed);
	tcase_add_test(tc, locked_counter_passes_all);
	tcase_add_test(tc, replay_refuses_bad_schedules);
	suite_add_tcase(s, tc);
	return s;
}
