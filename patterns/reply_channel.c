/*
 * reply_channel.c - request and reply: a server goroutine owns some state and
 * answers requests that carry their own reply channel; each client gives up
 * after a timeout.  Read it beside patterns/go/reply_channel.go.
 *
 * The reply channel has capacity 1, so the server's answer never blocks, even
 * when the client has stopped waiting.  When all clients are done, main
 * closes the request channel and waits for the server to stop (at most a
 * grace period, as a service's Shutdown(ctx) would).
 *
 * Invariant the pattern checks:
 *   own-answer  a client only ever reads the answer to its own question.
 */
#include "patterns/pattern.h"

/* Go: type Answer struct { Key, Value int } */
struct answer {
	int key;
	int value;
};

/* Go: type Request struct { Key int; Reply chan Answer } */
struct request {
	int key;
	cl_chan *reply;
};

static void fmt_request(const void *value, char *buf, size_t size)
{
	const struct request *r = value;
	snprintf(buf, size, "key %d", r->key);
}

static void fmt_answer(const void *value, char *buf, size_t size)
{
	const struct answer *a = value;
	snprintf(buf, size, "key %d = %d", a->key, a->value);
}

struct server_args {
	struct pattern_run *run;
	cl_chan *requests;
	cl_chan *stopped;
};

/* Go: func server(requests <-chan Request, stopped chan<- struct{}) */
static void server(void *arg)
{
	struct server_args *a = arg;
	struct request r;
	/* Go: for r := range requests */
	while (cl_recv(a->requests, &r)) {
		cl_note("server looks up key %d", r.key);
		/* Go: time.Sleep(latency(work)) -- the look-up takes a while */
		cl_sleep(pattern_latency(pattern_param(a->run, "work") * CL_MS));
		/* Go: r.Reply <- Answer{r.Key, r.Key * r.Key} */
		struct answer ans = {r.key, r.key * r.key};
		cl_send(r.reply, &ans);
	}
	/* Go: close(stopped) -- tell main the server is done */
	cl_close(a->stopped);
}

struct client_args {
	struct pattern_run *run;
	int id;
	cl_chan *requests;
	cl_chan *shared_reply;   /* shared-reply only */
	cl_waitgroup *wg;
	bool (*ask)(struct client_args *c, int key, struct answer *out);
};

