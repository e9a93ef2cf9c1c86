/*
 * starvation.c - without asynchronous preemption, a task that computes
 * without a scheduling point keeps its processor, and the tasks queued
 * behind it wait (Go before 1.14; chanlab's par scheduler today).  One
 * worker per processor computes for --work ms after main says go; a
 * heartbeat task wakes every millisecond and measures the longest it had to
 * wait for a processor.  The workers yield every millisecond of work (runtime.Gosched),
 * so the heartbeat keeps beating; `--starve-warn MS` reports a processor
 * held longer than MS.  Read it beside patterns/go/starvation.go.
 *
 * Par only (PATTERN_SCHED_PAR): det switches tasks at every scheduling
 * point of its own, so nothing can hold it.  Every spin is bounded by --work,
 * so a broken run ends.
 *
 * Checks:
 *   metric heartbeat_gap_ms  the longest the heartbeat waited for a turn.
 */
#include <poll.h>

#include "patterns/pattern.h"

struct starve {
	struct pattern_run *run;
	cl_chan *start;            /* closed by main once every worker waits */
	cl_waitgroup *waiting;     /* workers about to wait for the start */
	int start_flag;            /* spin-wait's flag (bare atomics: a spin reads it) */
	cl_waitgroup *wg;
	int workers;
	int finished;              /* workers done (bare atomics, read by the heartbeat) */
	cl_time work;
	cl_time spawned;           /* when main started the heartbeat */
};

/* Computes for d without a scheduling point, as a loop that only does
 * arithmetic: the task keeps its processor all along. */
static void compute(cl_time d)
{
	cl_time end = cl_now() + d;
	uint64_t x = 0;
	while (cl_now() < end)
		for (int i = 0; i < 1000; i++) {
			x += (uint64_t)i * 7;
			__asm__ volatile("" : "+r"(x));   /* the compiler may not fold the loop away */
		}
}

/* Go: for chunk := 0; chunk < n; chunk++ { compute(chunk); runtime.Gosched() } */
static void work_yielding(struct starve *st)
{
	for (cl_time done = 0; done < st->work; done += CL_MS) {
		compute(CL_MS);
		cl_yield();
	}
}

/* Variant tight-loop: the same work in one piece. */
static void work_tight(struct starve *st)
{
	compute(st->work); /* MISTAKE(tight-loop): work with no scheduling point: the processor is never given back, the heartbeat waits for all of it */
}

/* Go: <-start */
static void wait_channel(struct starve *st)
{
	cl_recv(st->start, NULL);
}

/* Variant spin-wait: spins on a flag main sets (bounded by --work). */
static void wait_spinning(struct starve *st)
{
	cl_time give_up = cl_now() + st->work;
	while (!__atomic_load_n(&st->start_flag, __ATOMIC_ACQUIRE) && cl_now() < give_up) /* MISTAKE(spin-wait): busy-waits for a flag: main, which sets it, needs a processor, and the spinners hold them all */
		;
	if (!__atomic_load_n(&st->start_flag, __ATOMIC_ACQUIRE))
		cl_note("%s gave up waiting for the start flag", cl_task_name());
}

struct how {
	void (*wait)(struct starve *);
	void (*work)(struct starve *);
};

struct worker_args {
	struct starve *st;
	const struct how *how;
};

static void worker(void *arg)
{
	struct worker_args *w = arg;
	cl_wg_done(w->st->waiting);
	w->how->wait(w->st);
	w->how->work(w->st);
	__atomic_add_fetch(&w->st->finished, 1, __ATOMIC_RELEASE);
	cl_wg_done(w->st->wg);
}

/* Beats every millisecond until the workers are done: a 1 ms sleep in
 * the kernel (its processor handed off meanwhile), then a turn on a
 * processor to look at the time.  The longest beat beyond its millisecond
 * is how long the others kept it from running.  (A kernel sleep, not
 * cl_sleep: par's timers fire only when a processor runs out of queued
 * tasks, so workers that keep yielding would hold them back too.) */
static void heartbeat(void *arg)
{
	struct starve *st = arg;
	cl_time last = cl_now(), longest = last - st->spawned;   /* its first turn counts too */
	while (__atomic_load_n(&st->finished, __ATOMIC_ACQUIRE) < st->workers) {
		cl_syscall_enter();
		(void)poll(NULL, 0, 1);
		cl_syscall_exit();
		cl_time now = cl_now();
		if (now - last - CL_MS > longest)
			longest = now - last - CL_MS;
		last = now;
	}
	cl_note("longest gap between heartbeats: %lld ms", PATTERN_MS(longest));
	pattern_metric(st->run, "heartbeat_gap_ms", longest / CL_MS);
	cl_wg_done(st->wg);
}

