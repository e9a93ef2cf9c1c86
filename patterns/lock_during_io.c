/*
 * lock_during_io.c - the lock held during I/O.  Updaters change shared
 * counters under a mutex; a reporter periodically writes a snapshot of them
 * to a slow sink and hands it to a consumer on a channel.  The fix copies
 * what it needs under the lock, releases it, and only then does the slow
 * call and the send.  Read it beside patterns/go/lock_during_io.go.
 *
 * Checks:
 *   metric lock_wait_us  the longest an updater waited for the mutex, in
 *                        virtual time (which passes only while someone
 *                        sleeps holding it).
 *   invariant all-updates  the counters end with every update.
 */
#include "patterns/pattern.h"

/* Go: type Stats struct { mu sync.Mutex; hits int } */
struct stats {
	struct pattern_run *run;
	cl_mutex *mu;
	cl_shared(int) hits;       /* under mu */
	cl_shared(int) acked;      /* under mu: the last snapshot the consumer saw */
	cl_chan *reports;          /* chan int: snapshots for the consumer */
	cl_waitgroup *wg;
};

/* Go: mu.Lock(), measuring how long it took. */
static void lock_timed(struct stats *s)
{
	cl_time t0 = cl_now();
	cl_lock(s->mu);
	pattern_metric_max(s->run, "lock_wait_us", (cl_now() - t0) / CL_US);
}

/* Go: func write(snapshot int) -- the slow call: a disk or a network. */
static void slow_write(struct stats *s, int snapshot)
{
	cl_note("reporter writes snapshot %d", snapshot);
	cl_sleep(pattern_latency(pattern_param(s->run, "io") * CL_MS));
}

/* Go: for i := 0; i < updates; i++ { time.Sleep(...); mu.Lock(); hits++; mu.Unlock() } */
static void updater(void *arg)
{
	struct stats *s = arg;
	int n = (int)pattern_param(s->run, "updates");
	for (int i = 0; i < n; i++) {
		cl_sleep(pattern_latency(pattern_param(s->run, "io") * CL_MS / 2));
		lock_timed(s);
		cl_wr(s->hits, cl_rd(s->hits) + 1);
		cl_unlock(s->mu);
	}
	cl_wg_done(s->wg);
}

/* Go: for v := range reports { time.Sleep(...); mu.Lock(); acked = v; mu.Unlock() } */
static void consumer(void *arg)
{
	struct stats *s = arg;
	int v;
	while (cl_recv(s->reports, &v)) {
		cl_sleep(pattern_latency(pattern_param(s->run, "io") * CL_MS));
		lock_timed(s);
		cl_wr(s->acked, v);
		cl_unlock(s->mu);
	}
	cl_wg_done(s->wg);
}

enum report_style { COPY_THEN_RELEASE, LOCK_ACROSS_CALL, LOCK_ACROSS_SEND };

/* Go: for r := 0; r < reports; r++ { time.Sleep(period); mu.Lock(); snap := hits; mu.Unlock(); write(snap); reports <- snap } */
static void report(struct stats *s, enum report_style style)
{
	int n = (int)pattern_param(s->run, "reports");
	for (int r = 0; r < n; r++) {
		cl_sleep(pattern_latency(pattern_param(s->run, "io") * CL_MS));
		cl_lock(s->mu);
		int snap = cl_rd(s->hits);
		switch (style) {
		case COPY_THEN_RELEASE:
			cl_unlock(s->mu);        /* copy, then release: the slow part runs unlocked */
			slow_write(s, snap);
			cl_send(s->reports, &snap);
			break;
		case LOCK_ACROSS_CALL:
			slow_write(s, snap); /* MISTAKE(lock-across-call): the slow write with mu held: every updater waits */
			cl_unlock(s->mu);
			cl_send(s->reports, &snap);
			break;
		case LOCK_ACROSS_SEND:
			cl_unlock(s->mu);
			slow_write(s, snap);
			cl_lock(s->mu);
			cl_send(s->reports, &snap); /* MISTAKE(lock-across-send): a send with mu held: the consumer needs mu to come back for it */
			cl_unlock(s->mu);
			break;
		}
	}
	cl_close(s->reports);
}

