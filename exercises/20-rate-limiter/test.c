/*
 * test.c - 20-rate-limiter: the checks.  Two clients pass the limiter
 * twice each, with pauses of 0-5 ms between.  With an interval of 2 ms and
 * a burst of one, no three passes fall within 2 ms; all four pass (two
 * clients, few, so that every schedule with two preemptions fits the
 * checker's cap);
 * limiter_stop leaves no task behind.
 */
#include "api.h"
#include "coach/coach.h"

#define CLIENTS 2
#define PASSES 2
#define INTERVAL (2 * CL_MS)

struct record {
	struct limiter *l;
	cl_time at[CLIENTS * PASSES];
	int n;
	cl_waitgroup *wg;
};

static void client(void *arg)
{
	struct record *r = arg;
	for (int i = 0; i < PASSES; i++) {
		cl_sleep((cl_time)cl_rand_below(6) * CL_MS);
		limiter_wait(r->l);
		r->at[r->n++] = cl_now();
	}
	cl_wg_done(r->wg);
}

static void check_main(void *arg)
{
	(void)arg;
	struct limiter l = {0};
	limiter_start(&l, INTERVAL);
	struct record r = {&l, {0}, 0, cl_wg_new("clients")};
	cl_wg_add(r.wg, CLIENTS);
	for (int i = 0; i < CLIENTS; i++)
		cl_go(client, &r, "client-%d", i);
	cl_wg_wait(r.wg);
	coach_expect(r.n == CLIENTS * PASSES, "every request passes (%d of %d)", r.n,
	             CLIENTS * PASSES);
	/* The passes were recorded in time order (virtual time never goes back). */
	/* A token bucket with a burst of one lets two passes come close (a
	 * saved token, then a fresh one) but never three within an interval. */
	for (int i = 2; i < r.n; i++)
		coach_expect(r.at[i] - r.at[i - 2] >= INTERVAL, "never three requests within 2 ms "
		             "(a burst of one; passes %d to %d took %lld us)", i - 1, i + 1,
		             (long long)((r.at[i] - r.at[i - 2]) / CL_US));
	limiter_stop(&l);
}

const struct coach_exercise coach_exercise = {
	.name = "20-rate-limiter",
	.main_fn = check_main,
};
