/* chanlab exercise 02-stop-and-stopped */
/* expect: event */
/*
 * MISTAKE (002:mistake:closing-unowned): the service closes the stop
 * channel itself on the way out "to tidy up"; stop belongs to the one who
 * asks, and a second stopper would now panic.
 */
#include "api.h"

static void service(void *arg)
{
	struct service *s = arg;
	char v;
	for (;;) {
		struct cl_case c[] = {CL_RECV_CASE(s->stop, &v), CL_RECV_CASE(s->tick, NULL)};
		if (cl_select(c, 2) == 0)
			break;
		service_tick(s);
	}
	cl_close(s->stop);
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
	char v = 1;
	cl_send(s->stop, &v);
	cl_recv(s->stopped, NULL);
}
