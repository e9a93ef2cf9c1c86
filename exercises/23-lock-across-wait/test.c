/*
 * test.c - 23-lock-across-wait: the checks.  Three workers (few, so that
 * every schedule with two preemptions fits the checker's cap); worker 1
 * produces nothing.  collect_all must return 2 with the values 0 and 20
 * collected (in either order), and nothing may stay locked or blocked.
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
	int n = collect_all(&c, 3);
	coach_expect(n == 2 && c.n == 2, "every value is collected once (%d of 2)", n);
	int sum = 0;
	for (int i = 0; i < c.n && i < 8; i++)
		sum += c.items[i];
	coach_expect(sum == 20, "the collected values are 0 and 20 (their sum is %d)", sum);
	coach_expect(cl_trylock(c.mu), "the mutex is free when collect_all returns");
}

const struct coach_exercise coach_exercise = {
	.name = "23-lock-across-wait",
	.main_fn = check_main,
};
