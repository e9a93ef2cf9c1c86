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
#include <pthread.h>
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

/* ---- what a thread's runs reuse ---------------------------------------------------- */

/* The explorer runs thousands of short programs one after another, each
 * allocating the same records and tables: the scheduler, det's processor,
 * the run queue, the task table, the timer heap and the objects' arena come
 * from the thread's cache when it has them and go back at the end of the
 * run, zeroed or emptied as a fresh allocation would be.  Nothing a run
 * does depends on where they are.  Per OS thread (a par run's are its host
 * thread's, taken and given back on that thread); freed when the thread
 * exits. */
#define OBJ_CHUNK_SIZE (16 * 1024)
#define OBJ_CHUNKS_KEPT 8   /* 128 KiB: the chunks of a bigger run are freed */
#define TABLE_KEPT 4096     /* entries: a bigger table (a run of many tasks) is freed */

struct rt_obj_chunk {
	struct rt_obj_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];   /* calloc's alignment, which objects assume */
};

struct run_cache {
	bool registered;                   /* the thread-exit destructor is set */
	struct rt_sched *sched;
	struct rt_proc *proc;
	struct rt_task **runq;
	int cap_runq;
	struct rt_task **slots;
	int *free_slots;
	int cap_slots;
	struct rt_timer **timers;
	int cap_timers;
	struct rt_obj_chunk *chunks;
	int nchunks;
};

static _Thread_local struct run_cache run_cache;
static pthread_once_t run_cache_once = PTHREAD_ONCE_INIT;
static pthread_key_t run_cache_key;

static void free_chunks(struct rt_obj_chunk *c)
{
	while (c) {
		struct rt_obj_chunk *next = c->next;
		free(c);
		c = next;
	}
}

static void run_cache_free(void *arg)
{
	struct run_cache *c = arg;
	free(c->sched);
	free(c->proc);
	free(c->runq);
	free(c->slots);
	free(c->free_slots);
	free(c->timers);
	free_chunks(c->chunks);
	memset(c, 0, sizeof *c);
}

static void run_cache_key_make(void)
{
	pthread_key_create(&run_cache_key, run_cache_free);
}

static struct run_cache *run_cache_self(void)
{
	struct run_cache *c = &run_cache;
	if (!c->registered) {
		pthread_once(&run_cache_once, run_cache_key_make);
		pthread_setspecific(run_cache_key, c);
		c->registered = true;
	}
	return c;
}

/* A zeroed scheduler record, with the tables of the thread's last run. */
static struct rt_sched *sched_get(void)
{
	struct run_cache *c = run_cache_self();
	struct rt_sched *s = c->sched;
	if (s) {
		c->sched = NULL;
		memset(s, 0, sizeof *s);
	} else if (!(s = rt_zalloc_aligned(sizeof *s))) {
		return NULL;
	}
	s->runq = c->runq;
	s->cap_runq = c->cap_runq;
	s->slots = c->slots;
	s->free_slots = c->free_slots;
	s->cap_slots = c->cap_slots;
	s->timers.items = c->timers;
	s->timers.cap = c->cap_timers;
	s->obj_spare = c->chunks;
	s->timers.first = INT64_MAX;   /* no timer yet (timer.c keeps it after every change) */
	c->runq = NULL;
	c->slots = NULL;
	c->free_slots = NULL;
	c->timers = NULL;
	c->chunks = NULL;
	c->cap_runq = c->cap_slots = c->cap_timers = c->nchunks = 0;
	return s;
}

struct rt_proc *rt_det_proc_get(struct rt_sched *s)
{
	struct run_cache *c = run_cache_self();
	struct rt_proc *p = c->proc;
	if (p) {
		/* Zeroed but for its ring of queued tasks (par's, 2 KiB): only
		 * the slots from head to tail are ever read, and head == tail. */
		c->proc = NULL;
		size_t ring = offsetof(struct rt_proc, runq), rest = offsetof(struct rt_proc, head);
		memset(p, 0, ring);
		memset((char *)p + rest, 0, sizeof *p - rest);
	} else if (!(p = rt_zalloc_aligned(sizeof *p))) {
		return NULL;
	}
	s->procs_cached = true;
	return p;
}

/* Keeps a run's chunks of the usual size for the next runs, up to
 * OBJ_CHUNKS_KEPT. */
