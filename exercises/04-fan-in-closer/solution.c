/* chanlab exercise 04-fan-in-closer */
/*
 * Fan-in with a closer, solved.  merge adds to the wait group before it
 * starts each forwarder (never inside it), each forwarder says Done when
 * its input is drained, and the closer, the only owner of out's close,
 * closes it after Wait.  Each forwarder gets its own argument record,
 * kept in memory the caller's run owns (the merge state).
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
	int n;
	struct forward_args fa[];
};

static void forward(void *arg)
{
	struct forward_args *a = arg;
	int v;
	/* Go: for v := range in { out <- v } */
	while (cl_recv(a->in, &v))
		cl_send(a->out, &v);
	/* Go: wg.Done() */
	cl_wg_done(a->wg);
}

static void closer(void *arg)
{
	struct merge_state *m = arg;
	/* Go: wg.Wait(); close(out) */
	cl_wg_wait(m->wg);
	cl_close(m->out);
	free(m);
}

cl_chan *merge(cl_chan **inputs, int n)
{
	struct merge_state *m = malloc(sizeof *m + (size_t)n * sizeof m->fa[0]);
	m->out = cl_make("out", int, 0);
	m->wg = cl_wg_new("forwarders");
	m->n = n;
	cl_chan *out = m->out;
	for (int i = 0; i < n; i++) {
		m->fa[i] = (struct forward_args){inputs[i], m->out, m->wg};
		/* Go: wg.Add(1) before go */
		cl_wg_add(m->wg, 1);
		cl_go(forward, &m->fa[i], "forward-%d", i);
	}
	cl_go(closer, m, "closer");
	return out;
}
