/*
 * test_shrink.c - shrinking (explore/explore.h): for fan-in add-inside and
 * lock-free-stack aba, the shrunk schedule replays strictly to the same
 * failure, is never longer than the one found, has at most 3 preemptions,
 * and is 1-minimal (dropping any one of its preemptions, every other switch
 * kept where it happens, loses the failure); shrinking twice gives the same
 * schedule.  And aba's fewest preemptions really are 3: at the smallest
 * parameters where it shows (3 workers, 2 rounds), exhaustive search finds
 * it with <= 3 preemptions and no schedule with 2 or fewer fails (both
 * release only).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "runtime/schedule.h"
#include "tests/explore/judge.h"
#include "tests/testlib.h"

/* The smallest stack that shows ABA: three workers, three rounds (the
 * pattern's defaults are larger, so that the mistake shows on many seeds). */
static const char *const small_stack[] = {"tasks", "3", "rounds", "3", NULL};
/* The smallest that exhaustive search finds it in (aba_exhaustive_smallest). */
static const char *const aba_smallest[] = {"tasks", "3", "rounds", "2", NULL};

static void check_shrink(const char *pattern, const char *variant, const char *const *params,
                         int max_pre)
{
	struct pattern_prog pp;
	pattern_prog_open(&pp, pattern, variant, params);
	struct ex_options opt;
	ex_options_init(&opt);
	opt.runs = 5000;
	opt.race = true;   /* as explore runs by default */
	struct ex_result r;
	ck_assert_int_eq(ex_explore(&pp.prog, pattern_judge, &pp, &opt, &r), 0);
	ck_assert_msg(r.first.set, "%s:%s: no failure in %ld runs", pattern, variant, r.runs);
	ck_assert_ptr_nonnull(r.shrunk);
	ck_assert_uint_le(r.shrink.to_decisions, r.shrink.from_decisions);
	ck_assert_int_le(r.shrink.to_preemptions, r.shrink.from_preemptions);
	ck_assert_int_le(r.shrink.to_preemptions, max_pre);
	printf("%s:%s: shrunk from %zu decisions and %d preemptions to %zu and %d in %ld runs\n",
	       pattern, variant, r.shrink.from_decisions, r.shrink.from_preemptions,
	       r.shrink.to_decisions, r.shrink.to_preemptions, r.shrink.runs);

	/* Strict replay: the same failure. */
	struct cl_config cfg;
	ex_config(&opt, r.first.seed, r.first.strategy, &cfg);
	struct cl_result res;
	uint64_t hash = ex_schedule_hash(pp.identity, r.first.seed, r.first.strategy, opt.pct_depth);
	ck_assert_int_eq(ex_replay(&pp.prog, r.shrunk, hash, &cfg, &res), 0);
	struct ex_failure key = {0};
	ck_assert_int_eq(pattern_judge(&pp, &res, &key), EX_BROKEN);
	ck_assert(ex_failure_same(&key, &r.first.failure));
	ck_assert_uint_eq(res.schedule_refused, 0);
	cl_result_free(&res);

	/* 1-minimal: without any one preemption, it no longer fails that way. */
	struct ex_found shrunk = r.first;
	shrunk.schedule = r.shrunk;
	for (int p = 0; p < r.shrink.to_preemptions; p++) {
		enum ex_judgement j;
		struct ex_failure k2;
		ck_assert_int_eq(ex_without_preemption(&pp.prog, pattern_judge, &pp, &opt, &shrunk, p,
		                                       &j, &k2), 0);
		ck_assert_msg(j != EX_BROKEN || !ex_failure_same(&k2, &r.first.failure),
		              "%s:%s: still fails without preemption %d", pattern, variant, p);
	}
	ck_assert_int_eq(ex_without_preemption(&pp.prog, pattern_judge, &pp, &opt, &shrunk,
	                                       r.shrink.to_preemptions, NULL, NULL) == -1 ||
	                 r.shrink.to_preemptions == 0, 1);

	/* Deterministic. */
	struct ex_shrink_stats st;
	char err[256];
	char *again = ex_shrink(&pp.prog, pattern_judge, &pp, &opt, &r.first, &st, err, sizeof err);
	ck_assert_ptr_nonnull(again);
	ck_assert_str_eq(again, r.shrunk);
	ck_assert_int_eq(st.runs, r.shrink.runs);
	free(again);
	ex_result_free(&r);
	pattern_prog_close(&pp);
}

START_TEST(shrink_add_inside)
{
	check_shrink("fan-in", "add-inside", NULL, 3);
}
END_TEST

