/*
 * rt.h - the runtime's internals: tasks, the scheduler of a run, wait
 * queues, locks, objects.  Only runtime/ includes this; patterns include
 * chanlab.h.  runtime/HACKING.md explains how the pieces fit.
 *
 * Locks are no-ops under det (one OS thread runs the whole program and a
 * task is never interrupted between scheduling points); the lock order that
 * par obeys is the table in the locks section below.
 */
#ifndef CHANLAB_RT_H
#define CHANLAB_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/chanlab.h"
#include "runtime/ctx.h"
#include "runtime/schedule.h"

#define RT_NAME_MAX 32
#define RT_PANIC_MAX 160

/* ---- locks ------------------------------------------------------------------ */

/* The lock order: the one table (HACKING.md and sched_par.c point here).
 * A thread holding a lock of some rank takes only locks of a higher rank;
 * locks of the same rank are taken one at a time, except object locks
 * (rank 1): a select takes its channels' in address order, and Cond.Wait
 * takes the cond's, then its mutex's.  Debug builds check the ranks under
 * par (rt_lock_rank_enter), not the order among rank-1 locks.
 *
 *   rank  lock                          guards
 *   0     sched.ctx_lock                every context tree (a cancel closes
 *                                       done channels and stops timers under it)
 *   1     cl_chan.lock (by address),    a channel; a sync object's queue and
 *         or one sync object's lock     state
 *   3     sched.idle_lock               idle processors, nidle
 *   4     sched.timer_lock              the timer heap, timer_seq
 *   5     proc.qlock                    that processor's local ring
 *   6     sched.global_lock             the global run queue
 *   7     sched.m_lock                  spare threads (m_pool, m_all)
 *   8     sched.tasks_lock              the task table
 *   9     sched.obj_lock                the object arena
 *   10    sched.stack_lock              the shared stack cache
 *   11    sched.finish_lock             the outcome
 *   12    sched.trace_lock              event emission (sinks run under it)
 *
 * idle() holds idle_lock while it reads the next timer (timer_lock): hence
 * idle_lock before timer_lock.  rt_ready is called after a channel lock is
 * released (Go's closechan gathers the waiters first, then wakes them). */

/* A spin lock.  Under det it does nothing (debug builds record its state
 * for rt_lock_assert_held): one OS thread runs the whole program and a
 * task is never interrupted between scheduling points, so nothing can
 * contend.  A store there would also make the compiler read rt_par_active
 * again after every lock, which an int store might alias.  On the threads
 * of a par run (rt_par_active) it is a real test-and-test-and-set lock. */
struct rt_lock {
	int held;
#ifdef CHANLAB_DEBUG
	const void *owner;              /* debug: the holding thread's rt_thread_tag() */
#endif
};

/* An internal invariant of chanlab failed: prints "chanlab: BUG: ...", the
 * task dump of the run in progress, and exits 70 (DESIGN.md).  Never a
 * user's mistake (those panic or are fatal). */
_Noreturn void rt_bug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Debug builds (make debug, -DCHANLAB_DEBUG) check invariants that cost
 * time: RT_ASSERT(cond) calls rt_bug when cond is false; elsewhere it
 * compiles to nothing. */
