/* chanlab exercise 16-startup-barrier */
/*
 * N-way startup barrier where one child fails: every child reports its
 * start (success or error) on one channel; the parent collects all the
 * reports; a failure stops the fleet.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include <stdlib.h>

#include "api.h"

struct child_args {
	struct fleet *f;
	int i;
};

static void child(void *arg)
{
	struct child_args *a = arg;
	cl_error err = child_init(a->f, a->i);
	/* TODO: report err on f->results; if it is NULL, serve. */
	(void)err;
	/* TODO: say this child has finished. */
	free(a);
}

cl_error start_all(struct fleet *f, int n)
{
	f->stop = cl_make("stop", char, 0);
	f->wg = cl_wg_new("children");
	/* TODO: a results channel that no child can block on. */
	for (int i = 0; i < n; i++) {
		struct child_args *a = malloc(sizeof *a);
		*a = (struct child_args){f, i};
		cl_go(child, a, "child-%d", i);
	}
	/* TODO: collect n reports; on a failure, stop the fleet and return it. */
	return NULL;
}

void stop_all(struct fleet *f)
{
	(void)f;
	/* TODO: close stop and wait for every child. */
}
