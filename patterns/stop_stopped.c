/*
 * stop_stopped.c - the stop/stopped pair: the parent closes stop to ask its
 * workers to finish; each worker flushes what it holds and closes its own
 * stopped channel, in a defer, so the parent knows the flush is done, also
 * when the worker panicked.  Stop is safe to call twice (a deferred safety
 * net and the explicit call).  Read it beside patterns/go/stop_stopped.go.
 *
 * A worker takes records from a queue, processes each (a latency; now and
 * then a malformed record makes it panic, which it recovers and reports as
 * an error), keeps the results in a buffer and writes the buffer out when it
 * is asked to stop.
 *
 * Checks:
 *   invariant flushed  once Stop has returned, every worker that did not
 *                      fail has written out everything it processed.
 */
#include "patterns/pattern.h"

struct worker {
	struct pattern_run *run;
	int id;
	cl_chan *stopped;        /* chan struct{}: closed when this worker has returned */
	int processed;           /* records processed, held in the buffer */
	int saved;               /* records written out by the flush */
	const char *err;         /* the recovered panic, as an error */
	char errbuf[120];
};

/* Go: type Workers struct { stop chan struct{}; once sync.Once; in chan int; ws []*Worker } */
struct workers {
	struct pattern_run *run;
	cl_chan *stop;           /* chan struct{}: closed by Stop */
	cl_once *once;           /* makes Stop safe to call twice */
	cl_chan *in;             /* chan int: the records */
	struct worker *w;
	int n;
};

struct worker_args {
	struct workers *ws;
	struct worker *w;
};

/* Go: defer close(ch) */
static void close_chan(void *ch)
{
	cl_close(ch);
}

/* Go: defer func() { if r := recover(); r != nil { w.err = fmt.Errorf("worker %d: %v", w.id, r) } }() */
static void recover_as_error(void *arg)
{
	struct worker *w = arg;
	const char *msg = cl_recover();
	if (msg) {
		snprintf(w->errbuf, sizeof w->errbuf, "worker %d: %s", w->id, msg);
		w->err = w->errbuf;
		cl_note("worker %d recovered: %s", w->id, msg);
	}
}

/* Go: func (w *Worker) process(rec int) -- may panic on a malformed record. */
static void process(struct worker *w, int rec)
{
	cl_sleep(pattern_latency(pattern_param(w->run, "work") * CL_MS));
	/* Go: if rand.Intn(bad) == 0 { panic(...) } -- one record in `bad` is malformed */
	if (cl_rand_below((uint64_t)pattern_param(w->run, "bad")) == 0)
		cl_panic("malformed record %d", rec);
	w->processed++;
}

/* Go: func (w *Worker) flush() -- write the buffer out. */
static void flush(struct worker *w)
{
	cl_note("worker %d flushes %d records", w->id, w->processed);
	cl_sleep(pattern_latency(pattern_param(w->run, "flush") * CL_MS));
	w->saved = w->processed;
}

/* Go: func (w *Worker) loop(stop <-chan struct{}, in <-chan int) -- until stop is closed. */
static void loop(struct workers *ws, struct worker *w)
{
	for (;;) {
		/* Go: select { case <-stop: w.flush(); return; case rec := <-in: w.process(rec) } */
		int rec;
		struct cl_case cases[] = {CL_RECV_CASE(ws->stop, NULL), CL_RECV_CASE(ws->in, &rec)};
		if (cl_select(cases, 2) == 0) {
			flush(w);
			return;
		}
		process(w, rec);
	}
}

/* Go: go func() { defer close(w.stopped); defer recoverAsError(w); w.loop(stop, in) }() */
static void worker_run(void *arg)
{
	struct worker_args *a = arg;
	/* Go: defer close(w.stopped) -- runs however the worker ends, panic included */
	cl_defer(close_chan, a->w->stopped);
	cl_defer(recover_as_error, a->w);
	loop(a->ws, a->w);
}

/* Variant recover-no-defer: stopped is closed only on the normal path. */
static void worker_run_no_defer(void *arg)
{
	struct worker_args *a = arg;
	cl_defer(recover_as_error, a->w);
	loop(a->ws, a->w);
	/* MISTAKE(recover-no-defer): close(w.stopped) at the end, not deferred: after a recovered panic it never runs */
	cl_close(a->w->stopped);
}

