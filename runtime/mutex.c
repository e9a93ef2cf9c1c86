/*
 * mutex.c - sync.Mutex and sync.RWMutex.
 *
 * Mutex: a state word changed by compare-and-swap, like Go's and like a
 * futex mutex (0 unlocked, 1 locked, 2 locked and maybe waited for), so an
 * uncontended Lock and Unlock are one atomic instruction each.  A task that
 * finds it locked spins briefly under par, then marks it 2 and parks on the
 * waiter queue; Unlock of a 2 wakes the longest waiter, which competes for
 * the mutex again (Go's normal mode: a running task may barge ahead).  The
 * waiter checks the state and queues itself under the mutex's lock, and
 * Unlock clears the state before taking that lock, so no wake-up is lost.
 *
 * Starvation mode, as Go's: a woken waiter that loses the race queues again
 * at the front, and one that has waited longer than 1 ms (cl_now: virtual
 * time under det, the monotonic clock under par) switches the mutex to
 * starving.  Then Unlock hands the mutex straight to the first waiter
 * (the state word never passes through 0, so nobody can barge in), until
 * the waiter it reaches is the last or has waited less than 1 ms.
 *
 * RWMutex follows Go's
 * writer preference: once a writer waits, new readers queue behind it, and a
 * writer's unlock releases every waiting reader first.
 *
 * Unlock of an unlocked Mutex, and RUnlock or Unlock of an RWMutex not so
 * held, is fatal (rt_fatal), as Go's throw: no recover can catch it.
 *
 * Every Lock and Unlock is a scheduling point (DESIGN.md).  Each object's
 * fields are guarded by its own lock (a no-op under det); events about it
 * are emitted under that lock, so an unlock always precedes the next lock
 * in the trace.
 */
#include "runtime/race.h"
#include "runtime/rt.h"
#include "runtime/taskq.h"

struct cl_mutex {
	struct rt_obj obj;
	int state;               /* 0, 1 or 2 (above); atomic */
	int holder;              /* task id, for the wait-for graph */
	struct rt_lock lock;     /* guards waiters and starving */
	struct rt_taskq waiters;
	bool starving;           /* Unlock hands the mutex to the first waiter */
};

/* Go's starvationThresholdNs. */
#define STARVATION_WAIT CL_MS

struct cl_rwmutex {
	struct rt_obj obj;
	struct rt_lock lock;     /* guards the fields below */
	int readers;             /* read locks held */
	bool writer;             /* write lock held */
	int writer_id;
	struct rt_taskq rq, wq;  /* waiting readers, waiting writers */
};

void rt_unlock_cb(void *lock)
{
	rt_lock_release(lock);
}

void rt_taskq_wait(struct rt_taskq *q, struct rt_lock *lock, enum cl_wait why,
                   const struct rt_obj *obj, int waits_for, const char *file, int line)
{
	rt_taskq_push(q, rt_cur(rt_s()));
	struct rt_block b = {.wait = why, .obj_kind = obj->kind, .obj_id = obj->id,
	                     .obj_name = obj->name, .waits_for = waits_for,
	                     .file = file, .line = line};
	rt_park(&b, rt_unlock_cb, lock);
}

cl_mutex *cl_mutex_new(const char *name)
{
	return rt_obj_new(sizeof(struct cl_mutex), CL_OBJ_MUTEX, name);
}

static bool mutex_cas(cl_mutex *mu, int from, int to)
{
	return __atomic_compare_exchange_n(&mu->state, &from, to, false, __ATOMIC_ACQUIRE,
	                                   __ATOMIC_RELAXED);
}

static void acquired(cl_mutex *mu, const char *file, int line)
{
	__atomic_store_n(&mu->holder, rt_current_id(), __ATOMIC_RELAXED);
	rt_race_acquire(mu);   /* the last Unlock happens before this Lock */
	if (rt_s()->tracing)
		rt_emit_sync(CL_EV_LOCK, &mu->obj, "", 0, file, line);
}

/* Queues the running task on mu (at the front when it waited before, as
 * Go's LIFO requeue) and parks; mu->lock held, released by the park. */
