/*
 * test.c - 23-lock-across-wait: the checks.  Four workers; worker 1
 * produces nothing.  collect_all must return 3 with the values 0, 20 and
 * 30 collected (in any order), and nothing may stay locked or blocked.
 */
#include "api.h"
#include "coach/coach.h"

int produce(int i)
{
	cl_sleep((cl_time)cl_rand_below(3) * CL_MS);
	return i == 1 ? -1 : i * 10;
}

static void check_main(void *arg)
{
	(void)arg;
	struct collector c = {0};
	int n = collect_all(&c, 4);
	coach_expect(n == 3 && c.n == 3, "every value is collected once (%d of 3)", n);
	int sum = 0;
	for (int i = 0; i < c.n && i < 8; i++)
		sum += c.items[i];
	coach_expect(sum == 50, "the collected values are 0, 20 and 30 (their sum is %d)", sum);
	coach_expect(cl_trylock(c.mu), "the mutex is free when collect_all returns");
}

const struct coach_exercise coach_exercise = {
	.name = "23-lock-across-wait",
	.main_fn = check_main,
};
