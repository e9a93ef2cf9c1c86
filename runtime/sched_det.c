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
	s->fp_tainted = true;   /* a draw: the step's order matters to every other draw */
	return rt_rand_words(s->par ? rt_proc_self()->rng : s->rng);
}


uint64_t rt_rand_below(struct rt_sched *s, uint64_t n)
{
	/* Lemire's multiply-shift: the bias is below 2^-32 for our n. */
	return (uint64_t)(((unsigned __int128)rt_rand(s) * n) >> 64);
}

/* ---- the run queue ---------------------------------------------------------------- */

void rt_runq_add(struct rt_sched *s, struct rt_task *t)
{
	if (s->nrun == s->cap_runq) {
		int cap = s->cap_runq ? s->cap_runq * 2 : 64;
		struct rt_task **q = realloc(s->runq, (size_t)cap * sizeof *q);
		if (!q)
			rt_oom();
		s->runq = q;
		s->cap_runq = cap;
	}
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
	if (s->par) {
		rt_par_resumed(self);
		return;
	}
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
		rt_task_release(s->reap);
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
	char running[160] = "";
	size_t len = 0;
	int n, more = 0;
	struct rt_task **tasks = rt_tasks_by_id(s, &n);
	for (int k = 0; k < n; k++) {
		/* Ran in the window and still going (runnable, or between
		 * sleeps); a task that blocked on an object for good is not
		 * part of the loop. */
		if (tasks[k]->ran_at <= s->progress_step ||
		    (tasks[k]->state == RT_BLOCKED && tasks[k]->wait != CL_WAIT_SLEEP))
			continue;
		int w = snprintf(running + len, sizeof running - len, "%s task %d \"%s\"",
		                 len ? "," : "", tasks[k]->id, tasks[k]->name);
		if (w < 0 || len + (size_t)w >= sizeof running - 1) {
			running[len] = '\0';
			more++;
		} else {
			len += (size_t)w;
		}
	}
	free(tasks);
	s->limit_reason = "livelock";
	rt_finish_limit("livelock: %llu scheduling decisions without progress (no message, note, "
	                "task start or exit); running:%s%s",
	                (unsigned long long)s->livelock_window, running, more ? " ..." : "");
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
	if (++s->steps > s->cfg.max_steps) {
		s->limit_reason = "steps";
		rt_finish_limit("step limit: %llu scheduling decisions",
		                (unsigned long long)s->cfg.max_steps);
	}
	if (__builtin_expect(s->steps - s->progress_step > s->livelock_window, 0))
		livelock(s);
	if (__builtin_expect(s->cfg.interrupt && *s->cfg.interrupt, 0))
		rt_interrupted(s);
#ifdef CHANLAB_DEBUG
	runq_check(s);
#endif
	for (;;) {
		if (s->timers.n && s->timers.items[0]->when <= s->now)
			rt_timers_fire_due(s);
		if (s->nrun)
			break;
		if (!s->timers.n)
			return NULL;
		cl_time when = s->timers.items[0]->when;
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

_Noreturn void rt_interrupted(struct rt_sched *s)
{
	s->limit_reason = "interrupted";
	rt_finish_limit("interrupted after %llu scheduling decisions", (unsigned long long)s->steps);
}

_Noreturn void rt_sched_point_stop(void)
{
	struct rt_sched *s = rt_s();
	rt_par_abandon(rt_cur(s));
}

void rt_sched_point_det(struct rt_sched *s, const char *file, int line)
{
	struct rt_task *t = s->procs->current;
	t->file = file;
	t->line = line;
	struct rt_task *next = pick_next(s);
	if (next != t)
		rt_switch(s, t, next, false);
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
	if (s->par) {
		struct rt_task *t = rt_cur(s);
		t->file = file;
		t->line = line;
		if (s->cfg.interrupt && *s->cfg.interrupt)
			rt_interrupted(s);
		rt_par_yield(t);
		return;
	}
	rt_sched_point(file, line);
	rt_footprint(s, CL_STEP_LOCAL, NULL);
}

void rt_park(const struct rt_block *why, void (*unlock)(void *), void *arg)
{
	struct rt_sched *s = rt_s();
	struct rt_task *t = rt_cur(s);
	t->state = RT_BLOCKED;
	t->wait = why->wait;
	t->wait_obj_kind = why->obj_kind;
	t->wait_obj_id = why->obj_id;
	t->wait_obj_name = why->obj_name ? why->obj_name : "";
	t->waits_for = why->waits_for;
	t->file = why->file;
	t->line = why->line;
	if (!s->par)
		rt_runq_remove(s, t);
	if (s->tracing) {
		struct cl_event ev = rt_event(s, CL_EV_BLOCK);
		ev.wait = why->wait;
		ev.obj_kind = why->obj_kind;
		ev.obj_id = why->obj_id;
		ev.obj_name = t->wait_obj_name;
		ev.file = why->file ? why->file : "";
		ev.line = why->line;
		rt_emit(s, &ev);
	}
	if (s->par) {
		rt_par_park(t, unlock, arg);
		t->wait = CL_WAIT_NONE;
		return;
	}
	if (unlock)
		unlock(arg);
	struct rt_task *next = pick_next(s);
	if (!next)
		rt_finish(CL_OUTCOME_DEADLOCK);
	if (next != t)
		rt_switch(s, t, next, false);
	t->wait = CL_WAIT_NONE;
}

void rt_ready(struct rt_task *t)
{
	struct rt_sched *s = rt_s();
	if (s->tracing) {
		struct cl_event ev = rt_event(s, CL_EV_WAKE);
		ev.task = t->id;
		ev.task_name = t->name;
		ev.peer = rt_current_id();
		rt_emit(s, &ev);
	}
	if (s->par) {
		rt_par_ready(s, t);
		return;
	}
	t->state = RT_RUNNABLE;
	rt_runq_add(s, t);
}

/* Called by an exiting task: hands the processor on for good. */
_Noreturn void rt_sched_exit(struct rt_sched *s, struct rt_task *t)
{
	if (s->par)
		rt_par_exit(t);
	rt_runq_remove(s, t);
	s->reap = t;
	struct rt_task *next = pick_next(s);
	if (!next)
		rt_finish(CL_OUTCOME_DEADLOCK);
	rt_switch(s, t, next, true);
	rt_bug("a dead task was switched back to");
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
	 * all >= d, above every change-point priority. */
	return (int64_t)(rt_rand(s) >> 2) + s->cfg.pct_depth;
}
