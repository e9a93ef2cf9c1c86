/*
 * select.c - Go's select: wait on several channel operations, do exactly
 * one.
 *
 * As in Go's selectgo: (1) look at the cases in a random order and do the
 * first that can proceed; (2) with none ready, return at once if there is a
 * default; (3) otherwise queue a waiter on every channel and park; the first
 * task to claim the select (the fired flag, task->select_done) completes
 * that case and wakes us; (4) awake, take the other waiters off their
 * queues.  Random poll order makes the choice among ready cases uniform.
 *
 * Channels are locked in address order, each once even when several cases
 * name it; under det the locks are no-ops but the order is kept so the
 * parallel scheduler needs nothing new here.
 *
 * Selects of one or two cases on channels that are not nil (nearly all of
 * them) take a path of their own with the same steps, the same random
 * draw and the same lock order, without the arrays and loops.
 *
 * A select of more than 8 cases keeps its arrays in a buffer of the task
 * (one select at a time per task), reused by its next big select and freed
 * with the task: a panic in the select, or the run ending while it waits,
 * leaks nothing.
 */
#include <stdint.h>
#include <stdlib.h>

#include "runtime/chan.h"
#include "runtime/rt.h"
#include "runtime/sched.h"

#define SMALL 8

struct sel {
	struct cl_case *cases;
	int n;
	int *order;              /* poll order: indices of non-nil cases */
	int m;
	struct cl_chan **locks;  /* distinct channels, by address */
	int nlocks;
};

static void lock_all(struct sel *sel)
{
	for (int i = 0; i < sel->nlocks; i++)
		rt_lock_acquire(&sel->locks[i]->lock);
}

static void unlock_all_but(struct sel *sel, struct cl_chan *keep)
{
	for (int i = sel->nlocks - 1; i >= 0; i--)
		if (sel->locks[i] != keep)
			rt_lock_release(&sel->locks[i]->lock);
}

static void unlock_all(void *arg)
{
	unlock_all_but(arg, NULL);
}

static void plan(struct sel *sel, struct rt_sched *s)
{
	sel->m = 0;
	for (int i = 0; i < sel->n; i++)
		if (sel->cases[i].ch)
			sel->order[sel->m++] = i;
	for (int k = sel->m - 1; k > 0; k--) {
		int j = (int)rt_rand_below_inline(s, (uint64_t)k + 1);
		int tmp = sel->order[k];
		sel->order[k] = sel->order[j];
		sel->order[j] = tmp;
	}
	/* Distinct channels sorted by address: insertion sort, n is small. */
	sel->nlocks = 0;
	for (int k = 0; k < sel->m; k++) {
		struct cl_chan *c = sel->cases[sel->order[k]].ch;
		int pos = sel->nlocks;
		bool dup = false;
		for (int j = 0; j < sel->nlocks; j++) {
			if (sel->locks[j] == c) {
				dup = true;
				break;
			}
		}
		if (dup)
			continue;
		while (pos > 0 && (uintptr_t)sel->locks[pos - 1] > (uintptr_t)c) {
			sel->locks[pos] = sel->locks[pos - 1];
			pos--;
		}
		sel->locks[pos] = c;
		sel->nlocks++;
	}
}

/* What case cs can do now, its channel c locked: the one place both the
 * general path and the one- and two-case paths decide it.  A waiter it
 * would pair with is taken off its queue into *w. */
enum case_ready {
	CASE_BLOCKS,          /* nothing to do without waiting */
	CASE_RECV_WAITER,     /* take *w's value */
	CASE_RECV_BUFFER,
	CASE_RECV_CLOSED,     /* the zero value, ok false */
	CASE_SEND_WAITER,     /* hand *w the value */
	CASE_SEND_BUFFER,
	CASE_SEND_CLOSED,     /* a send on a closed channel: panic */
};

static inline __attribute__((always_inline)) enum case_ready
case_ready(const struct cl_case *cs, struct cl_chan *c, struct rt_waiter **w)
{
	if (cs->dir == CL_RECV) {
		if ((*w = rt_waitq_take(&c->sendq)))
			return CASE_RECV_WAITER;
		if (c->count > 0)
			return CASE_RECV_BUFFER;
		return c->closed ? CASE_RECV_CLOSED : CASE_BLOCKS;
	}
	if (c->closed)
		return CASE_SEND_CLOSED;
	if ((*w = rt_waitq_take(&c->recvq)))
		return CASE_SEND_WAITER;
	return c->count < c->cap ? CASE_SEND_BUFFER : CASE_BLOCKS;
}

