/*
 * data_race.c - a data race and its three fixes.  Tasks increment a shared
 * counter: unsynchronised, counter++ is a read and a write that other tasks
 * can come between, so updates are lost; the fixes are a mutex, an atomic
 * add, and one task that owns the counter and takes increments on a
 * channel.  Then a writer publishes a value to a reader: through a channel
 * close (a happens-before edge), or, wrongly, through a plain bool flag.
 * Read it beside patterns/go/data_race.go.
 *
 * The race detector (run --race; on by default for the variants declaring
 * "race") checks every cl_rd/cl_wr against Go's happens-before order.
 * Under det memory is sequentially consistent, so the flag variant always
 * reads the right value here: on real hardware, and with Go's compiler, the
 * reader may see ready == true and a stale data, or never see ready at all.
 *
 * Checks:
 *   invariant no-lost-update  the counter ends at tasks*iters.
 *   invariant published       the reader sees the value the writer wrote.
 */
#include "patterns/pattern.h"

/* Go: var counter int; var mu sync.Mutex; var n atomic.Int64 ... */
struct shared {
	struct pattern_run *run;
	cl_shared(int) counter;        /* the plain counter */
	cl_mutex *mu;                  /* the mutex fix */
	cl_atomic64 atomic_counter;    /* the atomic fix */
	cl_chan *incs;                 /* the channel-owner fix: chan int of increments */
	cl_chan *total;                /* ... and the owner's answer */
	cl_waitgroup *wg;
	/* The publication. */
	cl_shared(int) data;
	cl_shared(bool) ready;         /* the flag of the unsafe form */
	cl_chan *published;            /* closed after data is written: the safe form */
};

/* ---- incrementing --------------------------------------------------------------- */

/* Go: for i := 0; i < iters; i++ { counter++ } */
static void inc_plain(void *arg)
{
	struct shared *s = arg;
	int iters = (int)pattern_param(s->run, "iters");
	for (int i = 0; i < iters; i++)
		cl_wr(s->counter, cl_rd(s->counter) + 1); /* MISTAKE(unsynchronised): counter++ with no lock: a read, then a write */
	cl_wg_done(s->wg);
}

/* Go: for i := 0; i < iters; i++ { mu.Lock(); counter++; mu.Unlock() } */
static void inc_mutex(void *arg)
{
	struct shared *s = arg;
	int iters = (int)pattern_param(s->run, "iters");
	for (int i = 0; i < iters; i++) {
		cl_lock(s->mu);
		cl_wr(s->counter, cl_rd(s->counter) + 1);
		cl_unlock(s->mu);
	}
	cl_wg_done(s->wg);
}

/* Go: for i := 0; i < iters; i++ { n.Add(1) } */
static void inc_atomic(void *arg)
{
	struct shared *s = arg;
	int iters = (int)pattern_param(s->run, "iters");
	for (int i = 0; i < iters; i++)
		cl_atomic_add(&s->atomic_counter, 1);
	cl_wg_done(s->wg);
}

/* Go: for i := 0; i < iters; i++ { incs <- 1 } */
static void inc_send(void *arg)
{
	struct shared *s = arg;
	int iters = (int)pattern_param(s->run, "iters");
	int one = 1;
	for (int i = 0; i < iters; i++)
		cl_send(s->incs, &one);
	cl_wg_done(s->wg);
}

/* Go: go func() { n := 0; for d := range incs { n += d }; total <- n }() -- the only task that touches n. */
static void owner(void *arg)
{
	struct shared *s = arg;
	int n = 0, d;
	while (cl_recv(s->incs, &d))
		n += d;
	cl_send(s->total, &n);
}

enum counting { COUNT_PLAIN, COUNT_MUTEX, COUNT_ATOMIC, COUNT_OWNER };

/* Starts tasks incrementers, waits for them, and checks the total. */
static void count(struct shared *s, enum counting how)
{
	int tasks = (int)pattern_param(s->run, "tasks");
	int iters = (int)pattern_param(s->run, "iters");
	static void (*const incrementer[])(void *) = {inc_plain, inc_mutex, inc_atomic, inc_send};
	if (how == COUNT_OWNER)
		cl_go(owner, s, "owner");
	cl_wg_add(s->wg, tasks);
	for (int i = 1; i <= tasks; i++)
		cl_go(incrementer[how], s, "inc-%d", i);
	cl_wg_wait(s->wg);
	int total;
	switch (how) {
	case COUNT_ATOMIC:
		total = (int)cl_atomic_load(&s->atomic_counter);
		break;
	case COUNT_OWNER:
		/* Go: close(incs); total := <-total */
		cl_close(s->incs);
		cl_recv(s->total, &total);
		break;
	default:
		total = cl_rd(s->counter);   /* after wg.Wait: ordered after every increment */
		break;
	}
	cl_note("main: counter = %d, want %d", total, tasks * iters);
	if (total != tasks * iters)
		pattern_fail(s->run, "no-lost-update", "counter is %d after %d tasks added %d each: "
		             "%d updates lost", total, tasks, iters, tasks * iters - total);
}

/* ---- publishing ---------------------------------------------------------------------- */

