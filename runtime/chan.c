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

/* How many tasks ahead of the one it readies close fetches. */
#define WAKE_AHEAD 8

/* Appends t to close's array of woken tasks, moving it from the caller's
 * stack buffer to the heap when that is full. */
static struct rt_task **gather(struct rt_task **woken, struct rt_task **local, size_t *n,
                               size_t *cap, struct rt_task *t)
{
	if (*n == *cap) {
		struct rt_task **bigger = malloc(*cap * 2 * sizeof *bigger);
		if (!bigger)
			rt_oom();
		memcpy(bigger, woken, *n * sizeof *bigger);
		if (woken != local)
			free(woken);
		woken = bigger;
		*cap *= 2;
	}
	woken[(*n)++] = t;
	return woken;
}

/* Wakes everyone waiting on c after it closed; c is locked on entry. */
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
	/* Gather first, then wake after unlocking (Go's closechan does too).
	 * The tasks are gathered into an array, not chained through their
	 * waiters: each waiter sits on its task's stack, a cold page of its
	 * own when a million tasks wait, so the wake pass reads no waiter and
	 * can fetch the next tasks' records ahead of the one it readies. */
	struct rt_task *local[64], **woken = local;
	size_t n = 0, cap = sizeof local / sizeof local[0];
	struct rt_waiter *w;
	while ((w = rt_waitq_take(&c->recvq))) {
		if (w->elem && c->elem_size)
			memset(w->elem, 0, c->elem_size);   /* zero value, ok == false */
		w->success = false;
		rt_race_acquire_for(c, w->task);
		if (s->tracing)
			rt_chan_emit_xfer(s, CL_EV_RECV, c, w->task, 0, NULL, 0, 0, w->task->file,
			                  w->task->line);
		woken = gather(woken, local, &n, &cap, w->task);
	}
	while ((w = rt_waitq_take(&c->sendq))) {
		w->success = false;
		woken = gather(woken, local, &n, &cap, w->task);
	}
	rt_lock_release(&c->lock);
	for (size_t i = 0; i < n; i++) {
		if (i + WAKE_AHEAD < n)
			__builtin_prefetch(woken[i + WAKE_AHEAD], 1);
		rt_ready(woken[i]);
	}
	if (woken != local)
		free(woken);
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
