/*
 * sched_par.c - the parallel scheduler: M:N, tasks spread over OS threads.
 *
 * Each processor is an OS thread running a scheduler loop on its own stack
 * (its "g0", as Go calls it).  A task runs until it blocks, yields or
 * exits; it then switches to its thread's g0, which finishes what the
 * task asked for (releasing the channel lock of a park, requeueing a yield,
 * freeing a dead task's stack) and picks the next task:
 *
 *   1. every 61st pick, the global queue first, so it is never starved;
 *   2. runnext: a task woken by a channel operation runs next on the
 *      waker's processor, so a ping-pong stays on one processor (but
 *      every 64th pick the local queue goes first);
 *   3. the local queue (a ring of 256; overflow goes to the global queue);
 *   4. the global queue; due timers;
 *   5. steal half of a random victim's local queue (a short one of a busy
 *      victim only after a grace), else (after a grace) the runnext of a
 *      victim that is busy running something else;
 *   6. spin a little, then park on a futex.
 *
 * A kernel wake-up costs as much as hundreds of hand-offs on this kind of
 * machine, so a parked processor is woken only when no other processor is
 * spinning for work, and not at once for a task put in runnext: the waker
 * usually blocks at its next scheduling point and runs it itself
 * (owe_wake).  A task put in runnext can be taken by another processor
 * after a short grace (steal_runnext), so a waker that keeps computing
 * does not hold it.
 *
 * No asynchronous preemption, as in Go before 1.14: a task that never
 * reaches a scheduling point keeps its processor; --starve-warn reports it.
 *
 * Deadlock: the last processor to go idle checks, under idle_lock, that no
 * task is queued anywhere, no timer is pending and no task is in a blocking
 * system call.  Then nothing can ever run again (every other processor is
 * parked, so none holds a runnext).
 *
 * Lock order: the table in rt.h.
 */
#include <errno.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "runtime/fiber.h"
#include "runtime/rt.h"
#include "runtime/sched.h"
#include "runtime/taskq.h"

#define GLOBAL_EVERY 61
#define LOCAL_EVERY 64
#define SPIN_ROUNDS 64
#define STEP_BATCH 64                  /* steps a processor counts before adding them up */
#define INTERRUPT_POLL_NS 20000000     /* an idle processor looks at cl_config.interrupt */
#define POLL_FIRST_NS 20000            /* and at others' runnext (owe_wake): first after */
#define POLL_DOUBLINGS 6               /* 20 us, then twice as long per poll in vain, to 1.28 ms */

/* A test hook (test_syscall.c): called on the thread back from a system
 * call before its task is queued, to widen that window. */
void (*rt_par_syscall_exit_hook)(struct rt_sched *s);

_Thread_local int rt_par_active;

/* An OS thread (Go's M).  It runs the scheduler loop of the processor it
 * holds; a task that enters a blocking system call keeps the thread and
 * lets its processor go to another one (Go's M/P hand-off), so m->p is
 * NULL while the call lasts, and after it until the thread is given a
 * processor again from the pool of spare threads. */
struct rt_m {
	struct rt_sched *s;
	struct rt_proc *p;              /* the processor held, or NULL */
	struct rt_ctx g0;               /* the scheduler loop's context */
	const void *g0_lo;              /* its stack, for ASan */
	size_t g0_size;
	void *g0_fake_stack;
	void *g0_tsan_fiber;
	enum rt_after after;            /* what the task that switched out asked for, */
	struct rt_task *after_task;     /* which task that was (finish_switch does it) */
	void (*after_unlock)(void *);
	void *after_arg;
	struct rt_task *syscall_task;   /* the task inside cl_syscall_enter/exit */
	int wake_word;                  /* futex: 1 while waiting in the pool */
	struct rt_m *pool_next;         /* in the pool of spare threads */
	struct rt_m *all_next;          /* every thread of the run, for joining */
	pthread_t thread;
	bool own_thread;
	int done;                       /* futex: 1 once the thread has left its loop */
};

static _Thread_local struct rt_m *m_tls;

__attribute__((noinline)) struct rt_proc *rt_proc_self(void)
{
	struct rt_m *m = m_tls;
	__asm__ volatile("" ::: "memory");
	return m ? m->p : NULL;
}

struct rt_task *rt_par_task_here(void)
{
	struct rt_m *m = m_tls;
	if (!m)
		return NULL;
	if (m->syscall_task)
		return m->syscall_task;
	return m->p ? m->p->current : NULL;
}

static struct rt_m *m_self(void)
{
	struct rt_m *m = m_tls;
	__asm__ volatile("" ::: "memory");
	return m;
}

/* Test-and-test-and-set with exponential backoff: a waiter that lost the
 * race pauses longer each time instead of re-reading the lock's cache line
 * on every cycle, which under contention makes the line bounce between the
 * cores and slows the holder itself.  A lock held for very long (its
 * holder's thread was preempted) makes us yield the CPU. */
void rt_spin_lock(struct rt_lock *l)
{
	unsigned backoff = 4, rounds = 0;
	while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE)) {
		do {
			for (unsigned i = 0; i < backoff; i++)
				rt_cpu_relax();
			if (backoff < 1024)
				backoff *= 2;
			else if (++rounds > 64)
				sched_yield();
		} while (__atomic_load_n(&l->held, __ATOMIC_RELAXED));
	}
}

#ifdef CHANLAB_DEBUG
/* ---- lock ranks (debug builds) ---------------------------------------------------------- */

#define MAX_HELD 32

/* The locks this thread holds, in the order taken. */
static _Thread_local const struct rt_lock *held_locks[MAX_HELD];
static _Thread_local int nheld;

/* l's rank in rt.h's table: a field of the run's scheduler or processor
 * records, else an object's lock (rank 1). */
static int rank_of(const struct rt_lock *l)
{
	struct rt_sched *s = rt_sched_cur;
	if (!s)
		return 1;
	const char *a = (const char *)l;
	if (s->procs && a >= (const char *)s->procs && a < (const char *)(s->procs + s->nprocs))
		return 5;
	const struct {
		const struct rt_lock *lock;
		int rank;
	} table[] = {
		{&s->ctx_lock, 0},   {&s->idle_lock, 3}, {&s->timer_lock, 4},  {&s->global_lock, 6},
		{&s->m_lock, 7},     {&s->tasks_lock, 8}, {&s->obj_lock, 9},    {&s->stack_lock, 10},
		{&s->finish_lock, 11}, {&s->trace_lock, 12},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].lock == l)
			return table[i].rank;
	return 1;
}

void rt_lock_rank_enter(const struct rt_lock *l)
{
	int rank = rank_of(l);
	for (int i = 0; i < nheld; i++) {
		int r = rank_of(held_locks[i]);
		/* Object locks (rank 1) nest in two ways, not checked here: a
		 * select's channels in address order, a cond then its mutex. */
		if (r > rank || (r == rank && rank != 1))
			rt_bug("lock order: taking a rank-%d lock while holding a rank-%d one (rt.h's table)",
			       rank, r);
	}
	if (nheld == MAX_HELD)
		rt_bug("lock order: more than %d locks held", MAX_HELD);
	held_locks[nheld++] = l;
}

void rt_lock_rank_leave(const struct rt_lock *l)
{
	for (int i = nheld - 1; i >= 0; i--) {
		if (held_locks[i] == l) {
			held_locks[i] = held_locks[--nheld];
			return;
		}
	}
	rt_bug("lock order: releasing a lock this thread does not hold");
}
#endif

int64_t rt_mono_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

cl_time rt_par_now(struct rt_sched *s)
{
	return rt_mono_ns() - s->start_ns;
}

/* ---- how many processors ----------------------------------------------------------- */

/* CPUs this process may use: its affinity mask, and a cgroup v2 CPU quota
 * (the container pitfall: a pod limited to 2 CPUs on a 64-core node). */