#ifdef CHANLAB_DEBUG
#define RT_ASSERT(cond)                                                                        \
	((cond) ? (void)0 : rt_bug("%s:%d: %s: assertion failed: %s", __FILE__, __LINE__, __func__, #cond))
#else
#define RT_ASSERT(cond) ((void)0)
#endif

/* A word unique to the calling OS thread (the address of a thread-local). */
const void *rt_thread_tag(void);

/* Set on every OS thread while it works for a par run (sched_par.c): the
 * mode belongs to the run, so a det run on another thread at the same time
 * keeps its no-op locks and plain counters. */
extern _Thread_local int rt_par_active;

/* A hint to the CPU inside a spin loop. */
static inline void rt_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#endif
}
/* Waits for l and takes it (rt_lock_acquire's slow path, after its first try). */
void rt_spin_lock(struct rt_lock *l);
#ifdef CHANLAB_DEBUG
/* Debug builds under par: each thread keeps the locks it holds and checks
 * every acquisition against the rank table above (sched_par.c). */
void rt_lock_rank_enter(const struct rt_lock *l);
void rt_lock_rank_leave(const struct rt_lock *l);
#endif

static inline void rt_lock_acquire(struct rt_lock *l)
{
#ifdef CHANLAB_DEBUG
	if (rt_par_active)
		rt_lock_rank_enter(l);
#endif
	if (__builtin_expect(rt_par_active, 0)) {
		/* The first try inline: most acquisitions find the lock free,
		 * and the call cost a tenth of the 8-worker pool's lock time. */
		if (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE))
			rt_spin_lock(l);
	}
#ifdef CHANLAB_DEBUG
	else {
		l->held = 1;   /* det: only rt_lock_assert_held reads it */
	}
	l->owner = rt_par_active ? rt_thread_tag() : NULL;
#endif
}

static inline void rt_lock_release(struct rt_lock *l)
{
#ifdef CHANLAB_DEBUG
	l->owner = NULL;
	if (rt_par_active)
		rt_lock_rank_leave(l);
#endif
	if (__builtin_expect(rt_par_active, 0))
		__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
#ifdef CHANLAB_DEBUG
	else
		l->held = 0;
#endif
}

/* rt_lock_acquire and rt_lock_release for a caller that read rt_par_active
 * into par once (a channel operation's path): under det, in release builds,
 * nothing, without reading the thread-local again after each store. */
static inline void rt_lock_acquire_par(struct rt_lock *l, int par)
{
	(void)par;
#ifndef CHANLAB_DEBUG
	if (__builtin_expect(par, 0))
#endif
		rt_lock_acquire(l);
}

static inline void rt_lock_release_par(struct rt_lock *l, int par)
{
	(void)par;
#ifndef CHANLAB_DEBUG
	if (__builtin_expect(par, 0))
#endif
		rt_lock_release(l);
}

/* For functions documented "locked on entry": in debug builds, l is held
 * (and under par by this thread: a park's lock is released by g0, on the
 * same thread, so the owner is exact). */
#ifdef CHANLAB_DEBUG
#define rt_lock_assert_held(l)                                                                 \
	RT_ASSERT(__atomic_load_n(&(l)->held, __ATOMIC_RELAXED) &&                                 \
	          (!rt_par_active || (l)->owner == rt_thread_tag()))
#else
#define rt_lock_assert_held(l) ((void)(l))
#endif

/* Adds to a run-wide counter: a plain add under det, atomic under par. */
static inline uint64_t rt_count(uint64_t *counter, uint64_t n)
{
	if (__builtin_expect(rt_par_active, 0))
		return __atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
	return *counter += n;
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

/* Copies the string src (NULL: "") into dst of size bytes, truncated as
 * snprintf("%s") would, without snprintf's cost (names of every object
 * and task). */
static inline void rt_copy_name(char *dst, size_t size, const char *src)
{
	size_t n = 0;
	if (src)
		while (n < size - 1 && src[n]) {
			dst[n] = src[n];
			n++;
		}
	dst[n] = '\0';
}

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

/* now + d, saturating at the largest time instead of wrapping into the
 * past (Go's when()); a negative d counts as 0. */
static inline cl_time rt_time_after(cl_time now, cl_time d)
{
	if (d <= 0)
		return now;
	return now > INT64_MAX - d ? INT64_MAX : now + d;
}

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
	uint64_t sched_points;          /* det, schedules on: scheduling points reached */
	int64_t priority;               /* PCT */
	int slot;                       /* index in sched->slots */
	struct rt_task *q_next;         /* in an rt_taskq */
	uint64_t messages;              /* values this task received */

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
	char panic_msg[RT_PANIC_MAX];   /* the panic in progress */
	char *panic_chain;              /* every panic of the chain, as Go prints it after "panic: " */
	size_t chain_len, chain_cap;
	void *panic_jmp;                /* jmp_buf of the outermost panic running defers */
	void *defer_frame;              /* frame that calls the deferred function (recover's check) */

	/* Sleep. */
	struct rt_timer sleep_timer;

	/* par: the task's own random stream for cl_rand, seeded from the run's
	 * seed and the task's id, so a pattern's draws do not depend on which
	 * processor ran it. */
	uint64_t rng[4];

	uint64_t ran_at;                /* the last step it was picked (livelock report) */
	void *select_buf;               /* select.c: arrays of a select of more than 8 cases */
	size_t select_cap;

	/* Stack (stack.c). */
	struct rt_stack *stack;
	void *asan_fake_stack;
	void *tsan_fiber;
};

