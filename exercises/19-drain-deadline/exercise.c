/* chanlab exercise 19-drain-deadline */
/*
 * Drain with a deadline: close, wait for the drain or the budget, cancel
 * and wait again.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include "api.h"

static void drainer(void *arg)
{
	struct drainer *d = arg;
	int item;
	while (cl_recv(d->queue, &item)) {
		/* TODO: stop when the context is cancelled. */
		process_item(d, item);
	}
	/* TODO: say the drainer has stopped. */
}

void drainer_start(struct drainer *d)
{
	/* TODO: a cancellable context and the finished channel. */
	cl_go(drainer, d, "drainer");
}

cl_error drainer_shutdown(struct drainer *d, cl_time budget)
{
	(void)budget;
	cl_close(d->queue);
	/* TODO: wait for finished or the budget; on the budget, cancel and wait. */
	return NULL;
}
