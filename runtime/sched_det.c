/*
 * sched_det.c - the deterministic scheduler: one OS thread, and at every
 * scheduling point the run's PRNG picks which runnable task goes next.
 *
 * It needs no locks: a task runs until it reaches a scheduling point, and
 * only then can another run (DESIGN.md lists the points).  Two strategies:
 *
 *   random  every runnable task (the current one included) is equally likely;
 *   pct     probabilistic concurrency testing: tasks get distinct random
 *           priorities, the highest-priority runnable task runs, and at d-1
 *           random "change points" (counted only at steps where more than one
 *           task could run) the running task drops below every other.  A bug
 *           that needs d ordering constraints is found with probability at
 *           least 1/(n * k^(d-1)) per run, for n tasks and k steps.
 *
 * Time is virtual: it moves only when no task can run, jumping to the
 * earliest timer.  Nothing here reads a clock or an address, so one seed
 * gives one schedule on every compiler, build and machine.
 *
 * Invariants (checked in debug builds by runq_check):
 *   - a task is in runq exactly when its state is RT_RUNNABLE, and
 *     runq[t->runq_index] == t;
 *   - the running task (current) is runnable except inside rt_park and
 *     task exit, where it has just been taken out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/fiber.h"
#include "runtime/rt.h"
#include "runtime/sched.h"

/* ---- the run queue ---------------------------------------------------------------- */

/* Out of line and cold: the queue is reused from run to run, so it grows
 * only in a thread's first runs, and the add stays a leaf. */
static __attribute__((noinline, cold)) void runq_grow(struct rt_sched *s)
{
	int cap = s->cap_runq ? s->cap_runq * 2 : 64;
	struct rt_task **q = realloc(s->runq, (size_t)cap * sizeof *q);
	if (!q)
		rt_oom();
	s->runq = q;
	s->cap_runq = cap;
}

void rt_runq_add(struct rt_sched *s, struct rt_task *t)
{
	if (__builtin_expect(s->nrun == s->cap_runq, 0))
		runq_grow(s);
	t->runq_index = s->nrun;
	s->runq[s->nrun++] = t;
	s->fp_tainted = true;   /* made a task runnable */
}

void rt_runq_remove(struct rt_sched *s, struct rt_task *t)
{
	int i = t->runq_index;
	struct rt_task *last = s->runq[--s->nrun];
	s->runq[i] = last;
	last->runq_index = i;
	t->runq_index = -1;
}

/* ---- switching ---------------------------------------------------------------------- */

/* Work every context does right after it is switched to. */
void rt_after_switch(struct rt_sched *s, struct rt_task *self)
{
#ifdef RT_ASAN
	const void *old_lo;
	size_t old_size;
	__sanitizer_finish_switch_fiber(self ? self->asan_fake_stack : s->host_fake_stack,
	                                &old_lo, &old_size);
	if (!s->host_stack_size && old_size) {
		s->host_stack_lo = (void *)old_lo;
		s->host_stack_size = old_size;
	}
#else
	(void)self;
#endif
	if (s->reap) {
		rt_task_retire(s, s->reap);
		s->reap = NULL;
	}
}

/* Switches from `from` (NULL = the host, cl_run's context) to `to` (NULL =
 * the host).  dying: `from` will never run again. */
void rt_switch(struct rt_sched *s, struct rt_task *from, struct rt_task *to, bool dying)
{
	s->procs->current = to;
#ifdef RT_ASAN
	void **save = dying ? NULL : from ? &from->asan_fake_stack : &s->host_fake_stack;
	if (to)
		__sanitizer_start_switch_fiber(save, to->stack->lo, to->stack->size);
	else
		__sanitizer_start_switch_fiber(save, s->host_stack_lo, s->host_stack_size);
#else
	(void)dying;
#endif
#ifdef RT_TSAN
	__tsan_switch_to_fiber(to ? to->tsan_fiber : s->host_tsan_fiber, 0);
#endif
	rt_ctx_switch(from ? &from->ctx : &s->host, to ? &to->ctx : &s->host);
	rt_after_switch(s, from);
}

/* ---- picking the next task ----------------------------------------------------------------- */

static struct rt_task *pick_pct(struct rt_sched *s)
{
	struct rt_task *best = s->runq[0];
	for (int i = 1; i < s->nrun; i++)
		if (s->runq[i]->priority > best->priority)
			best = s->runq[i];
	if (s->next_change < s->nchange && s->contended_steps == s->change_points[s->next_change]) {
		/* Change point i: the task about to run drops to priority d-1-i,
		 * below every initial priority (those are >= d). */
		best->priority = s->cfg.pct_depth - 1 - s->next_change;
		s->next_change++;
		best = s->runq[0];
		for (int i = 1; i < s->nrun; i++)
			if (s->runq[i]->priority > best->priority)
				best = s->runq[i];
	}
	return best;
}