int rt_available_cpus(void)
{
	int n = 0;
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		n = CPU_COUNT(&set);
	if (n <= 0)
		n = (int)sysconf(_SC_NPROCESSORS_ONLN);
	FILE *f = fopen("/sys/fs/cgroup/cpu.max", "r");
	if (f) {
		char quota[32];
		long period;
		if (fscanf(f, "%31s %ld", quota, &period) == 2 && strcmp(quota, "max") != 0 &&
		    period > 0) {
			long q = atol(quota);
			int limit = (int)((q + period - 1) / period);
			if (limit > 0 && limit < n)
				n = limit;
		}
		fclose(f);
	}
	return n > 0 ? n : 1;
}

/* ---- futex ------------------------------------------------------------------------------ */

static void futex_wait(int *word, int val, int64_t timeout_ns)
{
	struct timespec ts, *tp = NULL;
	if (timeout_ns >= 0) {
		ts.tv_sec = timeout_ns / 1000000000;
		ts.tv_nsec = timeout_ns % 1000000000;
		tp = &ts;
	}
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, tp, NULL, 0);
}

static void futex_wake(int *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* ---- queues -------------------------------------------------------------------------------- */

/* The global queue is a FIFO of chunks of task pointers, not a list
 * through the tasks: each task record sits at the top of its own stack, a
 * page of its own, so a list would write a cold page to queue a task and
 * read one to take it (a million woken tasks pass through here). */
#define GCHUNK_TASKS 254

struct rt_gchunk {
	struct rt_gchunk *next;
	unsigned head, tail;                 /* items[head..tail) are queued */
	struct rt_task *items[GCHUNK_TASKS];
};

/* Appends the n tasks of ts, in order, under one acquisition of the lock. */
static void global_put_array(struct rt_sched *s, struct rt_task *const *ts, unsigned n)
{
	rt_lock_acquire(&s->global_lock);
	struct rt_gchunk *c = s->global_last;
	for (unsigned i = 0; i < n; i++) {
		if (!c || c->tail == GCHUNK_TASKS) {
			struct rt_gchunk *fresh = s->global_spare;
			if (fresh)
				s->global_spare = NULL;
			else if (!(fresh = malloc(sizeof *fresh)))
				rt_oom();
			fresh->next = NULL;
			fresh->head = fresh->tail = 0;
			if (c)
				c->next = fresh;
			else
				s->global_first = fresh;
			s->global_last = c = fresh;
		}
		c->items[c->tail++] = ts[i];
	}
	__atomic_store_n(&s->nglobal, s->nglobal + (int)n, __ATOMIC_RELEASE);
	rt_lock_release(&s->global_lock);
}

static void global_put(struct rt_sched *s, struct rt_task *t)
{
	global_put_array(s, &t, 1);
}

/* Takes up to max tasks from the head of the global queue into out, in
 * order; locked on entry. */
static unsigned global_take_locked(struct rt_sched *s, struct rt_task **out, unsigned max)
{
	unsigned n = 0;
	struct rt_gchunk *c;
	while (n < max && (c = s->global_first)) {
		while (n < max && c->head < c->tail)
			out[n++] = c->items[c->head++];
		if (c->head < c->tail)
			break;
		s->global_first = c->next;
		if (!s->global_first)
			s->global_last = NULL;
		if (s->global_spare)
			free(c);
		else
			s->global_spare = c;
	}
	__atomic_store_n(&s->nglobal, s->nglobal - (int)n, __ATOMIC_RELEASE);
	return n;
}

/* Frees the chunks at the end of a run (tasks still queued stay listed in
 * the task table for the dump). */
static void global_free(struct rt_sched *s)
{
	struct rt_gchunk *c = s->global_first;
	while (c) {
		struct rt_gchunk *next = c->next;
		free(c);
		c = next;
	}
	free(s->global_spare);
	s->global_first = s->global_last = s->global_spare = NULL;
	s->nglobal = 0;
}

static void local_put_batch(struct rt_proc *p, struct rt_task *const *ts, unsigned n);

/* One task from the global queue for p, and, as Go's globrunqget, a fair
 * share more (len/nprocs, at most half a ring and what p's ring has room
 * for) moved into p's ring under the same acquisition of the lock. */
static struct rt_task *global_get(struct rt_sched *s, struct rt_proc *p)
{
	int queued = __atomic_load_n(&s->nglobal, __ATOMIC_RELAXED);
	if (!queued)
		return NULL;
	/* Only p's thread adds to p's ring (thieves only take), so its room
	 * can only grow until the batch is in. */
	unsigned room = RT_RUNQ_SIZE - (__atomic_load_n(&p->tail, __ATOMIC_ACQUIRE) -
	                                __atomic_load_n(&p->head, __ATOMIC_ACQUIRE));
	struct rt_task *got[RT_RUNQ_SIZE / 2 + 1];
	rt_lock_acquire(&s->global_lock);
	unsigned want = (unsigned)s->nglobal / (unsigned)s->nprocs + 1;
	if (want > RT_RUNQ_SIZE / 2)
		want = RT_RUNQ_SIZE / 2;
	if (want > room + 1)
		want = room + 1;
	unsigned n = global_take_locked(s, got, want);
	rt_lock_release(&s->global_lock);
	if (!n)
		return NULL;
	if (n > 1)
		local_put_batch(p, got + 1, n - 1);
	return got[0];
}

/* The ring's indices are written under qlock but read without it (to skip
 * empty queues cheaply), so every access is atomic. */
static inline unsigned ld(unsigned *x)
{
	return __atomic_load_n(x, __ATOMIC_ACQUIRE);
}

static inline void st(unsigned *x, unsigned v)
{
	__atomic_store_n(x, v, __ATOMIC_RELEASE);
}

/* Puts t in p's local queue; half of a full queue moves to the global one. */
static void local_put(struct rt_sched *s, struct rt_proc *p, struct rt_task *t)
{
	rt_lock_acquire(&p->qlock);
	unsigned head = ld(&p->head), tail = ld(&p->tail);
	if (tail - head < RT_RUNQ_SIZE) {
		p->runq[tail % RT_RUNQ_SIZE] = t;
		st(&p->tail, tail + 1);
		rt_lock_release(&p->qlock);
		return;
	}
	/* The oldest half goes to the global queue in one piece (a million
	 * tasks woken at once pass through here). */
	struct rt_task *half[RT_RUNQ_SIZE / 2];
	for (unsigned i = 0; i < RT_RUNQ_SIZE / 2; i++)
		half[i] = p->runq[(head + i) % RT_RUNQ_SIZE];
	st(&p->head, head + RT_RUNQ_SIZE / 2);
	p->runq[tail % RT_RUNQ_SIZE] = t;
	st(&p->tail, tail + 1);
	rt_lock_release(&p->qlock);
	global_put_array(s, half, RT_RUNQ_SIZE / 2);
}

/* Appends n tasks to p's ring, which has room for them (p's thread only). */
static void local_put_batch(struct rt_proc *p, struct rt_task *const *ts, unsigned n)
{
	rt_lock_acquire(&p->qlock);
	unsigned tail = ld(&p->tail);
	for (unsigned i = 0; i < n; i++)
		p->runq[(tail + i) % RT_RUNQ_SIZE] = ts[i];
	st(&p->tail, tail + n);
	rt_lock_release(&p->qlock);
}

/* How far ahead local_get fetches a queued task's record. */
#define RING_AHEAD 2

static struct rt_task *local_get(struct rt_proc *p)
{
	if (ld(&p->tail) == ld(&p->head))
		return NULL;
	rt_lock_acquire(&p->qlock);
	struct rt_task *t = NULL;
	unsigned head = ld(&p->head);
	unsigned tail = ld(&p->tail);
	if (tail != head) {
		t = p->runq[head % RT_RUNQ_SIZE];
		st(&p->head, head + 1);
		/* The task after next: its record, on a page of its own that
		 * nothing has touched since it was queued, arrives while this one
		 * and the next run (a million woken tasks come through here). */
		if (tail - head > RING_AHEAD)
			__builtin_prefetch(p->runq[(head + RING_AHEAD) % RT_RUNQ_SIZE], 1);
	}
	rt_lock_release(&p->qlock);
	return t;
}

/* p's runnext, exchanged for t (not NULL) by the thread holding p.
 * Thieves (steal_runnext) compare-and-swap it, so it is an atomic exchange;
 * with one processor there are none, and only the thread holding p (one at
 * a time: a hand-off to another thread synchronises) ever touches it.  A
 * thief only ever turns a task into NULL, so an empty runnext stays empty
 * until its owner fills it: putting a task in an empty one needs no
 * exchange, a release store publishes it (a spawn and a wake-up, nearly
 * always into an empty runnext, save a locked instruction each). */
static inline struct rt_task *runnext_swap(struct rt_sched *s, struct rt_proc *p,
                                           struct rt_task *t)
{
	if (s->nprocs == 1) {
		struct rt_task *old = p->runnext;
		p->runnext = t;
		return old;
	}
	if (!__atomic_load_n(&p->runnext, __ATOMIC_RELAXED)) {
		__atomic_store_n(&p->runnext, t, __ATOMIC_RELEASE);
		return NULL;
	}
	return __atomic_exchange_n(&p->runnext, t, __ATOMIC_ACQ_REL);
}

/* Takes p's runnext, by the thread holding p.  Its owner takes runnext at
 * nearly every switch (a spawn+join takes it twice), and while every other
 * processor sleeps no thief can be after it, so the locked exchange can go,
 * as in an asymmetric Dekker: the owner announces its take with a plain
 * store and then reads nidle, with only the compiler's order between the
 * two; a processor that wakes is counted out of nidle, then, before it may
 * take anyone's runnext, has the kernel run a full fence on every thread of
 * the process (membarrier; runnext_claimable), then reads the announcement.
 * Whichever comes first, one sees the other: the owner sees a thief awake
 * and takes by exchange, as a thief takes by compare-and-swap, or the thief
 * sees the take and waits until it is over.  The fence costs the waking
 * processor microseconds (13 us on this kind of VM, where it interrupts
 * every other CPU), once per wake-up, never per take, and none when the
 * only processor awake woke it (wakep): that one is not inside a take.
 * Without membarrier (runnext_fenced false) the owner always exchanges. */
static inline struct rt_task *runnext_take(struct rt_sched *s, struct rt_proc *p)
{
	struct rt_task *t;
	if (s->nprocs == 1) {
		t = p->runnext;
		p->runnext = NULL;
		return t;
	}
	if (!__atomic_load_n(&p->runnext, __ATOMIC_RELAXED))
		return NULL;   /* empty stays empty until this thread fills it */
	/* Another processor awake: the exchange decides, no announcement. */
	if (!s->runnext_fenced || __atomic_load_n(&s->nidle, __ATOMIC_RELAXED) != s->nprocs - 1)
		return __atomic_exchange_n(&p->runnext, NULL, __ATOMIC_ACQ_REL);
	__atomic_store_n(&p->runnext_taking, 1, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);   /* a thief's membarrier makes it a fence */
	/* Again, after the announcement (acquire: nothing below moves above). */
	if (__atomic_load_n(&s->nidle, __ATOMIC_ACQUIRE) != s->nprocs - 1) {
		t = __atomic_exchange_n(&p->runnext, NULL, __ATOMIC_ACQ_REL);
	} else {
		/* Every other processor was asleep after this announcement was
		 * made: one that has woken since sees it before it looks at
		 * runnext.  The task is this thread's (or a thief took it before
		 * the announcement, and this reads NULL). */
		t = __atomic_load_n(&p->runnext, __ATOMIC_RELAXED);
		__atomic_store_n(&p->runnext, NULL, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&p->runnext_taking, 0, __ATOMIC_RELEASE);
	return t;
}

/* A woken task waits in its waker's runnext so that a ping-pong stays on
 * one processor: the waker usually blocks within a microsecond and runs it
 * next.  A waker that keeps computing instead would hold it for as long as
 * it computes, so an idle processor takes it, as Go's runqgrab does, after
 * a grace of RUNNEXT_GRACE_NS in which it must not have moved. */
#define RUNNEXT_GRACE_NS 3000

/* A thief's side of runnext_take.  fence_owed: p has slept since its last
 * fence, and an owner may have taken runnext without an exchange in the
 * meantime; the fence makes that take, if not over, visible.  Then a take
 * still announced on v is waited out.  False if the fence failed or the
 * take lasts beyond a grace (its thread lost the CPU): no steal from v. */
static bool runnext_claimable(struct rt_proc *p, struct rt_proc *v)
{
	if (p->fence_owed) {
		if (syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0) != 0)
			return false;
		p->fence_owed = false;
	}
	int64_t until = rt_mono_ns() + RUNNEXT_GRACE_NS;
	while (__atomic_load_n(&v->runnext_taking, __ATOMIC_ACQUIRE)) {
		if (rt_mono_ns() > until)
			return false;
		rt_cpu_relax();
	}
	return true;
}

/* Trace: processor p took n tasks from victim's queue (from: "runq" or
 * "runnext") and runs t first.  On p's g0, after the victim's lock. */
static void emit_steal(struct rt_sched *s, struct rt_proc *p, struct rt_proc *victim,
                       struct rt_task *t, int n, const char *from)
{
	if (!s->tracing)
		return;
	struct cl_event ev = rt_event(s, CL_EV_STEAL);
	ev.task = t->id;
	ev.task_name = t->name;
	ev.proc = p->id + 1;
	ev.arg = victim->id + 1;
	ev.count = n;
	ev.text = from;
	rt_emit(s, &ev);
}

static struct rt_task *steal_runnext(struct rt_sched *s, struct rt_proc *p, int start)
{
	int n = s->nprocs;
	for (int k = 0; k < n; k++) {
		struct rt_proc *v = &s->procs[(start + k) % n];
		struct rt_task *t = __atomic_load_n(&v->runnext, __ATOMIC_ACQUIRE);
		if (v == p || !t || !__atomic_load_n(&v->current, __ATOMIC_ACQUIRE))
			continue;
		/* The grace passes without a look at the victim's lines, which
		 * its owner writes on every switch.  Then the owner must not have
		 * started a task since (its schedtick): the same pointer in
		 * runnext may be a new task in a reused record (spawn+join puts a
		 * fresh child there every few hundred ns). */
		uint64_t tick = __atomic_load_n(&v->schedtick, __ATOMIC_RELAXED);
		int64_t until = rt_mono_ns() + RUNNEXT_GRACE_NS;
		while (rt_mono_ns() < until)
			rt_cpu_relax();
		if (__atomic_load_n(&v->schedtick, __ATOMIC_RELAXED) != tick)
			continue;
		if (s->runnext_fenced && !runnext_claimable(p, v))
			continue;
		/* Only the same task still waiting (the owner has not started one
		 * since it was seen, and no take of its is in progress): the
		 * owner's exchange and this compare-and-swap decide who runs it. */
		if (__atomic_load_n(&v->schedtick, __ATOMIC_RELAXED) == tick &&
		    __atomic_compare_exchange_n(&v->runnext, &t, NULL, false, __ATOMIC_ACQ_REL,
		                                __ATOMIC_ACQUIRE)) {
			__atomic_add_fetch(&s->runnext_steals, 1, __ATOMIC_RELAXED);
			emit_steal(s, p, v, t, 1, "runnext");
			return t;
		}
	}
	return NULL;
}

/* A short backlog on a busy processor is left to it for a grace: the
 * tasks there were mostly woken by the one it runs and share its channels,
 * and a thief that takes them makes every channel line cross between the
 * cores on each operation from then on (the worker pool with both processors
 * free: thousands of steals of two tasks per million jobs, and twice the
 * time that one processor takes).  So a thief takes from a ring of at most
 * RUNQ_GRACE_MAX tasks only once its owner has not taken from it for
 * RUNQ_GRACE_NS: an owner that keeps computing, or that passes its
 * processor back and forth through runnext, loses them then.  A longer
 * backlog is shared at once, as Go's runqsteal does. */
#define RUNQ_GRACE_NS 20000
#define RUNQ_GRACE_MAX 8

static bool runq_stealable(struct rt_proc *v)
{
	unsigned head = ld(&v->head);
	if (ld(&v->tail) - head > RUNQ_GRACE_MAX || !__atomic_load_n(&v->current, __ATOMIC_ACQUIRE))
		return true;
	int64_t until = rt_mono_ns() + RUNQ_GRACE_NS;
	while (rt_mono_ns() < until && ld(&v->head) == head)
		rt_cpu_relax();
	return ld(&v->head) == head;
}

/* Takes half of a random victim's local queue; returns one, queues the rest. */
static struct rt_task *steal(struct rt_sched *s, struct rt_proc *p)
{
	int n = s->nprocs;
	int start = (int)rt_rand_below(s, (uint64_t)n);
	for (int k = 0; k < n; k++) {
		struct rt_proc *v = &s->procs[(start + k) % n];
		if (v == p || ld(&v->tail) == ld(&v->head) || !runq_stealable(v))
			continue;
		struct rt_task *got[RT_RUNQ_SIZE / 2 + 1];
		int ngot = 0;
		rt_lock_acquire(&v->qlock);
		unsigned head = ld(&v->head);
		unsigned avail = ld(&v->tail) - head;
		unsigned take = avail - avail / 2;
		for (unsigned i = 0; i < take; i++)
			got[ngot++] = v->runq[head++ % RT_RUNQ_SIZE];
		st(&v->head, head);
		rt_lock_release(&v->qlock);
		if (!ngot)
			continue;
		for (int i = 1; i < ngot; i++)
			local_put(s, p, got[i]);
		emit_steal(s, p, v, got[0], ngot, "runq");
		return got[0];
	}
	return steal_runnext(s, p, start);
}

/* Work another processor could take: the global queue and the local
 * rings.  Not runnext: its owner is running and usually takes it within a
 * microsecond; a processor about to park has just tried steal_runnext. */
static bool any_stealable(struct rt_sched *s)
{
	if (__atomic_load_n(&s->nglobal, __ATOMIC_ACQUIRE))
		return true;
	for (int i = 0; i < s->nprocs; i++) {
		struct rt_proc *v = &s->procs[i];
		if (ld(&v->tail) != ld(&v->head))
			return true;
	}
	return false;
}

/* Wakes a parked processor, if there is one and none is already looking
 * for work; waker is the caller's processor, or NULL.  A processor that
 * wakes owes a fence before it may take a runnext (runnext_take), unless
 * its waker was the only one awake: then no other processor can be in the
 * middle of a take without an exchange, and the waker's own takes are over
 * (idle_lock's exchange has published them). */
static void wakep(struct rt_sched *s, const struct rt_proc *waker)
{
	if (!__atomic_load_n(&s->nidle, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&s->nspinning, __ATOMIC_ACQUIRE))
		return;
	rt_lock_acquire(&s->idle_lock);
	struct rt_proc *victim = NULL;
	for (int i = 0; i < s->nprocs && !victim; i++)
		if (s->procs[i].parked)
			victim = &s->procs[i];
	if (victim) {
		victim->parked = false;
		victim->fence_owed = !waker || s->nidle != s->nprocs - 1;
		__atomic_store_n(&s->nidle, s->nidle - 1, __ATOMIC_RELEASE);
		__atomic_store_n(&victim->sleep_word, 0, __ATOMIC_RELEASE);
		s->proc_wakes++;
	}
	rt_lock_release(&s->idle_lock);
	if (victim)
		futex_wake(&victim->sleep_word);
}

static void wake_all(struct rt_sched *s)
{
	rt_lock_acquire(&s->idle_lock);
	for (int i = 0; i < s->nprocs; i++) {
		struct rt_proc *v = &s->procs[i];
		if (v->parked) {
			v->parked = false;
			v->fence_owed = true;
			__atomic_store_n(&s->nidle, s->nidle - 1, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&v->sleep_word, 0, __ATOMIC_RELEASE);
	}
	rt_lock_release(&s->idle_lock);
	for (int i = 0; i < s->nprocs; i++)
		futex_wake(&s->procs[i].sleep_word);
	rt_lock_acquire(&s->m_lock);
	for (struct rt_m *m = s->m_pool; m; m = m->pool_next) {
		__atomic_store_n(&m->wake_word, 0, __ATOMIC_RELEASE);
		futex_wake(&m->wake_word);
	}
	rt_lock_release(&s->m_lock);
}

/* ---- what tasks call ------------------------------------------------------------------------- */

/* A task the running one put in runnext is nearly always run next by this
 * processor: a spawner, a sender, a Done usually blocks at its next
 * scheduling point (spawn+join, a ping-pong), and waking a parked processor
 * for it costs a system call here and a processor that spins for nothing
 * there, pulling this one's lines as it looks (spawn+join at 2 processors
 * took 1.5x its time at 1).  So the wake is owed, and cancelled when this
 * processor takes runnext (local_pick).  OWED_POINTS of the running task's
 * scheduling points pass free: a spawn's own, which follows its ready, and
 * the one of the operation that blocks (the Wait).  At the next one the
 * task has gone on instead of blocking, and par_point pays the wake
 * (wake_owed counts 1 + the points passed).  A task that computes with no
 * scheduling point at all (spinning on an atomic for the task it started)
 * is covered by parked processors' polls (idle): a parked processor wakes
 * by itself 20 us after it parked, then after twice as long each time it
 * found nothing, up to 1.28 ms (Go's sysmon backs off the same way), and
 * from its first poll again once it has run a task.  So a woken task waits
 * at most about 20 us for a processor that was just busy (bench's
 * wake_latency), and a processor idle for long costs under a thousand
 * wake-ups a second. */
#define OWED_POINTS 2
static inline void owe_wake(struct rt_proc *p)
{
	p->wake_owed = 1;
}

/* Reached only through the table (never inlined into a caller that
 * switches), so it reads the thread's m itself, without rt_proc_self's
 * call: twice per spawn+join. */
void rt_par_ready(struct rt_sched *s, struct rt_task *t)
{
	struct rt_m *m = m_tls;
	struct rt_proc *p = m ? m->p : NULL;
	__atomic_store_n(&t->state, RT_RUNNABLE, __ATOMIC_RELEASE);
	if (p && p->current) {
		/* From a running task: t runs next here; whatever was waiting in
		 * runnext goes to the queue, where others can take it.  A parked
		 * processor is woken only if none is looking for work already: a
		 * ping-pong costs one wake-up per spin period of the woken
		 * processor, not one per hand-off. */
		struct rt_task *old = runnext_swap(s, p, t);
		if (old) {
			local_put(s, p, old);
			wakep(s, p);
		} else if (s->nprocs > 1) {
			owe_wake(p);
		}
	} else if (p) {
		local_put(s, p, t);
		wakep(s, p);
	} else {
		global_put(s, t);
		wakep(s, NULL);
	}
}

static struct rt_task *find_direct(struct rt_sched *s, struct rt_proc *p);
static void finish_switch(struct rt_sched *s, struct rt_m *m);

/* Marks t as the task p runs from now on (a step of the run). */
static inline void start_task(struct rt_sched *s, struct rt_proc *p, struct rt_task *t)
{
	__atomic_store_n(&p->schedtick, p->schedtick + 1, __ATOMIC_RELAXED);
	t->ran_at = __atomic_load_n(&s->steps, __ATOMIC_RELAXED);   /* the livelock report */
	__atomic_store_n(&p->current, t, __ATOMIC_RELEASE);
}

/* Switches the running task off its processor, asking for `after`;
 * returns when the task is resumed, on whichever thread.  What it asked
 * for is done by the context that runs next on this thread, once t is off
 * its stack (finish_switch): the thread's g0, or, when t parks or exits
 * and its processor has the next task at hand (find_direct), that task
 * itself, switched to directly.  A spawn+join then makes two switches
 * instead of four through g0. */
static void switch_out(struct rt_task *t, enum rt_after after,
                       void (*unlock)(void *), void *arg)
{
	struct rt_m *m = m_self();
	struct rt_sched *s = m->s;
	m->after = after;
	m->after_task = t;
	m->after_unlock = unlock;
	m->after_arg = arg;
	struct rt_proc *p = m->p;
	struct rt_task *next = NULL;
	if ((after == RT_AFTER_PARK || after == RT_AFTER_EXIT) && p && (next = find_direct(s, p)))
		p->steps_pending++;   /* a step that checks no limit: find_direct made sure */
	if (next) {
		start_task(s, p, next);
#ifdef RT_ASAN
		__sanitizer_start_switch_fiber(after == RT_AFTER_EXIT ? NULL : &t->asan_fake_stack,
		                               next->stack->lo, next->stack->size);
#endif
#ifdef RT_TSAN
		__tsan_switch_to_fiber(next->tsan_fiber, 0);
#endif
		rt_ctx_switch(&t->ctx, &next->ctx);
	} else {
#ifdef RT_ASAN
		__sanitizer_start_switch_fiber(after == RT_AFTER_EXIT ? NULL : &t->asan_fake_stack,
		                               m->g0_lo, m->g0_size);
#endif
#ifdef RT_TSAN
		__tsan_switch_to_fiber(m->g0_tsan_fiber, 0);
#endif
		rt_ctx_switch(&t->ctx, &m->g0);
	}
	rt_par_resumed(t);
}

/* Called in a task right after it was switched to: by g0, or directly by
 * the task that ran before it here, whose request it then finishes. */
void rt_par_resumed(struct rt_task *t)
{
	struct rt_m *m = m_self();
#ifdef RT_ASAN
	const void *lo;
	size_t size;
	__sanitizer_finish_switch_fiber(t->asan_fake_stack, &lo, &size);
	if (!m->g0_size && m->after == RT_AFTER_NONE) {   /* from g0: its stack */
		m->g0_lo = lo;
		m->g0_size = size;
	}
#else
	(void)t;
#endif
	if (m->after != RT_AFTER_NONE)
		finish_switch(m->s, m);
}

void rt_par_park(struct rt_task *t, void (*unlock)(void *), void *arg)
{
	switch_out(t, RT_AFTER_PARK, unlock, arg);
}

void rt_par_yield(struct rt_task *t)
{
	switch_out(t, RT_AFTER_YIELD, NULL, NULL);
}

_Noreturn void rt_par_exit(struct rt_task *t)
{
	switch_out(t, RT_AFTER_EXIT, NULL, NULL);
	rt_bug("task %d was resumed after its exit", t->id);
}

/* The run is over: the task stops here for good (it is neither blocked
 * nor dead: the report lists it as running or abandoned). */
_Noreturn void rt_par_abandon(struct rt_task *t)
{
	switch_out(t, RT_AFTER_ABANDON, NULL, NULL);
	rt_bug("task %d was resumed after the run ended", t->id);
}

void rt_par_finish(struct rt_sched *s, enum cl_outcome outcome, const char *headline)
{
	rt_lock_acquire(&s->finish_lock);
	if (!s->finished) {
		s->finished = true;
		s->outcome = outcome;
		if (headline)
			s->report = strdup(headline);
	}
	rt_lock_release(&s->finish_lock);
	rt_par_stop(s);
}

void rt_par_stop(struct rt_sched *s)
{
	__atomic_store_n(&s->stopping, 1, __ATOMIC_RELEASE);
	futex_wake(&s->stopping);   /* cl_run's thread, waiting for the end */
	wake_all(s);
}

/* ---- blocking system calls -------------------------------------------------------------------- */

static void m_start(struct rt_sched *s, struct rt_m *m);

/* A spare thread for processor p: from the pool, or a new one. */
static void hand_off(struct rt_sched *s, struct rt_proc *p)
{
	rt_lock_acquire(&s->m_lock);
	struct rt_m *m = s->m_pool;
	if (m)
		s->m_pool = m->pool_next;
	rt_lock_release(&s->m_lock);
	if (s->tracing) {   /* on the thread going into the call, its task's event */
		struct cl_event ev = rt_event(s, CL_EV_HANDOFF);
		struct rt_task *t = m_self()->syscall_task;
		ev.task = t ? t->id : 0;
		ev.task_name = t ? t->name : "runtime";
		ev.proc = p->id + 1;
		ev.text = m ? "spare thread" : "new thread";
		rt_emit(s, &ev);
	}
	if (m) {
		m->p = p;
		__atomic_store_n(&m->wake_word, 0, __ATOMIC_RELEASE);
		futex_wake(&m->wake_word);
		return;
	}
	m = calloc(1, sizeof *m);
	if (!m)
		rt_oom();
	m->s = s;
	m->p = p;
	m_start(s, m);
}

static void par_syscall_enter(struct rt_sched *s)
{
	/* This thread is about to block in the kernel: its processor goes to
	 * another thread, which runs the tasks queued behind this one. */
	struct rt_m *m = m_self();
	struct rt_proc *p = m->p;
	m->syscall_task = p->current;
	__atomic_add_fetch(&s->nsyscall, 1, __ATOMIC_ACQ_REL);
	__atomic_store_n(&p->current, NULL, __ATOMIC_RELEASE);
	m->p = NULL;
	hand_off(s, p);
}

static void par_syscall_exit(struct rt_sched *s)
{
	(void)s;
	/* Back from the kernel without a processor: queue the task and let
	 * this thread wait in the pool for one. */
	struct rt_m *m = m_self();
	struct rt_task *t = m->syscall_task;
	m->syscall_task = NULL;
	/* The task still counts as in a system call (nsyscall) until g0 has
	 * queued it: otherwise the last idle processor could see no queued
	 * task and no system call, and declare a deadlock. */
	switch_out(t, RT_AFTER_SYSCALL, NULL, NULL);
}

/* ---- the processor loop ---------------------------------------------------------------------------- */

static int64_t next_timer_in(struct rt_sched *s)
{
	rt_lock_acquire(&s->timer_lock);
	int64_t when = s->timers.n ? s->timers.items[0]->when : -1;
	rt_lock_release(&s->timer_lock);
	if (when < 0)
		return -1;
	int64_t d = when - rt_par_now(s);
	return d > 0 ? d : 0;
}

/* runnext, else the local ring.  Two tasks that keep waking each other
 * would pass the processor back and forth through runnext for ever, and
 * the tasks queued in the ring behind them (one woken by a timer, say)
 * would never run: every LOCAL_EVERY-th pick the ring goes first.  Go gets
 * the same from the time slice a task taken from runnext inherits, which
 * sysmon preempts when it ends. */
static inline struct rt_task *local_pick(struct rt_sched *s, struct rt_proc *p)
{
	struct rt_task *t;
	if (p->schedtick % LOCAL_EVERY == 0 && (t = local_get(p)))
		return t;
	if ((t = runnext_take(s, p))) {
		p->wake_owed = 0;
		return t;
	}
	return local_get(p);
}

static struct rt_task *find_work(struct rt_sched *s, struct rt_proc *p)
{
	struct rt_task *t;
	/* Due timers first, as Go's findRunnable checks timers before any
	 * queue: were they fired only when the queues ran dry, tasks that keep
	 * yielding would hold every sleeper back for as long as they run. */
	if (__atomic_load_n(&s->timers.n, __ATOMIC_ACQUIRE))
		rt_timers_fire_due(s);
	if (p->schedtick % GLOBAL_EVERY == 0 && (t = global_get(s, p)))
		return t;
	if ((t = local_pick(s, p)))
		return t;
	if ((t = global_get(s, p)))
		return t;
	if (s->nprocs > 1 && (t = steal(s, p)))
		return t;
	return NULL;
}

/* How many steps a processor counts before it adds them to the run's and
 * checks the limits (a small --max-steps counts every step). */
static inline unsigned step_batch(const struct rt_sched *s)
{
	return s->cfg.max_steps < 1000000 ? 1u : STEP_BATCH;
}

/* The task g0's loop would pick next on p, when it can be had on the
 * running task's stack: the run goes on, no timer is due (g0 fires them),
 * it is not the global queue's turn, the step it makes checks no limit
 * (over_limit takes locks the task may rank above: a park can hold
 * timer_lock), and runnext or the local ring has one.  Else NULL, and g0
 * decides. */
static struct rt_task *find_direct(struct rt_sched *s, struct rt_proc *p)
{
	if (__atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE) ||
	    p->steps_pending + 1 >= step_batch(s) || rt_interrupt_raised(s))
		return NULL;
	if (__atomic_load_n(&s->timers.n, __ATOMIC_ACQUIRE) &&
	    __atomic_load_n(&s->timers.first, __ATOMIC_ACQUIRE) <= rt_par_now(s))
		return NULL;
	if (p->schedtick % GLOBAL_EVERY == 0 && __atomic_load_n(&s->nglobal, __ATOMIC_ACQUIRE))
		return NULL;
	return local_pick(s, p);
}

/* The run's limits, checked by g0: steps (every resumption of a task by a
 * processor is one scheduling decision), wall-clock time since the start,
 * the caller's interrupt flag and livelock.  True if the run is over. */
static bool over_limit(struct rt_sched *s)
{
	uint64_t steps = __atomic_load_n(&s->steps, __ATOMIC_RELAXED);
	if (steps > s->cfg.max_steps) {
		char headline[120];
		snprintf(headline, sizeof headline, "step limit: %llu scheduling decisions",
		         (unsigned long long)s->cfg.max_steps);
		rt_par_finish(s, CL_OUTCOME_LIMIT, headline);
		return true;
	}
	if (rt_par_now(s) > s->cfg.max_time) {
		char headline[120];
		snprintf(headline, sizeof headline, "time limit: %lld ms",
		         (long long)(s->cfg.max_time / CL_MS));
		rt_par_finish(s, CL_OUTCOME_LIMIT, headline);
		return true;
	}
	if (rt_interrupt_raised(s)) {
		rt_par_finish(s, CL_OUTCOME_LIMIT, "interrupted");
		return true;
	}
	/* Livelock, as under det: a window of steps without progress.  The
	 * progress may have been recorded by another processor after this
	 * one read steps. */
	uint64_t progress = __atomic_load_n(&s->progress_step, __ATOMIC_RELAXED);
	if (steps > progress && steps - progress > s->livelock_window) {
		char headline[200];
		snprintf(headline, sizeof headline, RT_LIVELOCK_HEADLINE,
		         (unsigned long long)s->livelock_window);
		rt_par_finish(s, CL_OUTCOME_LIMIT, headline);   /* rt_par_run adds the tasks */
		return true;
	}
	return false;
}

/* Counts one step on p; every batch adds them to the run's count and checks
 * the limits (a small --max-steps counts every step). */
static bool count_step(struct rt_sched *s, struct rt_proc *p)
{
	if (rt_interrupt_raised(s))
		return over_limit(s);   /* at once, not at the end of a batch */
	if (++p->steps_pending < step_batch(s))
		return false;
	__atomic_add_fetch(&s->steps, p->steps_pending, __ATOMIC_RELAXED);
	p->steps_pending = 0;
	return over_limit(s);
}

/* Parks p until woken, the next timer is due or its poll is due (owe_wake);
 * may detect the deadlock.  True when it woke by itself (no wakep).  Lock
 * order (rt.h): idle_lock, then timer_lock (in next_timer_in). */
static bool idle(struct rt_sched *s, struct rt_proc *p)
{
	if (over_limit(s))
		return false;
	/* nsyscall before the queues: a task back from a system call is
	 * queued before it stops counting (finish_switch), so a zero here
	 * means any such task is already visible to any_stealable. */
	int insyscall = __atomic_load_n(&s->nsyscall, __ATOMIC_ACQUIRE);
	rt_lock_acquire(&s->idle_lock);
	if (any_stealable(s) || __atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE)) {
		rt_lock_release(&s->idle_lock);
		return false;
	}
	int64_t timeout = next_timer_in(s);
	if (timeout == 0) {
		rt_lock_release(&s->idle_lock);
		return false;
	}
	if (s->nidle == s->nprocs - 1 && timeout < 0 && !insyscall) {
		/* Every other processor is parked, nothing is queued, no timer
		 * can fire and no task is in a system call: nothing will ever
		 * run again. */
		rt_lock_release(&s->idle_lock);
		rt_par_finish(s, CL_OUTCOME_DEADLOCK, NULL);
		return false;
	}
	/* Wake up for the time limit and, now and then, for an interrupt. */
	int64_t left = s->cfg.max_time - rt_par_now(s);
	if (left < 1)
		left = 1;
	else if (left < INT64_MAX)
		left++;
	if (timeout < 0 || timeout > left)
		timeout = left;
	if (s->cfg.interrupt && timeout > INTERRUPT_POLL_NS)
		timeout = INTERRUPT_POLL_NS;
	int64_t poll = (int64_t)POLL_FIRST_NS
	               << (p->vain_polls < POLL_DOUBLINGS ? p->vain_polls : POLL_DOUBLINGS);
	if (s->nprocs > 1 && (timeout < 0 || timeout > poll))
		timeout = poll;
	if (timeout == INT64_MAX)
		timeout = -1;
	p->parked = true;
	__atomic_store_n(&s->nidle, s->nidle + 1, __ATOMIC_RELEASE);
	s->proc_parks++;
	__atomic_store_n(&p->sleep_word, 1, __ATOMIC_RELEASE);
	rt_lock_release(&s->idle_lock);
	futex_wait(&p->sleep_word, 1, timeout);
	rt_lock_acquire(&s->idle_lock);
	bool by_itself = p->parked;
	if (by_itself) {   /* woken by the timeout, not by wakep */
		p->parked = false;
		p->fence_owed = true;   /* the processor awake may be taking runnext */
		__atomic_store_n(&s->nidle, s->nidle - 1, __ATOMIC_RELEASE);
		p->vain_polls++;   /* until proc_loop finds a task */
	}
	rt_lock_release(&s->idle_lock);
	return by_itself;
}

