/*
 * test.c - 10-errgroup-first-error: the checks.  Four items (few, so
 * that every schedule with two preemptions fits the checker's cap); each takes
 * 20 ms unless cancelled, except one (chosen per schedule, sometimes none)
 * that fails after 1 ms.  fetch_all must return that error, not
 * "context canceled"; with a failure it must return well before the 40 ms
 * the fetches would take in all (the others are cancelled); never more
 * than two fetches at once; no task left behind.
 */
#include "api.h"
#include "coach/coach.h"

#define ITEMS 4

static const char err_boom[] = "item failed";

cl_error fetch_one(struct fetch *f, cl_ctx *ctx, int i)
{
	cl_note("busy: fetch %d", i);
	cl_error err = NULL;
	if (i == f->failing) {
		cl_sleep(CL_MS);
		err = err_boom;
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
	int failing = (int)cl_rand_below(ITEMS + 2) - 1;   /* -1 .. ITEMS: sometimes none */
	if (failing >= ITEMS)
		failing = -1;
	f.failing = failing;
	cl_time start = cl_now();
	cl_error err = fetch_all(&f, ITEMS);
	cl_time took = cl_now() - start;
	if (failing < 0) {
		coach_expect(err == NULL, "with no failure fetch_all returns no error (got \"%s\")",
		             err ? err : "");
		for (int i = 0; i < ITEMS; i++)
			coach_expect(f.done[i] == 1, "with no failure every item is fetched (%d is not)", i);
	} else {
		coach_expect(err == err_boom, "fetch_all returns the first error, \"%s\" (got \"%s\")",
		             err_boom, err ? err : "no error");
		coach_expect(took <= 30 * CL_MS, "after the first error the other fetches are "
		             "cancelled (fetch_all took %lld ms)", (long long)(took / CL_MS));
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
