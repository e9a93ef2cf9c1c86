/*
 * api.h - 18-pubsub-unsubscribe: what your file and the checks share.
 *
 * A broker task owns the list of subscribers.  Publishing sends a value
 * to the broker, which hands it to every subscriber's channel; a
 * subscriber can unsubscribe at any time, even while the broker is trying
 * to hand it a value.  The broker closes a subscriber's channel when it
 * removes it, and every channel still subscribed when publishing ends.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

#define MAX_SUBS 4

struct broker {
	cl_chan *publish;       /* channel of int; main closes it when done publishing */
	cl_chan *subscribe;     /* channel of cl_chan *: a new subscriber's channel */
	cl_chan *unsubscribe;   /* channel of cl_chan *: a subscriber leaving */
	cl_chan *done;          /* closed by the broker when it has finished */
};

/* Yours: makes the four channels and starts the broker task, "broker". */
void broker_start(struct broker *b);
/* Yours: subscribes ch (an unbuffered channel of int the caller made). */
void broker_subscribe(struct broker *b, cl_chan *ch);
/* Yours: unsubscribes ch; returns once the broker has closed it. */
void broker_unsubscribe(struct broker *b, cl_chan *ch);

#endif
