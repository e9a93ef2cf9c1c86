/* chanlab exercise 09-idempotent-shutdown */
/*
 * Idempotent shutdown: many callers, one close, everyone waits for the
 * same acknowledgement.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include "api.h"

void server_start(struct server *s)
{
	s->quit = cl_make("quit", char, 0);
	s->stopped = cl_make("stopped", char, 0);
	/* TODO: what makes "close quit" happen only once? */
	cl_go(server_loop, s, "server");
}

void server_close(struct server *s)
{
	(void)s;
	/* TODO: close quit, once only, whoever calls first. */
	/* TODO: wait until the server has stopped. */
}
