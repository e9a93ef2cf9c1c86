/*
 * chan.c - channels with Go's semantics: unbuffered rendezvous, buffered
 * FIFO, close as broadcast, nil channels that block forever.
 *
 * A value goes straight from the sender's memory to a parked receiver's
 * (and from a parked sender's to the receiver's) without passing through
 * the buffer: the waiter record (struct rt_waiter, Go's sudog) carries the
 * address, and the task that finds it does the copy while holding the lock.
 *
 * Invariants (as in Go's chan.go):
 *   - sendq and recvq are not both non-empty, except when one task selects
 *     on both ends of the same unbuffered channel;
 *   - count > 0 implies recvq holds no task that can still be woken;
 *     count < cap implies the same of sendq;
 *   - closed, once set, stays set, and then sendq is empty.
 *
 * Events: on an unbuffered channel a hand-off emits the receiver's RECV
 * before the sender's SEND (gosem: an unbuffered send completes after its
 * receive); on a buffered one SEND comes first, even when the value goes
 * straight to a parked receiver.  A send and its receive
 * share a flow id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/chan.h"
#include "runtime/race.h"
#include "runtime/rt.h"
#include "runtime/sched.h"

/* ---- events --------------------------------------------------------------------------- */

/* A value of a type the channel has no formatter for: its bytes, not a
 * guess from its size ("[05 00 00 00]"; long values end in "..."). */
static void fmt_bytes(const void *val, size_t n, char *buf, size_t size)
{
	const unsigned char *p = val;
	size_t len = 0;
	buf[len++] = '[';
	for (size_t i = 0; i < n && len + 8 < size; i++)
		len += (size_t)snprintf(buf + len, size - len, i ? " %02x" : "%02x", p[i]);
	snprintf(buf + len, size - len, "%s]", len + 8 >= size && n > 0 ? " ..." : "");
}

void rt_chan_emit_xfer(struct rt_sched *s, enum cl_event_kind kind, struct cl_chan *c,
                       struct rt_task *task, int peer, const void *val, uint64_t flow, int ok,
                       const char *file, int line)
{
	char value[64] = "";
	if (val && ok) {
		if (c->fmt)
			c->fmt(val, value, sizeof value);
		else if (c->elem_size == 0)
			snprintf(value, sizeof value, "{}");
		else
			fmt_bytes(val, c->elem_size, value, sizeof value);
	}
	struct cl_event ev = rt_event(s, kind);
	if (task) {
		ev.task = task->id;
		ev.task_name = task->name;
	}
	ev.peer = peer;
	ev.obj_kind = CL_OBJ_CHAN;
	ev.obj_id = c->obj.id;
	ev.obj_name = c->obj.name;
	ev.value = value;
	ev.flow = flow;
	ev.ok = ok;
	ev.file = file ? file : "";
	ev.line = line;
	rt_emit(s, &ev);
}

/* ---- the public operations ------------------------------------------------------------------ */

/* Go's maxAlloc on 64-bit Linux: no allocation may exceed 2^48 bytes. */
#define CHAN_MAX_ALLOC ((size_t)1 << 48)

cl_chan *cl_chan_make(const char *name, size_t elem_size, size_t cap)
{
	/* A negative capacity arrives here as a huge size_t; the bound is
	 * checked by division so the product cannot wrap (Go's makechan). */
	size_t per_slot = sizeof(uint64_t) + elem_size;
	if (elem_size > CHAN_MAX_ALLOC || cap > (CHAN_MAX_ALLOC - sizeof(struct cl_chan)) / per_slot)
		rt_panic(NULL, 0, "makechan: size out of range");
	size_t bytes = sizeof(struct cl_chan) + cap * sizeof(uint64_t) + cap * elem_size;
	struct cl_chan *c = rt_obj_new(bytes, CL_OBJ_CHAN, name);
	c->elem_size = elem_size;
	c->cap = cap;
	c->flows = (uint64_t *)(c + 1);
	c->buf = (unsigned char *)(c->flows + cap);
	return c;
}

