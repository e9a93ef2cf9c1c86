/*
 * timer.c - virtual time: sleep, time.After, timers and tickers.
 *
 * Pending timers sit in a binary min-heap ordered by (when, seq); seq is the
 * order timers were started, so timers due at the same instant fire in a
 * fixed order.  The scheduler fires due timers at every scheduling point
 * and, when no task can run, moves the clock to the earliest one.
 *
 * Timer channels follow Go 1.19: capacity 1, and a fire whose value would
 * not fit is dropped (a slow ticker reader misses ticks, never queues them).
 *
 * Invariant: t->heap_index is t's position in the heap, -1 when not pending.
 * Under par the heap is guarded by sched->timer_lock and time is the
 * monotonic clock since the run began; a processor's scheduler loop fires
 * due timers, and an idle processor sleeps until the earliest.
 */
#include <stdlib.h>

#include "runtime/race.h"
#include "runtime/rt.h"
#include "runtime/sched.h"

struct cl_timer {
	struct rt_timer t;
	bool ticker;     /* NewTicker: Reset keeps it periodic and refuses d <= 0 */
};

static bool earlier(const struct rt_timer *a, const struct rt_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_set(struct rt_heap *h, int i, struct rt_timer *t)
{
	h->items[i] = t;
	t->heap_index = i;
}

static inline __attribute__((always_inline)) void sift_up(struct rt_heap *h, int i)
{
	struct rt_timer *t = h->items[i];
	while (i > 0) {
		int parent = (i - 1) / 2;
		if (!earlier(t, h->items[parent]))
			break;
		heap_set(h, i, h->items[parent]);
		i = parent;
	}
	heap_set(h, i, t);
}

static inline __attribute__((always_inline)) void sift_down(struct rt_heap *h, int i)
{
	struct rt_timer *t = h->items[i];
	for (;;) {
		int c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && earlier(h->items[c + 1], h->items[c]))
			c++;
		if (!earlier(h->items[c], t))
			break;
		heap_set(h, i, h->items[c]);
		i = c;
	}
	heap_set(h, i, t);
}

/* After every change: the earliest time, for readers without the lock. */
static void publish_first(struct rt_heap *h)
{
	__atomic_store_n(&h->first, h->n ? h->items[0]->when : INT64_MAX, __ATOMIC_RELEASE);
}

static void heap_remove(struct rt_heap *h, struct rt_timer *t)
{
	int i = t->heap_index;
	struct rt_timer *last = h->items[h->n - 1];
	/* n is read without the lock under par (a cheap "any timers?"). */
	__atomic_store_n(&h->n, h->n - 1, __ATOMIC_RELEASE);
	t->heap_index = -1;
	if (last != t) {
		heap_set(h, i, last);
		sift_down(h, i);
		/* Moved down, it sits below a timer earlier than it: up only if not. */
		if (last->heap_index == i)
			sift_up(h, i);
	}
	publish_first(h);
}

/* heap_remove of the earliest timer, items[0], which the fire loop takes at
 * every fire: the last timer moves to the root and down, and nothing can
 * sit above the root.  Returns the timer taken. */
static inline struct rt_timer *heap_pop(struct rt_heap *h)
{
	struct rt_timer *t = h->items[0];
	int n = h->n - 1;
	__atomic_store_n(&h->n, n, __ATOMIC_RELEASE);
	t->heap_index = -1;
	if (n > 0) {
		heap_set(h, 0, h->items[n]);
		sift_down(h, 0);
	}
	publish_first(h);
	return t;
}

/* The run's clock: det's virtual time without the table's indirect call
 * where the thread's mode (par: rt_par_active) says det, as
 * rt_rand_stream does. */
static inline cl_time now_in(struct rt_sched *s, int par)
{
	return __builtin_expect(par, 0) ? s->ops->now(s) : s->now;
}

static inline __attribute__((always_inline)) void timer_start_locked(struct rt_sched *s,
                                                                  struct rt_timer *t, cl_time when)
{
	rt_lock_assert_held(&s->timer_lock);
	struct rt_heap *h = &s->timers;
	if (t->heap_index >= 0)
		heap_remove(h, t);
	if (h->n == h->cap) {
		int cap = h->cap ? h->cap * 2 : 32;
		struct rt_timer **items = realloc(h->items, (size_t)cap * sizeof *items);
		if (!items)
			rt_oom();
		h->items = items;
		h->cap = cap;
	}
	t->when = when;
	t->seq = ++s->timer_seq;
	/* sift_up from the new last slot, t held aside: each earlier parent
	 * moves down once, and t is stored once, where it stays. */
	struct rt_timer **items = h->items;
	int i = h->n;
	__atomic_store_n(&h->n, i + 1, __ATOMIC_RELEASE);
	while (i > 0) {
		int parent = (i - 1) / 2;
		struct rt_timer *p = items[parent];
		if (!earlier(t, p))
			break;
		heap_set(h, i, p);
		i = parent;
	}
	heap_set(h, i, t);
	/* The earliest time changes only when t is the new root. */
	if (i == 0)
		__atomic_store_n(&h->first, when, __ATOMIC_RELEASE);
}

void rt_timer_start(struct rt_timer *t, cl_time when)
{
	struct rt_sched *s = rt_s();
	rt_race_release(t);   /* the start happens before the fire */
	rt_lock_acquire(&s->timer_lock);
	timer_start_locked(s, t, when);
	rt_lock_release(&s->timer_lock);
}

bool rt_timer_cancel(struct rt_timer *t)
{
	struct rt_sched *s = rt_s();
	rt_lock_acquire(&s->timer_lock);
	bool pending = t->heap_index >= 0;
	if (pending)
		heap_remove(&s->timers, t);
	rt_lock_release(&s->timer_lock);
	return pending;
}

