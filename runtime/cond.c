/*
 * cond.c - sync.Cond: Wait atomically unlocks the mutex and parks (so a
 * Signal between the two cannot be lost: the waiter is queued before the
 * mutex is released), and relocks before returning.
 */
#include "runtime/race.h"
#include "runtime/rt.h"
#include "runtime/taskq.h"

struct cl_cond {
	struct rt_obj obj;
	struct rt_lock lock;     /* guards waiters */
	cl_mutex *mu;
	struct rt_taskq waiters;
};

void rt_mutex_unlock(cl_mutex *mu);
bool rt_mutex_locked(cl_mutex *mu);

cl_cond *cl_cond_new(const char *name, cl_mutex *mu)
{
	struct cl_cond *c = rt_obj_new(sizeof *c, CL_OBJ_COND, name);
	c->mu = mu;
	return c;
}

void cl_cond_wait_at(const char *file, int line, cl_cond *c)
{
	rt_sched_point(file, line);
	/* Misuse is checked before the task is queued: a dead task must never
	 * sit on the cond for a later Signal to wake. */
	if (!rt_mutex_locked(c->mu))
		rt_fatal("sync: unlock of unlocked mutex");
	rt_lock_acquire(&c->lock);
	rt_taskq_push(&c->waiters, rt_cur(rt_s()));
	rt_mutex_unlock(c->mu);
	struct rt_block b = {.wait = CL_WAIT_COND, .obj_kind = CL_OBJ_COND, .obj_id = c->obj.id,
	                     .obj_name = c->obj.name, .file = file, .line = line};
	rt_park(&b, rt_unlock_cb, &c->lock);
	rt_race_acquire(c);   /* the Signal or Broadcast that woke us happens before */
	cl_lock_at(file, line, c->mu);
}

void cl_cond_signal(cl_cond *c)
{
	rt_sched_point(NULL, 0);
	rt_race_release(c);
	rt_lock_acquire(&c->lock);
	rt_emit_sync(CL_EV_SYNC, &c->obj, "signal", 0, NULL, 0);
	struct rt_task *t = rt_taskq_pop(&c->waiters);
	rt_lock_release(&c->lock);
	if (t)
		rt_ready(t);
}

void cl_cond_broadcast(cl_cond *c)
{
	rt_sched_point(NULL, 0);
	rt_race_release(c);
	rt_lock_acquire(&c->lock);
	rt_emit_sync(CL_EV_SYNC, &c->obj, "broadcast", 0, NULL, 0);
	struct rt_taskq woken = c->waiters;
	c->waiters = (struct rt_taskq){0};
	rt_lock_release(&c->lock);
	struct rt_task *t;
	while ((t = rt_taskq_pop(&woken)))
		rt_ready(t);
}
