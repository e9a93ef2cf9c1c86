/* chanlab exercise 18-pubsub-unsubscribe */
/* expect: deadlock */
/*
 * MISTAKE (pub-sub: unsubscribe while the publisher is blocked): the
 * broker hands values over with a plain send, and the leaving subscriber
 * only sends its unsubscribe: each waits for the other.
 */
#include "api.h"

/* Closes and forgets ch (its slot becomes free). */
static void drop(cl_chan **subs, cl_chan *ch)
{
	for (int i = 0; i < MAX_SUBS; i++)
		if (subs[i] == ch) {
			cl_close(ch);
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
				if (subs[i])
					cl_send(subs[i], &v);
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
	cl_send(b->unsubscribe, &ch);
	while (cl_recv(ch, &v))
		;
}