/* ---- stacks --------------------------------------------------------------------- */

struct rt_slab;
struct rt_sched;
struct rt_m;

struct rt_stack {
	void *lo;                 /* lowest usable byte (the guard page is just below) */
	size_t size;              /* usable bytes, up to the task record */
	size_t map_size;          /* whole mapping */
	bool guarded;             /* its guard page is an mprotect'd one (a mapping of its own) */
	unsigned valgrind_id;
	struct rt_slab *slab;     /* the mmap it was carved from */
	struct rt_stack *next;    /* in the free list */
	struct rt_task *task;     /* the record at the top of this mapping */
};

/* Returns a stack with room for a task record on top, or NULL (the reason
 * is rt_stack_error()). */
struct rt_stack *rt_stack_get(size_t map_size);
void rt_stack_put(struct rt_stack *st);
const char *rt_stack_error(void);
/* True if addr is in st's guard page (async-signal-safe). */
bool rt_stack_guard_hit(const struct rt_stack *st, const void *addr);
/* Unmaps whole free slabs beyond a reserve of cached stacks. */
void rt_stack_trim(void);
/* This thread's stack cache: a par run shares the host thread's among its
 * processors (under sched->stack_lock). */
void *rt_stack_cache_self(void);
/* At the end of a par run, with every thread stopped: the processors' own
 * free stacks go back to the shared cache. */
void rt_stack_procs_flush(struct rt_sched *s);
/* Slabs this thread's cache has mapped (tests: stacks are reused). */
long rt_stack_slabs(void);

/* ---- processors and the scheduler of one run --------------------------------------- */

struct rt_heap {
	struct rt_timer **items;
	int n, cap;
	int64_t first;    /* items[0]->when, INT64_MAX when empty: written under
	                     timer_lock, read without it for a cheap "anything due?" */
};

#define RT_RUNQ_SIZE 256

enum rt_after {
	RT_AFTER_NONE, RT_AFTER_PARK, RT_AFTER_YIELD, RT_AFTER_EXIT, RT_AFTER_ABANDON,
	RT_AFTER_SYSCALL,
};

/* A processor: runs one task at a time.  Under det there is one, on the
 * thread that called cl_run; under par each is an OS thread (sched_par.c). */
struct rt_proc {
	_Alignas(64) int id;
	struct rt_task *current;        /* the task running on it, NULL on g0 */
	uint64_t rng[4];                /* par: select order and cl_rand */

