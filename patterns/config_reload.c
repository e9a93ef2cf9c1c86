/*
 * config_reload.c - a hot config reload, acknowledged: Reload hands the new
 * config to every worker and returns only when each has answered "applied",
 * so from then on no request is served with the old config.  A worker
 * applies a new config between requests, never in the middle of one.  Read
 * it beside patterns/go/config_reload.go.
 *
 * Requests arrive at a steady pace; each takes a while (long tail) and is
 * served with the config the worker held when it began.
 *
 * Checks:
 *   invariant new-config  no request finishes with the old config after
 *                         Reload has returned.
 */
#include "patterns/pattern.h"

/* Go: type Config struct { Version int } */
struct config {
	int version;
};

struct worker {
	int id;
	cl_chan *reload;         /* chan Config, capacity 1: the new config for this worker */
	struct config cfg;       /* the config this worker serves with */
};

/* Go: type Service struct { ... } -- what Reload and the workers share. */
struct service {
	struct pattern_run *run;
	cl_chan *requests;       /* chan int */
	cl_chan *applied;        /* chan struct{}, capacity N: one "applied" per worker */
	cl_chan *stop;           /* chan struct{}: closed to stop the load generator */
	cl_waitgroup *wg;        /* the workers */
	struct worker *w;
	int n;
	cl_atomic64 reloaded;    /* the version the last Reload returned for (0: none yet) */
	void (*ack)(struct service *s);
};

/* Go: func (s *Service) ackSend() { s.applied <- struct{}{} } */
static void ack_send(struct service *s)
{
	char v = 1;
	cl_send(s->applied, &v);
}

/* Variant close-ack: each worker closes applied. */
static void ack_close(struct service *s)
{
	/* MISTAKE(close-ack): close(s.applied) as each worker's "applied": close is one-shot, the second worker's close panics */
	cl_close(s->applied);
}

/* Go: func (s *Service) serve(w *Worker, req int) */
static void serve(struct service *s, struct worker *w, int req)
{
	int used = w->cfg.version;
	cl_sleep(pattern_latency(pattern_param(s->run, "work") * CL_MS));
	int64_t reloaded = cl_atomic_load(&s->reloaded);
	if (used < reloaded)
		pattern_fail(s->run, "new-config", "worker %d finished request %d with config v%d at "
		             "%lldms, after Reload(v%lld) had returned", w->id, req, used,
		             PATTERN_MS(cl_now()), (long long)reloaded);
	else
		cl_note("worker %d served request %d with config v%d", w->id, req, used);
}

struct worker_args {
	struct service *s;
	struct worker *w;
};

/* Go: func (s *Service) worker(w *Worker) -- requests, and new configs between them. */
static void worker(void *arg)
{
	struct worker_args *a = arg;
	struct service *s = a->s;
	struct worker *w = a->w;
	for (;;) {
		/* Go: select { case cfg := <-w.reload: w.cfg = cfg; s.ack(); case req, ok := <-s.requests: ... } */
		struct config cfg;
		int req;
		struct cl_case cases[] = {CL_RECV_CASE(w->reload, &cfg), CL_RECV_CASE(s->requests, &req)};
		if (cl_select(cases, 2) == 0) {
			w->cfg = cfg;
			cl_note("worker %d applied config v%d", w->id, cfg.version);
			s->ack(s);
			continue;
		}
		if (!cases[1].ok)
			break;
		serve(s, w, req);
	}
	cl_wg_done(s->wg);
}

/* Go: func (s *Service) Reload(cfg Config) -- hand it to every worker, wait for every "applied". */
static void reload(struct service *s, struct config cfg)
{
	for (int i = 0; i < s->n; i++)
		cl_send(s->w[i].reload, &cfg);
	/* Go: for range s.ws { <-s.applied } */
	for (int i = 0; i < s->n; i++)
		cl_recv(s->applied, NULL);
	cl_atomic_store(&s->reloaded, cfg.version);
}

/* Variant no-ack: Reload returns once it has handed the config over. */
static void reload_no_ack(struct service *s, struct config cfg)
{
	for (int i = 0; i < s->n; i++)
		cl_send(s->w[i].reload, &cfg);
	/* MISTAKE(no-ack): no wait for "applied": Reload returns while workers are still in the middle of requests on the old config */
	cl_atomic_store(&s->reloaded, cfg.version);
}

/* Variant one-ack: Reload waits for the first worker only. */
static void reload_one_ack(struct service *s, struct config cfg)
{
	for (int i = 0; i < s->n; i++)
		cl_send(s->w[i].reload, &cfg);
	/* MISTAKE(one-ack): <-s.applied once: one worker has applied the config, the others may not have */
	cl_recv(s->applied, NULL);
	cl_atomic_store(&s->reloaded, cfg.version);
}

/* Go: go func() { for i := 1; ; i++ { select { case <-stop: close(requests); return; case <-time.After(latency(pace)): requests <- i } } }() */
static void load(void *arg)
{
	struct service *s = arg;
	for (int i = 1;; i++) {
		struct cl_case cases[] = {
			CL_RECV_CASE(s->stop, NULL),
			CL_RECV_CASE(cl_after(pattern_latency(pattern_param(s->run, "pace") * CL_MS)), NULL),
		};
		if (cl_select(cases, 2) == 0)
			break;
		cl_send(s->requests, &i);
	}
	cl_close(s->requests);
}

