/*
 * share.h - for the part-2 pattern suites: a broken variant shows its
 * declared outcome at its default seed (the one `chanlab run` uses) and on
 * at least a given share of seeds 1..200 (scaled by CHANLAB_TEST_SCALE), so
 * the mistake is neither rare nor a property of one lucky schedule.
 */
#ifndef CHANLAB_TESTS_PATTERNS_SHARE_H
#define CHANLAB_TESTS_PATTERNS_SHARE_H

#include <check.h>

#include "tests/patterns/explore.h"
#include "tests/testlib.h"

static inline void check_share(const char *pattern, const char *variant,
                               const char *const *params, int min_percent)
{
	const struct pattern *p = pattern_find(pattern);
	ck_assert_ptr_nonnull(p);
	const struct pattern_variant *v = pattern_variant_find(p, variant);
	ck_assert_ptr_nonnull(v);

	struct pattern_run *run = pattern_run_new(p, v);
	char err[256];
	for (int i = 0; params && params[i]; i += 2)
		ck_assert_msg(pattern_run_set(run, params[i], params[i + 1], err, sizeof err) == 0, "%s", err);
	struct cl_config config;
	cl_config_init(&config);
	config.seed = v->seed;
	struct cl_result res;
	ck_assert_int_eq(cl_run(pattern_entry, run, &config, &res), 0);
	ck_assert_msg(pattern_promise_kept(run, &res), "%s:%s: no %s at its seed %llu", pattern,
	              variant, v->outcome, (unsigned long long)v->seed);
	cl_result_free(&res);
	pattern_run_free(run);

	struct explore_result r;
	explore(pattern, variant, CL_STRATEGY_RANDOM, 3, test_scaled(200, 50), params, false, &r);
	ck_assert_msg(r.kept * 100 >= (long)min_percent * r.runs,
	              "%s:%s showed %s in %ld of %ld seeds, expected at least %d%%", pattern, variant,
	              v->outcome, r.kept, r.runs, min_percent);
}

#endif
