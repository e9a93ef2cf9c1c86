/* chanlab exercise 24-supervisor-restart */
/* expect: result */
/*
 * MISTAKE (002:checklist:3, no restart intensity): the child is restarted
 * after every crash, however often it crashes.
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
		(void)restarts;
	}
}
