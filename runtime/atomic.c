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
#include <stdio.h>

#include "runtime/rt.h"

_Thread_local int cl_atomics_bare;

/* A scheduling point before the operation on a; for the explorer's
 * pruning (cl_choice.step, next_step) the step is a read of a, or a write
 * when the operation may store (a failed CAS counts as one).  Atomics
 * conflict only with operations on the same word: sequential consistency
 * orders nothing else, and the race detector's clocks are per variable. */
static void atomic_point(const void *a, bool write)
{
	struct rt_sched *s = rt_s();
	if (s) {
		rt_pending_op(s, write ? CL_STEP_WRITE : CL_STEP_READ, a);
		rt_sched_point(NULL, 0);   /* under par only a stop check: no switch */
		rt_footprint(s, write ? CL_STEP_WRITE : CL_STEP_READ, a);
	}
}

/* A name for the atomics in [first, first + bytes), elem bytes each (an
 * array's elements are named "next[3]"): an object of the run, so traces
 * can say which variable an operation was on (schema version 2). */
struct atomic_label {
	struct rt_obj obj;
	const char *first;
	size_t bytes, elem;
};

void cl_atomic_label(const void *first, size_t bytes, size_t elem, const char *name)
{
	struct atomic_label *l = rt_obj_new(sizeof *l, CL_OBJ_ATOMIC, name);
	l->first = first;
	l->bytes = bytes;
	l->elem = elem ? elem : bytes;
}

/* The label of the atomic at a, if it has one; its name (with the index
 * for an array) goes to buf. */
static const struct atomic_label *label_of(struct rt_sched *s, const void *a, char *buf, size_t size)
{
	const struct atomic_label *found = NULL;
	rt_lock_acquire(&s->obj_lock);
	for (const struct rt_obj *o = s->objects; o && !found; o = o->next) {
		const struct atomic_label *l = (const struct atomic_label *)o;
		if (o->kind == CL_OBJ_ATOMIC && (const char *)a >= l->first &&
		    (const char *)a < l->first + l->bytes)
			found = l;
	}
	rt_lock_release(&s->obj_lock);
	if (found && found->bytes > found->elem)
		snprintf(buf, size, "%s[%zu]", found->obj.name,
		         (size_t)((const char *)a - found->first) / found->elem);
	else if (found)
		snprintf(buf, size, "%s", found->obj.name);
	return found;
}

static void atomic_event_on(const void *a, const char *op, int64_t result)
{
	struct rt_sched *s = rt_s();
	if (!s || !s->tracing)
		return;
	char name[RT_NAME_MAX + 24];
	struct cl_event ev = rt_event(s, CL_EV_ATOMIC);
	const struct atomic_label *l = label_of(s, a, name, sizeof name);
	ev.obj_kind = CL_OBJ_ATOMIC;
	if (l) {
		ev.obj_id = l->obj.id;
		ev.obj_name = name;
	}
	ev.text = op;
	ev.arg = result;
	rt_emit(s, &ev);
}
#define atomic_event(op, result) atomic_event_on(a, (op), (result))

int64_t cl_atomic_load_slow(cl_atomic64 *a)
{
	atomic_point(a, false);
	int64_t v = __atomic_load_n(&a->v, __ATOMIC_SEQ_CST);
	rt_race_atomic(a, RT_RACE_ACQUIRE);
	atomic_event("load", v);
	return v;
}

void cl_atomic_store_slow(cl_atomic64 *a, int64_t v)
{
	atomic_point(a, true);
	__atomic_store_n(&a->v, v, __ATOMIC_SEQ_CST);
	rt_race_atomic(a, RT_RACE_RELEASE_STORE);
	atomic_event("store", v);
}

int64_t cl_atomic_add_slow(cl_atomic64 *a, int64_t delta)
{
	atomic_point(a, true);
	int64_t v = __atomic_add_fetch(&a->v, delta, __ATOMIC_SEQ_CST);
	rt_race_atomic(a, RT_RACE_ACQ_REL);
	atomic_event("add", v);
	return v;
}

bool cl_atomic_cas_slow(cl_atomic64 *a, int64_t old, int64_t new_value)
{
	atomic_point(a, true);
	bool ok = __atomic_compare_exchange_n(&a->v, &old, new_value, false, __ATOMIC_SEQ_CST,
	                                      __ATOMIC_SEQ_CST);
	rt_race_atomic(a, ok ? RT_RACE_ACQ_REL : RT_RACE_ACQUIRE);
	atomic_event(ok ? "cas ok" : "cas failed", ok);
	return ok;
}

void *cl_atomic_load_ptr_slow(cl_atomic_ptr *a)
{
	atomic_point(a, false);
	void *v = __atomic_load_n(&a->v, __ATOMIC_SEQ_CST);
	rt_race_atomic(a, RT_RACE_ACQUIRE);
	atomic_event("load ptr", 0);
	return v;
}

void cl_atomic_store_ptr_slow(cl_atomic_ptr *a, void *v)
{
	atomic_point(a, true);
	__atomic_store_n(&a->v, v, __ATOMIC_SEQ_CST);
	rt_race_atomic(a, RT_RACE_RELEASE_STORE);
	atomic_event("store ptr", 0);
}

bool cl_atomic_cas_ptr_slow(cl_atomic_ptr *a, void *old, void *new_value)
{
	atomic_point(a, true);
	bool ok = __atomic_compare_exchange_n(&a->v, &old, new_value, false, __ATOMIC_SEQ_CST,
	                                      __ATOMIC_SEQ_CST);
	rt_race_atomic(a, ok ? RT_RACE_ACQ_REL : RT_RACE_ACQUIRE);
	atomic_event(ok ? "cas ptr ok" : "cas ptr failed", ok);
	return ok;
}
