/*
 * lock.c - the runtime's internal spin lock.  Under det nothing contends
 * (one OS thread, no preemption), so acquire and release only record the
 * state, which debug builds assert on (rt_lock_held).
 */
#include <assert.h>

#include "runtime/rt.h"

void rt_lock_acquire(struct rt_lock *l)
{
	assert(!l->held);
	l->held = 1;
}

void rt_lock_release(struct rt_lock *l)
{
	assert(l->held);
	l->held = 0;
}
