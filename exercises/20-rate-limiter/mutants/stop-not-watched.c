/* chanlab exercise 20-rate-limiter */
/* expect: limit */
/*
 * MISTAKE: the refiller only waits for ticks and never looks at stop, so
 * it runs for ever and limiter_stop never returns.
 */
#include "api.h"

static void refiller(void *arg)
{
	struct limiter *l = arg;
	cl_timer *t = cl_ticker_new(l->interval);
	char token = 0;
	for (;;) {
		/* Go: select { case <-stop: return; case <-ticker.C: } */
		cl_recv(cl_timer_chan(t), NULL);
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
