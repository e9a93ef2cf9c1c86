/*
 * chanlab.h - the CSP runtime as patterns see it: tasks (goroutines),
 * channels, select, time, sync, context, error groups, atomics, defer and
 * panic, and the call that runs a whole program and reports its outcome.
 *
 * Everything reads like the Go it mirrors:
 *
 *	Go                              chanlab
 *	go worker(jobs)                 cl_go(worker, jobs, "worker-%d", i)
 *	ch := make(chan int, 8)         cl_chan *ch = cl_make("jobs", int, 8)
 *	ch <- v                         cl_send(ch, &v)
 *	v := <-ch                       cl_recv(ch, &v)
 *	v, ok := <-ch                   ok = cl_recv(ch, &v)
 *	close(ch)                       cl_close(ch)
 *	select { ... }                  cl_select(cases, n) / cl_select_default
 *	time.Sleep(5 * time.Millisecond) cl_sleep(5 * CL_MS)
 *	defer mu.Unlock()               cl_defer(unlock_fn, mu)
 *	panic("boom")                   cl_panic("boom")
 *
 * Objects (channels, mutexes, contexts ...) are created inside a run and
 * freed when the run ends, as if garbage collected: patterns never free them.
 * The nil channel is NULL.  Values are copied in and out by size, like Go.
 *
 * Every blocking call records its caller's file:line (the macros pass it),
 * which the deadlock and leak reports print.
 */
#ifndef CHANLAB_H
#define CHANLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/event.h"
#include "runtime/shared.h"

typedef struct cl_chan cl_chan;
typedef struct cl_mutex cl_mutex;
typedef struct cl_rwmutex cl_rwmutex;
typedef struct cl_cond cl_cond;
typedef struct cl_once cl_once;
typedef struct cl_waitgroup cl_waitgroup;
typedef struct cl_sema cl_sema;
typedef struct cl_ctx cl_ctx;
typedef struct cl_group cl_group;
typedef struct cl_timer cl_timer;
struct cl_schedule;
struct cl_choice;

/* Time: nanoseconds of virtual time (det) or of the monotonic clock (par). */
typedef int64_t cl_time;
#define CL_NS ((cl_time)1)
#define CL_US ((cl_time)1000)
#define CL_MS ((cl_time)1000000)
#define CL_SEC ((cl_time)1000000000)

/* ---- running a program --------------------------------------------------- */

enum cl_outcome {
	CL_OUTCOME_OK,
	CL_OUTCOME_PANIC,      /* a panic no deferred function recovered */
	CL_OUTCOME_DEADLOCK,   /* every task asleep, no timer pending */
	CL_OUTCOME_LEAK,       /* main returned while tasks were still blocked */
	CL_OUTCOME_LIMIT,      /* step or virtual-time limit reached (limit_reason says which) */
	CL_OUTCOME_FATAL,      /* an unrecoverable error, as Go's fatal errors (stack overflow,
	                          unlock of an unlocked mutex): no deferred function runs */
	CL_OUTCOME_RACE,       /* the race detector saw two unordered accesses, one a write */
};

enum cl_sched_kind { CL_SCHED_DET, CL_SCHED_PAR };
enum cl_strategy { CL_STRATEGY_RANDOM, CL_STRATEGY_PCT };

