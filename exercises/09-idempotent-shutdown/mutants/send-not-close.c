/* chanlab exercise 09-idempotent-shutdown */
/* expect: deadlock */
/*
 * MISTAKE (001:mistake:send-instead-of-close): each caller sends one value
 * on quit instead of closing it.  The server takes only the first; every
 * other caller blocks on its send for ever.
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
	char v = 1;
	cl_send(s->quit, &v);
	cl_recv(s->stopped, NULL);
}