/* Whether a waiter on q would take part (a select's waiter whose select
 * has fired is skipped, as rt_waitq_take skips it), without taking it. */
static inline bool waitq_has_live(const struct rt_waitq *q)
{
	for (const struct rt_waiter *w = q->first; w; w = w->next)
		if (w->case_index < 0 || !w->task->select_done)
			return true;
	return false;
}

/* case_ready's answer to "anything but CASE_BLOCKS?", changing nothing.
 * Under det only: under par a select's waiter can fire between this look
 * and case_ready's take. */
static inline bool case_proceeds_det(const struct cl_case *cs)
{
	const struct cl_chan *c = cs->ch;
	if (cs->dir == CL_RECV)
		return waitq_has_live(&c->sendq) || c->count > 0 || c->closed;
	return c->closed || waitq_has_live(&c->recvq) || c->count < c->cap;
}

/* Does what case_ready found (neither CASE_BLOCKS nor CASE_SEND_CLOSED);
 * c alone is still locked, and the helpers release it.  par is
 * rt_par_active, read by the caller. */
static inline __attribute__((always_inline)) void
case_do(struct rt_sched *s, int par, enum case_ready r, struct cl_case *cs, struct cl_chan *c,
        struct rt_waiter *w, struct rt_task *self, const char *file, int line)
{
	switch (r) {
	case CASE_RECV_WAITER:
		rt_recv_from_waiter_in(s, par, c, w, cs->val, self, file, line);
		cs->ok = true;
		break;
	case CASE_RECV_BUFFER:
		rt_buf_take_in(s, par, c, cs->val, self, file, line);
		cs->ok = true;
		break;
	case CASE_RECV_CLOSED:
		rt_recv_closed_in(s, par, c, cs->val, self, file, line);
		cs->ok = false;
		break;
	case CASE_SEND_WAITER:
		rt_send_to_waiter_in(s, par, c, w, cs->val, self, file, line);
		break;
	case CASE_SEND_BUFFER:
		rt_buf_put_in(s, par, c, cs->val, self, file, line);
		break;
	case CASE_BLOCKS:
	case CASE_SEND_CLOSED:
		break;
	}
}

/* Pass 1: does the first ready case in poll order; -1 if none is ready. */
static int poll_once(struct sel *sel, struct rt_task *self, const char *file, int line)
{
	for (int k = 0; k < sel->m; k++) {
		int i = sel->order[k];
		struct cl_case *cs = &sel->cases[i];
		struct cl_chan *c = cs->ch;
		struct rt_waiter *w = NULL;
		enum case_ready r = case_ready(cs, c, &w);
		if (r == CASE_BLOCKS)
			continue;
		if (r == CASE_SEND_CLOSED) {
			unlock_all(sel);
			rt_panic(file, line, "send on closed channel");
		}
		unlock_all_but(sel, c);
		case_do(rt_s(), rt_par_active, r, cs, c, w, self, file, line);
		return i;
	}
	return -1;
}

static __attribute__((noinline)) void emit_select_traced(struct rt_sched *s,
                                                         const struct cl_case *cases, int chosen,
                                                         int n, const char *file, int line)
{
	struct cl_event ev = rt_event(s, CL_EV_SELECT);
	/* Schema version 2: the chosen case's direction and channel. */
	if (chosen >= 0 && cases[chosen].ch) {
		const struct cl_chan *c = cases[chosen].ch;
		ev.text = cases[chosen].dir == CL_SEND ? "send" : "recv";
		ev.obj_kind = c->obj.kind;
		ev.obj_id = c->obj.id;
		ev.obj_name = c->obj.name;
	}
	ev.arg = chosen;
	ev.count = n;
	ev.ok = 1;
	ev.file = file;
	ev.line = line;
	rt_emit(s, &ev);
}

/* The SELECT event; its body out of line, so an untraced run's selects
 * keep small frames. */
static inline void emit_select(struct rt_sched *s, const struct cl_case *cases, int chosen, int n,
                               const char *file, int line)
{
	if (s->tracing)
		emit_select_traced(s, cases, chosen, n, file, line);
}