struct cl_config {
	enum cl_sched_kind sched;    /* default det */
	enum cl_strategy strategy;   /* default random */
	uint64_t seed;               /* default 1 */
	int pct_depth;               /* PCT's d: d-1 priority change points (default 3) */
	uint64_t pct_steps;          /* expected contended steps, for placing change points (default 1000) */
	uint64_t max_steps;          /* scheduling decisions before "step limit" (default 10,000,000) */
	cl_time max_time;            /* virtual time before "step limit" (default 1 hour) */
	size_t stack_size;           /* bytes of address space per task stack (default 256 KiB; 16 KiB to 1 GiB) */
	const char *stack_advice;    /* said after a stack overflow's size: what the user can do
	                                (the CLI: "raise it with --stack-size"); NULL: nothing */
	int procs;                   /* par only: processors (0 = CPUs available) */
	int starve_warn_ms;          /* par only: report a task holding a processor longer (0 = off) */
	const struct cl_sink *sinks; /* array of nsinks event sinks (may be NULL) */
	int nsinks;
	/* When non-NULL and *interrupt becomes non-zero (a SIGINT handler sets it),
	 * the run stops within a few scheduling decisions (det looks every 64)
	 * with outcome limit and limit_reason "interrupted". */
	volatile int *interrupt;
	/* det only: check every cl_rd/cl_wr (shared.h) against Go's happens-before
	 * order and report data races (outcome race).  Default off; par ignores it. */
	bool race;
	/* det only, schedules (runtime/schedule.h): follow replay's decisions
	 * (NULL: the strategy picks); with replay_lenient a decision naming a task
	 * that cannot run takes the default instead of stopping the run.  record
	 * (NULL: off) receives the run's decisions. */
	const struct cl_schedule *replay;
	bool replay_lenient;
	struct cl_schedule *record;
	/* det only: when set (and replay is not), called at every contended step;
	 * returns the id of the task to run (one that is not runnable takes the
	 * default).  The explorer's shrinker steers runs this way. */
	int (*choose)(void *ctx, const struct cl_choice *choice);
	void *choose_ctx;
	uint64_t livelock_steps;     /* decisions (par: task resumptions) without progress (a message
	                                delivered, a note, a task started or ended) before the limit
	                                "livelock" (default 1,000,000; 0 = off) */
};

/* The result of a run.  report is NULL for a clean run, else the text Go
 * would print (panic message or deadlock line, then the task dump).  Free
 * with cl_result_free. */
struct cl_result {
	enum cl_outcome outcome;
	char *report;
	char panic_msg[160];         /* panic only: the message, as Go prints it */
	uint64_t steps;              /* scheduling decisions taken */
	uint64_t contended_steps;    /* det: decisions with more than one task runnable
	                                (what PCT counts; set cfg.pct_steps from it) */
	cl_time time;                /* virtual time at the end */
	uint64_t tasks;              /* tasks spawned, main included */
	uint64_t messages;           /* values delivered through channels */
	uint64_t events;             /* events emitted */
	uint64_t peak_tasks;         /* most tasks alive at once */
	int leaked;                  /* tasks blocked when main returned */
	int abandoned;               /* tasks runnable when main returned */
	uint64_t proc_parks;         /* par: times a processor slept in the kernel */
	uint64_t proc_wakes;         /* par: times a processor was woken by another */
	int procs;                   /* processors the run used (1 under det) */
	char limit_reason[32];       /* limit only: "steps", "time", "livelock" ... */
	uint64_t races;              /* cfg.race: distinct data races found (the outcome is race
	                                when the run was otherwise ok; see runtime/race.c) */
	uint64_t schedule_refused;   /* replay: the 1-based decision that named a task that
	                                could not run (then limit, reason "schedule"); 0 none */
	uint64_t schedule_fallbacks; /* lenient replay: decisions that took the default instead */
	uint64_t schedule_unused;    /* replay: decisions left when the run ended (a schedule
	                                longer than the run it is replayed on) */
};

void cl_config_init(struct cl_config *config);

/* Runs main_fn(arg) as task 1 "main" until it returns (then the program
 * ends, as in Go) or the run deadlocks, panics or hits a limit.  Returns 0
 * and fills *result, or -1 if the runtime itself could not start (out of
 * memory, bad config) with the reason in result->report.  Never exits the
 * process; may be called again and again.  Not reentrant: a task must not
 * call cl_run. */
int cl_run(void (*main_fn)(void *arg), void *arg, const struct cl_config *config,
           struct cl_result *result);
void cl_result_free(struct cl_result *result);

const char *cl_outcome_name(enum cl_outcome outcome);

/* ---- tasks ---------------------------------------------------------------- */

/* Starts fn(arg) as a new task named by a printf format; returns its id. */
#define cl_go(fn, arg, ...) cl_spawn_at(__FILE__, __LINE__, (fn), (arg), __VA_ARGS__)
int cl_spawn_at(const char *file, int line, void (*fn)(void *), void *arg,
                const char *name_fmt, ...) __attribute__((format(printf, 5, 6)));

/* runtime.Gosched: a scheduling point that gives other tasks a turn. */
#define cl_yield() cl_yield_at(__FILE__, __LINE__)
void cl_yield_at(const char *file, int line);

int cl_task_id(void);            /* the running task's id; main is 1 */
/* The configuration of the run on this thread, as cl_run completed it (its
 * recording, when one was asked for, holds the decisions so far); NULL
 * outside a run.  Safe in a signal handler: it reads a thread-local. */
