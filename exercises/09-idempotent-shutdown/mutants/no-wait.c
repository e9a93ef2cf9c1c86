/* chanlab exercise 09-idempotent-shutdown */
/* expect: result */
/*
 * MISTAKE (001:mistake:forgetting-stopped): closes quit once but returns
 * without waiting for stopped; callers carry on while the server is still
 * cleaning up.
 */
#include "api.h"

static void close_quit(void *arg)
{
	struct server *s = arg;
	cl_close(s->quit);
}

void server_start(struct server *s)
{
	s->quit = cl_make("quit", char, 0);
	s->stopped = cl_make("stopped", char, 0);
	s->once = cl_once_new("close-quit");
	cl_go(server_loop, s, "server");
}

void server_close(struct server *s)
{
	cl_once_do(s->once, close_quit, s);
}
