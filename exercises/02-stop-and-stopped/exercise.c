/* chanlab exercise 02-stop-and-stopped */
/*
 * Stop and stopped: a service that ticks until asked to stop, and a stop
 * that waits for the service to acknowledge.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include "api.h"

static void service(void *arg)
{
	struct service *s = arg;
	for (;;) {
		/* TODO: leave the loop when asked to stop: wait for a tick or for stop. */
		cl_recv(s->tick, NULL);
		service_tick(s);
	}
	/* TODO: say "I have stopped". */
}

void service_start(struct service *s)
{
	/* TODO: make s->stop and s->stopped. */
	cl_go(service, s, "service");
}

void service_stop(struct service *s)
{
	(void)s;
	/* TODO: ask the service to stop, then wait until it has. */
}