	/* par only, owned by the thread holding the processor unless noted */
	struct rt_task *runnext;        /* run next, ahead of the queue (not stolen) */
	int runnext_taking;             /* 1 while the owner takes runnext (sched_par.c:
	                                   runnext_take), read by thieves */
	bool fence_owed;                /* par: parked since its last membarrier, so it may
	                                   not take a runnext yet (sched_par.c:
	                                   runnext_claimable); set by its waker under
	                                   idle_lock while it sleeps */
	struct rt_lock qlock;           /* guards runq, head, tail (thieves take it) */
	struct rt_task *runq[RT_RUNQ_SIZE];
	unsigned head, tail;
	uint64_t schedtick;             /* tasks run so far (read by the watchdog) */
	int wake_owed;                  /* par: runnext got a task and no idle processor was
	                                   woken for it; counts the running task's scheduling
	                                   points since (sched_par.c: owe_wake) */
	int vain_polls;                 /* par: polls of a parked p that found nothing since
	                                   it last ran a task (sched_par.c: idle) */
	int sleep_word;                 /* futex: 1 while parked */
	bool parked;                    /* on the idle list (guarded by sched->idle_lock) */
	int starve_warned;              /* watchdog: the tick last warned about */
	unsigned steps_pending;         /* steps not yet added to sched->steps */
	struct rt_stack *stacks;        /* par: a few free stacks of its own (stack.c), */
	int nstacks;                    /* so a spawn and an exit take no stack_lock */
	struct rt_stack *spare_stack;   /* the last dead task's stack, for the next spawn
	                                   here (task.c: rt_task_retire) */
};

/* The scheduler of a run, as one table: cl_run picks det's or par's, and
 * every park, wake, yield, exit, end of the run and clock read in the
 * runtime goes through it.  sched.c does what both share (the wait fields,
 * the trace events) and calls the table; sched_det.c and sched_par.c hold
 * only their policy. */
struct rt_sched_ops {
	const char *name;
	/* Before the main task exists: processors, the clock's origin, and
	 * the features the scheduler lacks turned off.  0, or -1 (no memory). */
	int (*setup)(struct rt_sched *s);
	/* Runs the program from its main task; returns once the run is over
	 * (0) or -1 if it could not start. */
	int (*run)(struct rt_sched *s);
	/* The scheduler's fields of a new task. */
	void (*task_init)(struct rt_sched *s, struct rt_task *t);
	/* The first thing a task does on its own stack. */
	void (*task_entered)(struct rt_sched *s, struct rt_task *t);
	/* A scheduling point of the running task. */
	void (*point)(struct rt_sched *s, const char *file, int line);
	/* Takes the running task t (its wait fields set, its event emitted)
	 * off its processor until ready(t); unlock(arg), if not NULL, runs
	 * once a waker can no longer miss it. */
	void (*park)(struct rt_sched *s, struct rt_task *t, void (*unlock)(void *), void *arg);
	/* Queues t, just woken or spawned, to run. */
	void (*ready)(struct rt_sched *s, struct rt_task *t);
	/* cl_yield by the running task t. */
	void (*yield)(struct rt_sched *s, struct rt_task *t, const char *file, int line);
	/* The running task t has ended (the main task ends the run). */
	void (*exit)(struct rt_sched *s, struct rt_task *t) __attribute__((noreturn));
	/* Ends the run from the running task t with outcome; headline is
	 * the report's first line (limits, fatal errors) or NULL. */
	void (*finish)(struct rt_sched *s, struct rt_task *t, enum cl_outcome outcome,
	               const char *headline) __attribute__((noreturn));
	/* The run's clock: virtual (det) or monotonic since the start (par). */
	cl_time (*now)(struct rt_sched *s);
	/* The stream the runtime draws from (select's order, PCT, stealing),
	 * and the one cl_rand draws from. */
	uint64_t *(*rng)(struct rt_sched *s);
	uint64_t *(*task_rng)(struct rt_sched *s);
	/* cl_syscall_enter/exit's work after and before their events. */
	void (*syscall_enter)(struct rt_sched *s);
	void (*syscall_exit)(struct rt_sched *s);
	/* The task this OS thread runs, or NULL; async-signal-safe (fault.c). */
	struct rt_task *(*task_here)(struct rt_sched *s);
};

struct rt_obj_chunk;