const struct cl_config *cl_run_config(void);
const char *cl_task_name(void);

/* det: from now on, a run with no progress (see cl_config.livelock_steps)
 * for steps scheduling decisions ends as limit "livelock".  It only tightens
 * the window (a larger value, or 0, changes nothing; nor does it turn on
 * detection that cl_config.livelock_steps = 0 turned off), so a program
 * that expects progress every few rounds shows its livelock in a short
 * trace.  par: no effect. */
void cl_livelock_within(uint64_t steps);

/* Draws from the run's PRNG: deterministic under det for a given seed, so
 * patterns use it for simulated work and latencies. */
uint64_t cl_rand(void);
uint64_t cl_rand_below(uint64_t n);  /* uniform in [0, n) */

/* The sink built into the runtime: one plain line per event on out (a FILE *). */
struct cl_sink cl_sink_plain(void *out);

/* A note in the trace, in the pattern's own words ("worker 2 takes job 5").
 * Its arguments are evaluated whether the run is traced or not, like any
 * C call's: a student's note that takes from a channel or loads an atomic
 * (a det decision) must do so in the untraced runs explore judges too, or
 * the trace replayed for them would be another run.  Untraced, they go to
 * cl_note_untraced, which the compiler removes, so an untraced note costs
 * its arguments and one plain call (cl_note_traced records the progress),
 * not the variadic call's register saves. */
#define cl_note(...)                                                                       \
	(cl_note_traced() ? cl_note_at(__FILE__, __LINE__, __VA_ARGS__)                        \
	                  : cl_note_untraced(__VA_ARGS__))
bool cl_note_traced(void);   /* records the progress; true if a note would be traced */
static inline __attribute__((always_inline)) void cl_note_untraced(const char *fmt, ...)
{
	(void)fmt;
}
void cl_note_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Around a blocking system call (a read, a sleep in the kernel): under par
 * the processor's queued tasks are handed to another thread meanwhile, as
 * Go hands off its P; the trace shows both ends. */
void cl_syscall_enter(void);
void cl_syscall_exit(void);

/* How many processors a par run gets by default: the CPUs this process may
 * use (affinity mask and cgroup CPU quota). */
int cl_available_cpus(void);

/* Go's runtime.GOMAXPROCS(0): the processors of the running run (1 under det). */
int cl_procs(void);

/* ---- defer, panic, recover -------------------------------------------------- */

/* Registers fn(arg) to run when the task's function returns or panics, last
 * registered first (defers belong to the task, not to a C function). */
void cl_defer(void (*fn)(void *), void *arg);

/* Panics: runs the task's deferred functions, and unless one recovers, ends
 * the program with "panic: MESSAGE" and the task dump.  Never returns. */
#define cl_panic(...) cl_panic_at(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void cl_panic_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* recover(): stops the panic in progress and returns its message (valid
 * until the task ends); NULL if the task is not panicking.  As in Go it
 * takes effect only when called directly by a deferred function while a
 * panic runs it: called from a helper that function calls, it returns NULL
 * and the panic goes on.  The macro passes the frame pointer its caller
 * saved (read in the caller, so a tail call cannot lose it); the runtime
 * checks that it is the frame that called the deferred function (a helper inlined into the deferred function, or tail-called from
 * it, counts as the deferred function itself).  Code that calls it must
 * keep frame pointers (the Makefile builds with -fno-omit-frame-pointer);
 * without them a helper may be taken for the deferred function.  Deferring the function
 * itself, cl_defer(cl_recover, NULL), is Go's `defer recover()`: it stops
 * nothing. */
#define cl_recover() cl_recover_from(*(void *const *)__builtin_frame_address(0))
const char *cl_recover_from(void *callers_parent_frame);
void (cl_recover)(void *unused);

/* ---- channels --------------------------------------------------------------- */

cl_chan *cl_chan_make(const char *name, size_t elem_size, size_t cap);

/* How a value of the channel's element type is shown in a trace. */
typedef void (*cl_fmt_fn)(const void *value, char *buf, size_t size);
void cl_chan_set_fmt(cl_chan *ch, cl_fmt_fn fmt);
void cl_fmt_int(const void *value, char *buf, size_t size);    /* int */
void cl_fmt_int64(const void *value, char *buf, size_t size);  /* int64_t */
void cl_fmt_duration(const void *value, char *buf, size_t size); /* int64_t ns: "13.943ms" */
void cl_fmt_str(const void *value, char *buf, size_t size);    /* const char * */
void cl_fmt_chan(const void *value, char *buf, size_t size);   /* cl_chan * */

