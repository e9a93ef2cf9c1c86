/* chanlab exercise 14-hedged-request */
/* expect: result */
/*
 * MISTAKE: no hedge at all: waiting for the primary however slow it is.
 */
#include "api.h"

int hedged(cl_chan *primary, cl_chan *backup, int n, cl_time hedge_after)
{
	/* Go: reply := make(chan int, 2) */
	struct hreq q = {n, cl_make("reply", int, 2)};
	int v;
	cl_send(primary, &q);
	/* Go: select { case v := <-reply: return v; case <-time.After(hedge): } */
	(void)backup;
	(void)hedge_after;
	cl_recv(q.reply, &v);
	return v;
}
