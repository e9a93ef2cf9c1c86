/*
 * run.c - cl_run: one program from its first task to its outcome, and the
 * arena of objects it created.
 *
 * The host context (the thread that called cl_run) switches to task 1 and
 * gets control back only when the run is over: main returned, a panic went
 * unrecovered, every task is asleep, or a limit was hit.  Tasks still alive
 * then are not run again; their stacks go back to the cache and every
 * object of the run is freed, so cl_run can be called again at once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/fiber.h"
#include "runtime/race.h"
#include "runtime/rt.h"
#include "runtime/sched.h"

/* 256 KiB: four times the depth of 64 KiB for 0.4 KiB more per blocked
 * task (page tables), measured at 1,000,000 blocked tasks (HACKING.md). */
#define DEFAULT_STACK_SIZE (256 * 1024)
#define MIN_STACK_SIZE (16 * 1024)
#define MAX_STACK_SIZE (1024 * 1024 * 1024)
/* A tenth of the default step limit: patterns deliver a message or exit a
 * task every few hundred steps at most, and a livelock shows within a
 * fraction of a second. */
#define DEFAULT_LIVELOCK_STEPS 1000000

void cl_config_init(struct cl_config *config)
{
	memset(config, 0, sizeof *config);
	config->sched = CL_SCHED_DET;
	config->strategy = CL_STRATEGY_RANDOM;
	config->seed = 1;
	config->pct_depth = 3;
	config->pct_steps = 1000;
	config->max_steps = 10000000;
	config->max_time = 3600 * CL_SEC;
	config->stack_size = DEFAULT_STACK_SIZE;
	config->livelock_steps = DEFAULT_LIVELOCK_STEPS;
}

const char *cl_outcome_name(enum cl_outcome outcome)
{
	static const char *const names[] = {"ok", "panic", "deadlock", "leak", "step limit", "fatal", "race"};
	return (unsigned)outcome < sizeof names / sizeof names[0] ? names[outcome] : "?";
}

_Noreturn void rt_oom(void)
{
	fputs("chanlab: fatal error: out of memory\n", stderr);
	fflush(stderr);
	_exit(2);   /* as Go's runtime: out of memory is fatal, not a bug */
}

void *rt_obj_new(size_t size, enum cl_obj_kind kind, const char *name)
{
	struct rt_sched *s = rt_s();
	struct rt_obj *o = calloc(1, size);
	if (!o)
		rt_oom();
	o->kind = kind;
	o->id = rt_count(&s->next_obj_id, 1);
	rt_copy_name(o->name, sizeof o->name, name);
	rt_lock_acquire(&s->obj_lock);
	o->next = s->objects;
	s->objects = o;
	rt_lock_release(&s->obj_lock);
	return o;
}

void *rt_zalloc_aligned(size_t size)
{
	/* The scheduler and processor records keep hot fields on cache lines
	 * of their own (_Alignas(64)); calloc promises only 16 bytes. */
	size_t rounded = (size + 63) & ~(size_t)63;
	void *p = aligned_alloc(64, rounded);
	if (p)
		memset(p, 0, rounded);
	return p;
}

int cl_available_cpus(void)
{
	return rt_available_cpus();
}

/* Ends the run: records the outcome and returns to the host for good
 * (under par: stops every processor; this task stops where it is). */
_Noreturn void rt_finish(enum cl_outcome outcome)
{
	struct rt_sched *s = rt_s();
	s->ops->finish(s, rt_cur(s), outcome, NULL);
}

