/* chanlab exercise 19-drain-deadline */
/* expect: result */
/*
 * MISTAKE (003:q23): the drainer never looks at the context, so cancelling
 * it changes nothing and shutdown's second wait lasts the whole drain.
 */
#include "api.h"

static void drainer(void *arg)
{
	struct drainer *d = arg;
	int item;
	while (cl_recv(d->queue, &item)) {
		process_item(d, item);
	}
	cl_close(d->finished);
}

void drainer_start(struct drainer *d)
{
	d->ctx = cl_with_cancel(cl_background());
	d->finished = cl_make("finished", char, 0);
	cl_go(drainer, d, "drainer");
}

cl_error drainer_shutdown(struct drainer *d, cl_time budget)
{
	cl_close(d->queue);
	/* Go: select { case <-finished: return nil; case <-time.After(budget): } */
	struct cl_case c[] = {CL_RECV_CASE(d->finished, NULL), CL_RECV_CASE(cl_after(budget), NULL)};
	if (cl_select(c, 2) == 0) {
		cl_cancel(d->ctx);
		return NULL;
	}
	cl_cancel(d->ctx);
	cl_recv(d->finished, NULL);
	return cl_err_deadline;
}