struct rt_sched {
	struct cl_config cfg;
	const struct rt_sched_ops *ops;     /* det's or par's (sched_det.c, sched_par.c) */
	struct rt_proc *procs;              /* nprocs of them; par: each on a thread of its own */
	int nprocs;
	bool runnext_fenced;                /* par: processors can fence the others (membarrier),
	                                       so an owner whose thieves all sleep takes
	                                       runnext without an exchange */
	struct rt_task *main_task;
	struct rt_ctx host;                 /* det: cl_run's own context */
	void *host_stack_lo;                /* for ASan's fiber switches */
	size_t host_stack_size;
	void *host_fake_stack;
	void *host_tsan_fiber;

	struct rt_task **runq;              /* det: runnable tasks, the running one included */
	int nrun, cap_runq;
	struct rt_lock tasks_lock;          /* par, > 1 processor: guards the task table,
	                                       ntasks and next_task_id (task.c table_shared) */
	struct rt_task **slots;             /* live tasks; NULL in free slots.  A table, */
	int nslots, cap_slots;              /* not a list: an exit touches no other task */
	int *free_slots;
	int nfree_slots, cap_free_slots;
	int ntasks;
	struct rt_task *reap;               /* det: a dead task whose stack awaits release */

	uint64_t rng[4];                    /* xoshiro256** (det) */
	uint64_t steps;
	uint64_t progress_step;             /* the step of the last progress (rt_progress) */
	uint64_t livelock_window;           /* steps without progress before "livelock" */
	uint64_t det_check_step;            /* det: no step up to this one can hit either limit
	                                     * above (0: look again; sched_det.c pick_task) */
	const char *limit_reason;           /* limit only: "steps", "time", "livelock", "interrupted" */
	cl_time now;                        /* det: virtual time */
	int64_t start_ns;                   /* par: the monotonic clock at the start */
	struct rt_lock timer_lock;          /* par: guards timers and timer_seq */
	struct rt_heap timers;
	uint64_t timer_seq;

	/* PCT */
	uint64_t contended_steps;
	uint64_t change_points[16];
	int nchange, next_change;

	struct rt_lock obj_lock;            /* par: guards objects, obj_chunks, obj_spare */
	struct rt_obj *objects;
	struct rt_obj_chunk *obj_chunks;    /* the objects' arena (run.c), the newest chunk first */
	struct rt_obj_chunk *obj_spare;     /* empty chunks from the thread's earlier runs */
	bool procs_cached;                  /* procs is det's one, kept for the thread's next run */
	uint64_t next_obj_id;
	uint64_t next_task_id;
	uint64_t next_flow;
	struct rt_lock trace_lock;          /* par: one event at a time, in seq order */
	uint64_t seq;                       /* events emitted */
	bool tracing;                       /* any sink attached */
	struct rt_lock ctx_lock;            /* par: guards every context tree */

	/* par: the global queue, idle processors, the stack cache.  Fields
	 * written by one processor and read on every other's hot path sit on
	 * cache lines of their own, so a spinning processor does not slow a
	 * busy one down. */
	_Alignas(64) struct rt_lock global_lock;
	struct rt_gchunk *global_first, *global_last;   /* chunks of task pointers (sched_par.c) */
	struct rt_gchunk *global_spare;     /* an emptied chunk kept for the next put */
	int nglobal;
	_Alignas(64) struct rt_lock idle_lock;
	int nidle;                          /* parked processors */
	_Alignas(64) int nspinning;
	_Alignas(64) int nsyscall;          /* tasks inside cl_syscall_enter/exit */
	struct rt_lock stack_lock;
	void *stack_cache;                  /* the host thread's cache, shared by all */
	struct rt_lock m_lock;              /* guards m_pool and m_all */
	struct rt_m *m_pool;                /* threads without a processor */
	struct rt_m *m_all;                 /* every thread started, for joining */
	uint64_t proc_parks, proc_wakes;
	uint64_t runnext_steals;            /* par: tasks thieves took from a runnext (atomic) */

