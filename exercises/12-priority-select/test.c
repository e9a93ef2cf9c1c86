/*
 * test.c - 12-priority-select: the checks.  Both channels are filled (3
 * high items 100..102, 3 low items 0..2) and closed before consume starts,
 * so high always has an item ready until its three are gone: they must be
 * handled first, in order, and every item exactly once.
 */
#include "api.h"
#include "coach/coach.h"

void handle(struct sink_log *log, int item)
{
	if (log->n < 32)
		log->order[log->n] = item;
	log->n++;
	cl_yield();
}

static void check_main(void *arg)
{
	(void)arg;
	cl_chan *high = cl_make("high", int, 3), *low = cl_make("low", int, 3);
	for (int i = 0; i < 3; i++) {
		int h = 100 + i, l = i;
		cl_send(high, &h);
		cl_send(low, &l);
	}
	cl_close(high);
	cl_close(low);
	struct sink_log log = {{0}, 0};
	consume(high, low, &log);
	coach_expect(log.n == 6, "every item is handled exactly once (%d handled)", log.n);
	for (int i = 0; i < 3 && i < log.n; i++)
		coach_expect(log.order[i] == 100 + i, "while high has items they go first (item %d was "
		             "%d)", i + 1, log.order[i]);
}

const struct coach_exercise coach_exercise = {
	.name = "12-priority-select",
	.main_fn = check_main,
};