/* What the task that switched out asked for (m->after), done once it is
 * off its stack by the context that runs next on its thread: g0, or the
 * next task (rt_par_resumed). */
static void finish_switch(struct rt_sched *s, struct rt_m *m)
{
	struct rt_task *t = m->after_task;
	switch (m->after) {
	case RT_AFTER_PARK:
		if (m->after_unlock)
			m->after_unlock(m->after_arg);
		break;
	case RT_AFTER_YIELD:
		global_put(s, t);
		break;
	case RT_AFTER_SYSCALL:
		if (rt_par_syscall_exit_hook)
			rt_par_syscall_exit_hook(s);
		__atomic_store_n(&t->state, RT_RUNNABLE, __ATOMIC_RELEASE);
		global_put(s, t);
		/* Queued first, then no longer in a system call: idle() reads
		 * nsyscall before the queues, so it sees one or the other. */
		__atomic_sub_fetch(&s->nsyscall, 1, __ATOMIC_ACQ_REL);
		wakep(s, NULL);
		break;
	case RT_AFTER_EXIT:
		rt_task_retire(s, t);
		break;
	case RT_AFTER_ABANDON:
	case RT_AFTER_NONE:
		break;
	}
	/* Only now: until then the stop signal leaves this thread alone
	 * (rt_par_on_task_stack), so a lock is never left held. */
	m->after_task = NULL;
	m->after = RT_AFTER_NONE;
}

