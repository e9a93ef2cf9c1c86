/*
 * started.c - a server that is ready only once it has bound its listener:
 * it closes a started channel when the bind is done, and the address or the
 * startup error is there to read afterwards.  Two goroutines wait for
 * readiness (a client and a health probe), so the signal must be a close, a
 * broadcast, not a send.  Read it beside patterns/go/started.go.
 *
 * The listener is simulated: binding takes a while (a latency with a long
 * tail) and fails now and then with "address already in use".
 *
 * Checks:
 *   invariant bound-before-use  nobody dials the server before its listener
 *                               is bound (or its startup error is known).
 */
#include "patterns/pattern.h"

/* Go: type Server struct { started, stop, stopped chan struct{}; conns chan Request; addr string; err error } */
struct server {
	struct pattern_run *run;
	cl_chan *started;        /* chan struct{}: closed when the bind is over, ok or not */
	cl_chan *conns;          /* chan Request: the simulated accept queue */
	cl_chan *stop;           /* chan struct{}: main closes it to stop the server */
	cl_chan *stopped;        /* chan struct{}: the server closes it when it has returned */
	cl_waitgroup *wg;        /* the two waiters */
	bool bound;              /* the listener is bound (set before started is closed) */
	const char *addr;        /* its address, once bound */
	cl_error err;            /* the startup error, if the bind failed */
};

/* Go: type Request struct { From string; Reply chan string } */
struct request {
	const char *from;
	cl_chan *reply;          /* chan string, capacity 1 */
};

static void fmt_request(const void *value, char *buf, size_t size)
{
	const struct request *r = value;
	snprintf(buf, size, "request from %s", r->from);
}

/* Go: defer close(ch) -- a deferred function takes one argument. */
static void close_chan(void *ch)
{
	cl_close(ch);
}

/* Go: func (s *Server) listen() -- bind the (simulated) port. */
static void bind_listener(struct server *s)
{
	cl_note("server: binding :8080");
	/* Go: time.Sleep(latency(bindTime)) -- a bind is fast, sometimes slow */
	cl_sleep(pattern_latency(pattern_param(s->run, "bind") * CL_MS));
	/* Go: if rand.Intn(100) < busy { s.err = errors.New(...); return } */
	if ((long)cl_rand_below(100) < pattern_param(s->run, "busy")) {
		s->err = "listen tcp :8080: bind: address already in use";
		cl_note("server: %s", s->err);
		return;
	}
	s->addr = "127.0.0.1:8080";
	s->bound = true;
	cl_note("server: listening on %s", s->addr);
}

/* Go: func (s *Server) serve() -- answer requests until stop is closed. */
static void serve(struct server *s)
{
	if (s->err)
		return;
	for (;;) {
		/* Go: select { case <-s.stop: return; case r := <-s.conns: r.Reply <- "pong" } */
		struct request r;
		struct cl_case cases[] = {CL_RECV_CASE(s->stop, NULL), CL_RECV_CASE(s->conns, &r)};
		if (cl_select(cases, 2) == 0)
			return;
		cl_sleep(pattern_latency(pattern_param(s->run, "work") * CL_MS));
		const char *pong = "pong";
		cl_send(r.reply, &pong);
	}
}

/* Go: func (s *Server) run() -- bind, say so, serve. */
static void server_run(void *arg)
{
	struct server *s = arg;
	/* Go: defer close(s.stopped) */
	cl_defer(close_chan, s->stopped);
	bind_listener(s);
	/* Go: close(s.started) -- every waiter, now and later, sees it */
	cl_close(s->started);
	serve(s);
}

/* Variant close-early: started is closed before the bind. */
static void server_run_close_early(void *arg)
{
	struct server *s = arg;
	/* Go: defer close(s.stopped) */
	cl_defer(close_chan, s->stopped);
	/* MISTAKE(close-early): close(s.started) before s.listen(): the waiters go ahead while the listener is not bound yet */
	cl_close(s->started);
	bind_listener(s);
	serve(s);
}

/* Variant send-ready: started gets one value instead of a close. */
static void server_run_send_ready(void *arg)
{
	struct server *s = arg;
	/* Go: defer close(s.stopped) */
	cl_defer(close_chan, s->stopped);
	bind_listener(s);
	char ready = 1;
	/* MISTAKE(send-ready): s.started <- struct{}{} wakes one waiter; the other waits for a second value that never comes */
	cl_send(s->started, &ready);
	serve(s);
}

/* Go: func dial(s *Server, who string) -- the waiter's use of the server. */
static void dial(struct server *s, const char *who)
{
	if (s->err) {
		cl_note("%s: the server failed to start: %s", who, s->err);
		return;
	}
	if (!s->bound) {
		pattern_fail(s->run, "bound-before-use", "%s dialled the server at %lldms, before its "
		             "listener was bound", who, PATTERN_MS(cl_now()));
		return;
	}
	/* Go: reply := make(chan string, 1); select { case s.conns <- Request{who, reply}: case <-s.stopped: return } */
	struct request r = {who, cl_make("reply", const char *, 1)};
	cl_chan_set_fmt(r.reply, cl_fmt_str);
	struct cl_case cases[] = {CL_SEND_CASE(s->conns, &r), CL_RECV_CASE(s->stopped, NULL)};
	if (cl_select(cases, 2) == 1)
		return;
	const char *answer;
	cl_recv(r.reply, &answer);
	cl_note("%s: %s answered %s", who, s->addr, answer);
}