/* make(chan T, cap).  name is for traces and reports.  int and int64_t
 * channels get their formatter from the type; other types print as their
 * bytes until cl_chan_set_fmt gives them one. */
#define CL_FMT_OF_(type) _Generic((type){0}, int: cl_fmt_int, int64_t: cl_fmt_int64, default: (cl_fmt_fn)0)
static inline cl_chan *cl_make_with_fmt_(cl_chan *ch, cl_fmt_fn fmt)
{
	if (fmt)
		cl_chan_set_fmt(ch, fmt);
	return ch;
}
#define cl_make(name, type, cap) cl_make_with_fmt_(cl_chan_make((name), sizeof(type), (cap)), CL_FMT_OF_(type))

#define cl_send(ch, valp) cl_send_at(__FILE__, __LINE__, (ch), (valp))
#define cl_recv(ch, outp) cl_recv_at(__FILE__, __LINE__, (ch), (outp))
#define cl_close(ch) cl_close_at(__FILE__, __LINE__, (ch))
void cl_send_at(const char *file, int line, cl_chan *ch, const void *val);
/* Copies the value into *out (out may be NULL to discard it); returns false
 * when the channel is closed and drained (then *out is zeroed). */
bool cl_recv_at(const char *file, int line, cl_chan *ch, void *out);
void cl_close_at(const char *file, int line, cl_chan *ch);

size_t cl_len(cl_chan *ch);
size_t cl_cap(cl_chan *ch);
const char *cl_chan_name(cl_chan *ch);

/* ---- select ------------------------------------------------------------------ */

enum cl_dir { CL_SEND, CL_RECV };

struct cl_case {
	enum cl_dir dir;
	cl_chan *ch;     /* NULL: the case is never ready (Go's nil-channel case) */
	void *val;       /* send: the value; recv: where to copy it (or NULL) */
	bool ok;         /* recv: set false when the channel was closed */
};
#define CL_SEND_CASE(ch, valp) ((struct cl_case){CL_SEND, (ch), (void *)(valp), false})
#define CL_RECV_CASE(ch, outp) ((struct cl_case){CL_RECV, (ch), (outp), false})

/* Blocks until one case can proceed, picked uniformly at random among the
 * ready ones; returns its index.  n == 0 blocks forever. */
#define cl_select(cases, n) cl_select_at(__FILE__, __LINE__, (cases), (n), false)
/* As cl_select, but returns -1 at once (the default case) if none is ready. */
#define cl_select_default(cases, n) cl_select_at(__FILE__, __LINE__, (cases), (n), true)
int cl_select_at(const char *file, int line, struct cl_case *cases, int n, bool has_default);

/* ---- time --------------------------------------------------------------------- */

cl_time cl_now(void);
#define cl_sleep(d) cl_sleep_at(__FILE__, __LINE__, (d))
void cl_sleep_at(const char *file, int line, cl_time d);

/* time.After: a channel (of cl_time) that receives the time after d. */
cl_chan *cl_after(cl_time d);

/* time.NewTimer / NewTicker.  cl_timer_chan is the timer's C: a channel of
 * cl_time with capacity 1 (Go 1.19 semantics: a tick is dropped when the
 * previous one was not received). */
cl_timer *cl_timer_new(cl_time d);
cl_timer *cl_ticker_new(cl_time period);
cl_chan *cl_timer_chan(cl_timer *t);
bool cl_timer_stop(cl_timer *t);        /* true if it stopped a pending fire */
/* A Timer's Reset(d <= 0) fires at once; a Ticker's panics ("non-positive
 * interval for Ticker.Reset") and a ticker stays periodic with period d.
 * Durations saturate: now + d never wraps into the past. */
bool cl_timer_reset(cl_timer *t, cl_time d);

/* ---- sync ----------------------------------------------------------------------- */

cl_mutex *cl_mutex_new(const char *name);
#define cl_lock(mu) cl_lock_at(__FILE__, __LINE__, (mu))
void cl_lock_at(const char *file, int line, cl_mutex *mu);
bool cl_trylock(cl_mutex *mu);
/* Of an unlocked mutex: fatal, as in Go.  The macros record the call's
 * place, so the fatal error's dump shows where the second Unlock was; the
 * functions themselves stay, for a caller that needs their address. */