static void run_task(struct rt_sched *s, struct rt_m *m, struct rt_task *t)
{
	struct rt_proc *p = m->p;
	if (count_step(s, p)) {
		global_put(s, t);   /* the run is over; the dump lists it as runnable */
		return;
	}
	start_task(s, p, t);
#ifdef RT_ASAN
	__sanitizer_start_switch_fiber(&m->g0_fake_stack, t->stack->lo, t->stack->size);
#endif
#ifdef RT_TSAN
	__tsan_switch_to_fiber(t->tsan_fiber, 0);
#endif
	rt_ctx_switch(&m->g0, &t->ctx);
#ifdef RT_ASAN
	__sanitizer_finish_switch_fiber(m->g0_fake_stack, NULL, NULL);
#endif
	/* The task back here may not be t (direct switches since), and it
	 * may have given the processor away (a system call). */
	if (m->p)
		__atomic_store_n(&m->p->current, NULL, __ATOMIC_RELEASE);
	finish_switch(s, m);
}

/* A thread without a processor waits in the pool until given one. */
static void pool_wait(struct rt_sched *s, struct rt_m *m)
{
	rt_lock_acquire(&s->m_lock);
	__atomic_store_n(&m->wake_word, 1, __ATOMIC_RELEASE);
	m->pool_next = s->m_pool;
	s->m_pool = m;
	rt_lock_release(&s->m_lock);
	while (__atomic_load_n(&m->wake_word, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE))
		futex_wait(&m->wake_word, 1, -1);
}

