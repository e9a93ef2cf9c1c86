/*
 * sched.c - the scheduler interface: what parking, waking, yielding, a
 * system call and the run's random streams do under either scheduler
 * (the task's wait fields, the trace events), before handing over to the
 * run's table (struct rt_sched_ops, rt.h) for the policy: sched_det.c or
 * sched_par.c.  Nothing here asks which scheduler runs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "runtime/rt.h"
#include "runtime/sched.h"
#include "runtime/taskq.h"

_Thread_local struct rt_sched *rt_sched_cur;

/* ---- PRNG: xoshiro256**, seeded through splitmix64 ------------------------------ */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void rt_rand_seed_words(uint64_t rng[4], uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		rng[i] = splitmix64(&seed);
}

void rt_rand_seed(struct rt_sched *s, uint64_t seed)
{
	rt_rand_seed_words(s->rng, seed);
}

uint64_t rt_rand(struct rt_sched *s)
{
	return rt_rand_inline(s);
}

uint64_t rt_rand_below(struct rt_sched *s, uint64_t n)
{
	return rt_rand_below_inline(s, n);
}

/* Under det the pattern's draws come from the run's stream, interleaved
 * with the scheduler's: one seed fixes both.  Under par each task has its
 * own stream. */
static inline uint64_t cl_rand_draw(void)
{
	struct rt_sched *s = rt_s();
	if (s->footprint_on)
		s->fp_tainted = true;   /* as rt_rand: two steps that draw do not commute */
	/* det's task stream is the run's: no indirect call for it. */
	return rt_rand_words(__builtin_expect(rt_par_active, 0) ? s->ops->task_rng(s) : s->rng);
}

uint64_t cl_rand(void)
{
	return cl_rand_draw();
}

uint64_t cl_rand_below(uint64_t n)
{
	return n ? (uint64_t)(((unsigned __int128)cl_rand_draw() * n) >> 64) : 0;
}

/* ---- livelock ------------------------------------------------------------------------ */

bool rt_livelock_running(struct rt_sched *s, char *out, size_t size)
{
	size_t len = 0;
	int n, more = 0;
	out[0] = '\0';
	struct rt_task **tasks = rt_tasks_by_id(s, &n);
	for (int k = 0; k < n; k++) {
		/* Ran in the window and still going (runnable, or between
		 * sleeps); a task that blocked on an object for good is not
		 * part of the loop. */
		if (tasks[k]->ran_at <= s->progress_step ||
		    (tasks[k]->state == RT_BLOCKED && tasks[k]->wait != CL_WAIT_SLEEP))
			continue;
		int w = snprintf(out + len, size - len, "%s task %d \"%s\"", len ? "," : "",
		                 tasks[k]->id, tasks[k]->name);
		if (w < 0 || len + (size_t)w >= size - 1) {
			out[len] = '\0';
			more++;
		} else {
			len += (size_t)w;
		}
	}
	free(tasks);
	return more > 0;
}

/* ---- blocking, waking, yielding -------------------------------------------------- */

_Noreturn void rt_interrupted(struct rt_sched *s)
{
	s->limit_reason = "interrupted";
	rt_finish_limit("interrupted after %llu scheduling decisions", (unsigned long long)s->steps);
}

void cl_yield_at(const char *file, int line)
{
	struct rt_sched *s = rt_s();
	if (s->tracing) {
		struct cl_event ev = rt_event(s, CL_EV_YIELD);
		ev.file = file;
		ev.line = line;
		rt_emit(s, &ev);
	}
	rt_pending_op(s, CL_STEP_LOCAL, NULL);
	s->ops->yield(s, rt_cur(s), file, line);
	rt_footprint(s, CL_STEP_LOCAL, NULL);
}

/* The BLOCK and WAKE events, out of line: an untraced run (the explorer's)
 * then parks and wakes in small frames, and rt_ready is a tail call. */
static __attribute__((noinline)) void emit_block(struct rt_sched *s, const struct rt_task *t,
                                                 const struct rt_block *why)
{
	struct cl_event ev = rt_event(s, CL_EV_BLOCK);
	ev.wait = why->wait;
	ev.obj_kind = why->obj_kind;
	ev.obj_id = why->obj_id;
	ev.obj_name = t->wait_obj_name;
	ev.file = why->file ? why->file : "";
	ev.line = why->line;
	rt_emit(s, &ev);
}

static __attribute__((noinline)) void emit_wake(struct rt_sched *s, const struct rt_task *t)
{
	struct cl_event ev = rt_event(s, CL_EV_WAKE);
	ev.task = t->id;
	ev.task_name = t->name;
	ev.peer = rt_current_id();
	rt_emit(s, &ev);
}

void rt_park(const struct rt_block *why, void (*unlock)(void *), void *arg)
{
	struct rt_sched *s = rt_s();
	struct rt_task *t = rt_running(s);   /* never NULL in a task (gcc 12 saw a NULL store) */
	__atomic_store_n(&t->state, RT_BLOCKED, __ATOMIC_RELEASE);   /* read by other processors */
	t->wait = why->wait;
	t->wait_obj_kind = why->obj_kind;
	t->wait_obj_id = why->obj_id;
	t->wait_obj_name = why->obj_name ? why->obj_name : "";
	t->waits_for = why->waits_for;
	t->file = why->file;
	t->line = why->line;
	if (s->tracing)
		emit_block(s, t, why);
	s->ops->park(s, t, unlock, arg);
	t->wait = CL_WAIT_NONE;
}

void rt_ready(struct rt_task *t)
{
	struct rt_sched *s = rt_s();
	if (s->tracing)
		emit_wake(s, t);
	s->ops->ready(s, t);
}

/* ---- blocking system calls ---------------------------------------------------------- */

void cl_syscall_enter(void)
{
	struct rt_sched *s = rt_s();
	rt_emit_sync_text("syscall enter");
	s->ops->syscall_enter(s);
}

void cl_syscall_exit(void)
{
	struct rt_sched *s = rt_s();
	s->ops->syscall_exit(s);
	rt_emit_sync_text("syscall exit");
}
