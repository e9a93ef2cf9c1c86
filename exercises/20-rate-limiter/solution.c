/* chanlab exercise 20-rate-limiter */
/*
 * Rate limiter with backpressure, solved.  The bucket is a channel of
 * capacity 1 (the burst); the refiller adds a token with a non-blocking
 * send, so a full bucket drops the tick instead of queueing work; the
 * refiller selects on stop beside its ticker, stops the ticker and closes
 * stopped on the way out.
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
		struct cl_case put[] = {CL_SEND_CASE(l->tokens, &token)};
		cl_select_default(put, 1);
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
