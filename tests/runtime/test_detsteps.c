/*
 * test_detsteps.c - det's step limits at the exact step: the step limit and
 * the livelock window end a run at the same decision as when every step
 * looked at both (sched_det.c checks them with one compare per step, against
 * a bound it recomputes when passed), with progress moving the window on
 * and cl_livelock_within tightening it mid-run.
 */
#include <check.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

struct stepper {
	int notes;          /* progress: this many notes, ten yields apart */
	uint64_t tighten;   /* then cl_livelock_within(tighten), if not 0 */
};

static void stepper_main(void *arg)
{
	struct stepper *x = arg;
	for (int i = 0; i < x->notes; i++) {
		cl_note("progress %d", i);
		for (int k = 0; k < 10; k++)
			cl_yield();
	}
	if (x->tighten)
		cl_livelock_within(x->tighten);
	for (;;)
		cl_yield();
}

static struct cl_result run_stepper(struct stepper *x, uint64_t livelock, uint64_t max_steps)
{
	struct cl_config cfg;
	cl_config_init(&cfg);   /* det: the figures below are det's decisions */
	cfg.livelock_steps = livelock;
	cfg.max_steps = max_steps;
	struct cl_result r;
	ck_assert_int_eq(cl_run(stepper_main, x, &cfg, &r), 0);
	return r;
}

START_TEST(step_limit_ends_the_run_at_the_step_past_it)
{
	struct stepper x = {.notes = 0};
	struct cl_result r = run_stepper(&x, 0, 777);
	ck_assert_str_eq(r.limit_reason, "steps");
	ck_assert_uint_eq(r.steps, 778);
	cl_result_free(&r);
	/* With progress all along, the step limit still comes first. */
	x.notes = 1000;
	r = run_stepper(&x, 50, 777);
	ck_assert_str_eq(r.limit_reason, "steps");
	ck_assert_uint_eq(r.steps, 778);
	cl_result_free(&r);
}
END_TEST

START_TEST(livelock_ends_the_run_one_step_past_the_window_after_the_last_progress)
{
	/* The last note is at step 49 * 10 = 490: main starts without a
	 * decision, each yield is one, a note none. */
	struct stepper x = {.notes = 50};
	struct cl_result r = run_stepper(&x, 100, 0);
	ck_assert_str_eq(r.limit_reason, "livelock");
	ck_assert_uint_eq(r.steps, 490 + 100 + 1);
	cl_result_free(&r);
	/* A window wider than the gaps between notes, tightened after them. */
	x.tighten = 30;
	r = run_stepper(&x, 100000, 0);
	ck_assert_str_eq(r.limit_reason, "livelock");
	ck_assert_uint_eq(r.steps, 490 + 31);
	cl_result_free(&r);
	/* No window at all: only the step limit ends it. */
	x.tighten = 0;
	r = run_stepper(&x, 0, 5000);
	ck_assert_str_eq(r.limit_reason, "steps");
	ck_assert_uint_eq(r.steps, 5001);
	cl_result_free(&r);
}
END_TEST

/* A note's arguments are evaluated whether the run is traced or not (a
 * note that receives or loads an atomic must make the same decisions in
 * explore's untraced runs as in the traced replay); traced, the note is in
 * the trace.  Untraced it is still progress (the livelock test above). */
static void noter(void *arg)
{
	int *evaluated = arg;
	cl_note("note %d of %s", ++*evaluated, cl_task_name());
}

START_TEST(note_arguments_are_evaluated_traced_or_not)
{
	int evaluated = 0;
	struct cl_result r = run_prog(noter, &evaluated, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(evaluated, 1);
	cl_result_free(&r);
	struct recorder rec = {0};
	r = run_prog(noter, &evaluated, 1, CL_STRATEGY_RANDOM, &rec);
	ck_assert_int_eq(evaluated, 2);
	size_t notes = 0;
	for (size_t i = 0; i < rec.n; i++)
		if (rec.ev[i].kind == CL_EV_NOTE) {
			ck_assert_str_eq(rec.ev[i].text, "note 2 of main");
			notes++;
		}
	ck_assert_uint_eq(notes, 1);
	cl_result_free(&r);
	recorder_free(&rec);
	/* Outside a run a note goes nowhere, and nothing breaks. */
	cl_note("outside %d", ++evaluated);
	ck_assert_int_eq(evaluated, 3);
}
END_TEST

Suite *suite_detsteps(void)
{
	Suite *s = suite_create("detsteps");
	TCase *t = tcase_create("detsteps");
	tcase_set_tags(t, TAG_DET);
	tcase_add_test(t, step_limit_ends_the_run_at_the_step_past_it);
	tcase_add_test(t, livelock_ends_the_run_one_step_past_the_window_after_the_last_progress);
	tcase_add_test(t, note_arguments_are_evaluated_traced_or_not);
	suite_add_tcase(s, t);
	return s;
}