	_Alignas(64) int stopping;          /* par: the run is over; processors stop */
	bool finished;
	enum cl_outcome outcome;
	char panic_msg[RT_PANIC_MAX];
	struct rt_task *panic_task;
	char *report;
	struct rt_lock finish_lock;
	uint64_t messages, tasks_spawned, peak_tasks;
	int leaked, abandoned;
	struct rt_race *race;               /* det with cfg.race: the detector (race.c), else NULL */
	uint64_t races;                     /* distinct races it found */

	/* det schedules (schedule.c): on when cfg.replay or cfg.record is set */
	bool schedule_on;
	size_t replay_pos;
	uint64_t schedule_refused, schedule_fallbacks;
	int *choice_ids;                    /* the runnable ids of a step, sorted */
	size_t cap_choice_ids;
	/* With cfg.choose: what the step since the last contended decision did
	 * (cl_choice.step): picks in it, the kind its one segment set, and
	 * whether it drew randomness or made a task runnable (tainted). */
	bool footprint_on, fp_tainted;
	int fp_segs;
	enum cl_step_kind fp_kind;
	const void *fp_addr;
	/* With cfg.choose: the op each task does right after the point it waits
	 * at (cl_choice.next_step), by task id; set before a cl_rd/cl_wr's, an
	 * atomic's or a yield's point, cleared when the task goes on. */
	struct rt_pending { bool set; enum cl_step_kind kind; const void *addr; } *pend;
	size_t cap_pend;
	struct rt_task **choice_tasks;      /* the runnable tasks of a step, by id */
	enum cl_step_kind *choice_next;     /* cl_choice.next_step */
	const void **choice_addr;           /* cl_choice.next_addr */
	size_t cap_choice_next;
};

/* The op that follows a scheduling point, for cl_choice.step (det, choose on);
 * the task is past its point, so its pending op (rt_pending_op) is done. */
static inline void rt_footprint(struct rt_sched *s, enum cl_step_kind kind, const void *addr)
{
	if (__builtin_expect(s->footprint_on, 0)) {
		s->fp_kind = kind;
		s->fp_addr = addr;
		int id = s->procs->current ? s->procs->current->id : -1;
		if (id >= 0 && (size_t)id < s->cap_pend)
			s->pend[id].set = false;
	}
}

/* The op the running task does right after the scheduling point it is
 * about to reach (det, choose on): what cl_choice.next_step tells the
 * explorer while the task waits there.  Called just before the point. */
void rt_pending_grow(struct rt_sched *s, int id);
static inline void rt_pending_op(struct rt_sched *s, enum cl_step_kind kind, const void *addr)
{
	if (__builtin_expect(s->footprint_on, 0)) {
		int id = s->procs->current ? s->procs->current->id : -1;
		if (id < 0)
			return;
		if ((size_t)id >= s->cap_pend)
			rt_pending_grow(s, id);
		s->pend[id] = (struct rt_pending){true, kind, addr};
	}
}

/* The run in progress on this OS thread (NULL outside cl_run). */
extern _Thread_local struct rt_sched *rt_sched_cur;

static inline struct rt_sched *rt_s(void)
{
	return rt_sched_cur;
}

/* The processor this thread runs.  Under par a task can resume on another
 * thread after any scheduling point, so the thread-local is read through a
 * function the compiler cannot fold across calls. */
struct rt_proc *rt_proc_self(void);

static inline struct rt_proc *rt_proc_of(struct rt_sched *s)
{
	/* The thread's mode, not an indirect call: this is on every path. */
	return __builtin_expect(rt_par_active, 0) ? rt_proc_self() : s->procs;
}

/* The running task, called from inside a task (never NULL there). */
static inline struct rt_task *rt_running(struct rt_sched *s)
{
	return rt_proc_of(s)->current;
}