static void proc_loop(struct rt_sched *s, struct rt_m *m)
{
	int spins = 0;
	while (!__atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE)) {
		struct rt_proc *p = m->p;
		if (!p) {
			pool_wait(s, m);
			continue;
		}
		struct rt_task *t = find_work(s, p);
		if (t) {
			spins = 0;
			p->vain_polls = 0;
			run_task(s, m, t);
			continue;
		}
		if (spins++ < SPIN_ROUNDS) {
			__atomic_add_fetch(&s->nspinning, 1, __ATOMIC_ACQ_REL);
			for (int i = 0; i < 32; i++)
				rt_cpu_relax();
			__atomic_sub_fetch(&s->nspinning, 1, __ATOMIC_ACQ_REL);
			continue;
		}
		/* Back from a poll with nothing found: straight back to sleep,
		 * no spinning, so an idle processor costs little. */
		spins = idle(s, p) ? SPIN_ROUNDS : 0;
	}
}

static void m_setup(struct rt_sched *s, struct rt_m *m)
{
	rt_sched_cur = s;
	m_tls = m;
	rt_par_active = 1;
	cl_atomics_bare = !s->tracing;
#ifdef RT_TSAN
	m->g0_tsan_fiber = __tsan_get_current_fiber();
#endif
}

static void *m_thread(void *arg)
{
	struct rt_m *m = arg;
	rt_fault_thread_init();
	m_setup(m->s, m);
	proc_loop(m->s, m);
	rt_fault_thread_fini();
	rt_par_active = 0;
	cl_atomics_bare = 0;
	m_tls = NULL;
	rt_sched_cur = NULL;
	__atomic_store_n(&m->done, 1, __ATOMIC_RELEASE);
	futex_wake(&m->done);
	return NULL;
}

