/*
 * race.h - the race detector's hooks, called by the runtime's files at the
 * points where Go's memory model puts a happens-before edge (race.c has the
 * rules and the clocks).  Each hook is one call; with detection off
 * (sched->race == NULL, always under par) it is one branch.
 *
 * A hook names a synchronisation clock by an address: the object itself
 * (a mutex, a wait group, a channel's close), or an address derived from it
 * with RT_RACE_KEY when one object has two clocks (an RWMutex).  Objects
 * live until the run ends, so an address names one clock for the whole run.
 */
#ifndef CHANLAB_RACE_H
#define CHANLAB_RACE_H

#include "runtime/rt.h"

struct cl_chan;

/* A second clock of one object: its address plus n (n < the object's size). */
#define RT_RACE_KEY(obj, n) ((const void *)((const char *)(obj) + (n)))

enum rt_race_op {
	RT_RACE_ACQUIRE,        /* the task's clock takes in the object's */
	RT_RACE_RELEASE,        /* the object's clock takes in the task's (merge) */
	RT_RACE_RELEASE_STORE,  /* the object's clock becomes the task's (an atomic store) */
	RT_RACE_ACQ_REL,        /* both (a read-modify-write atomic) */
};

/* run.c: a run with cfg.race under det gets a detector before its first
 * task; at the end the outcome and report take in the races found. */
void rt_race_start(struct rt_sched *s);
void rt_race_end(struct rt_sched *s);

/* task.c: the go statement happens before the new task starts; an exiting
 * task's stack is forgotten (a later task may reuse the memory). */
void rt_race_spawn_(struct rt_sched *s, struct rt_task *parent, struct rt_task *child);
void rt_race_exit_(struct rt_sched *s, struct rt_task *t);

/* Object clocks, for task t (NULL: the runtime, e.g. a timer firing). */
void rt_race_sync_(struct rt_sched *s, const void *key, struct rt_task *t, enum rt_race_op op);

/* Channels (chan.c's halves): a value entering or leaving buffer slot
 * `slot` (Go's racenotify: the task acquires and releases the slot's clock,
 * which makes the k-th receive happen before the (k+cap)-th send
 * completes); a hand-off between two tasks (unbuffered: each happens before
 * the other completes; buffered: as if through slot c->head, first then
 * second). */
void rt_race_chan_slot_(struct rt_sched *s, struct cl_chan *c, size_t slot, struct rt_task *t);
void rt_race_chan_pass_(struct rt_sched *s, struct cl_chan *c, struct rt_task *first,
                        struct rt_task *second);

/* timer.c: a timer's start happens before its fire; the fire runs as the
 * runtime with the clock of the timer's starter. */
void rt_race_timer_fire_(struct rt_sched *s, const void *timer);

#define RT_RACE_ON(s) __builtin_expect((s)->race != NULL, 0)

static inline void rt_race_acquire(const void *key)
{
	struct rt_sched *s = rt_s();
	if (RT_RACE_ON(s))
		rt_race_sync_(s, key, rt_cur(s), RT_RACE_ACQUIRE);
}

static inline void rt_race_release(const void *key)
{
	struct rt_sched *s = rt_s();
	if (RT_RACE_ON(s))
		rt_race_sync_(s, key, rt_cur(s), RT_RACE_RELEASE);
}

/* Acquire on behalf of a parked task (a close wakes its receivers). */
static inline void rt_race_acquire_for(const void *key, struct rt_task *t)
{
	struct rt_sched *s = rt_s();
	if (RT_RACE_ON(s))
		rt_race_sync_(s, key, t, RT_RACE_ACQUIRE);
}

static inline void rt_race_atomic(const void *addr, enum rt_race_op op)
{
	struct rt_sched *s = rt_s();
	if (s && RT_RACE_ON(s))
		rt_race_sync_(s, addr, rt_cur(s), op);
}

static inline void rt_race_chan_slot(struct cl_chan *c, size_t slot, struct rt_task *t)
{
	struct rt_sched *s = rt_s();
	if (RT_RACE_ON(s))
		rt_race_chan_slot_(s, c, slot, t);
}

static inline void rt_race_chan_pass(struct cl_chan *c, struct rt_task *first,
                                     struct rt_task *second)
{
	struct rt_sched *s = rt_s();
	if (RT_RACE_ON(s))
		rt_race_chan_pass_(s, c, first, second);
}

static inline void rt_race_spawn(struct rt_sched *s, struct rt_task *parent, struct rt_task *child)
{
	if (RT_RACE_ON(s))
		rt_race_spawn_(s, parent, child);
}

static inline void rt_race_exit(struct rt_sched *s, struct rt_task *t)
{
	if (RT_RACE_ON(s))
		rt_race_exit_(s, t);
}

static inline void rt_race_timer_fire(struct rt_sched *s, const void *timer)
{
	if (RT_RACE_ON(s))
		rt_race_timer_fire_(s, timer);
}

#endif
