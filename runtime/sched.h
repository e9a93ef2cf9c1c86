/*
 * sched.h - what the scheduler's files (sched.c, sched_det.c, sched_par.c,
 * task.c, run.c, timer.c) share with each other and nobody else.
 */
#ifndef CHANLAB_SCHED_H
#define CHANLAB_SCHED_H

#include <signal.h>

#include "runtime/rt.h"

void rt_rand_seed(struct rt_sched *s, uint64_t seed);
void rt_rand_seed_words(uint64_t rng[4], uint64_t seed);
/* xoshiro256**: the next word of the stream rng. */
static inline uint64_t rt_rand_words(uint64_t *r)
{
	uint64_t x = r[1] * 5;
	uint64_t result = ((x << 7) | (x >> 57)) * 9;
	uint64_t t = r[1] << 17;
	r[2] ^= r[0];
	r[3] ^= r[1];
	r[1] ^= r[2];
	r[0] ^= r[3];
	r[2] ^= t;
	r[3] = (r[3] << 45) | (r[3] >> 19);
	return result;
}
/* The run's stream, without the table's indirect call where the thread's
 * mode says det (rt_par_active, the one test of the mode the runtime
 * allows itself): det's rng and task_rng are both s->rng, so the words
 * drawn are the same either way. */
static inline uint64_t *rt_rand_stream(struct rt_sched *s)
{
	return __builtin_expect(rt_par_active, 0) ? s->ops->rng(s) : s->rng;
}
/* rt_rand and rt_rand_below, inline for the select and pick paths. */
static inline uint64_t rt_rand_inline(struct rt_sched *s)
{
	if (s->footprint_on)
		s->fp_tainted = true;   /* a draw: the step's order matters to every other draw */
	return rt_rand_words(rt_rand_stream(s));
}
static inline uint64_t rt_rand_below_inline(struct rt_sched *s, uint64_t n)
{
	/* Lemire's multiply-shift: the bias is below 2^-32 for our n. */
	return (uint64_t)(((unsigned __int128)rt_rand_inline(s) * n) >> 64);
}
void rt_runq_add(struct rt_sched *s, struct rt_task *t);
void rt_runq_remove(struct rt_sched *s, struct rt_task *t);
void rt_switch(struct rt_sched *s, struct rt_task *from, struct rt_task *to, bool dying);
void rt_after_switch(struct rt_sched *s, struct rt_task *self);
void rt_pct_setup(struct rt_sched *s);
int64_t rt_pct_priority(struct rt_sched *s);

/* The two schedulers' tables (rt.h's struct rt_sched_ops); cl_run picks one. */
extern const struct rt_sched_ops rt_sched_det_ops, rt_sched_par_ops;

/* sched.c: the tasks that ran since the last progress and are not blocked
 * on an object (the livelock report's "running:" list), as
 * ' task N "name", ...' in out; true if some did not fit. */
bool rt_livelock_running(struct rt_sched *s, char *out, size_t size);
#define RT_LIVELOCK_HEADLINE "livelock: %llu scheduling decisions without progress (no message, note, task start or exit); running:"

/* task.c */
struct rt_task *rt_task_create(struct rt_sched *s, void (*fn)(void *), void *arg,
                               const char *name, const char *file, int line);
void rt_task_release(struct rt_task *t);
/* rt_task_release for a task that died during the run, on the processor
 * that ran it: its stack is kept for that processor's next spawn. */
void rt_task_retire(struct rt_sched *s, struct rt_task *t);
/* At the end of the run: the kept stacks go back to the cache. */
void rt_task_spares_put(struct rt_sched *s);

/* timer.c */
void rt_timers_fire_due(struct rt_sched *s);

/* sched_par.c */
int rt_par_run(struct rt_sched *s);
void rt_par_ready(struct rt_sched *s, struct rt_task *t);
void rt_par_park(struct rt_task *t, void (*unlock)(void *), void *arg);
void rt_par_yield(struct rt_task *t);
_Noreturn void rt_par_exit(struct rt_task *t);
_Noreturn void rt_par_abandon(struct rt_task *t);
void rt_par_resumed(struct rt_task *t);
void rt_par_stop(struct rt_sched *s);
cl_time rt_par_now(struct rt_sched *s);
int64_t rt_mono_ns(void);
int rt_available_cpus(void);
/* Test hook: called on a thread back from a system call before its task
 * is queued (NULL: none). */
extern void (*rt_par_syscall_exit_hook)(struct rt_sched *s);
/* The task this OS thread runs, or NULL; async-signal-safe (fault.c). */
struct rt_task *rt_par_task_here(void);

/* True if sp lies on the stack of the task this thread runs (par). */
bool rt_par_on_task_stack(const void *sp);

/* fault.c */
/* Sent by cl_run's thread to a thread whose task keeps it after the run is
 * over (sched_par.c stop_threads). */
#define RT_STOP_SIGNAL SIGURG
/* Installs the SIGSEGV/SIGBUS handler (once per process) and gives the
 * calling OS thread an alternate signal stack if it has none. */
void rt_fault_thread_init(void);
/* Takes down the alternate stack rt_fault_thread_init gave this thread. */
void rt_fault_thread_fini(void);

/* schedule.c: recording and replaying a det run's decisions */
void rt_schedule_start(struct rt_sched *s);
void rt_schedule_end(struct rt_sched *s, struct cl_result *result);
struct rt_task *rt_schedule_decide(struct rt_sched *s, struct rt_task *chosen);

/* run.c */
/* Records the outcome of a par run (the first one wins) and stops the
 * processors; headline is for limit reports.  Callable from g0 or a task. */
void rt_par_finish(struct rt_sched *s, enum cl_outcome outcome, const char *headline);
_Noreturn void rt_finish_limit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void rt_oom(void);
/* Zeroed memory aligned to a cache line (64 bytes). */
void *rt_zalloc_aligned(size_t size);
/* det's one processor, zeroed (its runq ring aside: empty, head == tail):
 * the thread's from its last run when there is one (run.c gives it back at
 * the end; sets s->procs_cached). */
struct rt_proc *rt_det_proc_get(struct rt_sched *s);

#endif
