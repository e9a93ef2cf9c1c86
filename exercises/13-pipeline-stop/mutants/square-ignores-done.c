/* chanlab exercise 13-pipeline-stop */
/* expect: leak */
/*
 * MISTAKE (004:t13, 004:t28): the square stage sends without watching
 * done; when the consumer stops early it blocks for ever on its send.
 */
#include <stdlib.h>

#include "api.h"

struct stage {
	cl_chan *done, *in, *out;
	int n;
};

/* Sends v on out unless done is closed first; false when stopped. */
static bool send_or_stop(cl_chan *out, cl_chan *done, int v)
{
	/* Go: select { case out <- v: return true; case <-done: return false } */
	struct cl_case c[] = {CL_SEND_CASE(out, &v), CL_RECV_CASE(done, NULL)};
	return cl_select(c, 2) == 0;
}

static void gen_task(void *arg)
{
	struct stage *s = arg;
	for (int i = 1; i <= s->n; i++)
		if (!send_or_stop(s->out, s->done, i))
			break;
	cl_close(s->out);
	free(s);
}

static void square_task(void *arg)
{
	struct stage *s = arg;
	int v;
	while (cl_recv(s->in, &v)) {
		int sq = v * v;
		cl_send(s->out, &sq);
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
	struct stage *s = malloc(sizeof *s);
	*s = (struct stage){done, in, cl_make("squares", int, 0), 0};
	cl_chan *out = s->out;
	cl_go(square_task, s, "square");
	return out;
}
