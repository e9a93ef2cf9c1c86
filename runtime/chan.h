/*
 * chan.h - the channel record and the operations chan.c shares with
 * select.c.  Nothing outside those two files looks inside a channel.
 */
#ifndef CHANLAB_CHAN_H
#define CHANLAB_CHAN_H

#include "runtime/rt.h"

struct cl_chan {
	struct rt_obj obj;
	struct rt_lock lock;     /* guards every field below (no-op under det) */
	size_t elem_size;
	size_t cap;
	size_t count;            /* values in buf */
	size_t head;             /* index of the oldest value */
	bool closed;
	struct rt_waitq recvq;   /* blocked receivers */
	struct rt_waitq sendq;   /* blocked senders */
	cl_fmt_fn fmt;
	int last_sender;         /* task ids, for the deadlock report's wait-for graph */
	int last_receiver;
	uint64_t *flows;         /* flow id of each buffered value (parallel to buf) */
	unsigned char *buf;      /* cap * elem_size bytes */
};

/* First queued waiter that can still be woken (skipping selects that have
 * already fired), removed from the queue; NULL if none. */
struct rt_waiter *rt_waitq_take_first(struct rt_waitq *q);
static inline struct rt_waiter *rt_waitq_take(struct rt_waitq *q)
{
	/* Most polls find the queue empty: no call for that. */
	return q->first ? rt_waitq_take_first(q) : NULL;
}

static inline void rt_waitq_push(struct rt_waitq *q, struct rt_waiter *w)
{
	w->next = NULL;
	w->prev = q->last;
	if (q->last)
		q->last->next = w;
	else
		q->first = w;
	q->last = w;
	w->queued = true;
}

/* Takes w off q if it is still queued there. */
static inline void rt_waitq_unlink(struct rt_waitq *q, struct rt_waiter *w)
{
	if (!w->queued)
		return;
	if (w->prev)
		w->prev->next = w->next;
	else
		q->first = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		q->last = w->prev;
	w->queued = false;
}

/* The halves of a channel operation once the channel is locked and the
 * operation is known to proceed.  Each releases c's lock.  self is the
 * running task (NULL for a timer's offer); the receiving task's message
 * count goes up. */
void rt_send_to_waiter(struct cl_chan *c, struct rt_waiter *w, const void *val,
                       struct rt_task *self, const char *file, int line);
void rt_recv_from_waiter(struct cl_chan *c, struct rt_waiter *w, void *out,
                         struct rt_task *self, const char *file, int line);
void rt_buf_put(struct cl_chan *c, const void *val, struct rt_task *self, const char *file,
                int line);
void rt_buf_take(struct cl_chan *c, void *out, struct rt_task *self, const char *file, int line);
void rt_recv_closed(struct cl_chan *c, void *out, struct rt_task *self, const char *file,
                    int line);

#endif