/* Starts a thread for m and records it for joining at the end of the run. */
static void m_start(struct rt_sched *s, struct rt_m *m)
{
	m->own_thread = true;
	rt_lock_acquire(&s->m_lock);
	m->all_next = s->m_all;
	s->m_all = m;
	rt_lock_release(&s->m_lock);
	if (pthread_create(&m->thread, NULL, m_thread, m) != 0) {
		rt_bug("cannot start a thread for processor %d", m->p ? m->p->id : -1);
	}
}

/* ---- the watchdog (--starve-warn) ---------------------------------------------------------------- */

struct watchdog {
	struct rt_sched *s;
	int stop_word;
};

/* Samples each processor's schedtick: a processor whose tick has not moved
 * for the whole period while it runs a task has run that one task all
 * along.  (No clock read on the scheduling path.) */
static void *watchdog_thread(void *arg)
{
	struct watchdog *w = arg;
	struct rt_sched *s = w->s;
	int64_t period = (int64_t)s->cfg.starve_warn_ms * 1000000;
	uint64_t *seen = calloc((size_t)s->nprocs, sizeof *seen);
	if (!seen)
		return NULL;
	while (!__atomic_load_n(&w->stop_word, __ATOMIC_ACQUIRE)) {
		for (int i = 0; i < s->nprocs; i++)
			seen[i] = __atomic_load_n(&s->procs[i].schedtick, __ATOMIC_RELAXED);
		futex_wait(&w->stop_word, 0, period);
		for (int i = 0; i < s->nprocs; i++) {
			struct rt_proc *p = &s->procs[i];
			struct rt_task *t = __atomic_load_n(&p->current, __ATOMIC_ACQUIRE);
			if (!t || __atomic_load_n(&p->schedtick, __ATOMIC_RELAXED) != seen[i])
				continue;
			if (p->starve_warned == (int)seen[i])
				continue;
			p->starve_warned = (int)seen[i];
			fprintf(stderr, "chanlab: starve-warn: a task has held processor %d for over %d ms "
			        "without a scheduling point (no preemption: tasks queued behind it wait)\n",
			        p->id, s->cfg.starve_warn_ms);
		}
	}
	free(seen);
	return NULL;
}

