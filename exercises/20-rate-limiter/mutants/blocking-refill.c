/* chanlab exercise 20-rate-limiter */
/* expect: result */
/*
 * MISTAKE (no backpressure): the refiller adds a token with a blocking
 * send.  With the bucket full it waits there holding a second token, so
 * the burst is two, not one (and it is deaf to stop meanwhile).
 */
#include "api.h"

static void refiller(void *arg)
{
	struct limiter *l = arg;
	cl_timer *t = cl_ticker_new(l->interval);
	char token = 0;
	for (;;) {
		/* Go: select { case <-stop: return; case <-ticker.C: } */
		struct cl_case c[] = {CL_RECV_CASE(l->stop, NULL), CL_RECV_CASE(cl_timer_chan(t), NULL)};
		if (cl_select(c, 2) == 0)
			break;
		/* Go: select { case tokens <- struct{}{}: default: } */
		cl_send(l->tokens, &token);
	}
	cl_timer_stop(t);
	cl_close(l->stopped);
}

void limiter_start(struct limiter *l, cl_time interval)
{
	l->interval = interval;
	l->tokens = cl_make("tokens", char, 1);
	l->stop = cl_make("stop", char, 0);
	l->stopped = cl_make("stopped", char, 0);
	cl_go(refiller, l, "refiller");
}

void limiter_wait(struct limiter *l)
{
	cl_recv(l->tokens, NULL);
}

void limiter_stop(struct limiter *l)
{
	cl_close(l->stop);
	cl_recv(l->stopped, NULL);
}