/* Pass 3: park with a waiter on every case; returns the case that fired. */
static int wait_all(struct sel *sel, struct rt_waiter *waiters, const char *file, int line)
{
	struct rt_sched *s = rt_s();
	struct rt_task *self = rt_running(s);
	__atomic_store_n(&self->select_done, 0, __ATOMIC_RELAXED);
	self->fired = NULL;
	int waits_for = 0;
	for (int k = 0; k < sel->m; k++) {
		int i = sel->order[k];
		struct cl_case *cs = &sel->cases[i];
		struct rt_waiter *w = &waiters[k];
		*w = (struct rt_waiter){.task = self, .chan = cs->ch, .elem = cs->val, .case_index = i};
		if (cs->dir == CL_RECV) {
			rt_waitq_push(&cs->ch->recvq, w);
			if (!waits_for)
				waits_for = cs->ch->last_sender;
		} else {
			rt_waitq_push(&cs->ch->sendq, w);
			if (!waits_for)
				waits_for = cs->ch->last_receiver;
		}
	}
	const char *name = sel->m == 1 ? sel->cases[sel->order[0]].ch->obj.name : "";
	struct rt_block b = {.wait = CL_WAIT_SELECT,
	                     .obj_kind = sel->m == 1 ? CL_OBJ_CHAN : CL_OBJ_NONE,
	                     .obj_id = sel->m == 1 ? sel->cases[sel->order[0]].ch->obj.id : 0,
	                     .obj_name = name, .waits_for = sel->m == 1 ? waits_for : 0,
	                     .file = file, .line = line};
	rt_park(&b, unlock_all, sel);

	lock_all(sel);
	struct rt_waiter *won = self->fired;
	for (int k = 0; k < sel->m; k++) {
		struct rt_waiter *w = &waiters[k];
		if (w == won)
			continue;
		struct cl_chan *c = w->chan;
		rt_waitq_unlink(sel->cases[w->case_index].dir == CL_RECV ? &c->recvq : &c->sendq, w);
	}
	unlock_all(sel);
	int i = won->case_index;
	if (sel->cases[i].dir == CL_SEND && !won->success)
		rt_panic(file, line, "send on closed channel");
	sel->cases[i].ok = won->success;
	return i;
}

/* ---- one or two cases ------------------------------------------------------------------ */

/* Most selects have two cases on channels that are not nil (a value or
 * ctx.Done()), or one and a default.  They take the steps of the general
 * path without its arrays and loops: one draw for the poll order (the one
 * the shuffle of two makes, so det's schedules are the same either way),
 * the two locks in address order, each case tried once. */

/* Tries case cs, whose channel c is locked, as poll_once does; on success
 * releases other (the other case's channel, NULL when it is c) and c, and
 * returns true.  a and b are every lock held (b == a for one). */
static inline __attribute__((always_inline)) bool
try_case(struct cl_case *cs, struct cl_chan *c, struct cl_chan *other, struct cl_chan *a,
         struct cl_chan *b, struct rt_task *self, const char *file, int line)
{
	struct rt_waiter *w = NULL;
	enum case_ready r = case_ready(cs, c, &w);
	if (r == CASE_BLOCKS)
		return false;
	if (r == CASE_SEND_CLOSED) {
		rt_lock_release(&a->lock);
		if (b != a)
			rt_lock_release(&b->lock);
		rt_panic(file, line, "send on closed channel");
	}
	if (other)
		rt_lock_release(&other->lock);
	case_do(rt_s(), rt_par_active, r, cs, c, w, self, file, line);
	return true;
}

struct lock2 {
	struct cl_chan *lo, *hi;   /* hi == lo: both cases on one channel */
	int par;                   /* rt_par_active, read once */
};

static inline void lock2(const struct lock2 *l)
{
	rt_lock_acquire_par(&l->lo->lock, l->par);
	if (l->hi != l->lo)
		rt_lock_acquire_par(&l->hi->lock, l->par);
}

static inline void unlock2_now(const struct lock2 *l)
{
	if (l->hi != l->lo)
		rt_lock_release_par(&l->hi->lock, l->par);
	rt_lock_release_par(&l->lo->lock, l->par);
}

/* unlock2_now as a park's callback (par). */
static void unlock2(void *arg)
{
	unlock2_now(arg);
}

