/*
 * programs.h - the programs `chanlab bench` measures on the runtime (one per
 * row of its first table), the Concurrency Kit stack on plain pthreads that
 * the lock-free row is compared with, and the blocked-task rows run in a
 * forked child so the peak RSS they report is their own.
 *
 * Every program times itself inside the run (from before it starts its
 * tasks to after it has joined them, as Go's benchmark loop does), so the
 * cost of starting and ending cl_run is not in the figure.
 */
#ifndef CHANLAB_BENCH_RT_H
#define CHANLAB_BENCH_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/chanlab.h"

enum bench_prog {
	BENCH_PINGPONG,          /* unbuffered round trip */
	BENCH_SPSC,              /* cap 128, one producer, one consumer; per item */
	BENCH_MPMC4X4,           /* cap 64, 4 producers, 4 consumers; per item */
	BENCH_SELECT2,           /* select over 2 buffered channels, one ready */
	BENCH_SPAWN_JOIN,        /* wg.Add, go, wg.Wait */
	BENCH_MUTEX_UNCONTENDED, /* lock + unlock by one task */
	BENCH_MUTEX_CONTENDED,   /* lock, n++, unlock by `threads` tasks at once */
	BENCH_ATOMIC_ADD,        /* one task */
	BENCH_STACK_LOCKFREE,    /* Treiber stack, tagged index; push+pop pairs */
	BENCH_STACK_MUTEX,       /* the same stack under a cl_mutex */
	BENCH_STACK_CK,          /* ck_stack on plain pthreads (no runtime) */
	BENCH_BLOCKED,           /* n tasks blocked on one gate, then released */
	BENCH_WORKERPOOL,        /* 8 workers over n small jobs */
	BENCH_PINGPONG_CROSS,    /* ping-pong that records which thread each side ran on */
	BENCH_WAKE_LATENCY,      /* a task woken by a waker that keeps computing: ns until it runs */
	BENCH_SWITCH,            /* two tasks yielding: per real switch (the other task ran) */
};

/* What one measurement gave. */
struct bench_sample {
	double ns;                   /* wall time of the measured part */
	uint64_t ops;                /* operations it did (ns / ops = ns/op) */
	uint64_t parks, wakes;       /* processor parks and wakes during the run */
	int procs;                   /* processors the run used */
	double kib_per_task;         /* BENCH_BLOCKED: peak RSS growth plus page tables, per task */
	long pte_kib;                /* BENCH_BLOCKED: page tables (VmPTE) with every task alive */
	double rss_mib;              /* BENCH_BLOCKED: peak RSS growth, MiB */
	double overlap;              /* contended rows: share of the time all tasks ran
	                                at once (1 side by side, 0 one after the other);
	                                -1 for the other rows */
	double held;                 /* mutex_contended: share of Lock calls that found the
	                                mutex held; -1 for the other rows */
	double cross;                /* pingpong_cross: share of hand-offs whose two sides ran
	                                on different OS threads; -1 for the other rows */
};

/* How to run: the scheduler, processors, and how many tasks (or threads)
 * the contended programs use. */
struct bench_env {
	enum cl_sched_kind sched;
	int procs;
	int threads;                 /* contended rows: tasks (or pthreads) at once */
};

/* True when this build has Concurrency Kit's ck_stack.h. */
bool bench_have_ck(void);
/* Why not, in one line. */
const char *bench_no_ck_reason(void);

/* Runs program prog with n operations (n tasks for BENCH_BLOCKED, n jobs
 * for BENCH_WORKERPOOL).  Returns 0, or -1 with a one-line reason in err. */
int bench_rt_run(enum bench_prog prog, long n, const struct bench_env *env,
                     struct bench_sample *out, char *err, size_t errsize);

/* The same in a forked child (for BENCH_BLOCKED): also measures the
 * child's peak RSS growth with getrusage before and after the run. */
int bench_rt_run_child(enum bench_prog prog, long n, const struct bench_env *env,
                           struct bench_sample *out, char *err, size_t errsize);

/* Does cl_run accept the par scheduler with procs processors?  Returns
 * true, or false with the runtime's reason in why. */
bool bench_par_available(int procs, char *why, size_t whysize);

/* Monotonic wall clock in ns. */
double bench_now_ns(void);

/* mutex_contended's work, the same for chanlab, pthreads and Go
 * (bench/go/contention_test.go): each locker computes MUTEX_OUTSIDE_NS,
 * then holds the mutex for MUTEX_HOLD_NS.  With the hold longer than the
 * time outside, a locker coming back finds the other inside: the Lock calls
 * find the mutex held, and the mutex goes back and forth between the
 * lockers.  The time outside is longer than Go's spinning waiter takes to
 * notice an unlock (30 PAUSEs between its looks, about 1 us here), or Go's
 * unlocker would take the mutex again before the waiter sees it free, and
 * the waiter would park (Go's tight Lock-Unlock loop finds the mutex held
 * on about 1.5% of its calls: one goroutine runs alone). */
#define MUTEX_HOLD_NS 2000.0
#define MUTEX_OUTSIDE_NS 1500.0

/* Computes (reads the clock) for ns nanoseconds. */
void bench_busy_ns(double ns);

#endif
