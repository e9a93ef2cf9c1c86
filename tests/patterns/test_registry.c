/*
 * test_registry.c - the registry (patterns/registry.c): every pattern is
 * complete and findable, parameters parse and reject bad values with the
 * valid ones named, declared outcomes parse, and verdicts and promises
 * follow the documented precedence.
 */
#include <check.h>
#include <string.h>

#include "cmd/embedded.h"
#include "patterns/pattern.h"
#include "patterns/registry.h"

static const struct cl_embedded *embedded(const char *path)
{
	for (const struct cl_embedded *e = cl_embedded_files; e->path; e++)
		if (strcmp(e->path, path) == 0)
			return e;
	return NULL;
}

/* The seven core patterns come first, in teaching order, and are findable by name. */
START_TEST(seven_patterns)
{
	static const char *const names[] = {"rendezvous", "reply-channel", "fan-in", "worker-pool",
	                                    "pub-sub", "hedged-request", "lock-free-stack"};
	const struct pattern *const *all = pattern_all();
	for (int i = 0; i < 7; i++) {
		ck_assert_ptr_nonnull(all[i]);
		ck_assert_str_eq(all[i]->name, names[i]);
		ck_assert_ptr_eq(pattern_find(names[i]), all[i]);
	}
	/* New patterns come after the seven core ones (issue 15). */
	ck_assert_ptr_null(pattern_find("worker_pool"));
	ck_assert_ptr_null(pattern_find(NULL));
	char buf[200];
	ck_assert_ptr_nonnull(strstr(pattern_names_list(buf, sizeof buf), "fan-in, worker-pool"));
}
END_TEST

/* Every pattern has its texts, topics, a "correct" first variant, outcomes
 * that parse, unique variant names, defaults that parse, and its C source
 * and Go original compiled into the binary, naming each entry point. */
START_TEST(patterns_complete)
{
	for (const struct pattern *const *pp = pattern_all(); *pp; pp++) {
		const struct pattern *p = *pp;
		ck_assert(p->title && *p->title && p->summary && *p->summary);
		ck_assert(p->handshake && *p->handshake);
		ck_assert_str_ne(pattern_level_name(p->level), "?");
		ck_assert(p->topics && p->topics[0]);
		ck_assert_int_ge(p->nvariants, 3);
		ck_assert_str_eq(p->variants[0].name, "correct");
		ck_assert_str_eq(p->variants[0].outcome, "ok");
		const struct cl_embedded *src = embedded(p->source);
		ck_assert_msg(src != NULL, "%s not embedded", p->source);
		ck_assert_msg(embedded(p->go_source) != NULL, "%s not embedded", p->go_source);
		for (int i = 0; i < p->nvariants; i++) {
			const struct pattern_variant *v = &p->variants[i];
			char name[64], limit[64];
			ck_assert_msg(pattern_expect_parse(v->outcome, name, sizeof name, limit, sizeof limit) >= 0,
			              "%s:%s: bad outcome %s", p->name, v->name, v->outcome);
			ck_assert(v->teaches && *v->teaches && v->main);
			ck_assert_ptr_eq(pattern_variant_find(p, v->name), v);
			ck_assert_msg(strstr(src->data, v->entry) != NULL, "%s: no %s", p->source, v->entry);
		}
		struct pattern_run *run = pattern_run_new(p, &p->variants[0]);
		pattern_run_free(run);
	}
}
END_TEST

/* Declared outcomes parse into kind, name and limit. */
START_TEST(outcomes_parse)
{
	char name[32], limit[32];
	ck_assert_int_eq(pattern_expect_parse("ok", name, sizeof name, limit, sizeof limit), PATTERN_EXPECT_OK);
	ck_assert_int_eq(pattern_expect_parse("leak", name, sizeof name, limit, sizeof limit), PATTERN_EXPECT_LEAK);
	ck_assert_int_eq(pattern_expect_parse("invariant:own-answer", name, sizeof name, limit, sizeof limit),
	                 PATTERN_EXPECT_INVARIANT);
	ck_assert_str_eq(name, "own-answer");
	ck_assert_int_eq(pattern_expect_parse("metric:peak_tasks>workers+3", name, sizeof name, limit,
	                                      sizeof limit), PATTERN_EXPECT_METRIC);
	ck_assert_str_eq(name, "peak_tasks");
	ck_assert_str_eq(limit, "workers+3");
	ck_assert_int_eq(pattern_expect_parse("metric:x", name, sizeof name, limit, sizeof limit), -1);
	ck_assert_int_eq(pattern_expect_parse("invariant:", name, sizeof name, limit, sizeof limit), -1);
	ck_assert_int_eq(pattern_expect_parse("fine", name, sizeof name, limit, sizeof limit), -1);
}
END_TEST

/* Parameters: good values are taken, bad ones refused with the valid ones
 * named, and the replay arguments show what differs from the defaults. */
