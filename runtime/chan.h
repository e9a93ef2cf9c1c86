/*
 * chan.h - the channel record and the operations chan.c shares with
 * select.c.  Nothing outside those two files looks inside a channel.
 */
#ifndef CHANLAB_CHAN_H
#define CHANLAB_CHAN_H

#include <string.h>

#include "runtime/race.h"
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

/* Claims w, just taken off its queue, for the operation that took it:
 * false if w is a select's case and another case has already fired it.
 * Only the first to claim a select wins (the fired flag: under par two
 * processors may race for it, holding different channels' locks).  Only a
 * select reads fired. */
static inline __attribute__((always_inline)) bool rt_waiter_claim(struct rt_waiter *w)
{
	w->queued = false;
	if (w->case_index < 0)
		return true;
	int expected = 0;
	if (!__atomic_compare_exchange_n(&w->task->select_done, &expected, 1, false,
	                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return false;
	w->task->fired = w;
	return true;
}

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
		if (rt_waiter_claim(w))
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

/* ---- the halves of an operation (channel locked on entry, unlocked on return) ----
 *
 * What an operation does once the channel is locked and the operation is
 * known to proceed, for chan.c's operations and select.c's cases alike.
 * Inline: a select's case is mostly one of these, and a call there cost a
 * frame as big as the work.  Each releases c's lock.  self is the running
 * task (NULL for a timer's offer); the receiving task's message count goes
 * up.  The trace's events go out through chan.c (rt_chan_emit_xfer).  The
 * _in forms take the run and the thread's mode (rt_par_active) from a
 * caller that has them, so neither thread-local is read again. */

/* The event of a value that moves (SEND or RECV; ok 0: a close's zero value). */
void rt_chan_emit_xfer(struct rt_sched *s, enum cl_event_kind kind, struct cl_chan *c,
                       struct rt_task *task, int peer, const void *val, uint64_t flow, int ok,
                       const char *file, int line);

/* Flow ids exist for the trace only: untraced runs skip the shared counter
 * (under par an atomic on one cache line for every message). */
static inline uint64_t rt_chan_next_flow(struct rt_sched *s)
{
	return s->tracing ? rt_count(&s->next_flow, 1) : 0;
}

/* Values are counted on the receiving task (no shared counter on the
 * message path); task.c adds a task's count to the run's when it ends. */
static inline void rt_chan_count_message(struct rt_sched *s, struct rt_task *receiver)
{
	if (receiver)
		receiver->messages++;
	rt_progress(s);
}

/* memcpy of an element; the common sizes become plain moves. */
static inline void rt_chan_copy_elem(void *dst, const void *src, size_t size)
{
	switch (size) {
	case 0: break;
	case 4: memcpy(dst, src, 4); break;
	case 8: memcpy(dst, src, 8); break;
	case 16: memcpy(dst, src, 16); break;
	default: memcpy(dst, src, size); break;
	}
}

static inline size_t rt_chan_next_index(const struct cl_chan *c, size_t i)
{
	return i + 1 == c->cap ? 0 : i + 1;
}

static inline __attribute__((always_inline)) void
rt_send_to_waiter_in(struct rt_sched *s, int par, struct cl_chan *c, struct rt_waiter *w,
                     const void *val, struct rt_task *self, const char *file, int line)
{
	rt_lock_assert_held(&c->lock);
	struct rt_task *to = w->task;
	if (w->elem)
		rt_chan_copy_elem(w->elem, val, c->elem_size);
	if (RT_RACE_ON(s))
		rt_race_chan_pass_(s, c, self, to);   /* sender, then receiver */
	w->success = true;
	uint64_t flow = rt_chan_next_flow(s);
	rt_chan_count_message(s, to);
	c->last_sender = self ? self->id : 0;
	c->last_receiver = to->id;
	if (__builtin_expect(s->tracing, 0)) {
		/* Unbuffered: the send completes after the receive.  Buffered: the
		 * send never waits for a receiver, so it completes first even when
		 * the value goes straight to one. */
		if (c->cap)
			rt_chan_emit_xfer(s, CL_EV_SEND, c, self, to->id, val, flow, 1, file, line);
		rt_chan_emit_xfer(s, CL_EV_RECV, c, to, self ? self->id : 0, val, flow, 1, to->file,
		                  to->line);
		if (!c->cap)
			rt_chan_emit_xfer(s, CL_EV_SEND, c, self, to->id, val, flow, 1, file, line);
	}
	rt_lock_release_par(&c->lock, par);
	rt_ready(to);
}

static inline __attribute__((always_inline)) void
rt_recv_from_waiter_in(struct rt_sched *s, int par, struct cl_chan *c, struct rt_waiter *w,
                       void *out, struct rt_task *self, const char *file, int line)
{
	rt_lock_assert_held(&c->lock);
	struct rt_task *from = w->task;
	if (RT_RACE_ON(s))
		rt_race_chan_pass_(s, c, self, from);   /* receiver, then sender */
	c->last_sender = from->id;
	c->last_receiver = self->id;
	rt_chan_count_message(s, self);
	if (c->cap == 0) {
		/* Unbuffered: take the value from the parked sender. */
		if (out)
			rt_chan_copy_elem(out, w->elem, c->elem_size);
		uint64_t flow = rt_chan_next_flow(s);
		if (__builtin_expect(s->tracing, 0)) {
			rt_chan_emit_xfer(s, CL_EV_RECV, c, self, from->id, w->elem, flow, 1, file, line);
			rt_chan_emit_xfer(s, CL_EV_SEND, c, from, self->id, w->elem, flow, 1, from->file,
			                  from->line);
		}
	} else {
		/* Full buffer: take the oldest value, and put the parked
		 * sender's value in the slot it leaves, keeping FIFO order. */
		size_t at = c->head;
		unsigned char *slot = c->buf + at * c->elem_size;
		if (__builtin_expect(s->tracing, 0))
			rt_chan_emit_xfer(s, CL_EV_RECV, c, self, 0, slot, c->flows[at], 1, file, line);
		if (out)
			rt_chan_copy_elem(out, slot, c->elem_size);
		rt_chan_copy_elem(slot, w->elem, c->elem_size);
		c->head = rt_chan_next_index(c, at);
		if (__builtin_expect(s->tracing, 0)) {
			/* flows are read only by the trace (and named by address
			 * by the race detector): untraced runs leave them alone. */
			c->flows[at] = rt_chan_next_flow(s);
			rt_chan_emit_xfer(s, CL_EV_SEND, c, from, 0, w->elem, c->flows[at], 1, from->file,
			                  from->line);
		}
	}
	w->success = true;
	rt_lock_release_par(&c->lock, par);
	rt_ready(from);
}

static inline __attribute__((always_inline)) void
rt_buf_put_in(struct rt_sched *s, int par, struct cl_chan *c, const void *val, struct rt_task *self,
              const char *file, int line)
{
	rt_lock_assert_held(&c->lock);
	size_t tail = c->head + c->count;
	if (tail >= c->cap)
		tail -= c->cap;
	if (RT_RACE_ON(s))
		rt_race_chan_slot_(s, c, tail, self);
	rt_chan_copy_elem(c->buf + tail * c->elem_size, val, c->elem_size);
	__atomic_store_n(&c->count, c->count + 1, __ATOMIC_RELAXED);   /* read without the lock */
	c->last_sender = self ? self->id : 0;
	if (__builtin_expect(s->tracing, 0)) {
		c->flows[tail] = rt_chan_next_flow(s);   /* the trace's only: untraced runs skip the line */
		rt_chan_emit_xfer(s, CL_EV_SEND, c, self, 0, val, c->flows[tail], 1, file, line);
	}
	rt_lock_release_par(&c->lock, par);
}

static inline __attribute__((always_inline)) void
rt_buf_take_in(struct rt_sched *s, int par, struct cl_chan *c, void *out, struct rt_task *self,
               const char *file, int line)
{
	rt_lock_assert_held(&c->lock);
	size_t at = c->head;
	unsigned char *slot = c->buf + at * c->elem_size;
	if (__builtin_expect(s->tracing, 0))
		rt_chan_emit_xfer(s, CL_EV_RECV, c, self, 0, slot, c->flows[at], 1, file, line);
	if (out)
		rt_chan_copy_elem(out, slot, c->elem_size);
	if (RT_RACE_ON(s))
		rt_race_chan_slot_(s, c, at, self);
	c->head = rt_chan_next_index(c, at);
	__atomic_store_n(&c->count, c->count - 1, __ATOMIC_RELAXED);   /* read without the lock */
	c->last_receiver = self->id;
	rt_lock_release_par(&c->lock, par);
	rt_chan_count_message(s, self);
}

static inline __attribute__((always_inline)) void
rt_recv_closed_in(struct rt_sched *s, int par, struct cl_chan *c, void *out, struct rt_task *self,
                  const char *file, int line)
{
	rt_lock_assert_held(&c->lock);
	/* gosem: recv from closed chan: zero value, ok == false, at once */
	if (out && c->elem_size)
		memset(out, 0, c->elem_size);
	if (RT_RACE_ON(s))
		rt_race_sync_(s, c, self, RT_RACE_ACQUIRE);   /* the close happens before this receive */
	if (__builtin_expect(s->tracing, 0))
		rt_chan_emit_xfer(s, CL_EV_RECV, c, self, 0, NULL, 0, 0, file, line);
	rt_lock_release_par(&c->lock, par);
}

/* The halves for a caller without the run or the mode at hand. */
static inline __attribute__((always_inline)) void
rt_send_to_waiter(struct cl_chan *c, struct rt_waiter *w, const void *val, struct rt_task *self,
                  const char *file, int line)
{
	rt_send_to_waiter_in(rt_s(), rt_par_active, c, w, val, self, file, line);
}

static inline __attribute__((always_inline)) void
rt_recv_from_waiter(struct cl_chan *c, struct rt_waiter *w, void *out, struct rt_task *self,
                    const char *file, int line)
{
	rt_recv_from_waiter_in(rt_s(), rt_par_active, c, w, out, self, file, line);
}

static inline __attribute__((always_inline)) void
rt_buf_put(struct cl_chan *c, const void *val, struct rt_task *self, const char *file, int line)
{
	rt_buf_put_in(rt_s(), rt_par_active, c, val, self, file, line);
}

static inline __attribute__((always_inline)) void
rt_buf_take(struct cl_chan *c, void *out, struct rt_task *self, const char *file, int line)
{
	rt_buf_take_in(rt_s(), rt_par_active, c, out, self, file, line);
}

static inline __attribute__((always_inline)) void
rt_recv_closed(struct cl_chan *c, void *out, struct rt_task *self, const char *file, int line)
{
	rt_recv_closed_in(rt_s(), rt_par_active, c, out, self, file, line);
}

#endif
