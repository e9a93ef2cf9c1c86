/* chanlab exercise 02-stop-and-stopped */
/*
 * Stop and stopped, solved: closing stop is the request (a close reaches
 * the service whenever it next looks); closing stopped, the service's last
 * act, is the acknowledgement service_stop waits for.
 */
#include "api.h"

static void service(void *arg)
{
	struct service *s = arg;
	for (;;) {
		/* Go: select { case <-stop: return; case <-tick: } */
		struct cl_case c[] = {CL_RECV_CASE(s->stop, NULL), CL_RECV_CASE(s->tick, NULL)};
		if (cl_select(c, 2) == 0)
			break;
		service_tick(s);
	}
	/* Go: close(stopped) */
	cl_close(s->stopped);
}

void service_start(struct service *s)
{
	s->stop = cl_make("stop", char, 0);
	s->stopped = cl_make("stopped", char, 0);
	cl_go(service, s, "service");
}

void service_stop(struct service *s)
{
	/* Go: close(stop); <-stopped */
	cl_close(s->stop);
	cl_recv(s->stopped, NULL);
}
