/* chanlab exercise 14-hedged-request */
/* expect: result */
/*
 * MISTAKE: both replicas asked at once "to be fast": every request costs
 * double even when the primary was quick.
 */
#include "api.h"

int hedged(cl_chan *primary, cl_chan *backup, int n, cl_time hedge_after)
{
	/* Go: reply := make(chan int, 2) */
	struct hreq q = {n, cl_make("reply", int, 2)};
	int v;
	cl_send(primary, &q);
	cl_send(backup, &q);
	/* Go: select { case v := <-reply: return v; case <-time.After(hedge): } */
	struct cl_case c[] = {CL_RECV_CASE(q.reply, &v), CL_RECV_CASE(cl_after(hedge_after), NULL)};
	if (cl_select(c, 2) == 0)
		return v;
	cl_recv(q.reply, &v);
	return v;
}