_Noreturn void rt_finish_limit(const char *fmt, ...)
{
	struct rt_sched *s = rt_s();
	char headline[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(headline, sizeof headline, fmt, ap);
	va_end(ap);
	s->ops->finish(s, rt_cur(s), CL_OUTCOME_LIMIT, headline);
}

_Noreturn void rt_fatal(const char *fmt, ...)
{
	struct rt_sched *s = rt_s();
	char msg[RT_PANIC_MAX], headline[RT_PANIC_MAX + 16];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(headline, sizeof headline, "fatal error: %s", msg);
	struct rt_task *t = s ? rt_cur(s) : NULL;
	if (!t) {
		/* Outside a task there is no run to end: say it and stop. */
		fprintf(stderr, "%s\n", headline);
		abort();
	}
	rt_lock_acquire(&s->finish_lock);
	if (!s->panic_task)
		s->panic_task = t;   /* shown as the running task in the dump */
	rt_lock_release(&s->finish_lock);
	s->ops->finish(s, t, CL_OUTCOME_FATAL, headline);
}

/* Why a limit ended the run; a limit raised without a reason (a par
 * enforcement that says only its headline) is named from the headline. */
static const char *limit_reason_of(const struct rt_sched *s)
{
	if (s->limit_reason)
		return s->limit_reason;
	const char *h = s->report ? s->report : "";
	if (strncmp(h, "time", 4) == 0)
		return "time";
	if (strncmp(h, "livelock", 8) == 0)
		return "livelock";
	if (strncmp(h, "interrupt", 9) == 0)
		return "interrupted";
	return "steps";
}

/* Adds the messages of tasks still alive to the run's count. */
static void count_live_messages(struct rt_sched *s)
{
	for (int i = 0; i < s->nslots; i++)
		if (s->slots[i])
			s->messages += s->slots[i]->messages;
}

static void count_survivors(struct rt_sched *s)
{
	for (int i = 0; i < s->nslots; i++) {
		struct rt_task *t = s->slots[i];
		if (!t)
			continue;
		if (t->state == RT_BLOCKED)
			s->leaked++;
		else if (t->state == RT_RUNNABLE)
			s->abandoned++;
	}
}

static void release_all(struct rt_sched *s)
{
	for (int i = 0; i < s->nslots; i++)
		if (s->slots[i])
			rt_task_release(s->slots[i]);
	free(s->slots);
	free(s->free_slots);
	struct rt_obj *o = s->objects;
	while (o) {
		struct rt_obj *next = o->next;
		free(o);
		o = next;
	}
	s->objects = NULL;
	free(s->timers.items);
	free(s->runq);
	rt_task_spares_put(s);   /* task.c: each processor's last dead task's stack */
	rt_stack_procs_flush(s);
	free(s->procs);
}

static int start_error(struct cl_result *result, const char *msg)
{
	result->report = strdup(msg);
	return -1;
}

const struct cl_config *cl_run_config(void)
{
	return rt_sched_cur ? &rt_sched_cur->cfg : NULL;
}

int cl_run(void (*main_fn)(void *arg), void *arg, const struct cl_config *config,
           struct cl_result *result)
{
	memset(result, 0, sizeof *result);
	if (rt_s())
		return start_error(result, "cl_run: called from inside a run");
	struct cl_config defaults;
	if (!config) {
		cl_config_init(&defaults);
		config = &defaults;
	}
	struct rt_sched *s = rt_zalloc_aligned(sizeof *s);
	if (!s)
		return start_error(result, "cl_run: out of memory");
	s->cfg = *config;
	s->ops = config->sched == CL_SCHED_PAR ? &rt_sched_par_ops : &rt_sched_det_ops;
	if (!s->cfg.stack_size)
		s->cfg.stack_size = DEFAULT_STACK_SIZE;
	if (s->cfg.stack_size < MIN_STACK_SIZE || s->cfg.stack_size > MAX_STACK_SIZE) {
		free(s);
		return start_error(result, "cl_run: stack_size must be from 16 KiB to 1 GiB");
	}
	rt_fault_thread_init();
	if (!s->cfg.max_steps)
		s->cfg.max_steps = UINT64_MAX;
	if (!s->cfg.max_time)
		s->cfg.max_time = INT64_MAX;
	s->livelock_window = s->cfg.livelock_steps ? s->cfg.livelock_steps : UINT64_MAX;
	s->tracing = s->cfg.nsinks > 0 && s->cfg.sinks;
	s->stack_cache = rt_stack_cache_self();
	rt_rand_seed(s, s->cfg.seed);
	if (s->ops->setup(s) != 0) {
		free(s);
		return start_error(result, "cl_run: out of memory");
	}
	rt_schedule_start(s);

	rt_sched_cur = s;
	rt_race_start(s);
#ifdef RT_TSAN
	s->host_tsan_fiber = __tsan_get_current_fiber();
#endif
	struct rt_task *main_task = rt_task_create(s, main_fn, arg, "main", NULL, 0);
	if (!main_task) {
		rt_race_end(s);
		rt_sched_cur = NULL;
		free(s->procs);
		free(s);
		return start_error(result, rt_stack_error());
	}
	s->main_task = main_task;
	if (s->tracing) {
		struct cl_event ev = rt_event(s, CL_EV_SPAWN);
		ev.task = 0;
		ev.task_name = "runtime";
		ev.peer = 1;
		ev.text = "main";
		rt_emit(s, &ev);
	}
	if (s->ops->run(s) != 0) {
		release_all(s);   /* the main task, its slot table, the objects */
		rt_sched_cur = NULL;
		free(s);
		rt_stack_trim();
		return start_error(result, "cl_run: cannot start the processors");
	}

	/* The run is over. */
	if (s->outcome == CL_OUTCOME_OK) {
		count_survivors(s);
		if (s->leaked)
			s->outcome = CL_OUTCOME_LEAK;
		if (s->leaked || s->abandoned)
			rt_report_build(s, NULL);
	} else if (s->outcome != CL_OUTCOME_LIMIT && s->outcome != CL_OUTCOME_FATAL) {
		rt_report_build(s, NULL);   /* limits and fatal errors built theirs at the end */
	}
	rt_race_end(s);
	if (s->tracing) {
		struct cl_event ev = rt_event(s, CL_EV_END);
		ev.text = cl_outcome_name(s->outcome);
		rt_emit(s, &ev);
		for (int i = 0; i < s->cfg.nsinks; i++)
			if (s->cfg.sinks[i].end)
				s->cfg.sinks[i].end(s->cfg.sinks[i].ctx);
	}
	count_live_messages(s);
	result->outcome = s->outcome;
	result->report = s->report;
	rt_copy_name(result->panic_msg, sizeof result->panic_msg, s->panic_msg);
	result->steps = s->steps;
	result->contended_steps = s->contended_steps;
	result->time = s->now;
	result->tasks = s->tasks_spawned;
	result->messages = s->messages;
	result->events = s->seq;
	result->peak_tasks = s->peak_tasks;
	result->leaked = s->leaked;
	result->abandoned = s->abandoned;
	result->proc_parks = s->proc_parks;
	result->proc_wakes = s->proc_wakes;
	result->procs = s->nprocs;
	result->races = s->races;
	if (s->outcome == CL_OUTCOME_LIMIT)
		snprintf(result->limit_reason, sizeof result->limit_reason, "%s", limit_reason_of(s));
	rt_schedule_end(s, result);   /* a refused schedule's reason, "schedule", wins */

	if (s->reap)
		rt_task_release(s->reap);
	release_all(s);
	rt_sched_cur = NULL;
	free(s);
	rt_stack_trim();
	return 0;
}

void cl_result_free(struct cl_result *result)
{
	free(result->report);
	result->report = NULL;
}

int cl_procs(void)
{
	struct rt_sched *s = rt_s();
	return s ? s->nprocs : 1;
}
