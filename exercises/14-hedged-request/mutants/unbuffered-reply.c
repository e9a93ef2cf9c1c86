/* chanlab exercise 14-hedged-request */
/* expect: deadlock */
/*
 * MISTAKE (001:mistake:unbuffered-reply-timeout): an unbuffered reply
 * channel; the replica that answers second has nobody to take its answer
 * and blocks for ever.
 */
#include "api.h"

int hedged(cl_chan *primary, cl_chan *backup, int n, cl_time hedge_after)
{
	/* Go: reply := make(chan int, 2) */
	struct hreq q = {n, cl_make("reply", int, 0)};
	int v;
	cl_send(primary, &q);
	/* Go: select { case v := <-reply: return v; case <-time.After(hedge): } */
	struct cl_case c[] = {CL_RECV_CASE(q.reply, &v), CL_RECV_CASE(cl_after(hedge_after), NULL)};
	if (cl_select(c, 2) == 0)
		return v;
	cl_send(backup, &q);
	cl_recv(q.reply, &v);
	return v;
}