/* Go: func (ws *Workers) closeStop() */
static void close_stop(void *arg)
{
	struct workers *ws = arg;
	cl_close(ws->stop);
}

/* Go: func (ws *Workers) Stop() { ws.once.Do(func() { close(ws.stop) }); for _, w := range ws.ws { <-w.stopped } } */
static void stop_all(void *arg)
{
	struct workers *ws = arg;
	cl_once_do(ws->once, close_stop, ws);
	for (int i = 0; i < ws->n; i++)
		cl_recv(ws->w[i].stopped, NULL);
}

/* Variant forget-stopped: Stop does not wait. */
static void stop_all_forget_stopped(void *arg)
{
	struct workers *ws = arg;
	cl_once_do(ws->once, close_stop, ws);
	/* MISTAKE(forget-stopped): no <-w.stopped: Stop returns while the workers are still flushing */
}

/* Variant send-stop: one value on stop for two workers. */
static void send_stop(void *arg)
{
	struct workers *ws = arg;
	char v = 1;
	/* MISTAKE(send-stop): stop <- struct{}{} instead of close(stop): one worker takes it, the other never hears */
	cl_send(ws->stop, &v);
}

static void stop_all_send(void *arg)
{
	struct workers *ws = arg;
	cl_once_do(ws->once, send_stop, ws);
	for (int i = 0; i < ws->n; i++)
		cl_recv(ws->w[i].stopped, NULL);
}

/* Variant double-close: no once around the close. */
static void stop_all_double_close(void *arg)
{
	struct workers *ws = arg;
	/* MISTAKE(double-close): close(ws.stop) without sync.Once: the second Stop closes it again and panics */
	cl_close(ws->stop);
	for (int i = 0; i < ws->n; i++)
		cl_recv(ws->w[i].stopped, NULL);
}

/* Go: func check(ws *Workers) -- after Stop: every healthy worker flushed. */
static void check(struct workers *ws)
{
	for (int i = 0; i < ws->n; i++) {
		struct worker *w = &ws->w[i];
		if (w->err) {
			cl_note("main: %s (its records are lost, and we know it)", w->err);
			continue;
		}
		if (w->saved != w->processed)
			pattern_fail(ws->run, "flushed", "Stop returned, but worker %d had written out %d of "
			             "the %d records it processed", w->id, w->saved, w->processed);
	}
}

/* Go: func run(worker, stop) -- start the workers, feed them, stop them. */
static void run_workers(struct pattern_run *run, void (*worker_fn)(void *), void (*stop_fn)(void *))
{
	int n = (int)pattern_param(run, "workers"), records = (int)pattern_param(run, "records");
	struct workers *ws = pattern_alloc(run, sizeof *ws);
	ws->run = run;
	ws->n = n;
	ws->stop = cl_make("stop", char, 0);
	ws->once = cl_once_new("once");
	ws->in = cl_make("in", int, (size_t)records);
	cl_chan_set_fmt(ws->in, cl_fmt_int);
	ws->w = pattern_alloc(run, (size_t)n * sizeof *ws->w);
	for (int i = 0; i < n; i++) {
		struct worker *w = &ws->w[i];
		char name[24];
		snprintf(name, sizeof name, "stopped-%d", i + 1);
		*w = (struct worker){.run = run, .id = i + 1, .stopped = cl_make(name, char, 0)};
		struct worker_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct worker_args){ws, w};
		cl_go(worker_fn, a, "worker-%d", i + 1);
	}
	/* Go: defer ws.Stop() -- a safety net: Stop may be called twice */
	cl_defer(stop_fn, ws);
	/* Go: for i := 1; i <= records; i++ { in <- i }; time.Sleep(runFor) */
	for (int i = 1; i <= records; i++)
		cl_send(ws->in, &i);
	cl_sleep(pattern_param(run, "run") * CL_MS);
	/* Go: ws.Stop(); check(ws) */
	cl_note("main: stop");
	stop_fn(ws);
	check(ws);
}

/* Go: func correct() */
static void stop_stopped_correct(struct pattern_run *run)
{
	run_workers(run, worker_run, stop_all);
}

/* Go: func forgetStopped() */
static void stop_stopped_forget_stopped(struct pattern_run *run)
{
	run_workers(run, worker_run, stop_all_forget_stopped);
}

