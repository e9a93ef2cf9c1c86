/* chanlab exercise 02-stop-and-stopped */
/* expect: limit */
/*
 * MISTAKE: the service returns when asked to stop but never closes
 * stopped, so service_stop waits for ever for an acknowledgement that never
 * comes (the ticker keeps time moving, so it is a hang, not a deadlock).
 */
#include "api.h"

static void service(void *arg)
{
	struct service *s = arg;
	for (;;) {
		struct cl_case c[] = {CL_RECV_CASE(s->stop, NULL), CL_RECV_CASE(s->tick, NULL)};
		if (cl_select(c, 2) == 0)
			return;
		service_tick(s);
	}
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
	cl_recv(s->stopped, NULL);
}
