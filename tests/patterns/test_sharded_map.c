/*
 * test_sharded_map.c - the sharded map (sharded-map): correct keeps "ok"
 * under 10,000 random and 2,000 PCT schedules; plain-map races (det,
 * detector on), one-lock and bad-hash go over the contention limit, each at
 * its default seed and on a share of seeds 1..200; and the direction of the
 * metric: one lock is 2.5 times as contended as the sharded map or more, over
 * the same seeds (counts scaled by CHANLAB_TEST_SCALE); --bench's figures
 * under par; and under par, on 2 processors, one lock contended 1.5 times as
 * often as the shards (medians of 5, release builds, serial).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- under par ----------------------------------------------------------------------- */

/* Metric name of the last run. */
static int64_t metric_of(const struct pattern_run *run, const char *name)
{
	for (int i = 0; i < run->nmetrics; i++)
		if (strcmp(run->metrics[i].name, name) == 0 && run->metrics[i].has_value)
			return run->metrics[i].value;
	ck_abort_msg("sharded-map:%s measured no %s", run->variant->name, name);
	return -1;
}

/* One run of variant under par on 2 processors, tracing off (a trace
 * would serialise the workers on its sink), PAR_OPS increments a worker:
 * the contended share of the Locks made while a worker ran on another CPU,
 * and how many those were. */
#define PAR_OPS "300000"
static void par_run(const char *variant, int64_t *contended, int64_t *overlap)
{
	const struct pattern *p = pattern_find("sharded-map");
	struct pattern_run *run = pattern_run_new(p, pattern_variant_find(p, variant));
	char err[200];
	ck_assert_int_eq(pattern_run_set(run, "ops", PAR_OPS, err, sizeof err), 0);
	struct cl_config config;
	cl_config_init(&config);
	config.sched = CL_SCHED_PAR;
	config.procs = 2;
	struct cl_result res;
	pattern_run_reset(run);
	ck_assert_int_eq(cl_run(pattern_entry, run, &config, &res), 0);
	ck_assert_int_eq(res.outcome, CL_OUTCOME_OK);
	ck_assert_msg(!run->failed, "%s: %s", run->fail_name, run->fail_msg);   /* all-counted */
	*contended = metric_of(run, "contended_pct");
	*overlap = metric_of(run, "overlap_locks");
	cl_result_free(&res);
	pattern_run_free(run);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The fewest Locks made while a worker ran on another CPU for a run to
 * count, and the runs tried for 5 that count. */
#define PAR_MIN_OVERLAP 10000
#define PAR_ATTEMPTS 10

/* The median contended share of 5 runs of variant that each made at least
 * PAR_MIN_OVERLAP Locks beside another CPU, of at most PAR_ATTEMPTS runs;
 * -1 if fewer than 5 did (then *least is the fewest such Locks a run made
 * and *short_runs how many runs made too few). */
static int64_t par_median(const char *variant, int64_t *least, int *short_runs)
{
	int64_t pct[5];
	int got = 0;
	*short_runs = 0;
	for (int i = 0; i < PAR_ATTEMPTS && got < 5 && *short_runs <= PAR_ATTEMPTS - 5; i++) {
		int64_t c, overlap;
		par_run(variant, &c, &overlap);
		if (overlap >= PAR_MIN_OVERLAP) {
			pct[got++] = c;
		} else {
			++*short_runs;
			if (overlap < *least)
				*least = overlap;
		}
	}
	if (got < 5)
		return -1;
	qsort(pct, 5, sizeof pct[0], cmp_i64);
	return pct[2];
}

/* Under par one lock is contended 1.5 times as often as 32 shards or more
 * (medians of 5 runs on 2 processors; release builds with 2 CPUs).  The
 * pattern counts only the Locks made while a worker ran on another CPU (two
 * CPUs at once), and a run counts only if it made PAR_MIN_OVERLAP of them:
 * a run with fewer had no two CPUs free for its workers.  If 6 of 10 runs
 * of a variant do not count, the machine had fewer than 2 CPUs free: then,
 * and only then, the check is skipped with a notice giving the count.  A
 * median of 0 counts as 1, so 0 against 0 fails. */
START_TEST(par_one_lock_contends_more)
{
	if (test_heavy_skipped("sharded-map contention under par"))
		return;
	if (cl_available_cpus() < 2) {
		fprintf(stderr, "sharded-map contention under par: notice: fewer than 2 CPUs; not "
		        "checked\n");
		return;
	}
	static const char *const variants[] = {"correct", "one-lock"};
	int64_t median[2], least = INT64_MAX;
	for (int v = 0; v < 2; v++) {
		int short_runs;
		median[v] = par_median(variants[v], &least, &short_runs);
		if (median[v] < 0) {
			fprintf(stderr, "sharded-map contention under par: notice: %d runs of %s (5 of at "
			        "most %d must count) made fewer than %d Locks (as few as %lld) while a "
			        "worker ran on another CPU: fewer than 2 CPUs were free; not checked\n",
			        short_runs, variants[v], PAR_ATTEMPTS, PAR_MIN_OVERLAP, (long long)least);
			return;
		}
	}
	int64_t sharded = median[0], one = median[1];
	ck_assert_msg(one * 10 >= (sharded > 0 ? sharded : 1) * 15,
	              "one lock %lld%%, sharded %lld%% contended (medians of 5)", (long long)one,
	              (long long)sharded);
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
	/* Real threads timed: alone, after the suites that run side by side. */
	TCase *par = tcase_create("par");
	tcase_set_tags(par, TAG_SERIAL);
	tcase_set_timeout(par, 120);
	tcase_add_test(par, par_one_lock_contends_more);
	suite_add_tcase(s, par);
	return s;
}
