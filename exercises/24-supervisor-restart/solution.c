/* chanlab exercise 24-supervisor-restart */
/*
 * Supervisor with restart intensity, solved.  The recover sits in a
 * function deferred by the child itself (a recover in any other task sees
 * nothing), turns the panic into a report on outcome (capacity 1, so the
 * report never blocks), and the supervisor restarts the child after each
 * crash until the allowance is used up.
 */
#include "api.h"

struct run {
	struct supervisor *s;
	cl_chan *outcome;
};

static void report(void *arg)
{
	struct run *r = arg;
	/* Go: defer func() { if recover() != nil { outcome <- 1 } else { outcome <- 0 } }() */
	int crashed = cl_recover() != NULL;
	cl_send(r->outcome, &crashed);
}

static void child(void *arg)
{
	struct run *r = arg;
	cl_defer(report, r);
	child_body(r->s);
}

cl_error supervise(struct supervisor *s)
{
	struct run r = {s, cl_make("outcome", int, 1)};
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
