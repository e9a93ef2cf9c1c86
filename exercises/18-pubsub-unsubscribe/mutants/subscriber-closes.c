/* chanlab exercise 18-pubsub-unsubscribe */
/* expect: event */
/*
 * MISTAKE (002:mistake:closing-unowned): the subscriber closes its own
 * channel after unsubscribing, and the broker, told it would, only forgets
 * it.  The channel is the broker's to close (it sends on it): the rule
 * that only the owner closes is broken, which the event check sees at
 * once.
 */
#include "api.h"

/* Forgets ch (its slot becomes free); the subscriber closes it. */
static void drop(cl_chan **subs, cl_chan *ch)
{
	for (int i = 0; i < MAX_SUBS; i++)
		if (subs[i] == ch) {
			subs[i] = NULL;
			return;
		}
}

static void add(cl_chan **subs, cl_chan *ch)
{
	for (int i = 0; i < MAX_SUBS; i++)
		if (!subs[i]) {
			subs[i] = ch;
			return;
		}
}

static void broker(void *arg)
{
	struct broker *b = arg;
	cl_chan *subs[MAX_SUBS] = {NULL};
	for (;;) {
		int v;
		cl_chan *ch;
		struct cl_case c[] = {CL_RECV_CASE(b->publish, &v), CL_RECV_CASE(b->subscribe, &ch),
		                      CL_RECV_CASE(b->unsubscribe, &ch)};
		int k = cl_select(c, 3);
		if (k == 0 && !c[0].ok)
			break;
		if (k == 1) {
			add(subs, ch);
		} else if (k == 2) {
			drop(subs, ch);
		} else {
			/* Hand v to each subscriber, accepting unsubscribes meanwhile:
			 * the one we are waiting for may be the one leaving. */
			for (int i = 0; i < MAX_SUBS; i++) {
				while (subs[i]) {
					struct cl_case h[] = {CL_SEND_CASE(subs[i], &v),
					                      CL_RECV_CASE(b->unsubscribe, &ch)};
					if (cl_select(h, 2) == 0)
						break;
					drop(subs, ch);
				}
			}
		}
	}
	for (int i = 0; i < MAX_SUBS; i++)
		if (subs[i])
			cl_close(subs[i]);
	cl_close(b->done);
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
	int v;
	for (;;) {
		/* Go: select { case b.unsubscribe <- ch: ...; case _, ok := <-ch: ... } */
		struct cl_case c[] = {CL_SEND_CASE(b->unsubscribe, &ch), CL_RECV_CASE(ch, &v)};
		int k = cl_select(c, 2);
		if (k == 0)
			break;
		if (!c[1].ok)
			return;   /* already closed: the broker has finished */
	}
	cl_close(ch);
}