void cl_chan_set_fmt(cl_chan *ch, cl_fmt_fn fmt)
{
	if (ch)
		ch->fmt = fmt;
}

size_t cl_len(cl_chan *ch)
{
	return ch ? __atomic_load_n(&ch->count, __ATOMIC_RELAXED) : 0;   /* Go's len: no lock */
}

size_t cl_cap(cl_chan *ch)
{
	return ch ? ch->cap : 0;
}

const char *cl_chan_name(cl_chan *ch)
{
	return ch ? ch->obj.name : "nil";
}

static void unlock_chan(void *arg)
{
	rt_lock_release(&((struct cl_chan *)arg)->lock);
}

/* rt_park with c locked (par: rt_par_active).  det runs nothing between a
 * park's unlock and its switch (sched_det.c det_park), so there the lock
 * goes at once and the park has nothing to call back; under par g0
 * releases it once the task is off its stack. */
static inline void park_chan(const struct rt_block *b, struct cl_chan *c, int par)
{
	if (__builtin_expect(par, 0)) {
		rt_park(b, unlock_chan, c);
	} else {
		rt_lock_release_par(&c->lock, par);
		rt_park(b, NULL, NULL);
	}
}

static _Noreturn void block_forever(enum cl_wait why, const char *file, int line)
{
	struct rt_block b = {.wait = why, .file = file, .line = line};
	rt_park(&b, NULL, NULL);
	rt_panic(file, line, "runtime: a task blocked forever was woken");
}

void cl_send_at(const char *file, int line, cl_chan *c, const void *val)
{
	rt_sched_point(file, line);
	struct rt_sched *s = rt_s();
	int par = rt_par_active;   /* read once, as select2 does */
	struct rt_task *self = rt_running(s);
	if (!c)
		block_forever(CL_WAIT_CHAN_SEND_NIL, file, line);   /* gosem: send on nil chan */
	rt_lock_acquire_par(&c->lock, par);
	if (c->closed) {
		rt_lock_release_par(&c->lock, par);
		rt_panic(file, line, "send on closed channel");     /* gosem: send on closed chan */
	}
	struct rt_waiter *w = rt_waitq_take(&c->recvq);
	if (w) {
		rt_send_to_waiter_in(s, par, c, w, val, self, file, line);
		return;
	}
	if (c->count < c->cap) {
		rt_buf_put_in(s, par, c, val, self, file, line);
		return;
	}
	struct rt_waiter mine = {.task = self, .chan = c, .elem = (void *)val, .case_index = -1};
	rt_waitq_push(&c->sendq, &mine);
	struct rt_block b = {.wait = CL_WAIT_CHAN_SEND, .obj_kind = CL_OBJ_CHAN,
	                     .obj_id = c->obj.id, .obj_name = c->obj.name,
	                     .waits_for = c->last_receiver, .file = file, .line = line};
	park_chan(&b, c, par);
	if (!mine.success)
		rt_panic(file, line, "send on closed channel");     /* closed while we waited */
}

bool cl_recv_at(const char *file, int line, cl_chan *c, void *out)
{
	rt_sched_point(file, line);
	struct rt_sched *s = rt_s();
	int par = rt_par_active;   /* read once, as select2 does */
	struct rt_task *self = rt_running(s);
	if (!c)
		block_forever(CL_WAIT_CHAN_RECV_NIL, file, line);   /* gosem: recv on nil chan */
	rt_lock_acquire_par(&c->lock, par);
	struct rt_waiter *w = rt_waitq_take(&c->sendq);
	if (w) {
		rt_recv_from_waiter_in(s, par, c, w, out, self, file, line);
		return true;
	}
	if (c->count > 0) {
		rt_buf_take_in(s, par, c, out, self, file, line);
		return true;
	}
	if (c->closed) {
		rt_recv_closed_in(s, par, c, out, self, file, line);
		return false;
	}
	struct rt_waiter mine = {.task = self, .chan = c, .elem = out, .case_index = -1};
	rt_waitq_push(&c->recvq, &mine);
	struct rt_block b = {.wait = CL_WAIT_CHAN_RECV, .obj_kind = CL_OBJ_CHAN,
	                     .obj_id = c->obj.id, .obj_name = c->obj.name,
	                     .waits_for = c->last_sender, .file = file, .line = line};
	park_chan(&b, c, par);
	return mine.success;
}

