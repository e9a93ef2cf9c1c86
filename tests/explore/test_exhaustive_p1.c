/*
 * test_exhaustive_p1.c - exhaustive exploration of the handshake and
 * lifecycle patterns (issue 15: started, stop-stopped, barrier, supervisor,
 * drain, step-down, shutdown, config-reload, safe-go): every form that
 * declares ok keeps its promise over every schedule up to a preemption
 * bound at small parameters, and every broken variant shows the failure it
 * declares (at small parameters, or else its default ones), up to two
 * preemptions.
 *
 * The small parameters are chosen per pattern (the table below) so that
 * every schedule fits in a second or two: fewer workers and records, one
 * supervised child.  step-down's correct form is explored to one preemption:
 * with two its four tasks meeting at the hand-over make 692,112 schedules
 * (20 s) even at --writes 1.  Release `make check` only (test_heavy_skipped):
 * the whole suite takes a few seconds.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "explore/explore.h"
#include "patterns/registry.h"
#include "tests/explore/judge.h"
#include "tests/testlib.h"

#define MAX_SETS 2

/* One pattern: the parameter sets its ok forms are explored at (name,
 * value pairs, NULL-terminated; an empty set means the defaults), and the
 * preemption bound for them. */
struct p1_case {
	const char *pattern;
	const char *small[MAX_SETS][9];
	int correct_bound;
};

static const struct p1_case cases[] = {
	/* the defaults are one server and its waiters; --busy 100 takes the startup-error path */
	{"started", {{NULL}, {"busy", "100", NULL}}, 2},
	{"stop-stopped", {{"workers", "2", "records", "3", "bad", "2", NULL}}, 2},
	{"barrier", {{"children", "2", NULL}}, 2},
	{"supervisor", {{"children", "1", "max", "1", "storm", "2", NULL}}, 2},
	{"drain", {{"workers", "1", "producers", "1", "queue", "2", NULL}}, 2},
	{"step-down", {{"writes", "1", NULL}}, 1},
	{"shutdown", {{NULL}}, 2},
	{"config-reload", {{"workers", "2", NULL}}, 2},
	{"safe-go", {{NULL}}, 2},
};
#define NCASES (sizeof cases / sizeof cases[0])

static void exhaust(const char *pattern, const char *variant, const char *const *params, int bound,
                    int seeds, struct ex_result *r)
{
	struct pattern_prog pp;
	pattern_prog_open(&pp, pattern, variant, params);
	struct ex_options opt;
	ex_options_init(&opt);
	opt.strategy = EX_EXHAUSTIVE;
	opt.preemptions = bound;
	opt.latency_seeds = seeds;
	opt.runs = 1000000;
	opt.shrink = false;
	opt.race = false;
	ck_assert_msg(ex_explore(&pp.prog, pattern_judge, &pp, &opt, r) == 0, "%s", r->error);
	pattern_prog_close(&pp);
}

static const struct pattern *find(const char *name)
{
	const struct pattern *p = pattern_find(name);
	ck_assert_msg(p != NULL, "no pattern %s", name);
	return p;
}

/* Every form that declares ok, at each of its small parameter sets, keeps
 * its promise over every schedule within its bound (latency seeds 1-2). */
START_TEST(correct_forms_explore_clean)
{
	if (test_heavy_skipped("correct_forms_explore_clean"))
		return;
	const struct p1_case *c = &cases[_i];
	const struct pattern *p = find(c->pattern);
	int forms = 0;
	for (int i = 0; i < p->nvariants; i++) {
		const struct pattern_variant *v = &p->variants[i];
		if (strcmp(v->outcome, "ok") != 0)
			continue;
		forms++;
		for (int s = 0; s < MAX_SETS && (s == 0 || c->small[s][0]); s++) {
			struct ex_result r;
			exhaust(p->name, v->name, c->small[s], c->correct_bound, 2, &r);
			ck_assert_msg(r.complete && r.broken == 0 && r.aside == 0 && r.runs > 1,
			              "%s:%s (set %d): %ld schedules, complete %d, broken %ld, aside %ld",
			              p->name, v->name, s, r.runs, r.complete, r.broken, r.aside);
			ex_result_free(&r);
		}
	}
	ck_assert_int_ge(forms, 1);
}
END_TEST

/* Every broken variant shows its declared failure within two preemptions
 * (latency seeds 1-10), at the small parameters or else the defaults. */
START_TEST(broken_variants_are_found)
{
	if (test_heavy_skipped("broken_variants_are_found"))
		return;
	const struct p1_case *c = &cases[_i];
	const struct pattern *p = find(c->pattern);
	int broken = 0;
	for (int i = 0; i < p->nvariants; i++) {
		const struct pattern_variant *v = &p->variants[i];
		if (strcmp(v->outcome, "ok") == 0)
			continue;
		broken++;
		struct ex_result r;
		exhaust(p->name, v->name, c->small[0], 2, 10, &r);
		if (!r.first.set) {
			ex_result_free(&r);
			exhaust(p->name, v->name, NULL, 2, 10, &r);
		}
		ck_assert_msg(r.first.set && r.broken == 1, "%s:%s: %ld schedules, none showed %s",
		              p->name, v->name, r.runs, v->outcome);
		ex_result_free(&r);
	}
	ck_assert_int_ge(broken, 1);
}
END_TEST

Suite *suite_exhaustive_p1(void)
{
	Suite *s = suite_create("exhaustive_p1");
	TCase *tc = tcase_create("patterns");
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, correct_forms_explore_clean, 0, (int)NCASES);
	tcase_add_loop_test(tc, broken_variants_are_found, 0, (int)NCASES);
	suite_add_tcase(s, tc);
	return s;
}
