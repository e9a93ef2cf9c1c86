/*
 * test.c - 19-drain-deadline: the checks.  Four items, 1-3 ms each, a
 * budget of 15 ms (enough) or 2-5 ms (maybe not), as the schedule decides
 * (coach_choose).  A NULL result means all four were processed; a
 * deadline result comes at most one item's time after the budget; after
 * shutdown returns no item is processed any more, and the drainer is gone.
 */
#include "api.h"
#include "coach/coach.h"

#define ITEMS 4

void process_item(struct drainer *d, int item)
{
	(void)item;
	cl_sleep((cl_time)(1 + cl_rand_below(3)) * CL_MS);
	d->processed++;
}

static void check_main(void *arg)
{
	(void)arg;
	struct drainer d = {cl_make("queue", int, 8), 0, NULL, NULL};
	for (int i = 0; i < ITEMS; i++)
		cl_send(d.queue, &i);
	drainer_start(&d);
	/* The schedule decides between a budget that fits every item (at most
	 * 4 x 3 ms) and one that may not (2-5 ms): a draw main made here would
	 * be fixed by the latency seed in the schedules with no preemption
	 * before it.  The short budget is drawn after that choice. */
	cl_time budget = coach_choose(2) ? 15 * CL_MS : (cl_time)(2 + cl_rand_below(4)) * CL_MS;
	cl_time start = cl_now();
	cl_error err = drainer_shutdown(&d, budget);
	cl_time took = cl_now() - start;
	int at_return = d.processed;
	if (!err)
		coach_expect(at_return == ITEMS, "a shutdown without error has processed every item "
		             "(%d of %d)", at_return, ITEMS);
	else
		coach_expect(err == cl_err_deadline, "shutdown reports the deadline (got \"%s\")", err);
	coach_expect(took <= budget + 3 * CL_MS, "shutdown returns within its budget plus one item "
	             "(budget %lld ms, took %lld ms)", (long long)(budget / CL_MS),
	             (long long)(took / CL_MS));
	cl_sleep(20 * CL_MS);
	coach_expect(d.processed == at_return, "no item is processed after shutdown returns");
}

const struct coach_exercise coach_exercise = {
	.name = "19-drain-deadline",
	.main_fn = check_main,
};
