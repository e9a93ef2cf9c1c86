/* explore.c - runs pattern variants under many schedules for the suites (see
 * explore.h), through the explorer library (explore/explore.h) as the CLI does. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "explore/explore.h"
#include "tests/patterns/explore.h"
#include "tests/testlib.h"

/* The judge: a run "breaks" when it is what we look for, a broken promise
 * (looking_for_kept false) or the declared outcome shown (true). */
struct judge {
	struct pattern_run *run;
	bool looking_for_kept;
	long kept;
	char first_broken[512];
	char args[160];
	enum cl_strategy strategy;
	uint64_t seed;
};

static enum ex_judgement judge(void *ctx, const struct cl_result *res, struct ex_failure *key)
{
	struct judge *j = ctx;
	bool kept = pattern_promise_kept(j->run, res);
	enum pattern_verdict verdict = pattern_verdict(j->run, res);
	key->outcome = res->outcome;
	snprintf(key->kind, sizeof key->kind, "%s", pattern_verdict_name(verdict));
	if (verdict == PATTERN_VERDICT_INVARIANT)
		snprintf(key->name, sizeof key->name, "%s", j->run->fail_name);
	if (verdict == PATTERN_VERDICT_PANIC)
		snprintf(key->panic_msg, sizeof key->panic_msg, "%s", res->panic_msg);
	if (kept)
		j->kept++;
	if (!kept && !*j->first_broken) {
		char why[256];
		snprintf(j->first_broken, sizeof j->first_broken, "%s: %s; %.120s",
		         pattern_verdict_name(verdict), pattern_explain(j->run, res, why, sizeof why),
		         res->report ? res->report : "");
	}
	return kept == j->looking_for_kept ? EX_BROKEN : EX_KEPT;
}

static void reset(void *arg)
{
	pattern_run_reset(arg);
}

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

	struct judge j = {.run = run, .looking_for_kept = stop_when_kept};
	struct ex_program prog = {pattern_entry, run, reset, pattern};
	struct ex_options opt;
	ex_options_init(&opt);
	opt.strategy = strategy == CL_STRATEGY_PCT ? EX_PCT : EX_RANDOM;
	opt.pct_depth = depth;
	opt.runs = n;
	opt.seed = 1;
	opt.shrink = false;
	opt.race = false;
	opt.stop_at_first = stop_when_kept;
	struct ex_result r;
	ck_assert_msg(ex_explore(&prog, judge, &j, &opt, &r) == 0, "%s", r.error);
	out->runs = r.runs;
	out->kept = j.kept;
	/* Found by the library: the first kept (broken variants) or broken run. */
	uint64_t first = r.first.set ? r.first.seed : 0;
	if (stop_when_kept)
		out->first_kept_seed = first;
	if (!stop_when_kept && first) {
		out->first_broken_seed = first;
		snprintf(out->first_broken, sizeof out->first_broken,
		         "chanlab run %s %s --seed %llu --strategy %s: %.300s", pattern,
		         pattern_replay_args(run, j.args, sizeof j.args), (unsigned long long)first,
		         strategy == CL_STRATEGY_PCT ? "pct" : "random", j.first_broken);
	} else if (*j.first_broken) {
		snprintf(out->first_broken, sizeof out->first_broken, "%s", j.first_broken);
	}
	ex_result_free(&r);
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
