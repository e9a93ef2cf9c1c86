/* chanlab exercise 03-reply-with-timeout */
/*
 * Reply channel with a timeout, solved.  The reply channel has capacity 1:
 * the server's send always completes, even when the caller has already
 * given up, so no server is ever stuck on an answer nobody takes.
 */
#include "api.h"

bool ask(cl_chan *requests, int n, cl_time timeout, int *answer)
{
	/* Go: reply := make(chan int, 1) */
	struct request r = {n, cl_make("reply", int, 1)};
	/* Go: requests <- request{n, reply} */
	cl_send(requests, &r);
	/* Go: select { case v := <-reply: ...; case <-time.After(timeout): ... } */
	struct cl_case c[] = {CL_RECV_CASE(r.reply, answer), CL_RECV_CASE(cl_after(timeout), NULL)};
	return cl_select(c, 2) == 0;
}