#ifdef CHANLAB_DEBUG
/* The header's invariants on the tasks in runq (all of them while the queue
 * is short, every 1024th step otherwise, so big runs stay linear). */
static void runq_check(struct rt_sched *s)
{
	if (s->nrun > 256 && s->steps % 1024)
		return;
	for (int i = 0; i < s->nrun; i++) {
		RT_ASSERT(s->runq[i]->runq_index == i);
		RT_ASSERT(s->runq[i]->state == RT_RUNNABLE);
	}
}
#endif
/* The run made no progress for a window of steps: ends it as a limit,
 * naming the tasks that kept running meanwhile. */
static __attribute__((noinline, cold)) _Noreturn void livelock(struct rt_sched *s)
{
	char running[160];
	bool more = rt_livelock_running(s, running, sizeof running);
	s->limit_reason = "livelock";
	rt_finish_limit(RT_LIVELOCK_HEADLINE "%s%s", (unsigned long long)s->livelock_window, running,
	                more ? " ..." : "");
}

/* How often det looks at the caller's interrupt flag, in steps: a run
 * stops within this many decisions of Ctrl-C (microseconds), and the
 * steps between pay nothing for it. */
#define INTERRUPT_POLL_STEPS 64

/* The step limit, the livelock window and the interrupt flag, as every
 * step would check them, then the last step that can pass all three
 * without a look: progress only moves the livelock bound later, and
 * cl_livelock_within, which moves it earlier, clears det_check_step.  One
 * compare per step instead of three. */
static __attribute__((noinline)) void step_limits(struct rt_sched *s)
{
	if (s->steps > s->cfg.max_steps) {
		s->limit_reason = "steps";
		rt_finish_limit("step limit: %llu scheduling decisions",
		                (unsigned long long)s->cfg.max_steps);
	}
	if (__builtin_expect(s->steps - s->progress_step > s->livelock_window, 0))
		livelock(s);
	uint64_t live = s->progress_step + s->livelock_window;
	if (live < s->progress_step)
		live = UINT64_MAX;   /* no window (UINT64_MAX): never */
	s->det_check_step = live < s->cfg.max_steps ? live : s->cfg.max_steps;
	if (s->cfg.interrupt) {
		if (rt_interrupt_raised(s))
			rt_interrupted(s);
		if (s->steps + INTERRUPT_POLL_STEPS < s->det_check_step)
			s->det_check_step = s->steps + INTERRUPT_POLL_STEPS;
	}
}

/* Chooses the next task to run, advancing virtual time when nothing can
 * run.  NULL means no task can ever run again (deadlock). */
static inline __attribute__((always_inline)) struct rt_task *pick_task(struct rt_sched *s)
{
	if (__builtin_expect(s->schedule_on, 0)) {
		if (s->procs->current)
			s->procs->current->sched_points++;
		s->fp_segs++;
	}
	if (__builtin_expect(++s->steps > s->det_check_step, 0))
		step_limits(s);
#ifdef CHANLAB_DEBUG
	runq_check(s);
#endif
	for (;;) {
		/* timers.first: the earliest timer's time, INT64_MAX when none
		 * (timer.c keeps it; one load instead of three). */
		if (s->timers.first <= s->now)
			rt_timers_fire_due(s);
		if (s->nrun)
			break;
		if (!s->timers.n)
			return NULL;
		cl_time when = s->timers.first;
		if (when > s->cfg.max_time) {
			s->limit_reason = "time";
			rt_finish_limit("time limit: virtual time would pass %.3fs",
			                (double)s->cfg.max_time / 1e9);
		}
		s->now = when;
	}
	if (s->nrun == 1)
		return s->runq[0];
	s->contended_steps++;
	struct rt_task *next;
	if (s->cfg.strategy == CL_STRATEGY_PCT) {
		next = pick_pct(s);
	} else {
		uint64_t r = rt_rand_words(s->rng);
		next = s->runq[(uint64_t)(((unsigned __int128)r * (uint64_t)s->nrun) >> 64)];
	}
	/* Recording or replaying a schedule (schedule.c): the strategy has
	 * drawn as always, so the seed's stream is the same either way. */
	if (__builtin_expect(s->schedule_on, 0))
		next = rt_schedule_decide(s, next);
	return next;
}

static inline __attribute__((always_inline)) struct rt_task *pick_next(struct rt_sched *s)
{
	struct rt_task *t = pick_task(s);
	if (t)
		t->ran_at = s->steps;
	return t;
}

