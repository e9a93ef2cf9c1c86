/* chanlab exercise 03-reply-with-timeout */
/* expect: deadlock */
/*
 * MISTAKE (001:mistake:unbuffered-reply-timeout): an unbuffered reply
 * channel.  When the caller times out, the server's send has no receiver
 * any more and blocks for ever: the server is stranded.
 */
#include "api.h"

bool ask(cl_chan *requests, int n, cl_time timeout, int *answer)
{
	struct request r = {n, cl_make("reply", int, 0)};
	cl_send(requests, &r);
	struct cl_case c[] = {CL_RECV_CASE(r.reply, answer), CL_RECV_CASE(cl_after(timeout), NULL)};
	return cl_select(c, 2) == 0;
}
