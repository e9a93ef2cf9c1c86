/* record.c - running a program under test and keeping its events (record.h). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/runtime/record.h"

static void record_event(void *ctx, const struct cl_event *ev)
{
	struct recorder *r = ctx;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->ev = realloc(r->ev, r->cap * sizeof *r->ev);
		ck_assert_ptr_nonnull(r->ev);
	}
	struct rec_event *e = &r->ev[r->n++];
	memset(e, 0, sizeof *e);
	e->kind = ev->kind;
	e->task = ev->task;
	e->peer = ev->peer;
	e->ok = ev->ok;
	e->count = ev->count;
	e->flow = ev->flow;
	e->obj = ev->obj_id;
	e->time = ev->time;
	e->arg = ev->arg;
	e->wait = ev->wait;
	snprintf(e->value, sizeof e->value, "%s", ev->value);
	snprintf(e->obj_name, sizeof e->obj_name, "%s", ev->obj_name);
	snprintf(e->text, sizeof e->text, "%s", ev->text);
}

struct cl_sink recorder_sink(struct recorder *r)
{
	return (struct cl_sink){record_event, NULL, r};
}

void recorder_free(struct recorder *r)
{
	free(r->ev);
	memset(r, 0, sizeof *r);
}

void test_config(struct cl_config *cfg)
{
	cl_config_init(cfg);
	const char *sched = getenv("CHANLAB_TEST_SCHED");
	if (sched && strcmp(sched, "par") == 0) {
		const char *procs = getenv("CHANLAB_TEST_PROCS");
		cfg->sched = CL_SCHED_PAR;
		cfg->procs = procs ? atoi(procs) : 2;
	}
}

struct cl_result run_prog(void (*fn)(void *), void *arg, uint64_t seed,
                          enum cl_strategy strategy, struct recorder *r)
{
	struct cl_config cfg;
	test_config(&cfg);
	cfg.seed = seed;
	cfg.strategy = strategy;
	struct cl_sink sink;
	if (r) {
		sink = recorder_sink(r);
		cfg.sinks = &sink;
		cfg.nsinks = 1;
	}
	struct cl_result res;
	ck_assert_int_eq(cl_run(fn, arg, &cfg, &res), 0);
	return res;
}

struct cl_result run_on(void (*fn)(void *), void *arg, enum cl_sched_kind sched, int procs,
                        uint64_t seed)
{
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.sched = sched;
	cfg.procs = procs;
	cfg.seed = seed;
	struct cl_result res;
	ck_assert_int_eq(cl_run(fn, arg, &cfg, &res), 0);
	return res;
}

void expect_panic(void (*fn)(void *), void *arg, uint64_t seed, const char *msg)
{
	struct cl_result r = run_prog(fn, arg, seed, CL_STRATEGY_RANDOM, NULL);
	ck_assert_msg(r.outcome == CL_OUTCOME_PANIC, "seed %llu: outcome %d, not the panic \"%s\"",
	              (unsigned long long)seed, (int)r.outcome, msg);
	ck_assert_str_eq(r.panic_msg, msg);
	cl_result_free(&r);
}

char *run_stream(void (*fn)(void *), void *arg, uint64_t seed, enum cl_strategy strategy)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(mem);
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.seed = seed;
	cfg.strategy = strategy;
	struct cl_sink sink = cl_sink_plain(mem);
	cfg.sinks = &sink;
	cfg.nsinks = 1;
	struct cl_result res;
	ck_assert_int_eq(cl_run(fn, arg, &cfg, &res), 0);
	cl_result_free(&res);
	fclose(mem);
	return text;
}