void rt_pct_setup(struct rt_sched *s)
{
	int d = s->cfg.pct_depth;
	if (d < 1)
		d = 1;
	if (d > 16)
		d = 16;
	s->cfg.pct_depth = d;
	s->nchange = d - 1;
	uint64_t k = s->cfg.pct_steps ? s->cfg.pct_steps : 1000;
	for (int i = 0; i < s->nchange; i++)
		s->change_points[i] = 1 + rt_rand_below(s, k);
	/* Sort ascending; d is tiny. */
	for (int i = 1; i < s->nchange; i++)
		for (int j = i; j > 0 && s->change_points[j - 1] > s->change_points[j]; j--) {
			uint64_t tmp = s->change_points[j];
			s->change_points[j] = s->change_points[j - 1];
			s->change_points[j - 1] = tmp;
		}
}

int64_t rt_pct_priority(struct rt_sched *s)
{
	/* Initial priorities are distinct with overwhelming probability and
	 * all >= d, above every change-point priority.  rt_rand's draw from
	 * det's stream, without its indirect call (one per spawn). */
	if (s->footprint_on)
		s->fp_tainted = true;
	return (int64_t)(rt_rand_words(s->rng) >> 2) + s->cfg.pct_depth;
}

/* ---- the interface (struct rt_sched_ops) ---------------------------------------------- */

/* Ends the run: records the outcome and returns to the host for good. */
static __attribute__((noreturn)) void det_finish(struct rt_sched *s, struct rt_task *t,
                                                 enum cl_outcome outcome, const char *headline)
{
	s->finished = true;
	s->outcome = outcome;
	if (headline)
		rt_report_build(s, headline);
	rt_switch(s, t, NULL, true);
	rt_bug("the host switched back to a finished task");
}

static void det_point(struct rt_sched *s, const char *file, int line)
{
	struct rt_task *t = s->procs->current;
	t->file = file;
	t->line = line;
	struct rt_task *next = pick_next(s);
	if (next != t)
		rt_switch(s, t, next, false);
}

static void det_yield(struct rt_sched *s, struct rt_task *t, const char *file, int line)
{
	(void)t;
	det_point(s, file, line);
}

/* Nothing runs between the task's unlock and its switch: the lock can go
 * at once. */
static void det_park(struct rt_sched *s, struct rt_task *t, void (*unlock)(void *), void *arg)
{
	rt_runq_remove(s, t);
	if (unlock)
		unlock(arg);
	struct rt_task *next = pick_next(s);
	if (!next)
		det_finish(s, t, CL_OUTCOME_DEADLOCK, NULL);
	if (next != t)
		rt_switch(s, t, next, false);
}

static void det_ready(struct rt_sched *s, struct rt_task *t)
{
	t->state = RT_RUNNABLE;
	rt_runq_add(s, t);
}

/* Hands the processor on for good; the stack is released by the next
 * context to run (rt_after_switch).  When main returns the program ends,
 * as in Go (run.c turns OK into LEAK if tasks are blocked). */
static __attribute__((noreturn)) void det_exit(struct rt_sched *s, struct rt_task *t)
{
	rt_runq_remove(s, t);
	s->reap = t;
	if (t == s->main_task)
		det_finish(s, t, CL_OUTCOME_OK, NULL);
	struct rt_task *next = pick_next(s);
	if (!next)
		det_finish(s, t, CL_OUTCOME_DEADLOCK, NULL);
	rt_switch(s, t, next, true);
	rt_bug("a dead task was switched back to");
}

static int det_setup(struct rt_sched *s)
{
	if (s->cfg.strategy == CL_STRATEGY_PCT)
		rt_pct_setup(s);
	s->procs = rt_det_proc_get(s);
	if (!s->procs)
		return -1;
	s->nprocs = 1;
	return 0;
}

static int det_run(struct rt_sched *s)
{
	rt_runq_add(s, s->main_task);
	rt_switch(s, NULL, s->main_task, false);
	return 0;
}

static void det_task_init(struct rt_sched *s, struct rt_task *t)
{
	t->priority = rt_pct_priority(s);   /* drawn under every strategy: one stream */
}

static cl_time det_now(struct rt_sched *s)
{
	return s->now;
}

static uint64_t *det_rng(struct rt_sched *s)
{
	return s->rng;
}

/* Nothing else could run meanwhile anyway: a system call is only events. */
static void det_syscall(struct rt_sched *s)
{
	(void)s;
}

static struct rt_task *det_task_here(struct rt_sched *s)
{
	return s->procs ? s->procs->current : NULL;
}

const struct rt_sched_ops rt_sched_det_ops = {
	.name = "det",
	.setup = det_setup,
	.run = det_run,
	.task_init = det_task_init,
	.task_entered = rt_after_switch,
	.point = det_point,
	.park = det_park,
	.ready = det_ready,
	.yield = det_yield,
	.exit = det_exit,
	.finish = det_finish,
	.now = det_now,
	.rng = det_rng,
	.task_rng = det_rng,
	.syscall_enter = det_syscall,
	.syscall_exit = det_syscall,
	.task_here = det_task_here,
};