/* wait_all for two cases, polled first then second (case indices), with
 * both channels locked: a waiter on each, park, then take the one that
 * did not fire off its queue.  Inline, as select2: a call cost a frame
 * of its own on every select that waits. */
static inline __attribute__((always_inline)) int wait2(struct cl_case *cases, int first,
                                                       struct lock2 lk, struct rt_task *self,
                                                       const char *file, int line)
{
	/* A copy of the locks' record whose address par's park takes: select2
	 * then takes none of its own and keeps its ready cases in registers. */
	const struct lock2 *l = &lk;
	__atomic_store_n(&self->select_done, 0, __ATOMIC_RELAXED);
	self->fired = NULL;
	struct rt_waiter w[2];
	for (int k = 0; k < 2; k++) {
		int i = k ? !first : first;
		struct cl_case *cs = &cases[i];
		/* Field by field: rt_waitq_push sets the links and queued. */
		w[k].task = self;
		w[k].chan = cs->ch;
		w[k].elem = cs->val;
		w[k].case_index = i;
		w[k].success = false;
		rt_waitq_push(cs->dir == CL_RECV ? &cs->ch->recvq : &cs->ch->sendq, &w[k]);
	}
	struct rt_block b = {.wait = CL_WAIT_SELECT, .obj_kind = CL_OBJ_NONE, .obj_name = "",
	                     .file = file, .line = line};
	if (__builtin_expect(l->par, 0)) {
		rt_park(&b, unlock2, (void *)l);
	} else {
		/* det runs nothing between a park's unlock and its switch
		 * (sched_det.c det_park): the locks go now, and the park has
		 * nothing to call back. */
		unlock2_now(l);
		rt_park(&b, NULL, NULL);
	}

	lock2(l);
	struct rt_waiter *won = self->fired;
	struct rt_waiter *lost = won == &w[0] ? &w[1] : &w[0];
	struct cl_chan *c = lost->chan;
	rt_waitq_unlink(cases[lost->case_index].dir == CL_RECV ? &c->recvq : &c->sendq, lost);
	unlock2_now(l);
	int i = won->case_index;
	if (cases[i].dir == CL_SEND && !won->success)
		rt_panic(file, line, "send on closed channel");
	cases[i].ok = won->success;
	return i;
}

static inline __attribute__((always_inline)) int select2(struct rt_sched *s,
                                                         struct cl_case *cases, bool has_default,
                                                         const char *file, int line)
{
	/* The thread's mode, read once for every lock of the select (an int
	 * store, of which a select makes several, might change it for all the
	 * compiler knows). */
	int par = rt_par_active;
	struct rt_task *self = rt_running(s);
	/* plan's shuffle of two: j = rt_rand_below(2) swaps order[1] with
	 * order[j], so j == 0 polls case 1 first. */
	int first = rt_rand_below_inline(s, 2) == 0;
	struct cl_chan *c0 = cases[0].ch, *c1 = cases[1].ch;
	struct cl_chan *lo = (uintptr_t)c0 <= (uintptr_t)c1 ? c0 : c1;
	struct lock2 l = {lo, lo == c0 ? c1 : c0, par};
	lock2(&l);
	/* The case that proceeds, then one place that does it (as poll_once):
	 * the halves are inline (chan.h), once each. */
	struct rt_waiter *w = NULL;
	int chosen = first;
	enum case_ready r;
	if (!par) {
		/* The same choice as polling in the random order, the first case
		 * that can proceed: with one such case it is that one, with two
		 * the order's first.  Asked of the cases in their own order, the
		 * questions' branches go the same way select after select, where
		 * asked in the drawn order they went either way, a mispredicted
		 * branch each about half the time (a fifth of explore's time was
		 * here). */
		bool p0 = case_proceeds_det(&cases[0]), p1 = case_proceeds_det(&cases[1]);
		chosen = p0 && p1 ? first : p1;
		r = p0 || p1 ? case_ready(&cases[chosen], cases[chosen].ch, &w) : CASE_BLOCKS;
	} else {
		r = case_ready(&cases[first], cases[first].ch, &w);
		if (r == CASE_BLOCKS) {
			chosen = !first;
			r = case_ready(&cases[chosen], cases[chosen].ch, &w);
		}
	}
	struct cl_case *cs = &cases[chosen];
	struct cl_chan *c = cs->ch, *other = cases[!chosen].ch;
	if (r == CASE_BLOCKS) {
		if (has_default) {
			unlock2_now(&l);
			chosen = -1;
		} else {
			chosen = wait2(cases, first, l, self, file, line);
		}
	} else {
		if (r == CASE_SEND_CLOSED) {
			unlock2_now(&l);
			rt_panic(file, line, "send on closed channel");
		}
		if (other != c)
			rt_lock_release_par(&other->lock, par);
		case_do(s, par, r, cs, c, w, self, file, line);
	}
	emit_select(s, cases, chosen, 2, file, line);
	return chosen;
}

