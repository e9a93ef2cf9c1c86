/*
 * drain.c - a drain handshake: stop accepting input, finish what is queued,
 * say "drained".  Push returns ErrClosed once a drain has begun instead of
 * sending on a closed channel; Drain closes the input channel (its owner is
 * the queue, never a worker) and waits for drained, and when its deadline
 * passes first it forces the workers to abandon what is left: a two-stage
 * stop, ask and then force.  Read it beside patterns/go/drain.go.
 *
 * Producers push items at a steady pace until Push refuses them; workers
 * take items from the queue, each taking a while (long tail).
 *
 * Checks:
 *   metric drain_ms  how long Drain took, within the budget (--budget).
 */
#include "patterns/pattern.h"

/* Go: var ErrClosed = errors.New("queue closed") */
static const char err_closed[] = "queue closed";

/* Go: type Queue struct { in chan int; mu sync.RWMutex; closed bool; stopReq, forceStop, drained chan struct{} } */
struct queue {
	struct pattern_run *run;
	cl_chan *in;             /* chan int: the items; closed by Drain, its owner */
	cl_rwmutex *mu;          /* Push holds it shared while it sends; Drain exclusively to close in */
	cl_chan *stop_req;       /* chan struct{}: closed when the drain begins: Push refuses */
	cl_chan *force_stop;     /* chan struct{}: closed when the deadline passed: abandon the rest */
	cl_chan *drained;        /* chan struct{}: closed when every worker has returned */
	bool closed;             /* in is closed (guarded by mu) */
	cl_waitgroup *wg;        /* the workers */
	cl_waitgroup *producers;
	void (*worker_fn)(void *);
};

/* Go: defer mu.RUnlock() */
static void runlock(void *mu)
{
	cl_runlock(mu);
}

/* Go: func (q *Queue) Push(item int) error */
static cl_error push(struct queue *q, int item)
{
	/* Go: q.mu.RLock(); defer q.mu.RUnlock() -- Drain cannot close in while we send */
	cl_rlock(q->mu);
	/* Go: if q.closed { return ErrClosed } -- a select would pick a send on the closed in */
	if (q->closed) {
		runlock(q->mu);
		return err_closed;
	}
	/* Go: select { case q.in <- item: return nil; case <-q.stopReq: return ErrClosed } */
	struct cl_case cases[] = {CL_SEND_CASE(q->in, &item), CL_RECV_CASE(q->stop_req, NULL)};
	int i = cl_select(cases, 2);
	runlock(q->mu);
	return i == 0 ? NULL : err_closed;
}

/* Variant push-after-close: Push sends straight into in. */
static cl_error push_unguarded(struct queue *q, int item)
{
	/* MISTAKE(push-after-close): q.in <- item with no check: once Drain has closed in, the next Push panics */
	cl_send(q->in, &item);
	return NULL;
}

struct producer_args {
	struct queue *q;
	int id;
	cl_error (*push)(struct queue *q, int item);
};

/* Go: func producer(q *Queue, id int) -- push until the queue refuses. */
static void producer(void *arg)
{
	struct producer_args *a = arg;
	for (int i = 1;; i++) {
		cl_sleep(pattern_latency(pattern_param(a->q->run, "pace") * CL_MS));
		int item = a->id * 1000 + i;
		if (a->push(a->q, item)) {
			cl_note("producer %d: %s, stops", a->id, err_closed);
			break;
		}
	}
	cl_wg_done(a->q->producers);
}

/* Go: func (q *Queue) process(item int) bool -- false when forced to stop midway. */
static bool process(struct queue *q, int item)
{
	/* Go: select { case <-time.After(latency(work)): return true; case <-q.forceStop: return false } */
	struct cl_case cases[] = {
		CL_RECV_CASE(cl_after(pattern_latency(pattern_param(q->run, "work") * CL_MS)), NULL),
		CL_RECV_CASE(q->force_stop, NULL),
	};
	if (cl_select(cases, 2) == 1) {
		cl_note("abandons item %d", item);
		return false;
	}
	return true;
}

/* Go: func (q *Queue) worker() -- until in is closed and empty, or forced. */
static void worker(void *arg)
{
	struct queue *q = arg;
	for (;;) {
		/* Go: select { case <-q.forceStop: return; case item, ok := <-q.in: if !ok { return }; q.process(item) } */
		int item;
		struct cl_case cases[] = {CL_RECV_CASE(q->force_stop, NULL), CL_RECV_CASE(q->in, &item)};
		if (cl_select(cases, 2) == 0 || !cases[1].ok)
			break;
		if (!process(q, item))
			break;
	}
	cl_wg_done(q->wg);
}

