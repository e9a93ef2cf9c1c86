/*
 * taskq.h - a FIFO of parked tasks, for the sync objects (a task waits on
 * at most one at a time, so the link lives in the task: t->q_next).
 */
#ifndef CHANLAB_TASKQ_H
#define CHANLAB_TASKQ_H

#include "runtime/rt.h"

static inline void rt_taskq_push(struct rt_taskq *q, struct rt_task *t)
{
	t->q_next = NULL;
	if (q->last)
		q->last->q_next = t;
	else
		q->first = t;
	q->last = t;
}

static inline struct rt_task *rt_taskq_pop(struct rt_taskq *q)
{
	struct rt_task *t = q->first;
	if (t) {
		q->first = t->q_next;
		if (!q->first)
			q->last = NULL;
		t->q_next = NULL;
	}
	return t;
}

/* Emits a sync event (lock, unlock, sync) about obj for the running task;
 * untraced runs (most) pay one inline test, not a call. */
void rt_emit_sync_traced(enum cl_event_kind kind, const struct rt_obj *obj, const char *text,
                         int64_t arg, const char *file, int line);
static inline void rt_emit_sync(enum cl_event_kind kind, const struct rt_obj *obj,
                                const char *text, int64_t arg, const char *file, int line)
{
	if (__builtin_expect(rt_sched_cur->tracing, 0))
		rt_emit_sync_traced(kind, obj, text, arg, file, line);
}

/* Parks the running task on q with the reason given; lock (the object's,
 * held by the caller) is released once the task is off its processor. */
void rt_taskq_wait(struct rt_taskq *q, struct rt_lock *lock, enum cl_wait why,
                   const struct rt_obj *obj, int waits_for, const char *file, int line);

/* Unlocks an rt_lock: the unlock callback rt_park takes. */
void rt_unlock_cb(void *lock);

/* A sync event with just a text, for the running task. */
void rt_emit_sync_text(const char *text);

#endif