START_TEST(params)
{
	const struct pattern *p = pattern_find("pub-sub");
	struct pattern_run *run = pattern_run_new(p, pattern_variant_find(p, "slow-blocks-all"));
	char err[200], args[200];
	ck_assert_int_eq(run->params[3], 1); /* policy: drop */
	ck_assert_int_eq(pattern_run_set(run, "policy", "block", err, sizeof err), 0);
	ck_assert_int_eq(run->params[3], 0);
	ck_assert_int_eq(pattern_run_set(run, "policy", "spin", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "block|drop"));
	ck_assert_int_eq(pattern_run_set(run, "messages", "0", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "from 1 to"));
	ck_assert_int_eq(pattern_run_set(run, "messages", "12x", err, sizeof err), -1);
	ck_assert_int_eq(pattern_run_set(run, "workers", "2", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "--subscribers"));
	ck_assert_int_eq(pattern_run_set(run, "messages", "12", err, sizeof err), 0);
	ck_assert_str_eq(pattern_replay_args(run, args, sizeof args),
	                 "--variant slow-blocks-all --messages 12 --policy block");
	pattern_run_free(run);
}
END_TEST

/* Verdicts: the runtime's panic and deadlock first, then the pattern's
 * invariant, then a metric over its limit, then a leak; the promise of a
 * broken variant is kept when its failure happened, whatever else did. */
START_TEST(verdicts)
{
	const struct pattern *p = pattern_find("fan-in");
	struct pattern_run *run = pattern_run_new(p, pattern_variant_find(p, "add-inside"));
	struct cl_result res = {.outcome = CL_OUTCOME_LEAK};
	ck_assert_int_eq(pattern_verdict(run, &res), PATTERN_VERDICT_LEAK);
	ck_assert(!pattern_promise_kept(run, &res));
	run->failed = true;
	strcpy(run->fail_name, "all-delivered");
	ck_assert_int_eq(pattern_verdict(run, &res), PATTERN_VERDICT_INVARIANT);
	ck_assert_int_eq(pattern_verdict_exit(PATTERN_VERDICT_INVARIANT), 5);
	ck_assert(pattern_promise_kept(run, &res));
	res.outcome = CL_OUTCOME_PANIC;
	ck_assert_int_eq(pattern_verdict(run, &res), PATTERN_VERDICT_PANIC);
	ck_assert(pattern_promise_kept(run, &res));
	res.outcome = CL_OUTCOME_FATAL;   /* rt_fatal: exit 2, as Go */
	ck_assert_int_eq(pattern_verdict(run, &res), PATTERN_VERDICT_FATAL);
	ck_assert_int_eq(pattern_verdict_exit(PATTERN_VERDICT_FATAL), 2);
	pattern_run_free(run);

	p = pattern_find("worker-pool");
	run = pattern_run_new(p, pattern_variant_find(p, "unbounded"));
	run->nmetrics = 1;
	strcpy(run->metrics[0].name, "peak_tasks");
	run->metrics[0].has_limit = true;
	run->metrics[0].limit = 7;
	res = (struct cl_result){.outcome = CL_OUTCOME_OK, .peak_tasks = 7};
	ck_assert_int_eq(pattern_verdict(run, &res), PATTERN_VERDICT_OK);
	ck_assert(!pattern_promise_kept(run, &res));
	res.peak_tasks = 8;
	ck_assert_int_eq(pattern_verdict(run, &res), PATTERN_VERDICT_METRIC);
	ck_assert(pattern_promise_kept(run, &res));
	char why[200];
	ck_assert_str_eq(pattern_explain(run, &res, why, sizeof why), "metric peak_tasks = 8 > limit 7");
	pattern_run_free(run);
}
END_TEST

/* A run resets cleanly: failures, metrics and memory of the last run go. */
START_TEST(reset)
{
	const struct pattern *p = pattern_find("rendezvous");
	struct pattern_run *run = pattern_run_new(p, pattern_variant_find(p, "buffered"));
	struct cl_config config;
	cl_config_init(&config);
	struct cl_result res;
	ck_assert_int_eq(cl_run(pattern_entry, run, &config, &res), 0);
	ck_assert(run->failed);
	ck_assert_str_eq(run->fail_name, "handed-off");
	ck_assert(pattern_promise_kept(run, &res));
	cl_result_free(&res);
	pattern_run_reset(run);
	ck_assert(!run->failed);
	ck_assert_ptr_null(run->mem);
	pattern_run_free(run);
}
END_TEST

/* Each variant's demo seed (random strategy, default parameters) shows the
 * declared outcome as the run's verdict, so `chanlab run P --variant V`
 * without --seed demonstrates the mistake. */
