/*
 * sched.h - what the scheduler's files (sched_det.c, task.c, run.c,
 * timer.c) share with each other and nobody else.
 */
#ifndef CHANLAB_SCHED_H
#define CHANLAB_SCHED_H

#include "runtime/rt.h"

void rt_rand_seed(struct rt_sched *s, uint64_t seed);
void rt_runq_add(struct rt_sched *s, struct rt_task *t);
void rt_runq_remove(struct rt_sched *s, struct rt_task *t);
void rt_switch(struct rt_sched *s, struct rt_task *from, struct rt_task *to, bool dying);
void rt_after_switch(struct rt_sched *s, struct rt_task *self);
_Noreturn void rt_sched_exit(struct rt_sched *s, struct rt_task *t);
void rt_pct_setup(struct rt_sched *s);
int64_t rt_pct_priority(struct rt_sched *s);

/* task.c */
struct rt_task *rt_task_create(struct rt_sched *s, void (*fn)(void *), void *arg,
                               const char *name, const char *file, int line);
void rt_task_release(struct rt_task *t);

/* timer.c */
void rt_timers_fire_due(struct rt_sched *s);

/* run.c */
_Noreturn void rt_finish_limit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void rt_oom(void);

#endif
