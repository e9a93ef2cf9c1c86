/* chanlab exercise 09-idempotent-shutdown */
/* expect: panic */
/*
 * MISTAKE (000:q3, double close): every call closes quit; the second
 * caller's close of a closed channel panics.
 */
#include "api.h"

void server_start(struct server *s)
{
	s->quit = cl_make("quit", char, 0);
	s->stopped = cl_make("stopped", char, 0);
	cl_go(server_loop, s, "server");
}

void server_close(struct server *s)
{
	cl_close(s->quit);
	cl_recv(s->stopped, NULL);
}
