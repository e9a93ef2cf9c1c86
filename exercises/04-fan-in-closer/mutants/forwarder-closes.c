/* chanlab exercise 04-fan-in-closer */
/* expect: event */
/*
 * MISTAKE (002:mistake:closing-unowned): each forwarder closes out when its
 * own input is drained; the first to finish closes it under the others
 * (whose next send then panics).
 */
#include <stdlib.h>

#include "api.h"

struct forward_args {
	cl_chan *in, *out;
};

static void forward(void *arg)
{
	struct forward_args *a = arg;
	int v;
	while (cl_recv(a->in, &v))
		cl_send(a->out, &v);
	cl_close(a->out);
	free(a);
}

cl_chan *merge(cl_chan **inputs, int n)
{
	cl_chan *out = cl_make("out", int, 0);
	for (int i = 0; i < n; i++) {
		struct forward_args *a = malloc(sizeof *a);
		*a = (struct forward_args){inputs[i], out};
		cl_go(forward, a, "forward-%d", i);
	}
	return out;
}