/* Go: func sendStop() */
static void stop_stopped_send_stop(struct pattern_run *run)
{
	run_workers(run, worker_run, stop_all_send);
}

/* Go: func doubleClose() */
static void stop_stopped_double_close(struct pattern_run *run)
{
	run_workers(run, worker_run, stop_all_double_close);
}

/* Go: func recoverNoDefer() */
static void stop_stopped_recover_no_defer(struct pattern_run *run)
{
	run_workers(run, worker_run_no_defer, stop_all);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"handshaking: stop and stopped, always pair stop with stopped (001 junior)",
	"handshaking: forgetting stopped (001 mistake 2; 000 q4, q11)",
	"handshaking: sending instead of closing for broadcast (001 mistake 3; 000 q3, q16)",
	"handshaking: close is one-shot; idempotent close with sync.Once (001)",
	"handshaking: defer the close, even on panic (001 error handling; 002 missed close)",
	NULL,
};

static const struct pattern_param params[] = {
	{"workers", "2", "workers sharing the record queue", 1, 16, NULL},
	{"records", "10", "records main queues before it stops the workers", 1, 1000, NULL},
	{"work", "10", "typical time to process a record, in ms (long tail)", 0, 10000, NULL},
	{"flush", "5", "typical time a worker takes to write its buffer out, in ms", 0, 10000, NULL},
	{"bad", "30", "one record in BAD is malformed and makes the worker panic", 1, 1000000, NULL},
	{"run", "60", "how long main lets the workers run before it stops them, in ms", 0, 100000,
	 NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "close stop once; each worker flushes and closes stopped in a defer; Stop waits "
	 "for every stopped", "ok", stop_stopped_correct, "stop_stopped_correct", 1},
	{"forget-stopped", "closing stop is a request, not a confirmation: without stopped, main "
	 "reads what the workers have not flushed", "invariant:flushed", stop_stopped_forget_stopped,
	 "stop_stopped_forget_stopped", 1,
	 "Stop closes stop and returns at once, without waiting on stopped. The workers are still "
	 "flushing, so main reads state that is not written out yet: a request to stop is not proof "
	 "that anything stopped."},
	{"send-stop", "a send on stop reaches one worker; the other never stops and Stop waits for it "
	 "forever", "deadlock", stop_stopped_send_stop, "stop_stopped_send_stop", 2,
	 "Stop sends one value on stop instead of closing it. A send reaches exactly one worker, so "
	 "with two workers one never hears the request, and Stop waits for its stopped forever."},
	{"double-close", "the second Stop closes stop again: close is one-shot and the second panics",
	 "panic", stop_stopped_double_close, "stop_stopped_double_close", 1,
	 "Stop closes stop without sync.Once, and Stop runs twice (the explicit call and the deferred "
	 "safety net). Closing a closed channel panics, so a harmless second call crashes the program."},
	{"recover-no-defer", "a worker recovers its panic but closes stopped only on the normal "
	 "path, so Stop waits forever", "deadlock", stop_stopped_recover_no_defer,
	 "stop_stopped_recover_no_defer", 1,
	 "The worker recovers its panic but closes stopped only at the end of its normal path, not in "
	 "a defer. After a panic that line never runs, and the parent waits on stopped forever: defer "
	 "the close so it runs however the worker ends."},
};

const struct pattern pattern_stop_stopped = {
	.name = "stop-stopped",
	.title = "Stop and stopped",
	.level = PATTERN_JUNIOR,
	.summary = "To shut a goroutine down you ask and then you wait for the answer. The parent "
	           "closes stop, which every worker sees at once; each worker writes out what it holds "
	           "and closes its own stopped channel, in a defer so it happens even after a panic. "
	           "Stop returns only when every stopped is closed, so what the workers wrote is there "
	           "to read. Stop can be called twice: sync.Once guards the close.",
	.handshake = "main closes stop (once). Each worker's select sees it, the worker flushes its "
	             "buffer and returns, and its deferred close(stopped) runs. main receives from "
	             "every stopped and only then reads the workers' state. A worker that panics "
	             "recovers, reports an error and still closes stopped.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/stop_stopped.c",
	.go_source = "patterns/go/stop_stopped.go",
};