static void mutex_wait(cl_mutex *mu, struct rt_task *self, bool front, const char *file, int line)
{
	struct rt_taskq *q = &mu->waiters;
	if (front) {
		self->q_next = q->first;
		q->first = self;
		if (!q->last)
			q->last = self;
	} else {
		rt_taskq_push(q, self);
	}
	self->sync_arg = 0;
	struct rt_block b = {.wait = CL_WAIT_MUTEX, .obj_kind = mu->obj.kind, .obj_id = mu->obj.id,
	                     .obj_name = mu->obj.name,
	                     .waits_for = __atomic_load_n(&mu->holder, __ATOMIC_RELAXED),
	                     .file = file, .line = line};
	rt_park(&b, rt_unlock_cb, &mu->lock);
}

void cl_lock_at(const char *file, int line, cl_mutex *mu)
{
	rt_sched_point(file, line);
	if (mutex_cas(mu, 0, 1)) {
		acquired(mu, file, line);
		return;
	}
	struct rt_sched *s = rt_s();
	if (s->nprocs > 1 && !__atomic_load_n(&mu->starving, __ATOMIC_RELAXED)) {
		/* The holder is likely running on another processor and about
		 * to unlock: a short spin is cheaper than parking.  With one
		 * processor (det, or par --procs 1) it cannot be running. */
		for (int i = 0; i < 100; i++) {
			rt_cpu_relax();
			if (__atomic_load_n(&mu->state, __ATOMIC_RELAXED) == 0 && mutex_cas(mu, 0, 1)) {
				acquired(mu, file, line);
				return;
			}
		}
	}
	/* Mark it "waited for", and sleep until an unlock wakes us or hands
	 * the mutex over. */
	struct rt_task *self = rt_running(s);
	cl_time since = -1;
	while (__atomic_exchange_n(&mu->state, 2, __ATOMIC_ACQUIRE) != 0) {
		rt_lock_acquire(&mu->lock);
		if (__atomic_load_n(&mu->state, __ATOMIC_ACQUIRE) != 2) {
			rt_lock_release(&mu->lock);
			continue;
		}
		cl_time now = cl_now();
		bool waited = since >= 0;
		if (!waited)
			since = now;
		else if (now - since > STARVATION_WAIT)
			__atomic_store_n(&mu->starving, true, __ATOMIC_RELAXED);
		mutex_wait(mu, self, waited, file, line);
		if (self->sync_arg == 1) {
			/* Handed over (the state stayed locked).  Go leaves
			 * starvation mode at the last waiter or a short wait. */
			rt_lock_acquire(&mu->lock);
			if (!mu->waiters.first || cl_now() - since <= STARVATION_WAIT)
				__atomic_store_n(&mu->starving, false, __ATOMIC_RELAXED);
			rt_lock_release(&mu->lock);
			break;
		}
	}
	acquired(mu, file, line);
}

bool cl_trylock(cl_mutex *mu)
{
	rt_sched_point(NULL, 0);
	if (!mutex_cas(mu, 0, 1))
		return false;
	acquired(mu, NULL, 0);
	return true;
}

/* Unlock without a scheduling point: cond.c needs the unlock and its park
 * to be one step. */
void rt_mutex_unlock(cl_mutex *mu)
{
	if (__atomic_load_n(&mu->state, __ATOMIC_RELAXED) == 0)
		rt_fatal("sync: unlock of unlocked mutex");
	rt_race_release(mu);
	/* The event goes first, so no other task's lock can precede it. */
	if (rt_s()->tracing)
		rt_emit_sync(CL_EV_UNLOCK, &mu->obj, "", 0, NULL, 0);
	if (__atomic_load_n(&mu->starving, __ATOMIC_RELAXED)) {
		rt_lock_acquire(&mu->lock);
		struct rt_task *next = mu->starving ? rt_taskq_pop(&mu->waiters) : NULL;
		if (next) {
			/* Starving: the state stays locked and goes to next. */
			__atomic_store_n(&mu->holder, next->id, __ATOMIC_RELAXED);
			next->sync_arg = 1;
			rt_lock_release(&mu->lock);
			rt_ready(next);
			return;
		}
		__atomic_store_n(&mu->starving, false, __ATOMIC_RELAXED);
		rt_lock_release(&mu->lock);
	}
	int was = __atomic_exchange_n(&mu->state, 0, __ATOMIC_RELEASE);
	if (was == 0)
		rt_fatal("sync: unlock of unlocked mutex");
	if (was == 1)
		return;
	rt_lock_acquire(&mu->lock);
	struct rt_task *next = rt_taskq_pop(&mu->waiters);
	rt_lock_release(&mu->lock);
	if (next)
		rt_ready(next);
}

