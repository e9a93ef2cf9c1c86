/* chanlab exercise 10-errgroup-first-error */
/*
 * Error group with first-error cancellation and a limit.  Read api.h.
 * Check with
 *	chanlab exercise check
 */
#include <stdlib.h>

#include "api.h"

struct item {
	struct fetch *f;
	cl_ctx *ctx;
	int i;
};

static cl_error fetch_task(void *arg)
{
	struct item *it = arg;
	return fetch_one(it->f, it->ctx, it->i);
}

cl_error fetch_all(struct fetch *f, int n)
{
	struct item *items = calloc((size_t)n, sizeof *items);
	/* TODO: a group whose context the first error cancels (cl_group_new), with a limit. */
	for (int i = 0; i < n; i++) {
		items[i] = (struct item){f, f->parent, i};
		/* TODO: run it in the group instead of here. */
		fetch_task(&items[i]);
	}
	/* TODO: wait for the group and return its first error (free items after). */
	return NULL;
}
