/*
 * test_sharded_map.c - the sharded map (sharded-map): correct keeps "ok"
 * under 10,000 random and 2,000 PCT schedules; plain-map races (det,
 * detector on), one-lock and bad-hash go over the contention limit, each at
 * its default seed and on a share of seeds 1..200; and the direction of the
 * metric: one lock is 2.5 times as contended as the sharded map or more, over
 * the same seeds (counts scaled by CHANLAB_TEST_SCALE); --bench's figures
 * under par.
 */
#include <check.h>
#include <stdio.h>

#include "tests/patterns/explore.h"
#include "tests/patterns/share.h"

START_TEST(correct)
{
	check_correct("sharded-map", "correct", NULL);
}
END_TEST

/* sharded-map:plain-map: the workers' unlocked increments race. */
START_TEST(plain_map)
{
	check_share("sharded-map", "plain-map", NULL, 100);
}
END_TEST

/* sharded-map:one-lock: most Locks find the one mutex held. */
START_TEST(one_lock)
{
	check_broken("sharded-map", "one-lock", NULL);
	check_share("sharded-map", "one-lock", NULL, 95);
}
END_TEST

/* sharded-map:bad-hash: every key in one shard, as contended as one lock. */
START_TEST(bad_hash)
{
	check_broken("sharded-map", "bad-hash", NULL);
	check_share("sharded-map", "bad-hash", NULL, 95);
}
END_TEST

/* The contention metric of variant at seed. */
static int64_t contended_at(const char *variant, uint64_t seed)
{
	const struct pattern *p = pattern_find("sharded-map");
	struct pattern_run *run = pattern_run_new(p, pattern_variant_find(p, variant));
	share_run_seed(run, seed);
	int64_t pct = -1;
	for (int i = 0; i < run->nmetrics; i++)
		if (strcmp(run->metrics[i].name, "contended_pct") == 0 && run->metrics[i].has_value)
			pct = run->metrics[i].value;
	pattern_run_free(run);
	ck_assert_msg(pct >= 0, "sharded-map:%s measured no contended_pct at seed %llu", variant,
	              (unsigned long long)seed);
	return pct;
}

/* Over the same seeds, one lock is at least 2.5 times as contended as 32
 * shards (about 3.5 times with the defaults). */
START_TEST(sharding_cuts_contention)
{
	long n = test_scaled(50, 10);
	int64_t one = 0, sharded = 0;
	for (long s = 1; s <= n; s++) {
		one += contended_at("one-lock", (uint64_t)s);
		sharded += contended_at("correct", (uint64_t)s);
	}
	ck_assert_msg(sharded > 0 && 2 * one >= 5 * sharded, "one lock %lld%%, sharded %lld%% (sums over %ld seeds)",
	              (long long)one, (long long)sharded, n);
}
END_TEST

/* --bench N: the figures of one lock and the sharded map under par (wall
 * clock, so only their presence and sense are checked, never a time or a
 * ratio: on a small shared machine the two rarely run at the same instant). */
START_TEST(bench_figures_under_par)
{
	if (test_heavy_skipped("sharded-map --bench under par"))
		return;
	const struct pattern *p = pattern_find("sharded-map");
	struct pattern_run *run = pattern_run_new(p, pattern_variant_find(p, "correct"));
	char err[200];
	ck_assert_int_eq(pattern_run_set(run, "bench", "2000", err, sizeof err), 0);
	struct cl_config config;
	cl_config_init(&config);
	FILE *out = tmpfile();
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(pattern_run_figures(run, &config, out), 0);
	ck_assert_int_eq(run->nfigures, 5);
	ck_assert_str_eq(run->figures[0].name, "ns per increment, one lock");
	ck_assert(run->figures[0].value > 0 && run->figures[1].value > 0);
	for (int i = 3; i < 5; i++)
		ck_assert(run->figures[i].value >= 0 && run->figures[i].value <= 100);
	fclose(out);
	/* Without --bench nothing is measured. */
	ck_assert_int_eq(pattern_run_set(run, "bench", "0", err, sizeof err), 0);
	ck_assert_int_eq(pattern_run_figures(run, &config, NULL), 0);
	ck_assert_int_eq(run->nfigures, 0);
	pattern_run_free(run);
}
END_TEST

Suite *suite_sharded_map(void)
{
	Suite *s = suite_create("sharded-map");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, correct);
	tcase_add_test(tc, plain_map);
	tcase_add_test(tc, one_lock);
	tcase_add_test(tc, bad_hash);
	tcase_add_test(tc, sharding_cuts_contention);
	tcase_add_test(tc, bench_figures_under_par);
	suite_add_tcase(s, tc);
	return s;
}
