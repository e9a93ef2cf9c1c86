/*
 * test.c - 02-stop-and-stopped: the checks.  After service_stop returns no
 * tick may happen any more, the service's task must be gone, only main
 * closes stop and only the service closes stopped.
 */
#include "api.h"
#include "coach/coach.h"

void service_tick(struct service *s)
{
	s->ticks++;
	cl_yield();   /* the work takes a moment: others may run meanwhile */
}

static void check_main(void *arg)
{
	(void)arg;
	/* Stop before the first tick or after 1-3 ms of them: the schedule
	 * decides which (coach_choose, before any other task starts; a draw
	 * main made here would be fixed by the latency seed). */
	cl_time pause = coach_choose(2) ? 0 : (cl_time)(1 + cl_rand_below(3)) * CL_MS;
	struct service s = {0};
	cl_timer *ticker = cl_ticker_new(CL_MS);
	s.tick = cl_timer_chan(ticker);
	service_start(&s);
	cl_sleep(pause);
	service_stop(&s);
	int after = s.ticks;
	cl_sleep(5 * CL_MS);
	cl_timer_stop(ticker);
	coach_expect(s.ticks == after, "the service does no work after service_stop returns");
}

const struct coach_exercise coach_exercise = {
	.name = "02-stop-and-stopped",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_CLOSED_BY, "stopped", "service", 0, "only the service closes stopped"},
		{COACH_RULE_CLOSED_BY, "stop", "main", 0, "only the caller of service_stop closes stop"},
		{0},
	},
};
