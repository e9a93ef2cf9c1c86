/*
 * test.c - 10-errgroup-first-error: the checks.  Three items (few, so
 * that every schedule with two preemptions fits the checker's cap); each
 * takes 20 ms unless cancelled, except, in some schedules, one that fails
 * after 1 ms (coach_choose lets the schedule decide, so the exhaustive
 * phase sees both kinds).  fetch_all must return that error, not
 * "context canceled", and soon after it (the others are cancelled, not
 * waited for); never more than two fetches at once; no task left behind.
 */
#include "api.h"
#include "coach/coach.h"

#define ITEMS 3

static const char err_boom[] = "item failed";

cl_error fetch_one(struct fetch *f, cl_ctx *ctx, int i)
{
	cl_note("busy: fetch %d", i);
	cl_error err = NULL;
	if (i == f->failing) {
		cl_sleep(CL_MS);
		err = err_boom;
		f->failed_at = cl_now();
	} else {
		struct cl_case c[] = {CL_RECV_CASE(cl_after(20 * CL_MS), NULL),
		                      CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
		if (cl_select(c, 2) == 1)
			err = cl_ctx_err(ctx);
		else
			f->done[i]++;
	}
	cl_note("idle: fetch %d", i);
	return err;
}

static void check_main(void *arg)
{
	(void)arg;
	struct fetch f = {0};
	f.parent = cl_background();
	/* The schedule decides whether one fails (a draw here would be fixed by
	 * the latency seed); which one is drawn after that choice's steps. */
	int failing = coach_choose(2) ? (int)cl_rand_below(ITEMS) : -1;
	f.failing = failing;
	cl_error err = fetch_all(&f, ITEMS);
	if (failing < 0) {
		coach_expect(err == NULL, "with no failure fetch_all returns no error (got \"%s\")",
		             err ? err : "");
		for (int i = 0; i < ITEMS; i++)
			coach_expect(f.done[i] == 1, "with no failure every item is fetched (%d is not)", i);
	} else {
		coach_expect(err == err_boom, "fetch_all returns the first error, \"%s\" (got \"%s\")",
		             err_boom, err ? err : "no error");
		cl_time after = cl_now() - f.failed_at;
		coach_expect(after <= 2 * CL_MS, "after the first error the other fetches are "
		             "cancelled (fetch_all returned %lld ms after it)", (long long)(after / CL_MS));
	}
}

const struct coach_exercise coach_exercise = {
	.name = "10-errgroup-first-error",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_MAX_NOTES_OPEN, "busy", "idle", FETCH_LIMIT,
		 "never more than 2 fetches at once"},
		{0},
	},
};
