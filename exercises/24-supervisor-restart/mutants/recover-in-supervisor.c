/* chanlab exercise 24-supervisor-restart */
/* expect: panic */
/*
 * MISTAKE (003:q25, recover in the wrong goroutine): the supervisor defers
 * the recover in its own task; the child's panic is not the supervisor's,
 * nothing recovers it, and it ends the program.
 */
#include "api.h"

struct run {
	struct supervisor *s;
	cl_chan *outcome;
};

/* The supervisor's own safety net (it never sees the child's panic). */
static void try_recover(void *arg)
{
	(void)arg;
	(void)cl_recover();
}

static void child(void *arg)
{
	struct run *r = arg;
	child_body(r->s);
	int crashed = 0;
	cl_send(r->outcome, &crashed);
}

cl_error supervise(struct supervisor *s)
{
	struct run r = {s, cl_make("outcome", int, 1)};
	cl_defer(try_recover, NULL);
	for (int restarts = 0;; restarts++) {
		cl_go(child, &r, "child");
		int crashed;
		cl_recv(r.outcome, &crashed);
		if (!crashed)
			return NULL;
		if (restarts == MAX_RESTARTS)
			return err_gave_up;
	}
}
