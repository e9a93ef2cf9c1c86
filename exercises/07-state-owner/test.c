/*
 * test.c - 07-state-owner: the checks.  CLIENTS clients add 1 ADDS
 * times each (two clients, once: few, so that every schedule with two
 * preemptions fits the checker's cap).  The values a client's adds return
 * must grow (each is the total just after that add), every add must return
 * a different total, and after all of them the counter is CLIENTS * ADDS.  Only main closes the operations
 * channel; the owner must be gone when main returns.
 */
#include "api.h"
#include "coach/coach.h"

#define CLIENTS 2
#define ADDS 1

struct shared {
	struct counter c;
	int seen[CLIENTS * ADDS + 1];
	cl_waitgroup *wg;
};

static void client(void *arg)
{
	struct shared *s = arg;
	int last = 0;
	for (int i = 0; i < ADDS; i++) {
		int v = counter_add(&s->c, 1);
		coach_expect(v > last, "each add returns the total just after it (got %d after %d)",
		             v, last);
		coach_expect(v >= 1 && v <= CLIENTS * ADDS && ++s->seen[v] == 1,
		             "every add returns a different total (%d came twice)", v);
		last = v;
	}
	cl_wg_done(s->wg);
}

static void check_main(void *arg)
{
	(void)arg;
	struct shared s = {0};
	s.wg = cl_wg_new("clients");
	counter_start(&s.c);
	cl_wg_add(s.wg, CLIENTS);
	for (int i = 0; i < CLIENTS; i++)
		cl_go(client, &s, "client-%d", i);
	cl_wg_wait(s.wg);
	int total = counter_get(&s.c);
	coach_expect(total == CLIENTS * ADDS, "the counter is %d after every add (it is %d)",
	             CLIENTS * ADDS, total);
	counter_stop(&s.c);
}

const struct coach_exercise coach_exercise = {
	.name = "07-state-owner",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_CLOSED_BY, "ops", "main", 0, "only counter_stop's caller closes ops"},
		{COACH_RULE_CLOSED_BY, "done", "owner", 0, "only the owner closes done"},
		{0},
	},
};
