/* chanlab exercise 24-supervisor-restart */
/*
 * Supervisor with restart intensity: recover in the child's own task,
 * report to the supervisor, restart a limited number of times.  Read
 * api.h.  Check with
 *	chanlab exercise check
 */
#include "api.h"

struct run {
	struct supervisor *s;
	cl_chan *outcome;     /* a channel of int: 1 crashed, 0 returned */
};

static void child(void *arg)
{
	struct run *r = arg;
	/* TODO: a deferred function that recovers and reports 1 or 0 on r->outcome. */
	child_body(r->s);
}

cl_error supervise(struct supervisor *s)
{
	struct run r = {s, cl_make("outcome", int, 1)};
	/* TODO: start the child, wait for its outcome, restart it after a crash,
	 * give up after MAX_RESTARTS restarts. */
	cl_go(child, &r, "child");
	return NULL;
}