/* Go: go func() { data = 42; close(published) }() */
static void writer(void *arg)
{
	struct shared *s = arg;
	cl_wr(s->data, 42);
	cl_close(s->published);
}

/* Go: go func() { data = 42; ready = true }() */
static void writer_flag(void *arg)
{
	struct shared *s = arg;
	cl_wr(s->data, 42);
	cl_wr(s->ready, true); /* MISTAKE(unsafe-publish): a plain bool as the signal: no happens-before edge */
}

/* Go: <-published; v := data -- or: for !ready { runtime.Gosched() }; v := data */
static void publish(struct shared *s, bool flag)
{
	cl_go(flag ? writer_flag : writer, s, "writer");
	if (flag)
		while (!cl_rd(s->ready))
			cl_yield();
	else
		cl_recv(s->published, NULL);
	int v = cl_rd(s->data);
	cl_note("main reads data = %d", v);
	if (v != 42)
		pattern_fail(s->run, "published", "main read data = %d, the writer wrote 42", v);
}

static struct shared *shared_new(struct pattern_run *run)
{
	struct shared *s = pattern_alloc(run, sizeof *s);
	s->run = run;
	s->mu = cl_mutex_new("mu");
	s->incs = cl_make("incs", int, 0);
	s->total = cl_make("total", int, 0);
	cl_chan_set_fmt(s->incs, cl_fmt_int);
	cl_chan_set_fmt(s->total, cl_fmt_int);
	s->wg = cl_wg_new("wg");
	s->published = cl_make("published", char, 0);
	return s;
}

/* Go: func correct() -- the mutex fix; publish by closing a channel. */
static void data_race_correct(struct pattern_run *run)
{
	struct shared *s = shared_new(run);
	count(s, COUNT_MUTEX);
	publish(s, false);
}

/* Go: func atomicFix() */
static void data_race_atomic(struct pattern_run *run)
{
	struct shared *s = shared_new(run);
	count(s, COUNT_ATOMIC);
	publish(s, false);
}

/* Go: func channelOwner() */
static void data_race_channel_owner(struct pattern_run *run)
{
	struct shared *s = shared_new(run);
	count(s, COUNT_OWNER);
	publish(s, false);
}

/* Go: func unsynchronised() */
static void data_race_unsynchronised(struct pattern_run *run)
{
	struct shared *s = shared_new(run);
	count(s, COUNT_PLAIN);
	publish(s, false);
}

/* Go: func unsafePublish() */
static void data_race_unsafe_publish(struct pattern_run *run)
{
	struct shared *s = shared_new(run);
	count(s, COUNT_MUTEX);
	publish(s, true);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t7 data races: detect with -race; fix with a mutex, an atomic, or a channel owner",
	"t29 the memory model: happens-before",
	"t16 sync/atomic versus sync.Mutex",
	"t42 channel operations' happens-before guarantees",
	NULL,
};

static const struct pattern_param params[] = {
	{"tasks", "4", "tasks incrementing the counter", 1, 64, NULL},
	{"iters", "1", "increments per task", 1, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "the mutex fix: counter++ under mu; data published by closing a channel",
	 "ok", data_race_correct, "data_race_correct", 1},
	{"atomic", "the atomic fix: one indivisible add per increment", "ok", data_race_atomic,
	 "data_race_atomic", 1},
	{"channel-owner", "the channel fix: one task owns the counter, the others send it increments",
	 "ok", data_race_channel_owner, "data_race_channel_owner", 1},
	{"unsynchronised", "counter++ from several tasks with no synchronisation: a data race, and "
	 "lost updates", "race", data_race_unsynchronised, "data_race_unsynchronised", 6,
	 .lesson = "counter++ is a read and a write; with no lock another task runs in between and "
	           "one of the two updates is lost. Guard it with a mutex, use an atomic add, or let "
	           "one goroutine own the counter."},
	{"unsafe-publish", "a value published through a plain bool flag: a data race even when it "
	 "seems to work", "race", data_race_unsafe_publish, "data_race_unsafe_publish", 1,
	 .lesson = "a plain bool is not a signal: nothing orders the writer's data = 42 before the "
	           "reader's read, so compilers and CPUs may reorder them or keep the flag in a "
	           "register. Publish with a channel, a mutex, or an atomic."},
};

const struct pattern pattern_data_race = {
	.name = "data-race",
	.title = "Data races and their three fixes",
	.level = PATTERN_JUNIOR,
	.summary = "Tasks increment a shared counter. Unsynchronised, counter++ is a read and a write "
	           "that other tasks can come between, so updates are lost, and the race detector "
	           "reports the race whether or not one was lost. The three fixes: a mutex around the "
	           "increment, an atomic add, or one task that owns the counter and receives "
	           "increments on a channel. Then a writer publishes a value to a reader: closing a "
	           "channel orders the write before the read; a plain bool flag does not.",
	.handshake = "Two accesses to the same memory, one a write, must be ordered by "
	             "happens-before: an unlock before the next lock, a send before its receive "
	             "completes, a close before a receive that sees it, wg.Done before the Wait it "
	             "releases. Without such an edge they race, whatever order they ran in.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/data_race.c",
	.go_source = "patterns/go/data_race.go",
};
