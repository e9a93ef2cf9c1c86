/* chanlab exercise 10-errgroup-first-error */
/*
 * Error group with first-error cancellation and a limit, solved.  Every
 * fetch gets the group's context, which the first error cancels; the limit
 * makes cl_group_go wait for a free slot; Wait returns the first error
 * once every fetch has returned.
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
	cl_ctx *ctx;
	/* Go: g, ctx := errgroup.WithContext(parent); g.SetLimit(2) */
	cl_group *g = cl_group_new(f->parent, &ctx);
	cl_group_set_limit(g, FETCH_LIMIT);
	for (int i = 0; i < n; i++) {
		items[i] = (struct item){f, ctx, i};
		/* Go: g.Go(func() error { return fetch(ctx, i) }) */
		cl_group_go(g, fetch_task, &items[i], "fetch-%d", i);
	}
	cl_error err = cl_group_wait(g);
	free(items);
	return err;
}