static void run_stats(struct pattern_run *run, enum report_style style)
{
	int updaters = (int)pattern_param(run, "updaters");
	pattern_limit(run, "lock_wait_us", 0, "us");
	pattern_metric(run, "lock_wait_us", 0);
	struct stats *s = pattern_alloc(run, sizeof *s);
	s->run = run;
	s->mu = cl_mutex_new("mu");
	s->reports = cl_make("reports", int, 0);
	cl_chan_set_fmt(s->reports, cl_fmt_int);
	s->wg = cl_wg_new("wg");
	cl_wg_add(s->wg, updaters + 1);
	for (int i = 0; i < updaters; i++)
		cl_go(updater, s, "updater-%d", i);
	cl_go(consumer, s, "consumer");
	report(s, style);            /* main is the reporter */
	cl_wg_wait(s->wg);
	int want = updaters * (int)pattern_param(run, "updates");
	cl_lock(s->mu);
	int hits = cl_rd(s->hits);
	cl_unlock(s->mu);
	if (hits != want)
		pattern_fail(run, "all-updates", "hits is %d, want %d", hits, want);
}

/* Go: func correct() */
static void lock_during_io_correct(struct pattern_run *run)
{
	run_stats(run, COPY_THEN_RELEASE);
}

/* Go: func lockAcrossCall() */
static void lock_during_io_lock_across_call(struct pattern_run *run)
{
	run_stats(run, LOCK_ACROSS_CALL);
}

/* Go: func lockAcrossSend() */
static void lock_during_io_lock_across_send(struct pattern_run *run)
{
	run_stats(run, LOCK_ACROSS_SEND);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t36 the lock held during I/O, and the fix: copy, release, then do the slow part",
	"t11 deadlocks: a lock held across a channel operation",
	NULL,
};

static const struct pattern_param params[] = {
	{"updaters", "3", "tasks updating the counters", 1, 32, NULL},
	{"updates", "6", "updates per updater", 1, 1000, NULL},
	{"reports", "4", "snapshots the reporter writes and sends", 1, 1000, NULL},
	{"io", "5", "typical time of one slow write, in ms (long tail)", 0, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "copy under the lock, release it, then write and send the copy",
	 "ok", lock_during_io_correct, "lock_during_io_correct", 1},
	{"lock-across-call", "the slow write with the mutex held: every updater waits for the disk",
	 "metric:lock_wait_us>0", lock_during_io_lock_across_call, "lock_during_io_lock_across_call", 1,
	 .lesson = "the reporter keeps the mutex during the slow write, so every updater waits as "
	           "long as the disk or network does. Copy what you need under the lock, release "
	           "it, then do the I/O."},
	{"lock-across-send", "a channel send with the mutex held: the receiver needs the mutex first",
	 "deadlock", lock_during_io_lock_across_send, "lock_during_io_lock_across_send", 1,
	 .lesson = "the reporter sends while holding the mutex; the consumer must lock the same "
	           "mutex before it receives again, so each waits for the other. Never hold a lock "
	           "across a channel operation that another lock holder must complete."},
};

const struct pattern pattern_lock_during_io = {
	.name = "lock-during-io",
	.title = "Lock held during I/O",
	.level = PATTERN_MIDDLE,
	.summary = "Updaters change shared counters under a mutex; a reporter periodically writes a "
	           "snapshot to a slow sink and hands it to a consumer on a channel, and the consumer "
	           "records what it saw under the same mutex. The fix copies the snapshot under the "
	           "lock, releases it, and only then does the slow write and the send, so nobody "
	           "waits for the I/O and no lock is held across a channel operation.",
	.handshake = "Lock, copy, unlock: the critical section holds only memory operations. The "
	             "slow call and the send then run unlocked, and the consumer can take the lock "
	             "to record the snapshot whenever it likes.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/lock_during_io.c",
	.go_source = "patterns/go/lock_during_io.go",
};