#define cl_unlock(mu) cl_unlock_at(__FILE__, __LINE__, (mu))
void cl_unlock_at(const char *file, int line, cl_mutex *mu);
void (cl_unlock)(cl_mutex *mu);

cl_rwmutex *cl_rwmutex_new(const char *name);
#define cl_rlock(rw) cl_rlock_at(__FILE__, __LINE__, (rw))
#define cl_wlock(rw) cl_wlock_at(__FILE__, __LINE__, (rw))
void cl_rlock_at(const char *file, int line, cl_rwmutex *rw);
#define cl_runlock(rw) cl_runlock_at(__FILE__, __LINE__, (rw))
void cl_runlock_at(const char *file, int line, cl_rwmutex *rw);
void (cl_runlock)(cl_rwmutex *rw);
void cl_wlock_at(const char *file, int line, cl_rwmutex *rw);
#define cl_wunlock(rw) cl_wunlock_at(__FILE__, __LINE__, (rw))
void cl_wunlock_at(const char *file, int line, cl_rwmutex *rw);
void (cl_wunlock)(cl_rwmutex *rw);

cl_cond *cl_cond_new(const char *name, cl_mutex *mu);
#define cl_cond_wait(c) cl_cond_wait_at(__FILE__, __LINE__, (c))
void cl_cond_wait_at(const char *file, int line, cl_cond *c);
void cl_cond_signal(cl_cond *c);
void cl_cond_broadcast(cl_cond *c);

cl_once *cl_once_new(const char *name);
#define cl_once_do(o, fn, arg) cl_once_do_at(__FILE__, __LINE__, (o), (fn), (arg))
/* As Go's: a fn that panics counts as done (later calls return at once). */
void cl_once_do_at(const char *file, int line, cl_once *o, void (*fn)(void *), void *arg);

cl_waitgroup *cl_wg_new(const char *name);
void cl_wg_add(cl_waitgroup *wg, int delta);    /* counter < 0 panics */
void cl_wg_done(cl_waitgroup *wg);
#define cl_wg_wait(wg) cl_wg_wait_at(__FILE__, __LINE__, (wg))
void cl_wg_wait_at(const char *file, int line, cl_waitgroup *wg);

/* A counting semaphore (golang.org/x/sync/semaphore, weight 1 per unit). */
cl_sema *cl_sema_new(const char *name, int64_t capacity);
#define cl_sema_acquire(s, n) cl_sema_acquire_at(__FILE__, __LINE__, (s), (n))
void cl_sema_acquire_at(const char *file, int line, cl_sema *s, int64_t n);
bool cl_sema_try_acquire(cl_sema *s, int64_t n);
void cl_sema_release(cl_sema *s, int64_t n);

/* ---- context ----------------------------------------------------------------------- */

/* Errors are static strings; NULL is Go's nil. */
typedef const char *cl_error;
extern const char cl_err_canceled[];           /* "context canceled" */
extern const char cl_err_deadline[];           /* "context deadline exceeded" */

cl_ctx *cl_background(void);
cl_ctx *cl_with_cancel(cl_ctx *parent);
cl_ctx *cl_with_timeout(cl_ctx *parent, cl_time d);
cl_ctx *cl_with_deadline(cl_ctx *parent, cl_time deadline);
void cl_cancel(cl_ctx *ctx);                   /* cancels ctx and every descendant */
cl_chan *cl_ctx_done(cl_ctx *ctx);             /* NULL (never ready) for background */
cl_error cl_ctx_err(cl_ctx *ctx);              /* NULL, cl_err_canceled or cl_err_deadline */
bool cl_ctx_deadline(cl_ctx *ctx, cl_time *deadline);

/* ---- error group ------------------------------------------------------------------ */

/* errgroup.WithContext: the first task to return an error cancels ctx. */
cl_group *cl_group_new(cl_ctx *parent, cl_ctx **ctx);
void cl_group_set_limit(cl_group *g, int n);   /* at most n tasks at once; Go blocks */
#define cl_group_go(g, fn, arg, ...) cl_group_go_at(__FILE__, __LINE__, (g), (fn), (arg), __VA_ARGS__)
void cl_group_go_at(const char *file, int line, cl_group *g, cl_error (*fn)(void *), void *arg,
                    const char *name_fmt, ...) __attribute__((format(printf, 6, 7)));
