/*
 * mutex.c - sync.Mutex and sync.RWMutex.
 *
 * Unlock hands the mutex straight to the longest waiter (Go's starvation
 * mode, which Go also enters under contention): the woken task owns it on
 * waking, so no waiter can be overtaken forever.  RWMutex follows Go's
 * writer preference: once a writer waits, new readers queue behind it, and a
 * writer's unlock releases every waiting reader first.
 *
 * Every Lock and Unlock is a scheduling point (DESIGN.md).  Each object's
 * fields are guarded by its own lock (a no-op under det); events about it
 * are emitted under that lock, so an unlock always precedes the next lock
 * in the trace.
 */
#include "runtime/rt.h"
#include "runtime/taskq.h"

struct cl_mutex {
	struct rt_obj obj;
	struct rt_lock lock;     /* guards the fields below */
	bool locked;
	int holder;              /* task id, for the wait-for graph */
	struct rt_taskq waiters;
};

struct cl_rwmutex {
	struct rt_obj obj;
	struct rt_lock lock;     /* guards the fields below */
	int readers;             /* read locks held */
	bool writer;             /* write lock held */
	int writer_id;
	struct rt_taskq rq, wq;  /* waiting readers, waiting writers */
};

void rt_emit_sync(enum cl_event_kind kind, const struct rt_obj *obj, const char *text,
                  int64_t arg, const char *file, int line)
{
	struct rt_sched *s = rt_s();
	if (!s->tracing)
		return;
	struct cl_event ev = rt_event(s, kind);
	ev.obj_kind = obj->kind;
	ev.obj_id = obj->id;
	ev.obj_name = obj->name;
	ev.text = text ? text : "";
	ev.arg = arg;
	ev.file = file ? file : "";
	ev.line = line;
	rt_emit(s, &ev);
}

void rt_emit_sync_text(const char *text)
{
	struct rt_sched *s = rt_s();
	if (!s || !s->tracing)
		return;
	struct cl_event ev = rt_event(s, CL_EV_SYNC);
	ev.text = text;
	rt_emit(s, &ev);
}

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

void cl_lock_at(const char *file, int line, cl_mutex *mu)
{
	rt_sched_point(file, line);
	rt_lock_acquire(&mu->lock);
	if (mu->locked) {
		rt_taskq_wait(&mu->waiters, &mu->lock, CL_WAIT_MUTEX, &mu->obj, mu->holder, file, line);
		rt_lock_acquire(&mu->lock);   /* the unlock handed it to us */
	} else {
		mu->locked = true;
		mu->holder = rt_current_id();
	}
	rt_emit_sync(CL_EV_LOCK, &mu->obj, "", 0, file, line);
	rt_lock_release(&mu->lock);
}

bool cl_trylock(cl_mutex *mu)
{
	rt_sched_point(NULL, 0);
	rt_lock_acquire(&mu->lock);
	bool got = !mu->locked;
	if (got) {
		mu->locked = true;
		mu->holder = rt_current_id();
		rt_emit_sync(CL_EV_LOCK, &mu->obj, "", 0, NULL, 0);
	}
	rt_lock_release(&mu->lock);
	return got;
}

/* Unlock without a scheduling point: cond.c needs the unlock and its park
 * to be one step. */
void rt_mutex_unlock(cl_mutex *mu)
{
	rt_lock_acquire(&mu->lock);
	if (!mu->locked) {
		rt_lock_release(&mu->lock);
		rt_panic(NULL, 0, "sync: unlock of unlocked mutex");
	}
	rt_emit_sync(CL_EV_UNLOCK, &mu->obj, "", 0, NULL, 0);
	struct rt_task *next = rt_taskq_pop(&mu->waiters);
	if (next) {
		mu->holder = next->id;
	} else {
		mu->locked = false;
		mu->holder = 0;
	}
	rt_lock_release(&mu->lock);
	if (next)
		rt_ready(next);
}

void cl_unlock(cl_mutex *mu)
{
	rt_sched_point(NULL, 0);
	rt_mutex_unlock(mu);
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
	rt_emit_sync(CL_EV_LOCK, &rw->obj, "r", rw->readers, file, line);
	rt_lock_release(&rw->lock);
}

void cl_runlock(cl_rwmutex *rw)
{
	rt_sched_point(NULL, 0);
	rt_lock_acquire(&rw->lock);
	if (rw->readers <= 0) {
		rt_lock_release(&rw->lock);
		rt_panic(NULL, 0, "sync: RUnlock of unlocked RWMutex");
	}
	rw->readers--;
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
	rt_emit_sync(CL_EV_LOCK, &rw->obj, "w", 0, file, line);
	rt_lock_release(&rw->lock);
}

void cl_wunlock(cl_rwmutex *rw)
{
	rt_sched_point(NULL, 0);
	rt_lock_acquire(&rw->lock);
	if (!rw->writer) {
		rt_lock_release(&rw->lock);
		rt_panic(NULL, 0, "sync: Unlock of unlocked RWMutex");
	}
	rw->writer = false;
	rw->writer_id = 0;
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