/* ---- running a program ------------------------------------------------------------------------------- */

/* Waits for every thread of a run that is over, then joins them.  Each
 * thread leaves its loop at the next point where its task gives it back
 * (a scheduling point, a block, an exit).  A task that makes none -- a
 * loop without runtime calls -- would keep its thread for ever: after
 * STOP_GRACE_NS its thread is sent RT_STOP_SIGNAL, whose handler (fault.c)
 * drops the task's context and switches to the thread's g0, which then
 * ends like the others.  The task is never resumed; the report lists it as
 * abandoned, and its stack is freed with the run's. */
#define STOP_GRACE_NS 20000000

static void stop_threads(struct rt_sched *s)
{
	int64_t deadline = rt_mono_ns() + STOP_GRACE_NS;
	rt_lock_acquire(&s->m_lock);
	struct rt_m *all = s->m_all;
	s->m_all = NULL;
	rt_lock_release(&s->m_lock);
	for (struct rt_m *m = all; m; m = m->all_next) {
		int64_t left;
		while (!__atomic_load_n(&m->done, __ATOMIC_ACQUIRE) && (left = deadline - rt_mono_ns()) > 0)
			futex_wait(&m->done, 0, left);
		while (!__atomic_load_n(&m->done, __ATOMIC_ACQUIRE)) {
			/* Still in a task: signal it until it is back on g0 (a
			 * signal that found it on g0 did nothing). */
			pthread_kill(m->thread, RT_STOP_SIGNAL);
			futex_wait(&m->done, 0, 1000000);
		}
	}
	while (all) {
		struct rt_m *next = all->all_next;
		pthread_join(all->thread, NULL);
		free(all);
		all = next;
	}
}

