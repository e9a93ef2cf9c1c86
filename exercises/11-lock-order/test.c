/*
 * test.c - 11-lock-order: the checks.  Three philosophers eat twice each;
 * every one must get its meals (no deadlock), and the note pairs around
 * eating let an event rule check that at most one philosopher eats at a
 * time (with three seats two neighbours always share a fork).
 */
#include "api.h"
#include "coach/coach.h"

void eat(struct table *t, int i)
{
	cl_note("busy: philosopher %d eats", i);
	cl_sleep(CL_MS);
	t->meals[i]++;
	cl_note("idle: philosopher %d is done", i);
}

struct seat {
	struct table *t;
	int i;
	cl_waitgroup *wg;
};

static void diner(void *arg)
{
	struct seat *s = arg;
	philosopher(s->t, s->i);
	cl_wg_done(s->wg);
}

static void check_main(void *arg)
{
	(void)arg;
	struct table t = {0};
	for (int i = 0; i < SEATS; i++)
		t.fork[i] = cl_mutex_new("fork");
	struct seat seats[SEATS];
	cl_waitgroup *wg = cl_wg_new("diners");
	cl_wg_add(wg, SEATS);
	for (int i = 0; i < SEATS; i++) {
		seats[i] = (struct seat){&t, i, wg};
		cl_go(diner, &seats[i], "philosopher-%d", i);
	}
	cl_wg_wait(wg);
	for (int i = 0; i < SEATS; i++)
		coach_expect(t.meals[i] == MEALS, "every philosopher eats %d times (%d ate %d)", MEALS,
		             i, t.meals[i]);
}

const struct coach_exercise coach_exercise = {
	.name = "11-lock-order",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_MAX_NOTES_OPEN, "busy", "idle", 1,
		 "two neighbours never eat at once (they share a fork)"},
		{0},
	},
};
