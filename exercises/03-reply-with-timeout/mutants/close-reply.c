/* chanlab exercise 03-reply-with-timeout */
/* expect: panic */
/*
 * MISTAKE (001:mistake:closing-reply-channel): the caller closes the reply
 * channel when it gives up, "to tell the server"; the server's late answer
 * is then a send on a closed channel, which panics.
 */
#include "api.h"

bool ask(cl_chan *requests, int n, cl_time timeout, int *answer)
{
	struct request r = {n, cl_make("reply", int, 1)};
	cl_send(requests, &r);
	struct cl_case c[] = {CL_RECV_CASE(r.reply, answer), CL_RECV_CASE(cl_after(timeout), NULL)};
	if (cl_select(c, 2) == 0)
		return true;
	cl_close(r.reply);
	return false;
}
