/*
 * test_schedule.c - schedules as strings (runtime/schedule.h): the text
 * round-trips and refuses a bad version, another hash and bad tokens; a
 * recorded run replays to the same events byte for byte (jsonl, random and
 * PCT); a replay that runs out continues without preemption; a decision
 * naming a task that cannot run is refused naming the decision.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "render/render.h"
#include "runtime/schedule.h"
#include "tests/explore/judge.h"

START_TEST(text_round_trip)
{
	struct cl_schedule s, back;
	cl_schedule_init(&s);
	s.hash = 0x0123456789abcdefull;
	const int tasks[] = {2, 2, 2, 1, 3, 3, 12};
	for (size_t i = 0; i < sizeof tasks / sizeof tasks[0]; i++)
		ck_assert_int_eq(cl_schedule_push(&s, tasks[i]), 0);
	char *text = cl_schedule_format(&s, s.n);
	ck_assert_str_eq(text, "S1-0123456789abcdef-2x3.1.3x2.12");
	char err[300];
	ck_assert_int_eq(cl_schedule_parse(text, true, s.hash, &back, err, sizeof err), 0);
	ck_assert_uint_eq(back.n, s.n);
	for (size_t i = 0; i < s.n; i++)
		ck_assert_int_eq(back.d[i].task, tasks[i]);
	cl_schedule_free(&back);
	/* Another hash, another version, bad tokens: refused with a reason. */
	ck_assert_int_eq(cl_schedule_parse(text, true, 42, &back, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "recorded for another program"));
	ck_assert_int_eq(cl_schedule_parse("S2-0123456789abcdef-1", false, 0, &back, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "version 2"));
	ck_assert_int_eq(cl_schedule_parse("S1-0123456789abcdef-1.x2", false, 0, &back, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "token 2"));
	ck_assert_int_eq(cl_schedule_parse("S1-0123-1", false, 0, &back, err, sizeof err), -1);
	ck_assert_int_eq(cl_schedule_parse("hello", false, 0, &back, err, sizeof err), -1);
	ck_assert_int_eq(cl_schedule_parse("S1-0123456789abcdef-", false, 0, &back, err, sizeof err), 0);
	ck_assert_uint_eq(back.n, 0);
	cl_schedule_free(&back);
	free(text);
	cl_schedule_free(&s);
}
END_TEST

/* Runs pp once under cfg with a jsonl sink; returns the events (malloc'd). */
static char *jsonl_run(struct pattern_prog *pp, struct cl_config *cfg, struct cl_result *res)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	ck_assert_ptr_nonnull(out);
	struct render_opts ro = {.out = out};
	struct cl_sink sink;
	char err[200];
	ck_assert_int_eq(render_open("jsonl", &ro, &sink, err, sizeof err), 0);
	cfg->sinks = &sink;
	cfg->nsinks = 1;
	pattern_run_reset(pp->run);
	ck_assert_int_eq(cl_run(pattern_entry, pp->run, cfg, res), 0);
	render_close(&sink);
	fclose(out);
	cfg->sinks = NULL;
	cfg->nsinks = 0;
	return buf;
}

static void replay_same(const char *pattern, const char *variant, uint64_t seed, bool pct)
{
	struct pattern_prog pp;
	pattern_prog_open(&pp, pattern, variant, NULL);
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.seed = seed;
	if (pct) {
		cfg.strategy = CL_STRATEGY_PCT;
		cfg.pct_depth = 3;
		cfg.pct_steps = 200;
	}
	struct cl_schedule rec, sch;
	cl_schedule_init(&rec);
	rec.hash = ex_schedule_hash(pp.identity, seed, pct ? EX_PCT : EX_RANDOM, 3);
	cfg.record = &rec;
	struct cl_result a, b;
	char *first = jsonl_run(&pp, &cfg, &a);
	ck_assert_uint_gt(rec.n, 0);
	char *text = cl_schedule_format(&rec, rec.n);
	char err[300];
	ck_assert_int_eq(cl_schedule_parse(text, true, rec.hash, &sch, err, sizeof err), 0);
	cfg.record = NULL;
	cfg.replay = &sch;
	char *second = jsonl_run(&pp, &cfg, &b);
	ck_assert_msg(strcmp(first, second) == 0, "%s:%s seed %llu: the replay's events differ",
	              pattern, variant, (unsigned long long)seed);
	ck_assert_int_eq(a.outcome, b.outcome);
	ck_assert_uint_eq(a.steps, b.steps);
	ck_assert_uint_eq(b.schedule_refused, 0);
	cl_result_free(&a);
	cl_result_free(&b);
	free(first);
	free(second);
	free(text);
	cl_schedule_free(&rec);
	cl_schedule_free(&sch);
	pattern_prog_close(&pp);
}

