/*
 * share.h - for the part-2 pattern suites: a broken variant shows its
 * declared outcome at its default seed (the one `chanlab run` uses) and on
 * at least a given share of seeds 1..200 (scaled by CHANLAB_TEST_SCALE), so
 * the mistake is neither rare nor a property of one lucky schedule.  A
 * variant that declares "race" runs with the detector on, as `run` does
 * for it (det only).
 */
#ifndef CHANLAB_TESTS_PATTERNS_SHARE_H
#define CHANLAB_TESTS_PATTERNS_SHARE_H

#include <check.h>
#include <string.h>

#include "tests/patterns/explore.h"
#include "tests/testlib.h"

/* Runs seed under the random strategy; returns whether the promise was kept. */
static inline bool share_run_seed(struct pattern_run *run, uint64_t seed)
{
	struct cl_config config;
	cl_config_init(&config);
	config.seed = seed;
	config.race = strcmp(run->variant->outcome, "race") == 0;
	struct cl_result res;
	pattern_run_reset(run);
	ck_assert_int_eq(cl_run(pattern_entry, run, &config, &res), 0);
	bool kept = pattern_promise_kept(run, &res);
	cl_result_free(&res);
	return kept;
}

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

	ck_assert_msg(share_run_seed(run, v->seed), "%s:%s: no %s at its seed %llu", pattern, variant,
	              v->outcome, (unsigned long long)v->seed);
	long n = test_scaled(200, 50), kept = 0;
	for (long s = 1; s <= n; s++)
		kept += share_run_seed(run, (uint64_t)s);
	ck_assert_msg(kept * 100 >= (long)min_percent * n,
	              "%s:%s showed %s in %ld of %ld seeds, expected at least %d%%", pattern, variant,
	              v->outcome, kept, n, min_percent);
	pattern_run_free(run);
}

#endif
