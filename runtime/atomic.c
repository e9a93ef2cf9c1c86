/*
 * atomic.c - sync/atomic through the runtime.  Under det each operation is
 * a scheduling point, so the explorer can interleave tasks between a load
 * and a CAS (that is how the ABA problem shows up).  chanlab.h inlines the
 * bare operations (the compiler's builtins: one instruction each on x86-64
 * and aarch64, never a libatomic call) while cl_atomics_bare is set, which
 * sched_par.c does on the threads of an untraced par run; these are the
 * other paths.
 */
#include "runtime/race.h"
#include "runtime/rt.h"

_Thread_local int cl_atomics_bare;

static void atomic_point(void)
{
	struct rt_sched *s = rt_s();
	if (s && !s->par)
		rt_sched_point(NULL, 0);
}

static void atomic_event(const char *op, int64_t result)
{
	struct rt_sched *s = rt_s();
	if (!s || !s->tracing)
		return;
	struct cl_event ev = rt_event(s, CL_EV_ATOMIC);
	ev.obj_kind = CL_OBJ_ATOMIC;
	ev.text = op;
	ev.arg = result;
	rt_emit(s, &ev);
}

int64_t cl_atomic_load_slow(cl_atomic64 *a)
{
	atomic_point();
	int64_t v = __atomic_load_n(&a->v, __ATOMIC_SEQ_CST);
	rt_race_atomic(a, RT_RACE_ACQUIRE);
	atomic_event("load", v);
	return v;
}

void cl_atomic_store_slow(cl_atomic64 *a, int64_t v)
{
	atomic_point();
	__atomic_store_n(&a->v, v, __ATOMIC_SEQ_CST);
	rt_race_atomic(a, RT_RACE_RELEASE_STORE);
	atomic_event("store", v);
}

int64_t cl_atomic_add_slow(cl_atomic64 *a, int64_t delta)
{
	atomic_point();
	int64_t v = __atomic_add_fetch(&a->v, delta, __ATOMIC_SEQ_CST);
	rt_race_atomic(a, RT_RACE_ACQ_REL);
	atomic_event("add", v);
	return v;
}

bool cl_atomic_cas_slow(cl_atomic64 *a, int64_t old, int64_t new_value)
{
	atomic_point();
	bool ok = __atomic_compare_exchange_n(&a->v, &old, new_value, false, __ATOMIC_SEQ_CST,
	                                      __ATOMIC_SEQ_CST);
	rt_race_atomic(a, ok ? RT_RACE_ACQ_REL : RT_RACE_ACQUIRE);
	atomic_event(ok ? "cas ok" : "cas failed", ok);
	return ok;
}

void *cl_atomic_load_ptr_slow(cl_atomic_ptr *a)
{
	atomic_point();
	void *v = __atomic_load_n(&a->v, __ATOMIC_SEQ_CST);
	rt_race_atomic(a, RT_RACE_ACQUIRE);
	atomic_event("load ptr", 0);
	return v;
}

void cl_atomic_store_ptr_slow(cl_atomic_ptr *a, void *v)
{
	atomic_point();
	__atomic_store_n(&a->v, v, __ATOMIC_SEQ_CST);
	rt_race_atomic(a, RT_RACE_RELEASE_STORE);
	atomic_event("store ptr", 0);
}

bool cl_atomic_cas_ptr_slow(cl_atomic_ptr *a, void *old, void *new_value)
{
	atomic_point();
	bool ok = __atomic_compare_exchange_n(&a->v, &old, new_value, false, __ATOMIC_SEQ_CST,
	                                      __ATOMIC_SEQ_CST);
	rt_race_atomic(a, ok ? RT_RACE_ACQ_REL : RT_RACE_ACQUIRE);
	atomic_event(ok ? "cas ptr ok" : "cas ptr failed", ok);
	return ok;
}
