/*
 * test.c - 01-started-channel: the checks.  start_cache must return only
 * after the warmer has finished (whatever time warming takes), without
 * sleeping, and the warmer must be gone when main returns.
 */
#include "api.h"
#include "coach/coach.h"

void cache_warm(struct cache *c)
{
	cl_note("warming the cache");
	cl_sleep((cl_time)cl_rand_below(20) * CL_MS);
	c->entries = 42;
	c->ready = true;
	cl_note("cache warm");
}

static void check_main(void *arg)
{
	(void)arg;
	struct cache c = {0};
	start_cache(&c);
	coach_expect(c.ready && c.entries == 42,
	             "start_cache returns only once the cache is warm");
}

const struct coach_exercise coach_exercise = {
	.name = "01-started-channel",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_NO_SLEEP, "main", NULL, 0,
		 "start_cache waits for the warmer's signal, never for a time"},
		{0},
	},
};