/* Go: func ask(ctx context.Context, requests chan<- Request, key int) (Answer, error) */
static bool ask(struct client_args *c, int key, struct answer *out)
{
	/* Go: ctx, cancel := context.WithTimeout(ctx, timeout); defer cancel() */
	cl_ctx *ctx = cl_with_timeout(cl_background(), pattern_param(c->run, "timeout") * CL_MS);
	/* Go: reply := make(chan Answer, 1) -- room for the answer we may abandon */
	cl_chan *reply = cl_make("reply", struct answer, 1);
	cl_chan_set_fmt(reply, fmt_answer);
	struct request req = {key, reply};

	/* Go: select { case requests <- req: case <-ctx.Done(): return ctx.Err() } */
	struct cl_case send[] = {CL_SEND_CASE(c->requests, &req), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
	bool answered = false;
	if (cl_select(send, 2) == 0) {
		/* Go: select { case a := <-reply: return a; case <-ctx.Done(): return ctx.Err() } */
		struct cl_case wait[] = {CL_RECV_CASE(reply, out), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
		answered = cl_select(wait, 2) == 0;
	}
	cl_cancel(ctx);
	return answered;
}

/* Variant unbuffered-reply: ask with a reply channel that has no room. */
static bool ask_unbuffered_reply(struct client_args *c, int key, struct answer *out)
{
	/* Go: ctx, cancel := context.WithTimeout(ctx, timeout); defer cancel() */
	cl_ctx *ctx = cl_with_timeout(cl_background(), pattern_param(c->run, "timeout") * CL_MS);
	/* MISTAKE(unbuffered-reply): reply := make(chan Answer) -- unbuffered: if we give up, the
	 * server's answer has nowhere to go and the server blocks forever. */
	cl_chan *reply = cl_make("reply", struct answer, 0);
	cl_chan_set_fmt(reply, fmt_answer);
	struct request req = {key, reply};

	/* Go: select { case requests <- req: case <-ctx.Done(): return ctx.Err() } */
	struct cl_case send[] = {CL_SEND_CASE(c->requests, &req), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
	bool answered = false;
	if (cl_select(send, 2) == 0) {
		/* Go: select { case a := <-reply: return a; case <-ctx.Done(): return ctx.Err() } */
		struct cl_case wait[] = {CL_RECV_CASE(reply, out), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
		answered = cl_select(wait, 2) == 0;
	}
	cl_cancel(ctx);
	return answered;
}

/* Variant shared-reply: every request names the same reply channel. */
static bool ask_shared_reply(struct client_args *c, int key, struct answer *out)
{
	/* Go: ctx, cancel := context.WithTimeout(ctx, timeout); defer cancel() */
	cl_ctx *ctx = cl_with_timeout(cl_background(), pattern_param(c->run, "timeout") * CL_MS);
	/* MISTAKE(shared-reply): reply := sharedReply -- one channel for all callers: whoever
	 * reads first takes the next answer, whoever's it is. */
	cl_chan *reply = c->shared_reply;
	struct request req = {key, reply};

	/* Go: select { case requests <- req: case <-ctx.Done(): return ctx.Err() } */
	struct cl_case send[] = {CL_SEND_CASE(c->requests, &req), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
	bool answered = false;
	if (cl_select(send, 2) == 0) {
		/* Go: select { case a := <-reply: return a; case <-ctx.Done(): return ctx.Err() } */
		struct cl_case wait[] = {CL_RECV_CASE(reply, out), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
		answered = cl_select(wait, 2) == 0;
	}
	cl_cancel(ctx);
	return answered;
}

/* Go: func client(id int, requests chan<- Request, wg *sync.WaitGroup) */
static void client(void *arg)
{
	struct client_args *c = arg;
	int n = (int)pattern_param(c->run, "requests");
	/* Go: for j := 1; j <= n; j++ */
	for (int j = 1; j <= n; j++) {
		int key = c->id * 10 + j;
		struct answer a;
		if (!c->ask(c, key, &a)) {
			cl_note("client %d gave up on key %d", c->id, key);
			continue;
		}
		cl_note("client %d asked key %d, got key %d = %d", c->id, key, a.key, a.value);
		if (a.key != key)
			pattern_fail(c->run, "own-answer", "client %d asked for key %d but read the answer "
			             "for key %d", c->id, key, a.key);
	}
	/* Go: wg.Done() */
	cl_wg_done(c->wg);
}

/* Go: func serveClients(ask askFunc) -- shared by every variant; ask is the variant's. */
static void serve_clients(struct pattern_run *run,
                          bool (*ask_fn)(struct client_args *, int, struct answer *),
                          cl_chan *shared_reply)
{
	/* Go: requests := make(chan Request); stopped := make(chan struct{}) */
	cl_chan *requests = cl_make("requests", struct request, 0);
	cl_chan_set_fmt(requests, fmt_request);
	cl_chan *stopped = cl_make("stopped", char, 0);
	struct server_args *sa = pattern_alloc(run, sizeof *sa);
	*sa = (struct server_args){run, requests, stopped};
	/* Go: go server(requests, stopped) */
	cl_go(server, sa, "server");

	/* Go: var wg sync.WaitGroup; for i := 1; i <= clients; i++ { wg.Add(1); go client(i, ...) } */
	cl_waitgroup *wg = cl_wg_new("clients");
	int clients = (int)pattern_param(run, "clients");
	for (int i = 1; i <= clients; i++) {
		struct client_args *c = pattern_alloc(run, sizeof *c);
		*c = (struct client_args){run, i, requests, shared_reply, wg, ask_fn};
		cl_wg_add(wg, 1);
		cl_go(client, c, "client-%d", i);
	}
	/* Go: wg.Wait(); close(requests) -- no more questions */
	cl_wg_wait(wg);
	cl_close(requests);

	/* Go: select { case <-stopped: case <-time.After(grace): } -- shut down,
	 * waiting for the server at most a grace period. */
	struct cl_case shutdown[] = {CL_RECV_CASE(stopped, NULL), CL_RECV_CASE(cl_after(1 * CL_SEC), NULL)};
	if (cl_select(shutdown, 2) == 0)
		cl_note("server stopped");
	else
		cl_note("server did not stop within the grace period");
}

static void reply_channel_correct(struct pattern_run *run)
{
	serve_clients(run, ask, NULL);
}

static void reply_channel_unbuffered_reply(struct pattern_run *run)
{
	serve_clients(run, ask_unbuffered_reply, NULL);
}

static void reply_channel_shared_reply(struct pattern_run *run)
{
	/* Go: sharedReply := make(chan Answer, 1) -- made once, handed to every ask */
	cl_chan *shared = cl_make("reply", struct answer, 1);
	cl_chan_set_fmt(shared, fmt_answer);
	serve_clients(run, ask_shared_reply, shared);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"handshaking: reply channel embedded in the request (001 junior, example 3 and 4)",
	"handshaking: unbuffered ack after timeout leaks the worker (001 mistake 4, 002)",
	"handshaking: stop and stopped with a grace period (002 senior)",
	"t19 context cancellation",
	NULL,
};

static const struct pattern_param params[] = {
	{"clients", "3", "client tasks asking the server", 1, 100, NULL},
	{"requests", "2", "questions each client asks", 1, 100, NULL},
	{"work", "10", "typical time the server takes per answer, in ms (long tail)", 0, 10000, NULL},
	{"timeout", "40", "how long a client waits for an answer, in ms", 1, 100000, NULL},
};

/* The pooled forms (issue 15), defined at the end of the file. */
static void reply_channel_pooled(struct pattern_run *run);
static void reply_channel_pooled_stale(struct pattern_run *run);
static void reply_channel_worker_closes(struct pattern_run *run);

static const struct pattern_variant variants[] = {
	{"correct", "each request carries its own reply channel with room for one answer", "ok",
	 reply_channel_correct, "reply_channel_correct", 1},
	{"unbuffered-reply", "an unbuffered reply channel strands the server when a client gives "
	 "up", "leak", reply_channel_unbuffered_reply, "reply_channel_unbuffered_reply", 1,
	 "the reply channel has no room, so when the client gives up and stops listening the "
	 "server blocks on its reply forever, one leaked goroutine per timeout; give each "
	 "reply channel a buffer of one"},
	{"shared-reply", "one reply channel for all callers hands a caller someone else's answer",
	 "invariant:own-answer", reply_channel_shared_reply, "reply_channel_shared_reply", 1,
	 "every caller waits on the same reply channel, so whoever receives first takes the "
	 "next answer, which may be someone else's; each request carries its own reply channel"},
	{"pooled", "reply channels from a pool: back in the pool only once their answer is read; an "
	 "abandoned one is dropped", "ok", reply_channel_pooled, "reply_channel_pooled", 1},
	{"pooled-stale", "an abandoned reply channel back in the pool: the late answer poisons its "
	 "next user", "invariant:own-answer", reply_channel_pooled_stale, "reply_channel_pooled_stale",
	 6,
	 "A client that timed out puts its reply channel back in the pool. The server's late answer "
	 "lands in it, and the next caller to take that channel reads someone else's answer: pool a "
	 "reply channel only after its answer was read, and drop it otherwise."},
	{"worker-closes", "the server closes each reply channel after answering: the pool hands out "
	 "closed channels and the next answer panics", "panic", reply_channel_worker_closes,
	 "reply_channel_worker_closes", 2,
	 "The server closes the reply channel after sending the answer. The client owns that channel, "
	 "and here reuses it from a pool: the next request's answer is sent on a closed channel and "
	 "the server panics. The caller reads exactly once; nobody needs to close a reply channel."},
};

const struct pattern pattern_reply_channel = {
	.name = "reply-channel",
	.title = "Request and reply channel",
	.level = PATTERN_MIDDLE,
	.summary = "One server goroutine owns some state; nobody else touches it. Clients ask by "
	           "sending a request that carries a fresh reply channel with room for one answer, "
	           "and wait for the answer or their deadline, whichever comes first. Because the reply "
	           "channel is buffered, the server never blocks on an answer nobody waits for, so a "
	           "client that gives up costs nothing. At the end main closes the request channel and "
	           "waits, for a bounded time, until the server has stopped.",
	.handshake = "A client sends Request{key, reply} and the server receives it. The server "
	             "answers on r.reply, which has room for one value, so the send always completes. "
	             "The client takes the answer from its own reply channel, or its context's Done "
	             "fires first and it leaves. main closes requests; the server's range ends and it "
	             "closes stopped, which main waits for.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/reply_channel.c",
	.go_source = "patterns/go/reply_channel.go",
};

/* ---- pooled reply channels (issue 15) --------------------------------------------
 *
 * To save an allocation per request, clients take reply channels from a pool
 * (Go's sync.Pool; here a buffered channel of channels) and give them back.
 * That is safe only for a channel whose one answer has been read: an
 * abandoned channel may still receive its late answer, so it is dropped.
 * Go: var replies = sync.Pool{New: func() any { return make(chan Answer, 1) }}
 */

struct pooled_server_args {
	struct pattern_run *run;
	cl_chan *requests;
	cl_chan *stopped;
};

/* Go: func pooledServer(requests <-chan Request, stopped chan<- struct{}) -- as server. */
static void pooled_server(void *arg)
{
	struct pooled_server_args *a = arg;
	struct request r;
	while (cl_recv(a->requests, &r)) {
		cl_note("server looks up key %d", r.key);
		cl_sleep(pattern_latency(pattern_param(a->run, "work") * CL_MS));
		struct answer ans = {r.key, r.key * r.key};
		cl_send(r.reply, &ans);
	}
	cl_close(a->stopped);
}

/* Variant worker-closes: the server closes each reply channel. */
static void closing_server(void *arg)
{
	struct pooled_server_args *a = arg;
	struct request r;
	while (cl_recv(a->requests, &r)) {
		cl_note("server looks up key %d", r.key);
		cl_sleep(pattern_latency(pattern_param(a->run, "work") * CL_MS));
		struct answer ans = {r.key, r.key * r.key};
		cl_send(r.reply, &ans);
		/* MISTAKE(worker-closes): close(r.Reply) after the answer: the client owns it, and a pooled channel comes back closed */
		cl_close(r.reply);
	}
	cl_close(a->stopped);
}

struct pooled_client_args {
	struct pattern_run *run;
	int id;
	cl_chan *requests;
	cl_chan *pool;           /* chan chan Answer: the free reply channels */
	cl_waitgroup *wg;
	bool (*ask)(struct pooled_client_args *c, int key, struct answer *out);
};

/* Go: func getReply() chan Answer -- replies.Get().(chan Answer) */
static cl_chan *get_reply(cl_chan *pool)
{
	cl_chan *reply;
	struct cl_case take[] = {CL_RECV_CASE(pool, &reply)};
	if (cl_select_default(take, 1) == 0)
		return reply;
	reply = cl_make("reply", struct answer, 1);
	cl_chan_set_fmt(reply, fmt_answer);
	return reply;
}

/* Go: func putReply(reply chan Answer) -- replies.Put(reply) */
static void put_reply(cl_chan *pool, cl_chan *reply)
{
	struct cl_case give[] = {CL_SEND_CASE(pool, &reply)};
	cl_select_default(give, 1);
}

/* Sends the request and waits for the answer or the timeout, as ask does. */
static bool pooled_exchange(struct pooled_client_args *c, int key, cl_chan *reply, struct answer *out)
{
	cl_ctx *ctx = cl_with_timeout(cl_background(), pattern_param(c->run, "timeout") * CL_MS);
	struct request req = {key, reply};
	struct cl_case send[] = {CL_SEND_CASE(c->requests, &req), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
	bool answered = false;
	if (cl_select(send, 2) == 0) {
		struct cl_case wait[] = {CL_RECV_CASE(reply, out), CL_RECV_CASE(cl_ctx_done(ctx), NULL)};
		answered = cl_select(wait, 2) == 0;
	}
	cl_cancel(ctx);
	return answered;
}

/* Go: func askPooled(ctx, requests, key) (Answer, error) */
static bool ask_pooled(struct pooled_client_args *c, int key, struct answer *out)
{
	cl_chan *reply = get_reply(c->pool);
	bool answered = pooled_exchange(c, key, reply, out);
	/* Go: if err == nil { putReply(reply) } -- an abandoned channel may still get its answer: drop it */
	if (answered)
		put_reply(c->pool, reply);
	return answered;
}

/* Variant pooled-stale: the abandoned channel goes back to the pool too. */
static bool ask_pooled_stale(struct pooled_client_args *c, int key, struct answer *out)
{
	cl_chan *reply = get_reply(c->pool);
	bool answered = pooled_exchange(c, key, reply, out);
	/* MISTAKE(pooled-stale): putReply(reply) also after a timeout: the late answer lands in the pooled channel and waits for its next user */
	put_reply(c->pool, reply);
	return answered;
}

/* Go: func pooledClient(id int, requests chan<- Request, ask askFunc, wg *sync.WaitGroup) -- as client. */
static void pooled_client(void *arg)
{
	struct pooled_client_args *c = arg;
	int n = (int)pattern_param(c->run, "requests");
	for (int j = 1; j <= n; j++) {
		int key = c->id * 10 + j;
		struct answer a;
		if (!c->ask(c, key, &a)) {
			cl_note("client %d gave up on key %d", c->id, key);
			continue;
		}
		cl_note("client %d asked key %d, got key %d = %d", c->id, key, a.key, a.value);
		if (a.key != key)
			pattern_fail(c->run, "own-answer", "client %d asked for key %d but read the answer "
			             "for key %d", c->id, key, a.key);
	}
	cl_wg_done(c->wg);
}

/* Go: func servePooled(server, ask) -- as serveClients, with a pool of reply channels. */
static void serve_pooled(struct pattern_run *run, void (*server_fn)(void *),
                         bool (*ask_fn)(struct pooled_client_args *, int, struct answer *))
{
	cl_chan *requests = cl_make("requests", struct request, 0);
	cl_chan_set_fmt(requests, fmt_request);
	cl_chan *stopped = cl_make("stopped", char, 0);
	int clients = (int)pattern_param(run, "clients");
	/* Go: the pool: room for one free channel per client */
	cl_chan *pool = cl_make("pool", cl_chan *, (size_t)clients);
	cl_chan_set_fmt(pool, cl_fmt_chan);
	struct pooled_server_args *sa = pattern_alloc(run, sizeof *sa);
	*sa = (struct pooled_server_args){run, requests, stopped};
	cl_go(server_fn, sa, "server");
	cl_waitgroup *wg = cl_wg_new("clients");
	for (int i = 1; i <= clients; i++) {
		struct pooled_client_args *c = pattern_alloc(run, sizeof *c);
		*c = (struct pooled_client_args){run, i, requests, pool, wg, ask_fn};
		cl_wg_add(wg, 1);
		cl_go(pooled_client, c, "client-%d", i);
	}
	cl_wg_wait(wg);
	cl_close(requests);
	struct cl_case shutdown[] = {CL_RECV_CASE(stopped, NULL), CL_RECV_CASE(cl_after(1 * CL_SEC), NULL)};
	if (cl_select(shutdown, 2) == 0)
		cl_note("server stopped");
	else
		cl_note("server did not stop within the grace period");
}

/* Go: func pooled() */
static void reply_channel_pooled(struct pattern_run *run)
{
	serve_pooled(run, pooled_server, ask_pooled);
}

/* Go: func pooledStale() */
static void reply_channel_pooled_stale(struct pattern_run *run)
{
	serve_pooled(run, pooled_server, ask_pooled_stale);
}

/* Go: func workerCloses() */
static void reply_channel_worker_closes(struct pattern_run *run)
{
	serve_pooled(run, closing_server, ask_pooled);
}
