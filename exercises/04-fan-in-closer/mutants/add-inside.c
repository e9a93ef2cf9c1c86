/* chanlab exercise 04-fan-in-closer */
/* expect: event */
/*
 * MISTAKE (003:q11): wg.Add inside the forwarder.  The closer can reach
 * Wait before any forwarder has added itself, see a zero counter and
 * close out while forwarders are still running.
 */
#include <stdlib.h>

#include "api.h"

struct forward_args {
	cl_chan *in, *out;
	cl_waitgroup *wg;
};

struct merge_state {
	cl_chan *out;
	cl_waitgroup *wg;
	struct forward_args fa[];
};

static void forward(void *arg)
{
	struct forward_args *a = arg;
	cl_wg_add(a->wg, 1);
	int v;
	while (cl_recv(a->in, &v))
		cl_send(a->out, &v);
	cl_wg_done(a->wg);
}

static void closer(void *arg)
{
	struct merge_state *m = arg;
	cl_wg_wait(m->wg);
	cl_close(m->out);
}

cl_chan *merge(cl_chan **inputs, int n)
{
	struct merge_state *m = malloc(sizeof *m + (size_t)n * sizeof m->fa[0]);
	m->out = cl_make("out", int, 0);
	m->wg = cl_wg_new("forwarders");
	cl_chan *out = m->out;
	for (int i = 0; i < n; i++) {
		m->fa[i] = (struct forward_args){inputs[i], m->out, m->wg};
		cl_go(forward, &m->fa[i], "forward-%d", i);
	}
	cl_go(closer, m, "closer");
	return out;
}
