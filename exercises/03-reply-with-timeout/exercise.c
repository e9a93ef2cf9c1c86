/* chanlab exercise 03-reply-with-timeout */
/*
 * Reply channel with a timeout: send a request carrying its own reply
 * channel, then wait for the answer or the timeout, whichever comes first.
 * Read api.h.  Check with
 *	chanlab exercise check
 */
#include "api.h"

bool ask(cl_chan *requests, int n, cl_time timeout, int *answer)
{
	(void)requests;
	(void)n;
	(void)timeout;
	(void)answer;
	/* TODO: make the reply channel (what capacity, if the caller may leave?). */
	/* TODO: send the request. */
	/* TODO: wait for the reply or for cl_after(timeout). */
	return false;
}
