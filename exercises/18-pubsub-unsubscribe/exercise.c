/* chanlab exercise 18-pubsub-unsubscribe */
/*
 * Pub-sub with unsubscribe: one broker task owns the subscriber list; an
 * unsubscribe can arrive while the broker is blocked handing a value to
 * that very subscriber.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include "api.h"

static void broker(void *arg)
{
	struct broker *b = arg;
	cl_chan *subs[MAX_SUBS] = {NULL};
	int n = 0;
	(void)subs;
	(void)n;
	(void)b;
	/* TODO: loop on a select of publish, subscribe and unsubscribe.
	 * A published value goes to every subscriber; remove (and close) a
	 * leaving one; when publish is closed, close every channel left and done. */
}

void broker_start(struct broker *b)
{
	b->publish = cl_make("publish", int, 0);
	b->subscribe = cl_make("subscribe", cl_chan *, 0);
	b->unsubscribe = cl_make("unsubscribe", cl_chan *, 0);
	b->done = cl_make("done", char, 0);
	cl_go(broker, b, "broker");
}

void broker_subscribe(struct broker *b, cl_chan *ch)
{
	cl_send(b->subscribe, &ch);
}

void broker_unsubscribe(struct broker *b, cl_chan *ch)
{
	(void)b;
	(void)ch;
	/* TODO: ask the broker to remove ch; meanwhile keep taking (and dropping)
	 * values it may still be handing to ch; return when ch is closed. */
}