/* How many waiters close takes off a queue per hold of the channel's lock. */
#define CLOSE_BATCH 64

/* Claims w for close: success false and a receiver's value the zero value
 * (ok == false).  False if w is a select that another case has fired. */
static bool claim_for_close(struct cl_chan *c, struct rt_waiter *w, bool recv)
{
	if (!rt_waiter_claim(w))
		return false;
	if (recv && w->elem && c->elem_size)
		memset(w->elem, 0, c->elem_size);
	w->success = false;
	__builtin_prefetch(w->task, 1);   /* its record: rt_ready writes it next */
	return true;
}

/* Takes up to CLOSE_BATCH waiters off q for close (c locked), half from
 * each end, and puts the tasks to wake in out in queue order; returns how
 * many.  Each waiter sits on its task's stack, a cold page of its own when
 * a hundred thousand tasks wait, so a walk along the queue is a chain of
 * misses, one per waiter (TLB, page table, line: 330 ns each here).
 * Walking in from both ends at once, along next from the first and along
 * prev from the last, overlaps two such chains.  Up to CLOSE_BATCH waiters
 * this is exactly queue order. */
static int take_for_close(struct cl_chan *c, struct rt_waitq *q, bool recv, struct rt_task **out)
{
	struct rt_task *from_back[CLOSE_BATCH / 2];
	int n = 0, nback = 0;
	struct rt_waiter *front = q->first, *back = q->last;
	struct rt_waiter *rest_first = NULL, *rest_last = NULL;   /* what stays queued */
	for (int pairs = 0; front; pairs++) {
		if (pairs == CLOSE_BATCH / 2) {
			rest_first = front;
			rest_last = back;
			break;
		}
		if (front == back) {   /* an odd count: the middle one */
			if (claim_for_close(c, front, recv))
				out[n++] = front->task;
			break;
		}
		struct rt_waiter *next = front->next, *prev = back->prev;
		if (claim_for_close(c, front, recv))
			out[n++] = front->task;
		if (claim_for_close(c, back, recv))
			from_back[nback++] = back->task;
		if (next == back)
			break;
		front = next;
		back = prev;
	}
	__atomic_store_n(&q->first, rest_first, __ATOMIC_RELAXED);   /* read without the lock */
	q->last = rest_last;
	if (rest_first) {
		rest_first->prev = NULL;
		rest_last->next = NULL;
	}
	while (nback)
		out[n++] = from_back[--nback];
	return n;
}

/* Wakes everyone waiting on c after it closed; c is locked on entry and
 * unlocked on return.
 *
 * Senders first, all while the lock is held: a receive takes a blocked
 * sender's value before it looks at closed, so none may be left queued
 * once the lock is let go (they wake to panic).  Receivers then go in
 * batches, each woken after the lock is released, as Go's closechan wakes
 * after unlocking: a woken task may run at once on another processor and
 * must not find the lock held.  Between batches the channel is closed and
 * its queue only shrinks (a receive or select that finds it closed never
 * waits), so other operations may take the lock there; and the tasks of
 * a batch are woken while their records are still cached, and start
 * running on other processors while close goes on with the rest (a
 * million woken tasks, bench's blocked rows). */
