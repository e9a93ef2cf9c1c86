/*
 * sema.c - a weighted counting semaphore (golang.org/x/sync/semaphore):
 * Acquire(n) waits until n units are free; waiters are served in FIFO order,
 * and a large request at the head holds back smaller ones behind it, as in
 * Go's, so no request starves.
 */
#include "runtime/race.h"
#include "runtime/rt.h"
#include "runtime/taskq.h"

struct cl_sema {
	struct rt_obj obj;
	struct rt_lock lock;       /* guards the fields below */
	int64_t capacity;
	int64_t used;
	struct rt_taskq waiters;   /* each waiter's request is in task->sync_arg */
};

cl_sema *cl_sema_new(const char *name, int64_t capacity)
{
	struct cl_sema *s = rt_obj_new(sizeof *s, CL_OBJ_SEMA, name);
	s->capacity = capacity;
	return s;
}

void cl_sema_acquire_at(const char *file, int line, cl_sema *s, int64_t n)
{
	rt_sched_point(file, line);
	if (n > s->capacity)
		rt_panic(file, line, "semaphore: acquire of more than the capacity would block forever");
	rt_lock_acquire(&s->lock);
	if (!s->waiters.first && s->capacity - s->used >= n) {
		s->used += n;
		rt_race_acquire(s);   /* earlier Releases happen before this Acquire */
		rt_emit_sync(CL_EV_SYNC, &s->obj, "acquire", s->used, file, line);
		rt_lock_release(&s->lock);
	} else {
		rt_cur(rt_s())->sync_arg = n;
		rt_taskq_wait(&s->waiters, &s->lock, CL_WAIT_SEMA, &s->obj, 0, file, line);
		rt_race_acquire(s);
		rt_emit_sync(CL_EV_SYNC, &s->obj, "acquire", n, file, line);
	}
}

bool cl_sema_try_acquire(cl_sema *s, int64_t n)
{
	rt_sched_point(NULL, 0);
	rt_lock_acquire(&s->lock);
	bool got = !s->waiters.first && s->capacity - s->used >= n;
	if (got) {
		s->used += n;
		rt_race_acquire(s);
		rt_emit_sync(CL_EV_SYNC, &s->obj, "acquire", s->used, NULL, 0);
	}
	rt_lock_release(&s->lock);
	return got;
}

void cl_sema_release(cl_sema *s, int64_t n)
{
	rt_sched_point(NULL, 0);
	rt_lock_acquire(&s->lock);
	if (s->used - n < 0) {   /* refused before anything changes */
		rt_lock_release(&s->lock);
		rt_panic(NULL, 0, "semaphore: released more than held");
	}
	rt_race_release(s);
	s->used -= n;
	rt_emit_sync(CL_EV_SYNC, &s->obj, "release", s->used, NULL, 0);
	struct rt_taskq woken = {0};
	while (s->waiters.first && s->capacity - s->used >= s->waiters.first->sync_arg) {
		struct rt_task *t = rt_taskq_pop(&s->waiters);
		s->used += t->sync_arg;
		rt_taskq_push(&woken, t);
	}
	rt_lock_release(&s->lock);
	struct rt_task *t;
	while ((t = rt_taskq_pop(&woken)))
		rt_ready(t);
}