/* Go: func run(reload, ack) -- serve on v1, reload to v2, serve on, stop. */
static void run_service(struct pattern_run *run, void (*reload_fn)(struct service *, struct config),
                        void (*ack)(struct service *))
{
	struct service *s = pattern_alloc(run, sizeof *s);
	s->run = run;
	s->n = (int)pattern_param(run, "workers");
	s->requests = cl_make("requests", int, 0);
	cl_chan_set_fmt(s->requests, cl_fmt_int);
	s->applied = cl_make("applied", char, (size_t)s->n);
	s->stop = cl_make("stop", char, 0);
	s->wg = cl_wg_new("wg");
	s->ack = ack;
	s->w = pattern_alloc(run, (size_t)s->n * sizeof *s->w);
	cl_wg_add(s->wg, s->n);
	for (int i = 0; i < s->n; i++) {
		struct worker *w = &s->w[i];
		char name[24];
		snprintf(name, sizeof name, "reload-%d", i + 1);
		*w = (struct worker){i + 1, cl_make(name, struct config, 1), {1}};
		struct worker_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct worker_args){s, w};
		cl_go(worker, a, "worker-%d", i + 1);
	}
	cl_go(load, s, "load");
	cl_time phase = pattern_param(run, "run") * CL_MS;
	cl_sleep(phase);
	/* Go: s.Reload(Config{Version: 2}) */
	cl_note("main: reload to config v2");
	reload_fn(s, (struct config){2});
	cl_note("main: Reload returned");
	cl_sleep(phase);
	/* Go: close(stop); wg.Wait() */
	cl_close(s->stop);
	cl_wg_wait(s->wg);
}

/* Go: func correct() */
static void config_reload_correct(struct pattern_run *run)
{
	run_service(run, reload, ack_send);
}

/* Go: func noAck() */
static void config_reload_no_ack(struct pattern_run *run)
{
	run_service(run, reload_no_ack, ack_send);
}

/* Go: func oneAck() */
static void config_reload_one_ack(struct pattern_run *run)
{
	run_service(run, reload_one_ack, ack_send);
}

/* Go: func closeAck() */
static void config_reload_close_ack(struct pattern_run *run)
{
	run_service(run, reload, ack_close);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"handshaking: hot config reload confirmed by \"config applied\" (002 use cases)",
	"handshaking: a signal is one-way, a handshake two-way (001 core concepts)",
	"handshaking: close is one-shot; N acknowledgements are N sends (001)",
	"t4 unbuffered vs buffered channels",
	NULL,
};

static const struct pattern_param params[] = {
	{"workers", "3", "workers serving requests", 1, 64, NULL},
	{"work", "10", "typical time a request takes, in ms (long tail)", 0, 10000, NULL},
	{"pace", "3", "typical time between requests, in ms", 0, 10000, NULL},
	{"run", "40", "how long the service runs before and after the reload, in ms", 0, 100000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "each worker applies the config between requests and answers applied; Reload "
	 "waits for every answer", "ok", config_reload_correct, "config_reload_correct", 1},
	{"no-ack", "a reload nobody acknowledges: requests finish with the old config after Reload "
	 "returned", "invariant:new-config", config_reload_no_ack, "config_reload_no_ack", 1,
	 "Reload hands the new config to the workers and returns at once. A worker in the middle of a "
	 "request applies it only afterwards, so requests keep finishing with the old config after "
	 "the caller was told the reload is done."},
	{"one-ack", "waiting for one applied when there are N workers", "invariant:new-config",
	 config_reload_one_ack, "config_reload_one_ack", 1,
	 "Reload waits for one \"applied\" although there are several workers. The first worker to "
	 "answer lets Reload return while the others are still serving with the old config: N "
	 "acknowledgements need N receives."},
	{"close-ack", "every worker closes applied: the second close panics", "panic",
	 config_reload_close_ack, "config_reload_close_ack", 1,
	 "Each worker says \"applied\" by closing the shared applied channel. A close is a one-shot "
	 "broadcast from one owner: the second worker's close panics. Many-to-one answers are sends."},
};

const struct pattern pattern_config_reload = {
	.name = "config-reload",
	.title = "Hot config reload, acknowledged",
	.level = PATTERN_SENIOR,
	.summary = "A service switches to a new configuration while it keeps serving. Reload hands "
	           "the new config to every worker on its own channel and waits until each has "
	           "answered applied. A worker takes a new config only between requests, so when "
	           "Reload returns, every request from then on is served with the new config: the "
	           "caller can tell the operator the change is live.",
	.handshake = "Reload sends the config on each worker's reload channel (room for one, so it "
	             "never blocks). A worker's select takes it between two requests, switches, and "
	             "sends on applied. Reload receives once per worker from applied and only then "
	             "returns.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/config_reload.c",
	.go_source = "patterns/go/config_reload.go",
};