/* Variant receiver-closes: a worker closes in when the drain begins. */
static void worker_closes(void *arg)
{
	struct queue *q = arg;
	for (;;) {
		int item;
		struct cl_case cases[] = {CL_RECV_CASE(q->force_stop, NULL), CL_RECV_CASE(q->in, &item),
		                          CL_RECV_CASE(q->stop_req, NULL)};
		int i = cl_select(cases, 3);
		if (i == 0 || (i == 1 && !cases[1].ok))
			break;
		if (i == 2) {
			/* MISTAKE(receiver-closes): close(q.in) in a worker: a receiver does not own in; a second worker or a Push still sending panics */
			cl_close(q->in);
			continue;
		}
		if (!process(q, item))
			break;
	}
	cl_wg_done(q->wg);
}

/* Go: func (q *Queue) run() { for i := 0; i < workers; i++ { go q.worker() }; wg.Wait(); close(q.drained) } */
static void queue_run(void *arg)
{
	struct queue *q = arg;
	int workers = (int)pattern_param(q->run, "workers");
	cl_wg_add(q->wg, workers);
	for (int w = 1; w <= workers; w++)
		cl_go(q->worker_fn, q, "worker-%d", w);
	cl_wg_wait(q->wg);
	cl_close(q->drained);
}

/* Go: func (q *Queue) Drain(ctx context.Context) error */
static cl_error drain(struct queue *q, cl_ctx *ctx)
{
	/* Go: close(q.stopReq) -- Push refuses from now on */
	cl_close(q->stop_req);
	/* Go: q.mu.Lock(); q.closed = true; close(q.in); q.mu.Unlock() -- no Push is in the middle of a send */
	cl_wlock(q->mu);
	q->closed = true;
	cl_close(q->in);
	cl_wunlock(q->mu);
	/* Go: select { case <-q.drained: return nil; case <-ctx.Done(): close(q.forceStop); <-q.drained; return ctx.Err() } */
	struct cl_case cases[] = {CL_RECV_CASE(q->drained, NULL), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
	if (cl_select(cases, 2) == 0)
		return NULL;
	cl_note("drain: deadline passed, forcing the workers to stop");
	cl_close(q->force_stop);
	cl_recv(q->drained, NULL);
	return cl_ctx_err(ctx);
}

/* Variant no-deadline: Drain waits for drained, however long it takes. */
static cl_error drain_no_deadline(struct queue *q, cl_ctx *ctx)
{
	(void)ctx;
	cl_close(q->stop_req);
	cl_wlock(q->mu);
	q->closed = true;
	cl_close(q->in);
	cl_wunlock(q->mu);
	/* MISTAKE(no-deadline): <-q.drained with no select on ctx.Done(): slow workers stretch the drain past its budget */
	cl_recv(q->drained, NULL);
	return NULL;
}

/* Variant receiver-closes: Drain leaves closing in to the workers. */
static cl_error drain_leave_close(struct queue *q, cl_ctx *ctx)
{
	cl_close(q->stop_req);
	struct cl_case cases[] = {CL_RECV_CASE(q->drained, NULL), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
	if (cl_select(cases, 2) == 0)
		return NULL;
	cl_close(q->force_stop);
	cl_recv(q->drained, NULL);
	return cl_ctx_err(ctx);
}

/* Go: func run(push, worker, drain) -- producers, workers, then a drain under the budget. */
static void run_queue(struct pattern_run *run, cl_error (*push_fn)(struct queue *, int),
                      void (*worker_fn)(void *), cl_error (*drain_fn)(struct queue *, cl_ctx *))
{
	long budget = pattern_param(run, "budget");
	pattern_limit(run, "drain_ms", budget, "ms");
	struct queue *q = pattern_alloc(run, sizeof *q);
	q->run = run;
	q->in = cl_make("in", int, (size_t)pattern_param(run, "queue"));
	cl_chan_set_fmt(q->in, cl_fmt_int);
	q->mu = cl_rwmutex_new("mu");
	q->stop_req = cl_make("stopReq", char, 0);
	q->force_stop = cl_make("forceStop", char, 0);
	q->drained = cl_make("drained", char, 0);
	q->wg = cl_wg_new("wg");
	q->producers = cl_wg_new("producers");
	q->worker_fn = worker_fn;
	cl_go(queue_run, q, "queue");
	int producers = (int)pattern_param(run, "producers");
	cl_wg_add(q->producers, producers);
	for (int p = 1; p <= producers; p++) {
		struct producer_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct producer_args){q, p, push_fn};
		cl_go(producer, a, "producer-%d", p);
	}
	cl_sleep(pattern_param(run, "run") * CL_MS);
	/* Go: ctx, cancel := context.WithTimeout(context.Background(), budget); defer cancel() */
	cl_ctx *ctx = cl_with_timeout(cl_background(), budget * CL_MS);
	cl_time began = cl_now();
	cl_note("main: drain, with %zu items queued", cl_len(q->in));
	cl_error err = drain_fn(q, ctx);
	cl_cancel(ctx);
	pattern_metric(run, "drain_ms", PATTERN_MS(cl_now() - began));
	cl_note("main: drained in %lldms (%s)", PATTERN_MS(cl_now() - began), err ? err : "every item done");
	/* Go: producers.Wait() -- each has seen ErrClosed */
	cl_wg_wait(q->producers);
}

/* Go: func correct() */
static void drain_correct(struct pattern_run *run)
{
	run_queue(run, push, worker, drain);
}

/* Go: func pushAfterClose() */
static void drain_push_after_close(struct pattern_run *run)
{
	run_queue(run, push_unguarded, worker, drain);
}

/* Go: func noDeadline() */
static void drain_no_deadline_variant(struct pattern_run *run)
{
	run_queue(run, push, worker, drain_no_deadline);
}

/* Go: func receiverCloses() */
static void drain_receiver_closes(struct pattern_run *run)
{
	run_queue(run, push, worker_closes, drain_leave_close);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"handshaking: drain handshakes, close the input channel and wait for drained (002 senior)",
	"handshaking: Push returns ErrClosed instead of sending on a closed channel (002 senior)",
	"handshaking: drain with a deadline: ask, then force (002 senior)",
	"handshaking: closing a channel you do not own (001 edge cases; 002 mistake 2)",
	"t19 context cancellation",
	NULL,
};

static const struct pattern_param params[] = {
	{"workers", "2", "workers taking items from the queue", 1, 64, NULL},
	{"producers", "2", "producers pushing items until the queue refuses", 1, 64, NULL},
	{"queue", "8", "room in the queue", 0, 10000, NULL},
	{"work", "10", "typical time a worker takes per item, in ms (long tail)", 0, 10000, NULL},
	{"pace", "3", "typical time between a producer's pushes, in ms", 0, 10000, NULL},
	{"run", "40", "how long main lets it run before the drain, in ms", 0, 100000, NULL},
	{"budget", "50", "the drain's budget, in ms: its deadline and the drain_ms limit", 1, 100000,
	 NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "Push refuses after stopReq; Drain closes in, waits for drained, and forces the "
	 "workers when the budget runs out", "ok", drain_correct, "drain_correct", 1},
	{"push-after-close", "a Push that sends straight into in panics once Drain has closed it",
	 "panic", drain_push_after_close, "drain_push_after_close", 1,
	 "Push sends straight into the input channel. Once Drain has closed it, the next Push from a "
	 "producer that is still running panics with \"send on closed channel\": Push should select on "
	 "a stop signal and return ErrClosed."},
	{"no-deadline", "a drain that waits for the workers however long they take overruns its "
	 "budget", "metric:drain_ms>budget", drain_no_deadline_variant, "drain_no_deadline_variant", 1,
	 "Drain waits for drained with no deadline. When the queue is full and the workers are slow, "
	 "the drain takes longer than its share of the shutdown budget, and nothing stops it."},
	{"receiver-closes", "a worker that closes the input channel: a second close or a Push still "
	 "sending panics", "panic", drain_receiver_closes, "drain_receiver_closes", 1,
	 "A worker closes the input channel when it sees the drain begin. A receiver does not own the "
	 "channel: the other worker closes it again, or a Push still sending finds it closed, and the "
	 "program panics."},
};

const struct pattern pattern_drain = {
	.name = "drain",
	.title = "Drain: stop accepting, finish, say drained",
	.level = PATTERN_SENIOR,
	.summary = "Producers push items into a queue that workers empty. To drain it, the queue first "
	           "refuses new items (Push returns ErrClosed instead of panicking), then its owner "
	           "closes the input channel, so each worker's loop ends once the queue is empty, and "
	           "the last worker out closes drained. Drain waits for drained within its budget; when "
	           "the deadline passes first, it closes forceStop and the workers abandon the rest.",
	.handshake = "Drain closes stopReq, so a Push blocked or arriving returns ErrClosed. Under the "
	             "write lock, so no Push is mid-send, it closes in. Workers finish the queued items "
	             "and return; wg.Wait returns and drained is closed. Drain returns on drained, or "
	             "on its deadline it closes forceStop and then waits for drained.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/drain.c",
	.go_source = "patterns/go/drain.go",
};