START_TEST(shrink_aba)
{
	/* Tens of thousands of replays, twice: minutes under TSan. */
	if (test_heavy_skipped("shrink_aba"))
		return;
	check_shrink("lock-free-stack", "aba", small_stack, 3);
}
END_TEST

/* aba at the smallest parameters where it shows (aba_exhaustive_smallest):
 * every schedule with <= 2 preemptions keeps exactly-once (the pattern
 * draws no latencies, so one seed covers them), so its fewest is 3. */
START_TEST(aba_needs_three)
{
	if (test_heavy_skipped("aba_needs_three"))
		return;
	struct pattern_prog pp;
	pattern_prog_open(&pp, "lock-free-stack", "aba", aba_smallest);
	struct ex_options opt;
	ex_options_init(&opt);
	opt.strategy = EX_EXHAUSTIVE;
	opt.preemptions = 2;
	opt.latency_seeds = 1;
	opt.runs = 1000000;
	opt.race = false;   /* the mistake is an invariant; the detector would only slow it */
	struct ex_result r;
	ck_assert_int_eq(ex_explore(&pp.prog, pattern_judge, &pp, &opt, &r), 0);
	ck_assert(r.complete);
	ck_assert_int_eq(r.broken, 0);
	ck_assert_int_gt(r.runs, 100000);
	ex_result_free(&r);
	pattern_prog_close(&pp);
}
END_TEST

/* The smallest stack where exhaustive search finds ABA: three workers of
 * two rounds (two workers of two rounds need more than 4 preemptions: all
 * 2,969,168 schedules with <= 4 keep the promise; three workers of one
 * round more than 3: all 749,150 with <= 3 do; four of one round fail at
 * K = 3 too, after 220,169 schedules).  With <= 3 preemptions and pruning
 * it is found after 201,876 schedules (402,234 without pruning), and the
 * schedule shrinks to 3 preemptions, 1-minimal; with <= 2 every schedule
 * (109,867) keeps the promise (aba_needs_three), so 3 is the real minimum. */
START_TEST(aba_exhaustive_smallest)
{
	if (test_heavy_skipped("aba_exhaustive_smallest"))
		return;
	struct pattern_prog pp;
	pattern_prog_open(&pp, "lock-free-stack", "aba", aba_smallest);
	struct ex_options opt;
	ex_options_init(&opt);
	opt.strategy = EX_EXHAUSTIVE;
	opt.latency_seeds = 1;   /* the pattern draws no latencies */
	opt.runs = 1000000;
	opt.race = false;        /* the mistake is an invariant; the detector would only slow it */
	opt.preemptions = 3;
	struct ex_result r;
	ck_assert_int_eq(ex_explore(&pp.prog, pattern_judge, &pp, &opt, &r), 0);
	ck_assert_msg(r.first.set, "no ABA within 3 preemptions (%ld schedules)", r.runs);
	ck_assert_str_eq(r.first.failure.name, "exactly-once");
	ck_assert_int_gt(r.pruned, 0);
	ck_assert_ptr_nonnull(r.shrunk);
	ck_assert_int_eq(r.shrunk_preemptions, 3);
	printf("lock-free-stack:aba 3x2: found after %ld schedules (%ld branches pruned), shrunk "
	       "from %zu decisions and %d preemptions to %zu and %d\n", r.runs, r.pruned,
	       r.shrink.from_decisions, r.shrink.from_preemptions, r.shrunk_decisions,
	       r.shrunk_preemptions);
	struct ex_found shrunk = r.first;
	shrunk.schedule = r.shrunk;
	for (int p = 0; p < r.shrunk_preemptions; p++) {
		enum ex_judgement j;
		struct ex_failure key;
		ck_assert_int_eq(ex_without_preemption(&pp.prog, pattern_judge, &pp, &opt, &shrunk, p,
		                                       &j, &key), 0);
		ck_assert_msg(j != EX_BROKEN || !ex_failure_same(&key, &r.first.failure),
		              "still fails without preemption %d", p);
	}
	ex_result_free(&r);
	pattern_prog_close(&pp);
}
END_TEST

Suite *suite_shrink(void)
{
	Suite *s = suite_create("shrink");
	TCase *tc = tcase_create("shrink");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, shrink_add_inside);
	tcase_add_test(tc, shrink_aba);
	tcase_add_test(tc, aba_needs_three);
	tcase_add_test(tc, aba_exhaustive_smallest);
	suite_add_tcase(s, tc);
	return s;
}
