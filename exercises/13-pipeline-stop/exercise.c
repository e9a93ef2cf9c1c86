/* chanlab exercise 13-pipeline-stop */
/*
 * Pipeline stage that stops when the consumer stops: every send of a
 * stage is a select with done.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include <stdlib.h>

#include "api.h"

struct stage {
	cl_chan *done, *in, *out;
	int n;
};

static void gen_task(void *arg)
{
	struct stage *s = arg;
	for (int i = 1; i <= s->n; i++) {
		/* TODO: send i, or stop if done is closed. */
	}
	cl_close(s->out);
	free(s);
}

cl_chan *gen(cl_chan *done, int n)
{
	struct stage *s = malloc(sizeof *s);
	*s = (struct stage){done, NULL, cl_make("numbers", int, 0), n};
	cl_chan *out = s->out;
	cl_go(gen_task, s, "gen");
	return out;
}

cl_chan *square(cl_chan *done, cl_chan *in)
{
	(void)done;
	/* TODO: a "square" task like gen's, reading in. */
	return in;
}
