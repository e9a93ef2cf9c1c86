/* chanlab exercise 16-startup-barrier */
/*
 * N-way startup barrier with a failing child, solved.  Each child reports
 * exactly once on a channel with room for every report (so no child blocks
 * on it, whatever the parent does); the parent reads all n reports, keeps
 * the first error, and on an error closes stop and waits for the children
 * that did start before returning it.
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
	struct fleet *f = a->f;
	cl_error err = child_init(f, a->i);
	cl_send(f->results, &err);
	if (!err)
		child_serve(f, a->i);
	cl_wg_done(f->wg);
	free(a);
}

cl_error start_all(struct fleet *f, int n)
{
	f->stop = cl_make("stop", char, 0);
	f->wg = cl_wg_new("children");
	f->results = cl_make("results", cl_error, (size_t)n);
	for (int i = 0; i < n; i++) {
		struct child_args *a = malloc(sizeof *a);
		*a = (struct child_args){f, i};
		cl_wg_add(f->wg, 1);
		cl_go(child, a, "child-%d", i);
	}
	cl_error first = NULL;
	for (int i = 0; i < n; i++) {
		cl_error err;
		cl_recv(f->results, &err);
		if (err && !first)
			first = err;
	}
	if (first)
		stop_all(f);
	return first;
}

void stop_all(struct fleet *f)
{
	cl_close(f->stop);
	cl_wg_wait(f->wg);
}
