/*
 * chan.h - the channel record and the operations chan.c shares with
 * select.c.  Nothing outside those two files looks inside a channel.
 */
#ifndef CHANLAB_CHAN_H
#define CHANLAB_CHAN_H

#include "runtime/rt.h"

struct cl_chan {
	struct rt_obj obj;
	/* Set by cl_chan_make and never changed (fmt: once, before use), so
	 * these lines stay shared between the cores. */
	size_t elem_size;
	size_t cap;
	uint64_t *flows;         /* flow id of each buffered value (parallel to buf; tracing only) */
	unsigned char *buf;      /* cap * elem_size bytes */
	cl_fmt_fn fmt;
	/* What every operation writes, together (64 bytes): the lock and the
	 * state it guards (no-op lock under det). */
	struct rt_lock lock;     /* guards every field below */
	bool closed;             /* stored atomically: see below */
	int last_sender;         /* task ids, for the deadlock report's wait-for graph */
	int last_receiver;
	size_t count;            /* values in buf (stored atomically) */
	size_t head;             /* index of the oldest value */
	struct rt_waitq recvq;   /* blocked receivers (first stored atomically) */
	struct rt_waitq sendq;   /* blocked senders (first stored atomically) */
};

/* First queued waiter that can still be woken (skipping selects that have
 * already fired), removed from the queue; NULL if none.  Inline: every
 * poll and hand-off asks, and a call there made select2 spill its cases
 * around it. */
static inline __attribute__((always_inline)) struct rt_waiter *rt_waitq_take(struct rt_waitq *q)
{
	struct rt_waiter *w;
	while ((w = q->first)) {
		/* The head's unlink: it has no prev. */
		struct rt_waiter *next = w->next;
		__atomic_store_n(&q->first, next, __ATOMIC_RELAXED);   /* read without the lock */
		if (next)
			next->prev = NULL;
		else
			q->last = NULL;
		w->queued = false;
		if (w->case_index >= 0) {
			/* A select waits on several channels; only the first to
			 * claim it wins (the fired flag: under par two processors
			 * may race for it, holding different channels' locks).
			 * Only a select reads fired. */
			int expected = 0;
			if (!__atomic_compare_exchange_n(&w->task->select_done, &expected, 1, false,
			                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				continue;
			w->task->fired = w;
		}
		return w;
	}
	return NULL;
}

static inline void rt_waitq_push(struct rt_waitq *q, struct rt_waiter *w)
{
	w->next = NULL;
	w->prev = q->last;
	if (q->last)
		q->last->next = w;
	else
		__atomic_store_n(&q->first, w, __ATOMIC_RELAXED);   /* read without the lock */
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
		__atomic_store_n(&q->first, w->next, __ATOMIC_RELAXED);   /* read without the lock */
	if (w->next)
		w->next->prev = w->prev;
	else
		q->last = w->prev;
	w->queued = false;
}

/* ---- non-blocking operations that cannot proceed, seen without the lock ----
 *
 * A select of one case with a default (a poll) mostly finds nothing to do.
 * Taking the lock to find that out writes the channel's cache line on every
 * poll, and a poller on one core then takes the line from under the sender
 * on the other.  As Go's chanrecv and chansend do when block is false, these
 * look without the lock; true means the operation certainly cannot proceed
 * now, false that the caller must lock and look again (it may still block).
 * Every field they read is stored atomically wherever it changes (count,
 * closed, the queues' first), always under the lock; cap never changes.
 *
 * Receive: "empty" (a buffered channel holds no value; an unbuffered one
 * has no sender queued), read before closed.  If closed is still false
 * then, it was false when empty was read (a channel never reopens), so at
 * that moment the receive could not proceed.  A closed channel goes to the
 * locked path, which returns the buffered values first, then the zero
 * value.
 *
 * Send: not closed, read before "full" (every slot taken; unbuffered: no
 * receiver queued).  A channel that is closed between the two reads was
 * not ready before the close either (a closed channel stays "ready": the
 * send panics), so some moment between them saw it open and full.
 *
 * Queued waiters of selects that already fired count as waiters here: the
 * locked path skips them and finds the same answer.  Sequentially
 * consistent loads keep the two reads in order (plain moves on x86-64). */
static inline bool rt_chan_recv_cannot(struct cl_chan *c)
{
	bool empty = c->cap ? __atomic_load_n(&c->count, __ATOMIC_SEQ_CST) == 0
	                    : __atomic_load_n(&c->sendq.first, __ATOMIC_SEQ_CST) == NULL;
	return empty && !__atomic_load_n(&c->closed, __ATOMIC_SEQ_CST);
}

static inline bool rt_chan_send_cannot(struct cl_chan *c)
{
	if (__atomic_load_n(&c->closed, __ATOMIC_SEQ_CST))
		return false;
	return c->cap ? __atomic_load_n(&c->count, __ATOMIC_SEQ_CST) == c->cap
	              : __atomic_load_n(&c->recvq.first, __ATOMIC_SEQ_CST) == NULL;
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