static void serve(struct pattern_run *run, const struct how *how)
{
	struct starve *st = pattern_alloc(run, sizeof *st);
	st->run = run;
	st->work = pattern_param(run, "work") * CL_MS;
	st->workers = cl_procs();
	st->start = cl_make("start", char, 0);
	st->wg = cl_wg_new("wg");
	st->waiting = cl_wg_new("waiting");
	cl_wg_add(st->waiting, st->workers);
	pattern_limit(run, "heartbeat_gap_ms", 100, "ms");
	pattern_metric(run, "heartbeat_gap_ms", 0);
	pattern_metric_meaning(run, "heartbeat_gap_ms",
	                       "the heartbeat waited {value} for a turn: every processor was held by a "
	                       "task that never reached a scheduling point (with a yield every "
	                       "millisecond of work it waits about 1ms; limit {limit})");
	cl_wg_add(st->wg, st->workers + 1);
	for (int i = 0; i < st->workers; i++) {
		struct worker_args *w = pattern_alloc(run, sizeof *w);
		*w = (struct worker_args){st, how};
		cl_go(worker, w, "worker-%d", i);
	}
	st->spawned = cl_now();
	cl_go(heartbeat, st, "heartbeat");
	/* Go: waiting.Wait(); flag.Store(1); close(start) -- main starts the
	 * workers once they all wait, and needs a processor to do it. */
	cl_wg_wait(st->waiting);
	cl_note("go!");
	__atomic_store_n(&st->start_flag, 1, __ATOMIC_RELEASE);
	cl_close(st->start);
	cl_wg_wait(st->wg);
}

static const struct how correct_how = {wait_channel, work_yielding};
static const struct how tight_loop_how = {wait_channel, work_tight};
static const struct how spin_wait_how = {wait_spinning, work_yielding};

/* Go: func correct() */
static void starvation_correct(struct pattern_run *run)
{
	serve(run, &correct_how);
}

/* Go: func tightLoop() */
static void starvation_tight_loop(struct pattern_run *run)
{
	serve(run, &tight_loop_how);
}

/* Go: func spinWait() */
static void starvation_spin_wait(struct pattern_run *run)
{
	serve(run, &spin_wait_how);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t31 asynchronous preemption (Go 1.14): why a tight loop no longer starves others",
	"t1 Go's GMP model: a P runs one goroutine until it gives the P back",
	"t40 GOMAXPROCS=1: one P, so one loop that never yields stops everything",
	NULL,
};

static const struct pattern_param params[] = {
	{"work", "300", "milliseconds each worker computes (and the most a spin lasts)", 150, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "workers wait on a channel and yield every millisecond of work: the heartbeat beats",
	 "ok", starvation_correct, "starvation_correct", 1},
	{"tight-loop", "the work in one loop with no scheduling point: the heartbeat stops until it ends",
	 "metric:heartbeat_gap_ms>100", starvation_tight_loop, "starvation_tight_loop", 1,
	 .lesson = "each worker computes its whole share in a loop that never reaches a scheduling "
	           "point, and with no asynchronous preemption nothing takes the processor from it: "
	           "with one such loop per processor every other task waits until they finish. "
	           "Yield now and then (runtime.Gosched), or rely on Go 1.14's preemption."},
	{"spin-wait", "workers busy-wait for a start flag: main, which sets it, cannot run",
	 "metric:heartbeat_gap_ms>100", starvation_spin_wait, "starvation_spin_wait", 1,
	 .lesson = "the workers spin on a flag instead of blocking, so they hold every processor "
	           "and main, which would set the flag, never gets one: before Go 1.14 such a "
	           "program hangs for good (here the spin gives up after --work ms). Block on a "
	           "channel, a WaitGroup or a Cond, which gives the processor away."},
};

const struct pattern pattern_starvation = {
	.name = "starvation",
	.title = "Starvation: a loop that never yields",
	.level = PATTERN_SENIOR,
	.summary = "A processor runs one task until that task blocks, yields or ends. Before Go "
	           "1.14 scheduling was cooperative: a goroutine gave up its P only at safe points "
	           "(function calls, channel operations, syscalls), so a tight loop without calls "
	           "starved every goroutine queued behind it and could stall the garbage collector "
	           "for good. Go 1.14 added asynchronous preemption: sysmon notices a goroutine that "
	           "has run for more than 10ms and sends its thread SIGURG, whose handler makes it "
	           "yield. chanlab's par scheduler has no such preemption, as Go before 1.14; run "
	           "with --starve-warn 20 to have it report a processor held too long. Par only.",
	.handshake = "The workers say they are waiting (a WaitGroup), then wait on the start "
	             "channel, which main closes once they all wait. Each then "
	             "computes a millisecond at a time and yields between, so its processor can run "
	             "the heartbeat, which wakes every millisecond and records the longest it waited "
	             "for a turn. main waits for them all on a WaitGroup.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/starvation.c",
	.go_source = "patterns/go/starvation.go",
	.sched = PATTERN_SCHED_PAR,
};
