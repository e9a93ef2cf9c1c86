/*
 * waitgroup.c - sync.WaitGroup and sync.Once.
 *
 * A WaitGroup's counter going below zero panics, as in Go.  A Wait by a task
 * that is itself counted (it called Add for itself and waits before its own
 * Done) can never return: the run ends in the deadlock report, as Go's does.
 *
 * Once.Do runs its function in the first caller; concurrent callers block
 * until it has returned, so after any Do returns the function has completed
 * (Go's guarantee).  A function that panics counts as done, as Go sets done
 * in a defer: later calls return at once and waiters wake.
 */
#include "runtime/race.h"
#include "runtime/rt.h"
#include "runtime/taskq.h"

struct cl_waitgroup {
	struct rt_obj obj;
	struct rt_lock lock;     /* guards waiters, and counter's way to zero */
	int64_t counter;         /* atomic: Done's fast path changes it without the lock */
	struct rt_taskq waiters;
};

struct cl_once {
	struct rt_obj obj;
	struct rt_lock lock;     /* guards the fields below */
	bool done;
	bool running;
	struct rt_taskq waiters;
};

cl_waitgroup *cl_wg_new(const char *name)
{
	return rt_obj_new(sizeof(struct cl_waitgroup), CL_OBJ_WAITGROUP, name);
}

static void wake_all(struct rt_taskq *q)
{
	struct rt_task *t;
	while ((t = rt_taskq_pop(q)))
		rt_ready(t);
}

/* Done without the lock, as Go's is one atomic add: from a counter of two
 * or more it cannot reach zero, so there is no Wait to release and no
 * panic to raise.  Under the lock a Wait reads the counter and queues
 * itself; only the locked path below takes the counter to zero, so a Wait
 * that saw it above zero is queued before the Done that releases it looks
 * at the queue.  A thousand tasks' Dones on one group then do not take
 * turns at its lock (100,000 blocked tasks waking, bench's blocked rows).
 * Traced runs keep the lock: each event shows the value the Done reached,
 * in the order they happened. */
static bool wg_done_fast(cl_waitgroup *wg)
{
	if (!rt_par_active || rt_s()->tracing)
		return false;   /* det's lock costs nothing; a trace needs the order */
	int64_t old = __atomic_load_n(&wg->counter, __ATOMIC_RELAXED);
	while (old >= 2)
		if (__atomic_compare_exchange_n(&wg->counter, &old, old - 1, true, __ATOMIC_RELEASE,
		                                __ATOMIC_RELAXED))
			return true;
	return false;
}

static inline __attribute__((always_inline)) void wg_add(cl_waitgroup *wg, int delta, const char *op)
{
	rt_sched_point(NULL, 0);
	if (delta < 0)
		rt_race_release(wg);   /* Done happens before the Wait it releases */
	if (delta == -1 && wg_done_fast(wg))
		return;
	rt_lock_acquire(&wg->lock);
	/* The trace shows the value it would reach; a negative one is refused
	 * before it is stored, so a recovered panic leaves the counter as it
	 * was.  Fast Dones may land meanwhile on a counter of two or more, so
	 * that takes a compare-and-swap; below two nothing but a holder of the
	 * lock changes it, and a store does (spawn+join's Add and Done). */
	int64_t old = __atomic_load_n(&wg->counter, __ATOMIC_ACQUIRE), counter;
	for (;;) {
		counter = old + delta;
		if (counter < 0) {
			rt_emit_sync(CL_EV_SYNC, &wg->obj, op, counter, NULL, 0);
			rt_lock_release(&wg->lock);
			rt_panic(NULL, 0, "sync: negative WaitGroup counter");
		}
		if (old < 2) {
			__atomic_store_n(&wg->counter, counter, __ATOMIC_RELEASE);
			break;
		}
		if (__atomic_compare_exchange_n(&wg->counter, &old, counter, true, __ATOMIC_ACQ_REL,
		                                __ATOMIC_ACQUIRE))
			break;
	}
	rt_emit_sync(CL_EV_SYNC, &wg->obj, op, counter, NULL, 0);
	struct rt_taskq woken = {0};
	if (counter == 0) {
		woken = wg->waiters;
		wg->waiters = (struct rt_taskq){0};
	}
	rt_lock_release(&wg->lock);
	wake_all(&woken);
}

void cl_wg_add(cl_waitgroup *wg, int delta)
{
	wg_add(wg, delta, "add");
}

void cl_wg_done(cl_waitgroup *wg)
{
	wg_add(wg, -1, "done");
}

void cl_wg_wait_at(const char *file, int line, cl_waitgroup *wg)
{
	rt_sched_point(file, line);
	rt_lock_acquire(&wg->lock);
	if (__atomic_load_n(&wg->counter, __ATOMIC_ACQUIRE) > 0)
		rt_taskq_wait(&wg->waiters, &wg->lock, CL_WAIT_WAITGROUP, &wg->obj, 0, file, line);
	else
		rt_lock_release(&wg->lock);
	rt_race_acquire(wg);
	rt_emit_sync(CL_EV_SYNC, &wg->obj, "wait", 0, file, line);
}

cl_once *cl_once_new(const char *name)
{
	return rt_obj_new(sizeof(struct cl_once), CL_OBJ_ONCE, name);
}

static void once_finish(void *arg)
{
	struct cl_once *o = arg;
	rt_race_release(o);   /* f, even a panicking one, happens before every Do returns */
	rt_lock_acquire(&o->lock);
	o->done = true;
	o->running = false;
	struct rt_taskq woken = o->waiters;
	o->waiters = (struct rt_taskq){0};
	rt_lock_release(&o->lock);
	wake_all(&woken);
}

void cl_once_do_at(const char *file, int line, cl_once *o, void (*fn)(void *), void *arg)
{
	rt_sched_point(file, line);
	rt_lock_acquire(&o->lock);
	if (o->done) {
		rt_lock_release(&o->lock);
		rt_race_acquire(o);   /* the function happens before every Do returns */
		return;
	}
	if (o->running) {
		rt_taskq_wait(&o->waiters, &o->lock, CL_WAIT_ONCE, &o->obj, 0, file, line);
		rt_race_acquire(o);
		return;
	}
	o->running = true;
	rt_emit_sync(CL_EV_SYNC, &o->obj, "once", 0, file, line);
	rt_lock_release(&o->lock);
	cl_defer(once_finish, o);   /* runs if fn panics */
	fn(arg);
	if (rt_defer_cancel(once_finish, o))
		once_finish(o);
}
