/* explore.c - runs pattern variants under many schedules for the suites (see explore.h). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "tests/patterns/explore.h"
#include "tests/testlib.h"

void explore(const char *pattern, const char *variant, enum cl_strategy strategy, int depth,
             long n, const char *const *params, bool stop_when_kept, struct explore_result *out)
{
	memset(out, 0, sizeof *out);
	const struct pattern *p = pattern_find(pattern);
	ck_assert_msg(p != NULL, "no pattern %s", pattern);
	const struct pattern_variant *v = pattern_variant_find(p, variant);
	ck_assert_msg(v != NULL, "no variant %s:%s", pattern, variant);
	struct pattern_run *run = pattern_run_new(p, v);
	char err[256];
	for (int i = 0; params && params[i]; i += 2)
		ck_assert_msg(pattern_run_set(run, params[i], params[i + 1], err, sizeof err) == 0, "%s", err);

	for (long s = 1; s <= n; s++) {
		struct cl_config config;
		cl_config_init(&config);
		config.strategy = strategy;
		config.pct_depth = depth;
		config.seed = (uint64_t)s;
		struct cl_result res;
		pattern_run_reset(run);
		ck_assert_msg(cl_run(pattern_entry, run, &config, &res) == 0, "cl_run failed: %s",
		              res.report ? res.report : "?");
		out->runs++;
		bool kept = pattern_promise_kept(run, &res);
		if (kept) {
			out->kept++;
			if (!out->first_kept_seed)
				out->first_kept_seed = (uint64_t)s;
		} else if (!out->first_broken_seed) {
			char why[256], args[160];
			out->first_broken_seed = (uint64_t)s;
			snprintf(out->first_broken, sizeof out->first_broken,
			         "chanlab run %s %s --seed %llu --strategy %s: %s; %s %.120s", pattern,
			         pattern_replay_args(run, args, sizeof args), (unsigned long long)s,
			         strategy == CL_STRATEGY_PCT ? "pct" : "random",
			         pattern_verdict_name(pattern_verdict(run, &res)),
			         pattern_explain(run, &res, why, sizeof why),
			         res.report ? res.report : "");
		}
		cl_result_free(&res);
		if (kept && stop_when_kept)
			break;
	}
	pattern_run_free(run);
}

void check_correct(const char *pattern, const char *variant, const char *const *params)
{
	struct explore_result r;
	explore(pattern, variant, CL_STRATEGY_RANDOM, 3, test_scaled(10000, 200), params, false, &r);
	ck_assert_msg(r.kept == r.runs, "%s:%s broke its promise in %ld of %ld random schedules, "
	              "first: %s", pattern, variant, r.runs - r.kept, r.runs, r.first_broken);
	explore(pattern, variant, CL_STRATEGY_PCT, 3, test_scaled(2000, 200), params, false, &r);
	ck_assert_msg(r.kept == r.runs, "%s:%s broke its promise in %ld of %ld PCT schedules, "
	              "first: %s", pattern, variant, r.runs - r.kept, r.runs, r.first_broken);
}

void check_broken(const char *pattern, const char *variant, const char *const *params)
{
	struct explore_result r;
	long n = test_scaled(10000, 1000);
	explore(pattern, variant, CL_STRATEGY_RANDOM, 3, n, params, true, &r);
	if (r.kept)
		return;
	explore(pattern, variant, CL_STRATEGY_PCT, 3, n, params, true, &r);
	ck_assert_msg(r.kept > 0, "%s:%s never showed its declared outcome in %ld random and %ld PCT "
	              "schedules; e.g. %s", pattern, variant, n, n, r.first_broken);
}