bool rt_mutex_locked(cl_mutex *mu)
{
	return __atomic_load_n(&mu->state, __ATOMIC_RELAXED) != 0;
}

void cl_unlock_at(const char *file, int line, cl_mutex *mu)
{
	rt_sched_point(file, line);
	rt_mutex_unlock(mu);
}

void (cl_unlock)(cl_mutex *mu)
{
	cl_unlock_at(NULL, 0, mu);
}

cl_rwmutex *cl_rwmutex_new(const char *name)
{
	return rt_obj_new(sizeof(struct cl_rwmutex), CL_OBJ_RWMUTEX, name);
}

void cl_rlock_at(const char *file, int line, cl_rwmutex *rw)
{
	rt_sched_point(file, line);
	rt_lock_acquire(&rw->lock);
	if (rw->writer || rw->wq.first) {
		rt_taskq_wait(&rw->rq, &rw->lock, CL_WAIT_RLOCK, &rw->obj, rw->writer_id, file, line);
		rt_lock_acquire(&rw->lock);   /* counted by the writer's unlock */
	} else {
		rw->readers++;
	}
	rt_race_acquire(rw);   /* every earlier Unlock happens before this RLock */
	rt_emit_sync(CL_EV_LOCK, &rw->obj, "r", rw->readers, file, line);
	rt_lock_release(&rw->lock);
}

void (cl_runlock)(cl_rwmutex *rw)
{
	cl_runlock_at(NULL, 0, rw);
}

void cl_runlock_at(const char *file, int line, cl_rwmutex *rw)
{
	rt_sched_point(file, line);
	rt_lock_acquire(&rw->lock);
	if (rw->readers <= 0) {
		rt_lock_release(&rw->lock);
		rt_fatal("sync: RUnlock of unlocked RWMutex");
	}
	rw->readers--;
	rt_race_release(RT_RACE_KEY(rw, 1));
	rt_emit_sync(CL_EV_UNLOCK, &rw->obj, "r", rw->readers, NULL, 0);
	struct rt_task *w = NULL;
	if (rw->readers == 0 && (w = rt_taskq_pop(&rw->wq))) {
		rw->writer = true;
		rw->writer_id = w->id;
	}
	rt_lock_release(&rw->lock);
	if (w)
		rt_ready(w);
}

void cl_wlock_at(const char *file, int line, cl_rwmutex *rw)
{
	rt_sched_point(file, line);
	rt_lock_acquire(&rw->lock);
	if (rw->writer || rw->readers > 0) {
		rt_taskq_wait(&rw->wq, &rw->lock, CL_WAIT_WLOCK, &rw->obj, rw->writer_id, file, line);
		rt_lock_acquire(&rw->lock);   /* handed over by an unlock */
	} else {
		rw->writer = true;
		rw->writer_id = rt_current_id();
	}
	rt_race_acquire(rw);   /* every earlier Unlock, and ... */
	rt_race_acquire(RT_RACE_KEY(rw, 1));   /* ... every earlier RUnlock, happens before Lock */
	rt_emit_sync(CL_EV_LOCK, &rw->obj, "w", 0, file, line);
	rt_lock_release(&rw->lock);
}

void (cl_wunlock)(cl_rwmutex *rw)
{
	cl_wunlock_at(NULL, 0, rw);
}

void cl_wunlock_at(const char *file, int line, cl_rwmutex *rw)
{
	rt_sched_point(file, line);
	rt_lock_acquire(&rw->lock);
	if (!rw->writer) {
		rt_lock_release(&rw->lock);
		rt_fatal("sync: Unlock of unlocked RWMutex");
	}
	rw->writer = false;
	rw->writer_id = 0;
	rt_race_release(rw);
	rt_emit_sync(CL_EV_UNLOCK, &rw->obj, "w", 0, NULL, 0);
	struct rt_taskq woken = {0};
	struct rt_task *t;
	if (rw->rq.first) {
		while ((t = rt_taskq_pop(&rw->rq))) {
			rw->readers++;
			rt_taskq_push(&woken, t);
		}
	} else if ((t = rt_taskq_pop(&rw->wq))) {
		rw->writer = true;
		rw->writer_id = t->id;
		rt_taskq_push(&woken, t);
	}
	rt_lock_release(&rw->lock);
	while ((t = rt_taskq_pop(&woken)))
		rt_ready(t);
}