START_TEST(demo_seeds)
{
	static const enum pattern_verdict want[] = {
		[PATTERN_EXPECT_OK] = PATTERN_VERDICT_OK,
		[PATTERN_EXPECT_DEADLOCK] = PATTERN_VERDICT_DEADLOCK,
		[PATTERN_EXPECT_LEAK] = PATTERN_VERDICT_LEAK,
		[PATTERN_EXPECT_PANIC] = PATTERN_VERDICT_PANIC,
		[PATTERN_EXPECT_INVARIANT] = PATTERN_VERDICT_INVARIANT,
		[PATTERN_EXPECT_METRIC] = PATTERN_VERDICT_METRIC,
		[PATTERN_EXPECT_RACE] = PATTERN_VERDICT_RACE,
		[PATTERN_EXPECT_FATAL] = PATTERN_VERDICT_FATAL,
		[PATTERN_EXPECT_LIMIT] = PATTERN_VERDICT_LIMIT,   /* livelock:polite, limit:livelock */
	};
	for (const struct pattern *const *pp = pattern_all(); *pp; pp++)
		for (int i = 0; i < (*pp)->nvariants && (*pp)->sched == PATTERN_SCHED_ANY; i++) {
			/* (par-only patterns: no seed fixes a par run; test_parpatterns.c) */
			const struct pattern_variant *v = &(*pp)->variants[i];
			struct pattern_run *run = pattern_run_new(*pp, v);
			struct cl_config config;
			cl_config_init(&config);
			config.seed = v->seed;
			char name[64], limit[64];
			int kind = pattern_expect_parse(v->outcome, name, sizeof name, limit, sizeof limit);
			/* As `run` does for a variant that declares a race: the detector on. */
			config.race = kind == PATTERN_EXPECT_RACE;
			struct cl_result res;
			ck_assert_int_eq(cl_run(pattern_entry, run, &config, &res), 0);
			ck_assert_msg(pattern_promise_kept(run, &res) && pattern_verdict(run, &res) == want[kind],
			              "%s:%s seed %llu: verdict %s, declared %s", (*pp)->name, v->name,
			              (unsigned long long)v->seed,
			              pattern_verdict_name(pattern_verdict(run, &res)), v->outcome);
			cl_result_free(&res);
			pattern_run_free(run);
		}
}
END_TEST

/* pattern_param's fast path compares the caller's pointer with the table's
 * literal; a name that is another copy of the text takes the slow path and
 * must read the same parameter.  Metric names and units are copied with
 * snprintf's truncation (the last byte is the terminator). */
START_TEST(param_lookup_and_metric_copies)
{
	const struct pattern *p = pattern_find("worker-pool");
	struct pattern_run *run = pattern_run_new(p, pattern_variant_find(p, "correct"));
	char err[200];
	ck_assert_int_eq(pattern_run_set(run, "work", "7", err, sizeof err), 0);
	ck_assert_int_eq(pattern_run_set(run, "jobs", "13", err, sizeof err), 0);
	const char *table_work = pattern_param_find(p, "work")->name;
	char copy[8];
	strcpy(copy, "work");
	ck_assert_ptr_ne(copy, table_work);
	ck_assert_int_eq(pattern_param(run, table_work), 7);
	ck_assert_int_eq(pattern_param(run, copy), 7);
	strcpy(copy, "jobs");
	ck_assert_int_eq(pattern_param(run, copy), 13);
	ck_assert_int_eq(pattern_param(run, pattern_param_find(p, "jobs")->name), 13);

	const char *long_name = "a_metric_name_longer_than_thirty_one_bytes";
	pattern_limit(run, long_name, 3, "microseconds");
	pattern_limit(run, "ms_metric", 4, "ms");
	pattern_limit(run, "bare", 5, NULL);
	ck_assert_int_eq(run->nmetrics, 3);
	char want[32];   /* its first 31 bytes */
	memcpy(want, long_name, 31);
	want[31] = '\0';
	ck_assert_str_eq(run->metrics[0].name, want);
	ck_assert_str_eq(run->metrics[0].unit, "microse");
	ck_assert_int_eq(run->metrics[0].limit, 3);
	ck_assert_str_eq(run->metrics[1].name, "ms_metric");
	ck_assert_str_eq(run->metrics[1].unit, "ms");
	ck_assert_str_eq(run->metrics[2].unit, "");
	/* The truncated name is the metric's name: the same call finds it again. */
	pattern_limit(run, long_name, 9, "us");
	ck_assert_int_eq(run->nmetrics, 4);   /* (as before: the stored name is shorter) */
	pattern_limit(run, want, 10, "us");
	ck_assert_int_eq(run->nmetrics, 4);
	ck_assert_int_eq(run->metrics[0].limit, 10);
	pattern_run_free(run);
}
END_TEST

Suite *suite_registry(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("registry");
	tcase_add_test(tc, seven_patterns);
	tcase_add_test(tc, patterns_complete);
	tcase_add_test(tc, outcomes_parse);
	tcase_add_test(tc, params);
	tcase_add_test(tc, verdicts);
	tcase_add_test(tc, reset);
	tcase_add_test(tc, demo_seeds);
	tcase_add_test(tc, param_lookup_and_metric_copies);
	suite_add_tcase(s, tc);
	return s;
}
