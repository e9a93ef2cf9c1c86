/*
 * test_races.c - the patterns under the race detector: every correct form
 * is race-free under many schedules (its shared memory is ordered by the
 * handshake it teaches); a broken form whose mistake is a data race shows
 * the race and what it does to the result in the same schedule.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "patterns/registry.h"
#include "tests/testlib.h"

static struct cl_result run_with_race(struct pattern_run *run, uint64_t seed,
                                      enum cl_strategy strategy)
{
	struct cl_config config;
	cl_config_init(&config);
	config.seed = seed;
	config.strategy = strategy;
	config.race = true;
	struct cl_result res;
	pattern_run_reset(run);
	ck_assert_int_eq(cl_run(pattern_entry, run, &config, &res), 0);
	return res;
}

START_TEST(correct_variants_are_race_free)
{
	long runs = test_scaled(2000, 20);
	int checked = 0;
	for (const struct pattern *const *pp = pattern_all(); *pp; pp++) {
		if ((*pp)->sched != PATTERN_SCHED_ANY)
			continue;
		for (int i = 0; i < (*pp)->nvariants; i++) {
			const struct pattern_variant *v = &(*pp)->variants[i];
			if (strcmp(v->outcome, "ok") != 0)
				continue;
			struct pattern_run *run = pattern_run_new(*pp, v);
			for (uint64_t seed = 1; seed <= (uint64_t)runs; seed++) {
				struct cl_result res = run_with_race(run, seed, seed % 2 ? CL_STRATEGY_RANDOM
				                                                        : CL_STRATEGY_PCT);
				ck_assert_msg(res.races == 0 && pattern_promise_kept(run, &res),
				              "%s:%s seed %llu: %s\n%s", (*pp)->name, v->name,
				              (unsigned long long)seed, cl_outcome_name(res.outcome),
				              res.report ? res.report : "");
				cl_result_free(&res);
			}
			pattern_run_free(run);
			checked++;
		}
	}
	ck_assert_int_ge(checked, 7);
}
END_TEST

/* Explores variant with the detector on until one schedule both races and
 * breaks the declared invariant; returns its seed (0: none in n). */
static uint64_t race_and_invariant(const char *pattern, const char *variant, long n,
                                   char *report, size_t size)
{
	const struct pattern *p = pattern_find(pattern);
	ck_assert_ptr_nonnull(p);
	const struct pattern_variant *v = pattern_variant_find(p, variant);
	ck_assert_ptr_nonnull(v);
	struct pattern_run *run = pattern_run_new(p, v);
	uint64_t found = 0;
	for (uint64_t seed = 1; seed <= (uint64_t)n && !found; seed++) {
		struct cl_result res = run_with_race(run, seed, CL_STRATEGY_RANDOM);
		if (res.races > 0 && run->failed && pattern_promise_kept(run, &res) &&
		    pattern_verdict(run, &res) == PATTERN_VERDICT_INVARIANT) {
			found = seed;
			snprintf(report, size, "%s", res.report ? res.report : "");
		}
		cl_result_free(&res);
	}
	pattern_run_free(run);
	return found;
}

START_TEST(sleep_handshake_races_and_reads_half_built_state)
{
	char report[4096];
	uint64_t seed = race_and_invariant("rendezvous", "sleep-handshake", 2000, report, sizeof report);
	ck_assert_msg(seed, "no schedule raced and failed 'initialised'");
	/* main's read of the state races with setup's write of it. */
	ck_assert_ptr_nonnull(strstr(report, "WARNING: DATA RACE"));
	ck_assert_ptr_nonnull(strstr(report, "cfg->ready"));
	ck_assert_ptr_nonnull(strstr(report, "patterns/rendezvous.c:"));
}
END_TEST

START_TEST(aba_races_on_a_recycled_node)
{
	char report[4096];
	uint64_t seed = race_and_invariant("lock-free-stack", "aba", 5000, report, sizeof report);
	ck_assert_msg(seed, "no schedule raced and failed 'exactly-once'");
	ck_assert_ptr_nonnull(strstr(report, "p->value[n]"));
}
END_TEST

Suite *suite_pattern_races(void)
{
	Suite *s = suite_create("pattern-races");
	TCase *tc = tcase_create("races");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, correct_variants_are_race_free);
	tcase_add_test(tc, sleep_handshake_races_and_reads_half_built_state);
	tcase_add_test(tc, aba_races_on_a_recycled_node);
	suite_add_tcase(s, tc);
	return s;
}
