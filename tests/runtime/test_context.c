/* test_context.c - context trees, timeouts, deadlines; error groups. */
#include <check.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"

struct tree {
	cl_error root_err, child_err, grandchild_err, sibling_err, late_err;
	bool done_closed;
};

static void tree_main(void *arg)
{
	struct tree *t = arg;
	cl_ctx *bg = cl_background();
	cl_ctx *root = cl_with_cancel(bg);
	cl_ctx *child = cl_with_cancel(root);
	cl_ctx *grandchild = cl_with_timeout(child, CL_SEC);
	cl_ctx *sibling = cl_with_cancel(bg);
	cl_cancel(root);
	t->root_err = cl_ctx_err(root);
	t->child_err = cl_ctx_err(child);
	t->grandchild_err = cl_ctx_err(grandchild);
	t->sibling_err = cl_ctx_err(sibling);
	t->done_closed = !cl_recv(cl_ctx_done(grandchild), NULL);
	t->late_err = cl_ctx_err(cl_with_cancel(child));   /* born cancelled */
	cl_cancel(root);                                    /* idempotent */
}

START_TEST(cancel_reaches_every_descendant_and_nothing_else)
{
	struct tree t = {0};
	struct cl_result r = run_prog(tree_main, &t, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_str_eq(t.root_err, "context canceled");
	ck_assert_str_eq(t.child_err, "context canceled");
	ck_assert_str_eq(t.grandchild_err, "context canceled");
	ck_assert_ptr_null(t.sibling_err);
	ck_assert(t.done_closed);
	ck_assert_str_eq(t.late_err, "context canceled");
	cl_result_free(&r);
}
END_TEST

struct deadline {
	cl_error err, child_err;
	cl_time at;
	cl_time child_deadline;
};

static void deadline_main(void *arg)
{
	struct deadline *d = arg;
	cl_ctx *ctx = cl_with_timeout(cl_background(), 2 * CL_SEC);
	cl_ctx *child = cl_with_timeout(ctx, 10 * CL_SEC);   /* the parent's deadline wins */
	cl_ctx_deadline(child, &d->child_deadline);
	cl_recv(cl_ctx_done(child), NULL);
	d->at = cl_now();
	d->err = cl_ctx_err(ctx);
	d->child_err = cl_ctx_err(child);
}

START_TEST(timeout_cancels_with_deadline_exceeded_at_the_deadline)
{
	struct deadline d = {0};
	struct cl_result r = run_prog(deadline_main, &d, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(d.at, 2 * CL_SEC);
	ck_assert_int_eq(d.child_deadline, 2 * CL_SEC);
	ck_assert_str_eq(d.err, "context deadline exceeded");
	ck_assert_str_eq(d.child_err, "context deadline exceeded");
	cl_result_free(&r);
}
END_TEST

static int bg_choice;
static void background_done_is_nil_main(void *arg)
{
	(void)arg;
	struct cl_case c = CL_RECV_CASE(cl_ctx_done(cl_background()), NULL);
	bg_choice = cl_select_default(&c, 1);
}

START_TEST(background_is_never_done)
{
	struct cl_result r = run_prog(background_done_is_nil_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(bg_choice, -1);
	cl_result_free(&r);
}
END_TEST

/* ---- error group --------------------------------------------------------------------- */

struct fetch {
	cl_ctx *ctx;
	int id;
	int *cancelled;
};

static cl_error fetch(void *arg)
{
	struct fetch *f = arg;
	if (f->id == 2) {
		cl_sleep(CL_MS);
		return "fetch 2 failed";
	}
	if (f->id == 3) {
		cl_sleep(2 * CL_MS);
		return "fetch 3 failed";
	}
	/* The others would take long; they stop when the group is cancelled. */
	struct cl_case cases[2] = {CL_RECV_CASE(cl_ctx_done(f->ctx), NULL),
	                           CL_RECV_CASE(cl_after(CL_SEC), NULL)};
	if (cl_select(cases, 2) == 0)
		(*f->cancelled)++;
	return NULL;
}

struct group_test {
	cl_error err;
	int cancelled;
	cl_time at;
};

static void group_main(void *arg)
{
	struct group_test *g = arg;
	cl_ctx *ctx;
	cl_group *grp = cl_group_new(cl_background(), &ctx);
	static struct fetch f[5];
	for (int i = 0; i < 5; i++) {
		f[i] = (struct fetch){ctx, i, &g->cancelled};
		cl_group_go(grp, fetch, &f[i], "fetch-%d", i);
	}
	g->err = cl_group_wait(grp);
	g->at = cl_now();
}

START_TEST(error_group_returns_the_first_error_and_cancels_the_rest)
{
	for (uint64_t seed = 1; seed <= 50; seed++) {
		struct group_test g = {0};
		struct cl_result r = run_prog(group_main, &g, seed, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_str_eq(g.err, "fetch 2 failed");
		ck_assert_int_eq(g.cancelled, 3);
		ck_assert_int_eq(g.at, 2 * CL_MS);
		cl_result_free(&r);
	}
}
END_TEST

struct limited {
	cl_group *g;
	int active, max_active;
};

static cl_error limited_job(void *arg)
{
	struct limited *l = arg;
	l->active++;
	if (l->active > l->max_active)
		l->max_active = l->active;
	cl_sleep(CL_MS);
	l->active--;
	return NULL;
}

static void limited_main(void *arg)
{
	struct limited *l = arg;
	l->g = cl_group_new(NULL, NULL);
	cl_group_set_limit(l->g, 2);
	for (int i = 0; i < 6; i++)
		cl_group_go(l->g, limited_job, l, "job-%d", i);
	cl_group_wait(l->g);
}

START_TEST(error_group_limit_bounds_running_tasks)
{
	struct limited l = {0};
	struct cl_result r = run_prog(limited_main, &l, 4, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(l.max_active, 2);
	ck_assert_int_eq(r.time, 3 * CL_MS);
	cl_result_free(&r);
}
END_TEST

Suite *suite_context(void)
{
	Suite *s = suite_create("context");
	TCase *t = tcase_create("context");
	tcase_set_tags(t, TAG_ANY);
	tcase_add_test(t, cancel_reaches_every_descendant_and_nothing_else);
	tcase_add_test(t, background_is_never_done);
	suite_add_tcase(s, t);
	/* Exact virtual times. */
	t = tcase_create("context-time");
	tcase_set_tags(t, TAG_DET);
	tcase_add_test(t, timeout_cancels_with_deadline_exceeded_at_the_deadline);
	tcase_add_test(t, error_group_returns_the_first_error_and_cancels_the_rest);
	tcase_add_test(t, error_group_limit_bounds_running_tasks);
	suite_add_tcase(s, t);
	return s;
}
