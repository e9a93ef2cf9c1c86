/*
 * rt.h - the runtime's internals: tasks, the scheduler of a run, wait
 * queues, locks, objects.  Only runtime/ includes this; patterns include
 * chanlab.h.  runtime/HACKING.md explains how the pieces fit.
 *
 * Lock order (par): channel locks in address order, then the scheduler's
 * run-queue lock.  Under det every lock is a no-op: one OS thread runs the
 * whole program and a task is never interrupted between scheduling points.
 */
#ifndef CHANLAB_RT_H
#define CHANLAB_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/chanlab.h"
#include "runtime/ctx.h"

#define RT_NAME_MAX 32
#define RT_PANIC_MAX 160

/* ---- locks ------------------------------------------------------------------ */

/* A lock that costs nothing under det (see the note above): it only
 * records its state, which debug builds assert on. */
struct rt_lock {
	int held;
};

static inline void rt_lock_acquire(struct rt_lock *l)
{
	l->held = 1;
}

static inline void rt_lock_release(struct rt_lock *l)
{
	l->held = 0;
}

/* ---- objects ---------------------------------------------------------------- */

/* Every object a pattern creates starts with this header and lives in the
 * run's arena until the run ends (our stand-in for garbage collection). */
struct rt_obj {
	struct rt_obj *next;        /* the run's object list */
	enum cl_obj_kind kind;
	uint64_t id;                /* unique within the run, from 1 */
	char name[RT_NAME_MAX];
};

/* Allocates a zeroed object of size bytes (header first) in the running
 * task's run; never NULL (out of memory aborts, like Go's runtime). */
void *rt_obj_new(size_t size, enum cl_obj_kind kind, const char *name);

/* ---- waiting ------------------------------------------------------------------ */

struct rt_task;

/* A task waiting on a channel (Go's sudog).  Lives on the waiting task's
 * stack for as long as it is queued. */
struct rt_waiter {
	struct rt_task *task;
	struct rt_waiter *prev, *next;  /* in the channel's sendq or recvq */
	struct cl_chan *chan;
	void *elem;             /* send: the value; recv: where it goes (NULL = drop) */
	int case_index;         /* select: which case; -1 for a plain operation */
	bool success;           /* set by the waker: false = woken by close */
	bool queued;
};

struct rt_waitq {
	struct rt_waiter *first, *last;
};

/* A task parked on a sync object (mutex, wait group ...): a plain FIFO. */
struct rt_taskq {
	struct rt_task *first, *last;
};

/* ---- timers --------------------------------------------------------------------- */

enum rt_timer_kind { RT_TIMER_WAKE, RT_TIMER_CHAN, RT_TIMER_FUNC };

struct rt_timer {
	struct rt_obj obj;
	enum rt_timer_kind kind;
	cl_time when;
	cl_time period;                 /* tickers */
	uint64_t seq;                   /* ties broken by creation order */
	int heap_index;                 /* -1 when not pending */
	struct rt_task *task;           /* WAKE */
	struct rt_sched *sched;         /* the run it belongs to */
	struct cl_chan *chan;           /* CHAN */
	void (*fn)(void *);             /* FUNC */
	void *arg;
};

void rt_timer_start(struct rt_timer *t, cl_time when);
bool rt_timer_cancel(struct rt_timer *t);   /* true if it was pending */

/* ---- tasks ---------------------------------------------------------------------- */

enum rt_task_state { RT_RUNNABLE, RT_BLOCKED, RT_DEAD };

struct rt_defer {
	void (*fn)(void *);
	void *arg;
};

/* A task's record sits at the top of its own stack mapping (stack.c), so a
 * blocked task costs one page of memory. */
struct rt_task {
	struct rt_ctx ctx;              /* saved registers while not running */
	int id;
	char name[RT_NAME_MAX];
	enum rt_task_state state;
	void (*fn)(void *);
	void *arg;

	/* Scheduler fields (owned by the scheduler of the run). */
	int runq_index;                 /* index in sched->runq, -1 when not runnable */
	int64_t priority;               /* PCT */
	struct rt_task *all_prev, *all_next;   /* live tasks, in id order */
	struct rt_task *q_next;         /* in an rt_taskq */

	/* Why it is blocked, for the dump (valid while state == RT_BLOCKED). */
	enum cl_wait wait;
	enum cl_obj_kind wait_obj_kind;
	const char *wait_obj_name;
	uint64_t wait_obj_id;
	const char *file;               /* last scheduling point reached */
	int line;
	int waits_for;                  /* task id it waits for (0 = unknown), for cycles */

	/* Where it was created. */
	int parent;
	const char *created_file;
	int created_line;

	/* Select and sync hand-off. */
	int select_done;                /* set once a case of a blocked select won */
	struct rt_waiter *fired;        /* the waiter that won */
	int64_t sync_arg;               /* sync objects pass a word to the woken task */

	/* Defer, panic, recover. */
	struct rt_defer *defers;
	int ndefers, cap_defers;
	bool panicking;
	bool recovered;
	char panic_msg[RT_PANIC_MAX];