START_TEST(replay_byte_for_byte)
{
	replay_same("fan-in", "add-inside", 61, false);
	replay_same("lock-free-stack", "aba", 7, false);
	replay_same("worker-pool", "correct", 3, true);
	replay_same("hedged-request", "correct", 5, false);
	replay_same("pub-sub", "correct", 2, true);
}
END_TEST

/* With nothing to replay, every decision is the default: the running
 * task goes on while it can (no preemption at all). */
START_TEST(continues_without_preemption)
{
	struct pattern_prog pp;
	pattern_prog_open(&pp, "worker-pool", "correct", NULL);
	struct cl_config cfg;
	cl_config_init(&cfg);
	struct cl_schedule empty, rec;
	cl_schedule_init(&empty);
	cl_schedule_init(&rec);
	cfg.replay = &empty;
	cfg.record = &rec;
	struct cl_result res;
	pattern_run_reset(pp.run);
	ck_assert_int_eq(cl_run(pattern_entry, pp.run, &cfg, &res), 0);
	ck_assert_uint_gt(rec.n, 0);
	ck_assert_int_eq(cl_schedule_preemptions(&rec, rec.n), 0);
	for (size_t i = 0; i < rec.n; i++) {
		ck_assert_int_eq(rec.d[i].task, rec.d[i].dflt);
		if (rec.d[i].current)
			ck_assert_int_eq(rec.d[i].task, rec.d[i].current);
	}
	cl_result_free(&res);
	cl_schedule_free(&rec);
	cl_schedule_free(&empty);
	pattern_prog_close(&pp);
}
END_TEST

/* A decision naming a task that cannot run there stops the run (outcome
 * limit, reason "schedule") with a message naming the decision; lenient
 * replay takes the default instead. */
START_TEST(refuses_a_task_that_cannot_run)
{
	struct pattern_prog pp;
	pattern_prog_open(&pp, "fan-in", "correct", NULL);
	struct cl_config cfg;
	cl_config_init(&cfg);
	struct cl_schedule bad;
	cl_schedule_init(&bad);
	cl_schedule_push(&bad, 1);
	cl_schedule_push(&bad, 99);
	cfg.replay = &bad;
	struct cl_result res;
	pattern_run_reset(pp.run);
	ck_assert_int_eq(cl_run(pattern_entry, pp.run, &cfg, &res), 0);
	ck_assert_int_eq(res.outcome, CL_OUTCOME_LIMIT);
	ck_assert_uint_eq(res.schedule_refused, 2);
	ck_assert_str_eq(res.limit_reason, "schedule");
	ck_assert_ptr_nonnull(res.report);
	ck_assert_ptr_nonnull(strstr(res.report, "decision 2 of 2: task 99 is not runnable"));
	cl_result_free(&res);
	cfg.replay_lenient = true;
	pattern_run_reset(pp.run);
	ck_assert_int_eq(cl_run(pattern_entry, pp.run, &cfg, &res), 0);
	ck_assert_int_eq(res.outcome, CL_OUTCOME_OK);
	ck_assert_uint_eq(res.schedule_fallbacks, 1);
	cl_result_free(&res);
	/* ex_replay checks the hash first. */
	ck_assert_int_eq(ex_replay(&pp.prog, "S1-0000000000000001-1", 2, &cfg, &res), -1);
	ck_assert_ptr_nonnull(strstr(res.report, "another program"));
	cl_result_free(&res);
	cl_schedule_free(&bad);
	pattern_prog_close(&pp);
}
END_TEST

Suite *suite_schedule(void)
{
	Suite *s = suite_create("schedule");
	TCase *tc = tcase_create("schedule");
	tcase_add_test(tc, text_round_trip);
	tcase_add_test(tc, replay_byte_for_byte);
	tcase_add_test(tc, continues_without_preemption);
	tcase_add_test(tc, refuses_a_task_that_cannot_run);
	suite_add_tcase(s, tc);
	return s;
}