/* The running task (NULL in timer callbacks and on a processor's g0). */
static inline struct rt_task *rt_cur(struct rt_sched *s)
{
	struct rt_proc *p = rt_proc_of(s);
	return p ? p->current : NULL;
}



/* Scheduling point: the running task may be switched out but stays runnable.
 * Under par nothing switches here (no preemption); a run that is over
 * stops its tasks at their next one. */
static inline void rt_sched_point(const char *file, int line)
{
	struct rt_sched *s = rt_sched_cur;
	s->ops->point(s, file, line);
}
/* cl_config.interrupt became non-zero: ends the run as limit "interrupted". */
_Noreturn void rt_interrupted(struct rt_sched *s);
/* True once the caller's interrupt flag is raised.  The flag is written by a
 * signal handler or by another thread (a test), so it is read atomically. */
static inline bool rt_interrupt_raised(const struct rt_sched *s)
{
	return s->cfg.interrupt && __atomic_load_n(s->cfg.interrupt, __ATOMIC_RELAXED);
}

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

/* Progress, for livelock detection (runtime/HACKING.md): a value delivered
 * through a channel, a note, a task spawned or ending.  Under par several
 * processors record it, so it is written only when it changes (steps move
 * once per batch there), and the line stays shared otherwise. */
static inline void rt_progress(struct rt_sched *s)
{
	uint64_t step = __atomic_load_n(&s->steps, __ATOMIC_RELAXED);
	if (__atomic_load_n(&s->progress_step, __ATOMIC_RELAXED) != step)
		__atomic_store_n(&s->progress_step, step, __ATOMIC_RELAXED);
}

/* Makes a blocked task runnable; the running task (0: the runtime) is its waker. */
void rt_ready(struct rt_task *t);

/* Ends the run from inside a task with the given outcome; never returns. */
_Noreturn void rt_finish(enum cl_outcome outcome);

/* Takes the deferred call fn(arg) nearest the top off the running task's
 * list without running it; false if there is none. */
bool rt_defer_cancel(void (*fn)(void *), void *arg);

/* Go-style panic from inside the runtime (send on closed channel ...). */
_Noreturn void rt_panic(const char *file, int line, const char *msg);

/* A fatal error, as Go's throw (unlock of an unlocked mutex, stack
 * overflow): ends the run with outcome fatal and the report "fatal error:
 * MSG" then the task dump.  No deferred function runs and no recover can
 * stop it.  Called from a task; under par the calling task stops there. */
_Noreturn void rt_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

uint64_t rt_rand(struct rt_sched *s);
uint64_t rt_rand_below(struct rt_sched *s, uint64_t n);

/* The running task's id; 0 outside a task (timer callbacks). */
static inline int rt_current_id(void)
{
	struct rt_sched *s = rt_sched_cur;
	struct rt_task *t = s ? rt_cur(s) : NULL;
	return t ? t->id : 0;
}

/* Live tasks in id order (malloc'd; *n of them), for reports. */
struct rt_task **rt_tasks_by_id(struct rt_sched *s, int *n);

/* ---- trace ------------------------------------------------------------------------- */

/* Emits ev (seq, time, task name are filled in) to every sink. */
void rt_emit(struct rt_sched *s, struct cl_event *ev);
/* A zeroed event of kind for the running task (or task 0). */
struct cl_event rt_event(struct rt_sched *s, enum cl_event_kind kind);

/* ---- report ------------------------------------------------------------------------ */

/* Builds s->report for the outcome (deadlock, leak, panic, limit). */
void rt_report_build(struct rt_sched *s, const char *headline);

/* ---- channel internals used by timers and contexts --------------------------------- */

/* Non-blocking send from outside a task (a timer firing): delivers or drops. */
bool rt_chan_offer(struct cl_chan *c, const void *val);
/* Closes from any context; returns false if it was already closed. */
bool rt_chan_close_quiet(struct cl_chan *c);

#endif