bool rt_par_on_task_stack(const void *sp)
{
	/* Not while a request is pending: a task switching out, or one
	 * finishing the request of the task before it (a lock to release). */
	struct rt_m *m = m_tls;
	if (m && m->after != RT_AFTER_NONE)
		return false;
	struct rt_task *t = rt_par_task_here();
	const char *lo = t ? t->stack->lo : NULL;
	return t && (const char *)sp >= lo && (const char *)sp < lo + t->stack->size;
}

/* Runs the program whose main task is already created; returns when it is
 * over and every processor has stopped. */
int rt_par_run(struct rt_sched *s)
{
	int n = s->cfg.procs > 0 ? s->cfg.procs : rt_available_cpus();
	s->nprocs = n;
	/* Once per process in effect (registering again is allowed and cheap);
	 * a kernel without it leaves the exchange on every take of runnext. */
	s->runnext_fenced = n > 1 && syscall(SYS_membarrier,
	                                     MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0) == 0;
	s->procs = rt_zalloc_aligned((size_t)n * sizeof *s->procs);
	if (!s->procs)
		return -1;
	for (int i = 0; i < n; i++) {
		struct rt_proc *p = &s->procs[i];
		p->id = i;
		uint64_t seed = s->cfg.seed * 1000003u + (uint64_t)i;
		for (int k = 0; k < 4; k++) {
			seed += 0x9e3779b97f4a7c15ull;
			uint64_t z = seed;
			z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
			z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
			p->rng[k] = z ^ (z >> 31);
		}
	}
	/* The calling thread holds no processor: it waits for the end of the
	 * run, so cl_run returns even if a task never gives its thread back. */
	rt_par_active = 1;
	cl_atomics_bare = !s->tracing;
	global_put(s, s->main_task);
	for (int i = 0; i < n; i++) {
		struct rt_m *m = calloc(1, sizeof *m);
		if (!m)
			rt_oom();
		m->s = s;
		m->p = &s->procs[i];
		m_start(s, m);
	}
	struct watchdog w = {s, 0};
	pthread_t dog;
	bool have_dog = s->cfg.starve_warn_ms > 0 &&
	                pthread_create(&dog, NULL, watchdog_thread, &w) == 0;

	while (!__atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE))
		futex_wait(&s->stopping, 0, -1);
	wake_all(s);
	stop_threads(s);
	global_free(s);
	if (have_dog) {
		__atomic_store_n(&w.stop_word, 1, __ATOMIC_RELEASE);
		futex_wake(&w.stop_word);
		pthread_join(dog, NULL);
	}
	for (int i = 0; i < n; i++)
		s->steps += s->procs[i].steps_pending;
	cl_atomics_bare = 0;
	rt_par_active = 0;
	s->now = rt_par_now(s);
	/* A limit or fatal error recorded only its headline (rt_par_finish):
	 * with every thread stopped the dump can be built. */
	if (s->outcome == CL_OUTCOME_LIMIT || s->outcome == CL_OUTCOME_FATAL) {
		const char *h = s->report ? s->report : "limit reached";
		char headline[400], running[160] = "";
		bool more = false;
		if (s->outcome == CL_OUTCOME_LIMIT && strncmp(h, "livelock", 8) == 0)
			more = rt_livelock_running(s, running, sizeof running);
		snprintf(headline, sizeof headline, "%s%s%s", h, running, more ? " ..." : "");
		rt_report_build(s, headline);
	}
	return 0;
}

/* ---- the interface (struct rt_sched_ops) ------------------------------------------------------- */

static __attribute__((noreturn)) void par_finish(struct rt_sched *s, struct rt_task *t,
                                                 enum cl_outcome outcome, const char *headline)
{
	rt_par_finish(s, outcome, headline);
	rt_par_abandon(t);
}

/* Nothing switches (no preemption): a run that is over stops the task. */
static void par_point(struct rt_sched *s, const char *file, int line)
{
	(void)file;
	(void)line;
	struct rt_m *m = s->nprocs > 1 ? m_tls : NULL;   /* one processor owes nothing */
	struct rt_proc *p = m ? m->p : NULL;
	if (__builtin_expect(p && p->wake_owed, 0) && ++p->wake_owed > OWED_POINTS + 1) {
		/* The task that put one in runnext went on past a scheduling
		 * point without blocking: someone else should run it. */
		p->wake_owed = 0;
		wakep(s, p);
	}
	if (__builtin_expect(__atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE), 0))
		rt_par_abandon(rt_cur(s));
	if (__builtin_expect(rt_interrupt_raised(s), 0))
		rt_interrupted(s);
}

static void par_yield(struct rt_sched *s, struct rt_task *t, const char *file, int line)
{
	t->file = file;
	t->line = line;
	if (rt_interrupt_raised(s))
		rt_interrupted(s);
	rt_par_yield(t);
}

static void par_park(struct rt_sched *s, struct rt_task *t, void (*unlock)(void *), void *arg)
{
	(void)s;
	rt_par_park(t, unlock, arg);
}

/* When main returns the program ends, as in Go: its stack is released by
 * cl_run, the other tasks' by g0. */
static __attribute__((noreturn)) void par_exit(struct rt_sched *s, struct rt_task *t)
{
	if (t == s->main_task) {
		rt_par_finish(s, CL_OUTCOME_OK, NULL);
		s->reap = t;
		rt_par_abandon(t);
	}
	rt_par_exit(t);
}

/* The clock starts before the first event (main's spawn); the explorer's
 * schedules, PCT and the race detector are det's alone. */
static int par_setup(struct rt_sched *s)
{
	s->start_ns = rt_mono_ns();
	s->cfg.race = false;
	s->cfg.replay = NULL;
	s->cfg.record = NULL;
	s->cfg.choose = NULL;
	return 0;
}

/* A task's stream is seeded at its first cl_rand, not at its spawn (most
 * tasks never draw, and seeding was a twentieth of a spawn): all-zero
 * words, which no seeding gives (four splitmix64 outputs in a row are
 * never all zero), mean "not yet". */
static void par_task_init(struct rt_sched *s, struct rt_task *t)
{
	(void)s;
	t->priority = 0;
	memset(t->rng, 0, sizeof t->rng);
}

static void par_task_entered(struct rt_sched *s, struct rt_task *t)
{
	(void)s;
	rt_par_resumed(t);
}

static uint64_t *par_rng(struct rt_sched *s)
{
	(void)s;
	return rt_proc_self()->rng;
}

static uint64_t *par_task_rng(struct rt_sched *s)
{
	struct rt_task *t = rt_running(s);
	if (!(t->rng[0] | t->rng[1] | t->rng[2] | t->rng[3]))
		rt_rand_seed_words(t->rng, s->cfg.seed ^ ((uint64_t)t->id * 0x9e3779b97f4a7c15ull));
	return t->rng;
}

static struct rt_task *par_task_here(struct rt_sched *s)
{
	(void)s;
	return rt_par_task_here();
}

const struct rt_sched_ops rt_sched_par_ops = {
	.name = "par",
	.setup = par_setup,
	.run = rt_par_run,
	.task_init = par_task_init,
	.task_entered = par_task_entered,
	.point = par_point,
	.park = par_park,
	.ready = rt_par_ready,
	.yield = par_yield,
	.exit = par_exit,
	.finish = par_finish,
	.now = rt_par_now,
	.rng = par_rng,
	.task_rng = par_task_rng,
	.syscall_enter = par_syscall_enter,
	.syscall_exit = par_syscall_exit,
	.task_here = par_task_here,
};