static void keep_chunks(struct run_cache *c, struct rt_obj_chunk *chunk)
{
	while (chunk) {
		struct rt_obj_chunk *next = chunk->next;
		if (chunk->size == OBJ_CHUNK_SIZE && c->nchunks < OBJ_CHUNKS_KEPT) {
			chunk->used = 0;
			chunk->next = c->chunks;
			c->chunks = chunk;
			c->nchunks++;
		} else {
			free(chunk);
		}
		chunk = next;
	}
}

/* Gives the run's tables and records back to the thread's cache (whose
 * tables sched_get moved into this run: it holds none now); s itself last,
 * with sched_put. */
static void tables_put(struct rt_sched *s)
{
	struct run_cache *c = run_cache_self();
	RT_ASSERT(!c->runq && !c->slots && !c->free_slots && !c->timers);
	if (s->cap_runq <= TABLE_KEPT) {
		c->runq = s->runq;
		c->cap_runq = s->cap_runq;
	} else {
		free(s->runq);
	}
	if (s->cap_slots <= TABLE_KEPT) {
		c->slots = s->slots;
		c->free_slots = s->free_slots;
		c->cap_slots = s->cap_slots;
	} else {
		free(s->slots);
		free(s->free_slots);
	}
	if (s->timers.cap <= TABLE_KEPT) {
		c->timers = s->timers.items;
		c->cap_timers = s->timers.cap;
	} else {
		free(s->timers.items);
	}
	s->runq = NULL;
	s->slots = NULL;
	s->free_slots = NULL;
	s->timers.items = NULL;
	keep_chunks(c, s->obj_chunks);
	keep_chunks(c, s->obj_spare);
	s->obj_chunks = s->obj_spare = NULL;
	if (s->procs_cached && !c->proc)
		c->proc = s->procs;
	else
		free(s->procs);
	s->procs = NULL;
}

static void sched_put(struct rt_sched *s)
{
	struct run_cache *c = run_cache_self();
	if (!c->sched)
		c->sched = s;
	else
		free(s);
}

/* Room for need bytes in the arena: a new chunk (a spare one when it is of
 * the usual size) when the newest has too little left.  Under obj_lock. */
static struct rt_obj_chunk *chunk_with_room(struct rt_sched *s, size_t need)
{
	struct rt_obj_chunk *c = s->obj_chunks;
	if (c && c->size - c->used >= need)
		return c;
	if (need <= OBJ_CHUNK_SIZE && s->obj_spare) {
		c = s->obj_spare;
		s->obj_spare = c->next;
	} else {
		size_t size = need > OBJ_CHUNK_SIZE ? need : OBJ_CHUNK_SIZE;
		c = malloc(sizeof *c + size);
		if (!c)
			rt_oom();
		c->size = size;
	}
	c->used = 0;
	c->next = s->obj_chunks;
	s->obj_chunks = c;
	return c;
}

void *rt_obj_new(size_t size, enum cl_obj_kind kind, const char *name)
{
	struct rt_sched *s = rt_s();
	uint64_t id = rt_count(&s->next_obj_id, 1);
	size_t need = (size + 15) & ~(size_t)15;
	rt_lock_acquire(&s->obj_lock);
	struct rt_obj_chunk *c = chunk_with_room(s, need);
	struct rt_obj *o = (struct rt_obj *)(void *)(c->data + c->used);
	c->used += need;
	memset(o, 0, size);
	o->next = s->objects;
	s->objects = o;
	rt_lock_release(&s->obj_lock);
	o->kind = kind;
	o->id = id;
	rt_copy_name(o->name, sizeof o->name, name);
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
	s->objects = NULL;
	rt_task_spares_put(s);   /* task.c: each processor's last dead task's stack */
	rt_stack_procs_flush(s);
	tables_put(s);
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
	struct rt_sched *s = sched_get();
	if (!s)
		return start_error(result, "cl_run: out of memory");
	s->cfg = *config;
	s->ops = config->sched == CL_SCHED_PAR ? &rt_sched_par_ops : &rt_sched_det_ops;
	if (!s->cfg.stack_size)
		s->cfg.stack_size = DEFAULT_STACK_SIZE;
	if (s->cfg.stack_size < MIN_STACK_SIZE || s->cfg.stack_size > MAX_STACK_SIZE) {
		tables_put(s);
		sched_put(s);
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
		tables_put(s);
		sched_put(s);
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
		tables_put(s);
		sched_put(s);
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
		sched_put(s);
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
	sched_put(s);
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
