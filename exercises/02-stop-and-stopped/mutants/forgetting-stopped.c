/* chanlab exercise 02-stop-and-stopped */
/* expect: result */
/*
 * MISTAKE (001:mistake:forgetting-stopped): service_stop closes stop and
 * returns without waiting for stopped; a service in the middle of a tick
 * goes on working after "stop" returned.
 */
#include "api.h"

static void service(void *arg)
{
	struct service *s = arg;
	for (;;) {
		struct cl_case c[] = {CL_RECV_CASE(s->stop, NULL), CL_RECV_CASE(s->tick, NULL)};
		if (cl_select(c, 2) == 0)
			break;
		service_tick(s);
	}
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
	cl_close(s->stop);
}