	/* Sleep. */
	struct rt_timer sleep_timer;

	/* Stack (stack.c). */
	struct rt_stack *stack;
	void *asan_fake_stack;
	void *tsan_fiber;
};

/* ---- stacks --------------------------------------------------------------------- */

struct rt_slab;

struct rt_stack {
	void *lo;                 /* lowest usable byte (above the guard page, if any) */
	size_t size;              /* usable bytes, up to the task record */
	size_t map_size;          /* whole mapping */
	bool guarded;             /* a PROT_NONE page below lo; else the canary below lo */
	unsigned valgrind_id;
	struct rt_slab *slab;     /* the mmap it was carved from */
	struct rt_stack *next;    /* in the free list */
	struct rt_task *task;     /* the record at the top of this mapping */
};

/* Returns a stack with room for a task record on top, or NULL. */
struct rt_stack *rt_stack_get(size_t map_size);
void rt_stack_put(struct rt_stack *st);
/* False if the canary below an unguarded stack was overwritten. */
bool rt_stack_intact(const struct rt_stack *st);
/* Unmaps whole free slabs beyond a reserve of cached stacks. */
void rt_stack_trim(void);

/* ---- the scheduler of one run --------------------------------------------------------- */

struct rt_heap {
	struct rt_timer **items;
	int n, cap;
};

struct rt_sched {
	struct cl_config cfg;
	struct rt_task *current;
	struct rt_task *main_task;
	struct rt_ctx host;                 /* cl_run's own context */
	void *host_stack_lo;                /* for ASan's fiber switches */
	size_t host_stack_size;
	void *host_fake_stack;
	void *host_tsan_fiber;

	struct rt_task **runq;              /* runnable tasks, current included */
	int nrun, cap_runq;
	struct rt_task *all_first, *all_last;   /* live tasks by id */
	int ntasks;
	struct rt_task *reap;               /* a dead task whose stack awaits release */

	uint64_t rng[4];                    /* xoshiro256** */
	uint64_t steps;
	cl_time now;
	struct rt_heap timers;
	uint64_t timer_seq;

	/* PCT */
	uint64_t contended_steps;
	uint64_t change_points[16];
	int nchange, next_change;

	struct rt_obj *objects;
	uint64_t next_obj_id;
	int next_task_id;
	uint64_t next_flow;
	uint64_t seq;                       /* events emitted */
	bool tracing;                       /* any sink attached */

	bool finished;
	enum cl_outcome outcome;
	char panic_msg[RT_PANIC_MAX];
	struct rt_task *panic_task;
	char *report;
	uint64_t messages, tasks_spawned, peak_tasks;
	int leaked, abandoned;
};

/* The run in progress on this OS thread (NULL outside cl_run). */
extern _Thread_local struct rt_sched *rt_sched_cur;

static inline struct rt_sched *rt_s(void)
{
	return rt_sched_cur;
}

/* Scheduling point: the running task may be switched out but stays runnable. */
void rt_sched_point(const char *file, int line);

/* Blocks the running task until rt_ready; before switching away calls
 * unlock(arg) (if not NULL), so a waker can never miss it. */
struct rt_block {
	enum cl_wait wait;
	enum cl_obj_kind obj_kind;
	uint64_t obj_id;
	const char *obj_name;
	int waits_for;
	const char *file;
	int line;
};
void rt_park(const struct rt_block *why, void (*unlock)(void *), void *arg);

/* Makes a blocked task runnable; waker is the task id that woke it (0 = runtime). */
void rt_ready(struct rt_task *t);

/* Ends the run from inside a task with the given outcome; never returns. */
_Noreturn void rt_finish(enum cl_outcome outcome);

/* Go-style panic from inside the runtime (send on closed channel ...). */
_Noreturn void rt_panic(const char *file, int line, const char *msg);

uint64_t rt_rand(struct rt_sched *s);
uint64_t rt_rand_below(struct rt_sched *s, uint64_t n);

/* The running task's id; 0 outside a task (timer callbacks). */
static inline int rt_current_id(void)
{
	struct rt_sched *s = rt_sched_cur;
	return s && s->current ? s->current->id : 0;
}

/* ---- trace ------------------------------------------------------------------------- */

/* Emits ev (seq, time, task name are filled in) to every sink. */
void rt_emit(struct rt_sched *s, struct cl_event *ev);
/* A zeroed event of kind for the running task (or task 0). */
struct cl_event rt_event(struct rt_sched *s, enum cl_event_kind kind);
const char *rt_task_name_of(struct rt_sched *s, int id);

/* ---- report ------------------------------------------------------------------------ */

/* Builds s->report for the outcome (deadlock, leak, panic, limit). */
void rt_report_build(struct rt_sched *s, const char *headline);

/* ---- channel internals used by timers and contexts --------------------------------- */

/* Non-blocking send from outside a task (a timer firing): delivers or drops. */
bool rt_chan_offer(struct cl_chan *c, const void *val);
/* Closes from any context; returns false if it was already closed. */
bool rt_chan_close_quiet(struct cl_chan *c);

#endif
