/*
 * test.c - 21-aba-stack: the checks.  Three nodes; three tasks each pop a
 * node, hold it a moment, and push it back, twice
 * (ROUNDS: few, so that every schedule with two preemptions fits the
 * checker's cap).  A node must
 * never be held by two tasks at once, and at the end all three nodes are
 * on the stack exactly once.
 */
#include "api.h"
#include "coach/coach.h"

#define ROUNDS 2

struct shared {
	struct stack s;
	int held[POOL + 1];
	cl_waitgroup *wg;
};

static void user(void *arg)
{
	struct shared *sh = arg;
	for (int round = 0; round < ROUNDS; round++) {
		int n = stack_pop(&sh->s);
		if (n == 0) {
			cl_yield();
			continue;
		}
		coach_expect(n >= 1 && n <= POOL, "pop returns a node of the pool (got %d)", n);
		coach_expect(sh->held[n] == 0, "a node is never popped by two tasks at once (node %d)",
		             n);
		sh->held[n] = 1;
		cl_yield();
		sh->held[n] = 0;
		stack_push(&sh->s, n);
	}
	cl_wg_done(sh->wg);
}

static void check_main(void *arg)
{
	(void)arg;
	struct shared sh = {0};
	for (int i = 1; i <= POOL; i++)
		stack_push(&sh.s, i);
	sh.wg = cl_wg_new("users");
	cl_wg_add(sh.wg, 3);
	for (int t = 0; t < 3; t++)
		cl_go(user, &sh, "user-%d", t);
	cl_wg_wait(sh.wg);
	int seen[POOL + 1] = {0}, count = 0, n;
	while ((n = stack_pop(&sh.s)) != 0 && count <= POOL) {
		coach_expect(n >= 1 && n <= POOL && !seen[n], "every node is on the stack exactly once "
		             "at the end (node %d twice)", n);
		seen[n] = 1;
		count++;
	}
	coach_expect(count == POOL, "every node is on the stack at the end (%d of %d)", count, POOL);
}

const struct coach_exercise coach_exercise = {
	.name = "21-aba-stack",
	.main_fn = check_main,
};
