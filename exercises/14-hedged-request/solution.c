/* chanlab exercise 14-hedged-request */
/*
 * Hedged request, solved.  The reply channel has room for both answers,
 * so the replica that loses never blocks; the backup is asked only after
 * the hedge delay passed without an answer.
 */
#include "api.h"

int hedged(cl_chan *primary, cl_chan *backup, int n, cl_time hedge_after)
{
	/* Go: reply := make(chan int, 2) */
	struct hreq q = {n, cl_make("reply", int, 2)};
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
