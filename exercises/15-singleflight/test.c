/*
 * test.c - 15-singleflight: the checks.  Two tasks ask for key 1 and one
 * for key 2, at about the same time (ASKERS: few, so that every schedule
 * with two preemptions fits the checker's cap).  Each key is loaded exactly once,
 * and every caller gets the loaded value (key * 100).
 */
#include "api.h"
#include "coach/coach.h"

#define ASKERS 3                 /* the last asks for key 2, the others for key 1 */

int load(struct cache *c, int key)
{
	c->loads[key]++;
	cl_sleep((cl_time)(1 + cl_rand_below(3)) * CL_MS);
	return key * 100;
}

struct asker {
	struct cache *c;
	int key;
	cl_waitgroup *wg;
};

static void ask(void *arg)
{
	struct asker *a = arg;
	int v = cache_get(a->c, a->key);
	coach_expect(v == a->key * 100, "every caller gets the loaded value (key %d: %d)", a->key, v);
	cl_wg_done(a->wg);
}

static void check_main(void *arg)
{
	(void)arg;
	struct cache c;
	cache_init(&c);
	for (int k = 0; k < KEYS; k++)
		c.loads[k] = 0;
	cl_waitgroup *wg = cl_wg_new("askers");
	struct asker as[ASKERS];
	for (int i = 0; i < ASKERS; i++) {
		as[i] = (struct asker){&c, i < ASKERS - 1 ? 1 : 2, wg};
		cl_wg_add(wg, 1);
		cl_go(ask, &as[i], "asker-%d", i);
	}
	cl_wg_wait(wg);
	coach_expect(c.loads[1] == 1 && c.loads[2] == 1, "each key is loaded exactly once (key 1: %d "
	             "loads, key 2: %d)", c.loads[1], c.loads[2]);
	coach_expect(cache_get(&c, 1) == 100 && c.loads[1] == 1, "a loaded key is not loaded again");
}

const struct coach_exercise coach_exercise = {
	.name = "15-singleflight",
	.main_fn = check_main,
};