static void close_locked(struct cl_chan *c, const char *file, int line)
{
	rt_lock_assert_held(&c->lock);
	struct rt_sched *s = rt_s();
	rt_race_release(c);
	__atomic_store_n(&c->closed, true, __ATOMIC_RELAXED);   /* read without the lock */
	if (s->tracing) {
		struct cl_event ev = rt_event(s, CL_EV_CLOSE);
		ev.obj_kind = CL_OBJ_CHAN;
		ev.obj_id = c->obj.id;
		ev.obj_name = c->obj.name;
		ev.file = file ? file : "";
		ev.line = line;
		rt_emit(s, &ev);
	}
	struct rt_task *batch[CLOSE_BATCH];
	while (c->sendq.first) {
		int n = take_for_close(c, &c->sendq, false, batch);
		for (int i = 0; i < n; i++)
			rt_ready(batch[i]);
	}
	for (;;) {
		int n = take_for_close(c, &c->recvq, true, batch);
		for (int i = 0; i < n; i++) {
			struct rt_task *t = batch[i];
			rt_race_acquire_for(c, t);
			if (s->tracing)
				rt_chan_emit_xfer(s, CL_EV_RECV, c, t, 0, NULL, 0, 0, t->file, t->line);
		}
		bool more = c->recvq.first != NULL;
		rt_lock_release(&c->lock);
		for (int i = 0; i < n; i++)
			rt_ready(batch[i]);
		if (!more)
			return;
		rt_lock_acquire(&c->lock);
	}
}

void cl_close_at(const char *file, int line, cl_chan *c)
{
	rt_sched_point(file, line);
	if (!c)
		rt_panic(file, line, "close of nil channel");        /* gosem: close nil chan */
	rt_lock_acquire(&c->lock);
	if (c->closed) {
		rt_lock_release(&c->lock);
		rt_panic(file, line, "close of closed channel");     /* gosem: close closed chan */
	}
	close_locked(c, file, line);
}

bool rt_chan_close_quiet(struct cl_chan *c)
{
	rt_lock_acquire(&c->lock);
	if (c->closed) {
		rt_lock_release(&c->lock);
		return false;
	}
	close_locked(c, NULL, 0);
	return true;
}

bool rt_chan_offer(struct cl_chan *c, const void *val)
{
	rt_lock_acquire(&c->lock);
	if (c->closed) {
		rt_lock_release(&c->lock);
		return false;
	}
	struct rt_waiter *w = rt_waitq_take(&c->recvq);
	if (w) {
		rt_send_to_waiter(c, w, val, NULL, NULL, 0);
		return true;
	}
	if (c->count < c->cap) {
		rt_buf_put(c, val, NULL, NULL, 0);
		return true;
	}
	rt_lock_release(&c->lock);
	return false;
}

/* ---- value formatters -------------------------------------------------------------------------- */

void cl_fmt_int(const void *value, char *buf, size_t size)
{
	int v;
	memcpy(&v, value, sizeof v);
	snprintf(buf, size, "%d", v);
}

void cl_fmt_int64(const void *value, char *buf, size_t size)
{
	int64_t v;
	memcpy(&v, value, sizeof v);
	snprintf(buf, size, "%lld", (long long)v);
}

void cl_fmt_duration(const void *value, char *buf, size_t size)
{
	int64_t v;
	memcpy(&v, value, sizeof v);
	uint64_t a = v < 0 ? -(uint64_t)v : (uint64_t)v;
	snprintf(buf, size, "%s%llu.%03llums", v < 0 ? "-" : "", (unsigned long long)(a / 1000000),
	         (unsigned long long)(a / 1000 % 1000));
}

void cl_fmt_str(const void *value, char *buf, size_t size)
{
	const char *v;
	memcpy(&v, value, sizeof v);
	snprintf(buf, size, "%s", v ? v : "<nil>");
}

void cl_fmt_chan(const void *value, char *buf, size_t size)
{
	cl_chan *v;
	memcpy(&v, value, sizeof v);
	snprintf(buf, size, "chan %s", v ? v->obj.name : "nil");
}
