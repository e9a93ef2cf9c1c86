/* chanlab exercise 03-reply-with-timeout */
/* expect: result */
/*
 * MISTAKE: waiting for the reply without a timeout; a slow server makes
 * the caller wait as long as it likes.
 */
#include "api.h"

bool ask(cl_chan *requests, int n, cl_time timeout, int *answer)
{
	(void)timeout;
	struct request r = {n, cl_make("reply", int, 1)};
	cl_send(requests, &r);
	cl_recv(r.reply, answer);
	return true;
}