static void fire(struct rt_sched *s, struct rt_timer *t, int par)
{
	/* A timer acts as task 0, the runtime, whichever task is running
	 * (under par timers fire on a processor's g0, where none is). */
	struct rt_proc *p = __builtin_expect(par, 0) ? rt_proc_self() : s->procs;
	struct rt_task *cur = p->current;
	if (cur)
		p->current = NULL;
	rt_race_timer_fire(s, t);   /* the runtime acts with the starter's clock */
	if (s->tracing && t->kind != RT_TIMER_WAKE) {
		struct cl_event ev = rt_event(s, CL_EV_TIMER);
		ev.obj_kind = CL_OBJ_TIMER;
		ev.obj_id = t->obj.id;
		ev.obj_name = t->obj.name;
		rt_emit(s, &ev);
	}
	switch (t->kind) {
	case RT_TIMER_WAKE:
		rt_ready(t->task);
		break;
	case RT_TIMER_CHAN: {
		cl_time now = cl_now();
		rt_chan_offer(t->chan, &now);
		if (t->period > 0)
			rt_timer_start(t, rt_time_after(t->when, t->period));
		break;
	}
	case RT_TIMER_FUNC:
		t->fn(t->arg);
		break;
	}
	if (cur)
		p->current = cur;
}

/* Fires every timer due by now (virtual or monotonic: cl_now), one at a
 * time: each is taken off the heap under timer_lock (a no-op under det)
 * and fired after it is released, since firing may start timers again. */
void rt_timers_fire_due(struct rt_sched *s)
{
	struct rt_heap *h = &s->timers;
	/* The thread's mode, read once: a fire runs no task, so the thread
	 * stays the same throughout. */
	int par = rt_par_active;
	cl_time now = now_in(s, par);
	/* Nothing due: no lock (par's processors ask before every pick, and
	 * every fire asks again before the next). */
	while (__atomic_load_n(&h->first, __ATOMIC_ACQUIRE) <= now) {
		rt_lock_acquire_par(&s->timer_lock, par);
		struct rt_timer *t = NULL;
		if (h->n && h->items[0]->when <= now)
			t = heap_pop(h);
		rt_lock_release_par(&s->timer_lock, par);
		if (!t)
			return;
		fire(s, t, par);
	}
}

cl_time cl_now(void)
{
	struct rt_sched *s = rt_s();
	return s->ops->now(s);
}

static void unlock_timers(void *arg)
{
	rt_lock_release(&((struct rt_sched *)arg)->timer_lock);
}

void cl_sleep_at(const char *file, int line, cl_time d)
{
	struct rt_sched *s = rt_s();
	int par = rt_par_active;   /* read once: the stores below might change it for all gcc knows */
	struct rt_task *me = rt_running(s);
	if (s->tracing) {
		struct cl_event ev = rt_event(s, CL_EV_SLEEP);
		ev.arg = d;
		ev.file = file;
		ev.line = line;
		rt_emit(s, &ev);
	}
	if (d <= 0) {
		rt_sched_point(file, line);
		return;
	}
	struct rt_timer *t = &me->sleep_timer;
	t->kind = RT_TIMER_WAKE;
	t->task = me;
	t->heap_index = -1;
	/* The timer and the park are one step: the timer cannot fire (on
	 * another processor) before this task is off its stack. */
	rt_lock_acquire_par(&s->timer_lock, par);
	timer_start_locked(s, t, rt_time_after(now_in(s, par), d));
	struct rt_block why = {.wait = CL_WAIT_SLEEP, .file = file, .line = line};
	if (__builtin_expect(par, 0)) {
		rt_park(&why, unlock_timers, s);
	} else {
		/* det runs nothing between a park's unlock and its switch
		 * (sched_det.c det_park): the lock goes now, and the park has
		 * nothing to call back. */
		rt_lock_release_par(&s->timer_lock, par);
		rt_park(&why, NULL, NULL);
	}
}

static struct rt_timer *chan_timer(const char *name, cl_time d, cl_time period)
{
	struct cl_timer *ct = rt_obj_new(sizeof *ct, CL_OBJ_TIMER, name);
	struct rt_timer *t = &ct->t;
	ct->ticker = period > 0;
	t->kind = RT_TIMER_CHAN;
	t->period = period;
	t->heap_index = -1;
	t->chan = cl_make(name, cl_time, 1);
	cl_chan_set_fmt(t->chan, cl_fmt_duration);   /* the time it fired, as a duration */
	rt_timer_start(t, rt_time_after(cl_now(), d));
	return t;
}

cl_chan *cl_after(cl_time d)
{
	return chan_timer("time.After", d, 0)->chan;
}

cl_timer *cl_timer_new(cl_time d)
{
	return (cl_timer *)chan_timer("timer", d, 0);
}

cl_timer *cl_ticker_new(cl_time period)
{
	if (period <= 0)
		rt_panic(NULL, 0, "non-positive interval for NewTicker");
	return (cl_timer *)chan_timer("ticker", period, period);
}

cl_chan *cl_timer_chan(cl_timer *t)
{
	return t->t.chan;
}

bool cl_timer_stop(cl_timer *t)
{
	return rt_timer_cancel(&t->t);
}

/* Timer.Reset(d <= 0) fires at once; Ticker.Reset panics on it, as Go's,
 * before anything changes. */
bool cl_timer_reset(cl_timer *t, cl_time d)
{
	if (t->ticker && d <= 0)
		rt_panic(NULL, 0, "non-positive interval for Ticker.Reset");
	bool was_pending = rt_timer_cancel(&t->t);
	if (t->ticker)
		t->t.period = d;
	rt_timer_start(&t->t, rt_time_after(cl_now(), d));
	return was_pending;
}