struct waiter_args {
	struct server *s;
	const char *who;
};

/* Go: go func() { defer wg.Done(); <-s.started; dial(s, who) }() */
static void waiter(void *arg)
{
	struct waiter_args *a = arg;
	/* Go: <-s.started -- wait for the handshake */
	cl_recv(a->s->started, NULL);
	dial(a->s, a->who);
	cl_wg_done(a->s->wg);
}

/* Variant sleep: the waiters sleep instead of waiting on started. */
static void waiter_sleep(void *arg)
{
	struct waiter_args *a = arg;
	/* MISTAKE(sleep): time.Sleep(wait) instead of <-s.started: "the server is surely up by then" */
	cl_sleep(pattern_param(a->s->run, "wait") * CL_MS);
	dial(a->s, a->who);
	cl_wg_done(a->s->wg);
}

/* Go: func start(run, waiter) -- start the server and the two waiters, wait
 * for the waiters, stop the server and wait until it has stopped. */
static void start(struct pattern_run *run, void (*server_fn)(void *), void (*waiter_fn)(void *))
{
	struct server *s = pattern_alloc(run, sizeof *s);
	s->run = run;
	/* Go: started := make(chan struct{}, 1) -- room for one, so a send does not block */
	s->started = cl_make("started", char, 1);
	s->conns = cl_make("conns", struct request, 0);
	cl_chan_set_fmt(s->conns, fmt_request);
	s->stop = cl_make("stop", char, 0);
	s->stopped = cl_make("stopped", char, 0);
	s->wg = cl_wg_new("wg");
	cl_go(server_fn, s, "server");
	/* Go: wg.Add(2); go waiter(s, "client"); go waiter(s, "probe") */
	static const char *const who[] = {"client", "probe"};
	cl_wg_add(s->wg, 2);
	for (int i = 0; i < 2; i++) {
		struct waiter_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct waiter_args){s, who[i]};
		cl_go(waiter_fn, a, "%s", who[i]);
	}
	/* Go: wg.Wait(); close(s.stop); <-s.stopped */
	cl_wg_wait(s->wg);
	cl_close(s->stop);
	cl_recv(s->stopped, NULL);
}

/* Go: func correct() */
static void started_correct(struct pattern_run *run)
{
	start(run, server_run, waiter);
}

/* Go: func sleep() */
static void started_sleep(struct pattern_run *run)
{
	start(run, server_run, waiter_sleep);
}

/* Go: func closeEarly() */
static void started_close_early(struct pattern_run *run)
{
	start(run, server_run_close_early, waiter);
}

/* Go: func sendReady() */
static void started_send_ready(struct pattern_run *run)
{
	start(run, server_run_send_ready, waiter);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"handshaking: started channel, wait for a server to bind its port (001 junior)",
	"handshaking: surface startup errors through the started channel (001 junior)",
	"handshaking: time.Sleep instead of a started channel (001 mistake 1; 000 q2)",
	"handshaking: closing started before initialisation completes (000 q16)",
	"handshaking: close is broadcast, send is unicast (001; 000 q3)",
	NULL,
};

static const struct pattern_param params[] = {
	{"bind", "20", "typical time the listener takes to bind, in ms (long tail: up to 10x)", 0, 10000,
	 NULL},
	{"busy", "10", "chance in percent that the port is in use (a startup error)", 0, 100, NULL},
	{"work", "5", "typical time the server takes per request, in ms", 0, 10000, NULL},
	{"wait", "30", "sleep only: how long the waiters sleep instead of waiting, in ms", 0, 100000,
	 NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "close started once the bind is over; both waiters see it and read the address "
	 "or the error", "ok", started_correct, "started_correct", 1},
	{"sleep", "a sleep is not a handshake: when the bind is slow, the waiters dial a server that "
	 "is not listening", "invariant:bound-before-use", started_sleep, "started_sleep", 7,
	 "The waiters sleep a fixed time instead of waiting on started. Whenever binding takes longer "
	 "than the sleep (a busy CI machine), they dial a server that is not listening yet."},
	{"close-early", "closing started before initialisation finishes lets the waiters in too soon",
	 "invariant:bound-before-use", started_close_early, "started_close_early", 1,
	 "The server closes started before it binds its listener, so the signal means nothing: the "
	 "waiters go ahead and use a server that is only half set up."},
	{"send-ready", "a send wakes one waiter; with two waiting, the other waits forever", "deadlock",
	 started_send_ready, "started_send_ready", 1,
	 "The server sends one value on started instead of closing it. A send is taken by exactly one "
	 "receiver, so with two goroutines waiting for readiness the second never wakes up."},
};

const struct pattern pattern_started = {
	.name = "started",
	.title = "Started: ready only after the bind",
	.level = PATTERN_JUNIOR,
	.summary = "A server needs a moment before it can serve: it binds a listener, which takes a "
	           "while and can fail. It closes a started channel when the bind is over, and its "
	           "address or its startup error is set before the close, so whoever waits on started "
	           "can read them safely. Two goroutines wait, a client and a health probe; a close "
	           "wakes them both, now or later, where a send would wake only one.",
	.handshake = "The server binds, records the address or the error, then closes started. Each "
	             "waiter blocks on <-started and then reads the address or the error: the close "
	             "happens before every receive it unblocks. main waits for both waiters, closes "
	             "stop, and waits on stopped, which the server closes in a defer.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/started.c",
	.go_source = "patterns/go/started.go",
};
