/* chanlab exercise 19-drain-deadline */
/* expect: result */
/*
 * MISTAKE (002:mistake:shared-shutdown-budget): waiting for the drain with
 * no deadline at all: a long queue holds shutdown up as long as it likes.
 */
#include "api.h"

static void drainer(void *arg)
{
	struct drainer *d = arg;
	int item;
	while (cl_recv(d->queue, &item)) {
		if (cl_ctx_err(d->ctx))
			break;
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
	(void)budget;
	cl_recv(d->finished, NULL);
	cl_cancel(d->ctx);
	return NULL;
}
