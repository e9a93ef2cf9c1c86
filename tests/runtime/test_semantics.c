/*
 * test_semantics.c - where the runtime must behave as Go does and once did
 * not (issue 10): fatal errors, Once after a panic, saturating durations,
 * tickers, panic chains, recover's rule, makechan's limits, mutex
 * starvation, limits with a reason and livelock.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

static const char *first_line_is(const char *report, const char *want)
{
	size_t n = strlen(want);
	return report && strncmp(report, want, n) == 0 && report[n] == '\n' ? report : NULL;
}

/* ---- fatal errors: the run ends, no deferred function runs, no recover ---------- */

struct fatal_test {
	int kind;            /* 0 Mutex.Unlock, 1 RWMutex.RUnlock, 2 RWMutex.Unlock, 3 in Cond.Wait */
	int deferred_ran;
	cl_cond *cond;
};

static void try_recover(void *arg)
{
	struct fatal_test *x = arg;
	x->deferred_ran++;
	cl_recover();
}

static void fatal_main(void *arg)
{
	struct fatal_test *x = arg;
	cl_defer(try_recover, x);
	switch (x->kind) {
	case 0:
		cl_unlock(cl_mutex_new("mu"));
		break;
	case 1:
		cl_runlock(cl_rwmutex_new("rw"));
		break;
	case 2:
		cl_wunlock(cl_rwmutex_new("rw"));
		break;
	default:
		x->cond = cl_cond_new("cond", cl_mutex_new("mu"));
		cl_cond_wait(x->cond);   /* its mutex is not locked */
		break;
	}
}

START_TEST(unlock_of_unlocked_is_fatal_and_not_recoverable)
{
	static const char *const want[] = {
		"fatal error: sync: unlock of unlocked mutex",
		"fatal error: sync: RUnlock of unlocked RWMutex",
		"fatal error: sync: Unlock of unlocked RWMutex",
		"fatal error: sync: unlock of unlocked mutex",
	};
	for (int kind = 0; kind < 4; kind++) {
		struct fatal_test x = {.kind = kind};
		struct cl_result r = run_prog(fatal_main, &x, 1, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_FATAL);
		ck_assert_ptr_nonnull(first_line_is(r.report, want[kind]));
		ck_assert_ptr_nonnull(strstr(r.report, "task 1 \"main\" [running]"));
		ck_assert_int_eq(x.deferred_ran, 0);
		cl_result_free(&r);
	}
}
END_TEST

Suite *suite_semantics(void)
{
	Suite *s = suite_create("semantics");
	TCase *t = tcase_create("semantics");
	tcase_set_tags(t, TAG_ANY);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, unlock_of_unlocked_is_fatal_and_not_recoverable);
	suite_add_tcase(s, t);
	return s;
}