/* One case on a channel that is not nil (a non-blocking send or receive
 * with default, mostly): plan draws nothing for it, nor does this. */
static __attribute__((noinline)) int select1(struct rt_sched *s, struct cl_case *cases,
                                             bool has_default, const char *file, int line)
{
	struct cl_chan *c = cases[0].ch;
	if (has_default &&
	    (cases[0].dir == CL_RECV ? rt_chan_recv_cannot(c) : rt_chan_send_cannot(c))) {
		/* A poll that finds nothing, seen without the lock (chan.h). */
		emit_select(s, cases, -1, 1, file, line);
		return -1;
	}
	rt_lock_acquire(&c->lock);
	int chosen = -1;
	if (try_case(&cases[0], c, NULL, c, c, rt_running(s), file, line)) {
		chosen = 0;
	} else if (has_default) {
		rt_lock_release(&c->lock);
	} else {
		int order[1] = {0};
		struct cl_chan *locks[1] = {c};
		struct rt_waiter waiters[1];
		struct sel sel = {.cases = cases, .n = 1, .order = order, .m = 1, .locks = locks,
		                  .nlocks = 1};
		chosen = wait_all(&sel, waiters, file, line);
	}
	emit_select(s, cases, chosen, 1, file, line);
	return chosen;
}

/* Any other select: arrays for the poll order, the locks and the waiters. */
static __attribute__((noinline)) int select_n(struct rt_sched *s, struct cl_case *cases, int n,
                                              bool has_default, const char *file, int line)
{
	int order_small[SMALL];
	struct cl_chan *locks_small[SMALL];
	struct rt_waiter waiters_small[SMALL];
	struct sel sel = {.cases = cases, .n = n, .order = order_small, .locks = locks_small};
	struct rt_waiter *waiters = waiters_small;
	if (n > SMALL) {
		/* Waiters first: they need the strictest alignment. */
		struct rt_task *self = rt_running(s);
		size_t need = (size_t)n * (sizeof *waiters + sizeof *sel.locks + sizeof *sel.order);
		if (need > self->select_cap) {
			void *buf = realloc(self->select_buf, need);
			if (!buf)
				rt_oom();
			self->select_buf = buf;
			self->select_cap = need;
		}
		waiters = self->select_buf;
		sel.locks = (struct cl_chan **)(waiters + n);
		sel.order = (int *)(sel.locks + n);
	}
	plan(&sel, s);
	lock_all(&sel);
	int chosen = poll_once(&sel, rt_running(s), file, line);
	if (chosen < 0 && has_default) {
		unlock_all(&sel);
	} else if (chosen < 0 && sel.m == 0) {
		/* gosem: select with no cases (or only nil ones) blocks forever */
		struct rt_block b = {.wait = n == 0 ? CL_WAIT_SELECT_NO_CASES : CL_WAIT_SELECT,
		                     .file = file, .line = line};
		rt_park(&b, NULL, NULL);
	} else if (chosen < 0) {
		chosen = wait_all(&sel, waiters, file, line);
	}
	emit_select(s, cases, chosen, n, file, line);
	return chosen;
}

/* The two-case path inline (one frame for the point and the select), the
 * others in frames of their own, so they do not cost it their arrays. */
int cl_select_at(const char *file, int line, struct cl_case *cases, int n, bool has_default)
{
	struct rt_sched *s = rt_s();
	rt_sched_point(file, line);
	if (n == 2 && cases[0].ch && cases[1].ch)
		return select2(s, cases, has_default, file, line);
	if (n == 1 && cases[0].ch)
		return select1(s, cases, has_default, file, line);
	return select_n(s, cases, n, has_default, file, line);
}