#define cl_group_wait(g) cl_group_wait_at(__FILE__, __LINE__, (g))
cl_error cl_group_wait_at(const char *file, int line, cl_group *g);

/* ---- atomics ------------------------------------------------------------------------ */

/* Sequentially consistent.  Under det each is a scheduling point, so races
 * on them (ABA) can be explored.  While an untraced par run is active they
 * are the bare instructions, inlined here: one lock cmpxchg / lock xadd /
 * mov on x86-64, never a call (cl_atomics_bare says which). */
typedef struct { int64_t v; } cl_atomic64;
typedef struct { void *v; } cl_atomic_ptr;

/* Set by the runtime on each thread of an untraced par run (per thread, so
 * a det run on another thread keeps its scheduling points); read-only for
 * patterns. */
extern _Thread_local int cl_atomics_bare;

/* Names an atomic variable for traces ("head"), or an array of n of them
 * ("next[3]"): atomic events then carry the name (docs/events.md, version
 * 2).  Call it in the run, after the variable exists; unnamed atomics are
 * traced without a name. */
void cl_atomic_label(const void *first, size_t bytes, size_t elem, const char *name);
#define cl_atomic_name(a, name) cl_atomic_label((a), sizeof *(a), sizeof *(a), (name))
#define cl_atomic_name_array(a, n, name) cl_atomic_label((a), (n) * sizeof *(a), sizeof *(a), (name))

int64_t cl_atomic_load_slow(cl_atomic64 *a);
void cl_atomic_store_slow(cl_atomic64 *a, int64_t v);
int64_t cl_atomic_add_slow(cl_atomic64 *a, int64_t delta);
bool cl_atomic_cas_slow(cl_atomic64 *a, int64_t old, int64_t new_value);
void *cl_atomic_load_ptr_slow(cl_atomic_ptr *a);
void cl_atomic_store_ptr_slow(cl_atomic_ptr *a, void *v);
bool cl_atomic_cas_ptr_slow(cl_atomic_ptr *a, void *old, void *new_value);

#define CL_BARE_ (__builtin_expect(__atomic_load_n(&cl_atomics_bare, __ATOMIC_RELAXED), 0))

static inline int64_t cl_atomic_load(cl_atomic64 *a)
{
	return CL_BARE_ ? __atomic_load_n(&a->v, __ATOMIC_SEQ_CST) : cl_atomic_load_slow(a);
}

static inline void cl_atomic_store(cl_atomic64 *a, int64_t v)
{
	if (CL_BARE_)
		__atomic_store_n(&a->v, v, __ATOMIC_SEQ_CST);
	else
		cl_atomic_store_slow(a, v);
}

/* Returns the new value. */
static inline int64_t cl_atomic_add(cl_atomic64 *a, int64_t delta)
{
	return CL_BARE_ ? __atomic_add_fetch(&a->v, delta, __ATOMIC_SEQ_CST)
	                : cl_atomic_add_slow(a, delta);
}

static inline bool cl_atomic_cas(cl_atomic64 *a, int64_t old, int64_t new_value)
{
	if (CL_BARE_)
		return __atomic_compare_exchange_n(&a->v, &old, new_value, false, __ATOMIC_SEQ_CST,
		                                   __ATOMIC_SEQ_CST);
	return cl_atomic_cas_slow(a, old, new_value);
}

static inline void *cl_atomic_load_ptr(cl_atomic_ptr *a)
{
	return CL_BARE_ ? __atomic_load_n(&a->v, __ATOMIC_SEQ_CST) : cl_atomic_load_ptr_slow(a);
}

static inline void cl_atomic_store_ptr(cl_atomic_ptr *a, void *v)
{
	if (CL_BARE_)
		__atomic_store_n(&a->v, v, __ATOMIC_SEQ_CST);
	else
		cl_atomic_store_ptr_slow(a, v);
}

static inline bool cl_atomic_cas_ptr(cl_atomic_ptr *a, void *old, void *new_value)
{
	if (CL_BARE_)
		return __atomic_compare_exchange_n(&a->v, &old, new_value, false, __ATOMIC_SEQ_CST,
		                                   __ATOMIC_SEQ_CST);
	return cl_atomic_cas_ptr_slow(a, old, new_value);
}

#endif
