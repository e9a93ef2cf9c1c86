/* chanlab exercise 09-idempotent-shutdown */
/*
 * Idempotent shutdown, solved: sync.Once closes quit for the first caller
 * (and makes later callers wait until that close has happened); every
 * caller then waits on stopped, which, once closed, lets all of them
 * through.
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
	/* Go: s.once.Do(func() { close(s.quit) }); <-s.stopped */
	cl_once_do(s->once, close_quit, s);
	cl_recv(s->stopped, NULL);
}
