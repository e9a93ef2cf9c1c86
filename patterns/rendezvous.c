/*
 * rendezvous.c - the two smallest handshakes: a started channel (the child
 * says "I am ready") and an unbuffered hand-off (the sender knows the
 * receiver has the value).  Read it beside patterns/go/rendezvous.go.
 *
 * main starts setup, which prepares some state and then closes started;
 * main waits on started before it touches the state.  Then main hands
 * messages to a receiver over an unbuffered channel: each send returns only
 * once the receiver has taken the value, so after the send nothing is left
 * sitting in the channel.
 *
 * Invariants the pattern checks:
 *   initialised  main never reads the state before setup has finished it.
 *   handed-off   when a send returns, the value is out of the channel
 *                (len(handoff) == 0): the receiver has it.
 */
#include "patterns/pattern.h"

/* Go: type Config struct { ready bool } -- state that setup prepares. */
struct config {
	cl_shared(bool) ready;   /* written by setup, read by main */
};

struct setup_args {
	struct pattern_run *run;
	cl_chan *started;
	struct config *cfg;
};

struct receiver_args {
	cl_chan *handoff;
	cl_chan *done;
};

/* Go: func setup(started chan<- struct{}, cfg *Config) */
static void setup(void *arg)
{
	struct setup_args *a = arg;
	cl_note("setup: connecting, warming the cache");
	/* Go: time.Sleep(latency(initTime)) -- set-up takes a while, sometimes long */
	cl_sleep(pattern_latency(pattern_param(a->run, "init") * CL_MS));
	cl_wr(a->cfg->ready, true);
	cl_note("setup: ready");
	/* Go: close(started) */
	cl_close(a->started);
}

/* Go: func receiver(handoff <-chan int, done chan<- struct{}) */
static void receiver(void *arg)
{
	struct receiver_args *a = arg;
	int v;
	/* Go: for v := range handoff */
	while (cl_recv(a->handoff, &v)) {
		cl_note("receiver has message %d", v);
		/* Go: time.Sleep(latency(5 * time.Millisecond)) -- work on it */
		cl_sleep(pattern_latency(5 * CL_MS));
	}
	/* Go: close(done) */
	cl_close(a->done);
}

/* Go: func use(cfg *Config) -- the state must be ready by now. */
static void use(struct pattern_run *run, struct config *cfg)
{
	if (!cl_rd(cfg->ready))
		pattern_fail(run, "initialised", "main used the state at %lldms, before setup had finished",
		             PATTERN_MS(cl_now()));
	else
		cl_note("main uses the state: it is ready");
}

/* Go: func handOff(handoff chan int) -- hand messages to a receiver, one by one. */
static void hand_off(struct pattern_run *run, cl_chan *handoff)
{
	int messages = (int)pattern_param(run, "messages");
	/* Go: done := make(chan struct{}); go receiver(handoff, done) */
	cl_chan *done = cl_make("done", char, 0);
	struct receiver_args *ra = pattern_alloc(run, sizeof *ra);
	*ra = (struct receiver_args){handoff, done};
	cl_go(receiver, ra, "receiver");

	/* Go: for i := 1; i <= messages; i++ { handoff <- i; check len(handoff) == 0 } */
	for (int i = 1; i <= messages; i++) {
		cl_note("main hands over message %d", i);
		cl_send(handoff, &i);
		if (cl_len(handoff) != 0)
			pattern_fail(run, "handed-off", "send of message %d returned while it still sat in "
			             "the channel: no receiver had it", i);
	}
	/* Go: close(handoff); <-done */
	cl_close(handoff);
	cl_recv(done, NULL);
}

/* Go: func correct() */
static void rendezvous_correct(struct pattern_run *run)
{
	/* Go: started := make(chan struct{}) */
	cl_chan *started = cl_make("started", char, 0);
	struct config *cfg = pattern_alloc(run, sizeof *cfg);
	struct setup_args *sa = pattern_alloc(run, sizeof *sa);
	*sa = (struct setup_args){run, started, cfg};
	/* Go: go setup(started, cfg) */
	cl_go(setup, sa, "setup");
	/* Go: <-started -- wait until setup says it is ready */
	cl_recv(started, NULL);
	use(run, cfg);

	/* Go: handoff := make(chan int) -- unbuffered: a rendezvous */
	cl_chan *handoff = cl_make("handoff", int, 0);
	cl_chan_set_fmt(handoff, cl_fmt_int);
	hand_off(run, handoff);
}

/* Go: func buffered() -- the hand-off channel has room for one value. */
static void rendezvous_buffered(struct pattern_run *run)
{
	/* Go: started := make(chan struct{}) */
	cl_chan *started = cl_make("started", char, 0);
	struct config *cfg = pattern_alloc(run, sizeof *cfg);
	struct setup_args *sa = pattern_alloc(run, sizeof *sa);
	*sa = (struct setup_args){run, started, cfg};
	/* Go: go setup(started, cfg) */
	cl_go(setup, sa, "setup");
	/* Go: <-started -- wait until setup says it is ready */
	cl_recv(started, NULL);
	use(run, cfg);

	/* MISTAKE(buffered): handoff := make(chan int, 1) -- a buffer, so a send completes
	 * as soon as the value is in the buffer, before anyone has received it. */
	cl_chan *handoff = cl_make("handoff", int, 1);
	cl_chan_set_fmt(handoff, cl_fmt_int);
	hand_off(run, handoff);
}

/* Go: func sleepHandshake() -- main waits a fixed time instead of on started. */
static void rendezvous_sleep_handshake(struct pattern_run *run)
{
	/* Go: started := make(chan struct{}) */
	cl_chan *started = cl_make("started", char, 0);
	struct config *cfg = pattern_alloc(run, sizeof *cfg);
	struct setup_args *sa = pattern_alloc(run, sizeof *sa);
	*sa = (struct setup_args){run, started, cfg};
	/* Go: go setup(started, cfg) */
	cl_go(setup, sa, "setup");
	/* MISTAKE(sleep-handshake): time.Sleep(50 * time.Millisecond) instead of <-started: "that
	 * is surely long enough".  When set-up takes longer, main reads
	 * half-built state. */
	cl_sleep(pattern_param(run, "wait") * CL_MS);
	use(run, cfg);

	/* Go: handoff := make(chan int) -- unbuffered: a rendezvous */
	cl_chan *handoff = cl_make("handoff", int, 0);
	cl_chan_set_fmt(handoff, cl_fmt_int);
	hand_off(run, handoff);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"handshaking: started channel (001 junior)",
	"handshaking: rendezvous on an unbuffered channel (001 junior, 002)",
	"t4 unbuffered vs buffered channels",
	NULL,
};

static const struct pattern_param params[] = {
	{"messages", "3", "values main hands to the receiver", 1, 1000, NULL},
	{"init", "30", "typical set-up time of setup, in ms (long tail: up to 10x)", 0, 10000, NULL},
	{"wait", "50", "sleep-handshake only: how long main sleeps instead of waiting, in ms", 0,
	 100000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "wait on a started channel; hand values over an unbuffered channel", "ok",
	 rendezvous_correct, "rendezvous_correct", 1},
	{"buffered", "a buffered channel is not a rendezvous: the send returns before anyone "
	 "has the value", "invariant:handed-off", rendezvous_buffered, "rendezvous_buffered", 1,
	 "a buffered channel lets the send finish before anyone has the value, so the sender "
	 "goes on believing the hand-off happened; an unbuffered channel is the rendezvous"},
	{"sleep-handshake", "a sleep is not a handshake: when set-up is slow, main reads "
	 "half-built state", "invariant:initialised", rendezvous_sleep_handshake,
	 "rendezvous_sleep_handshake", 7,
	 "main sleeps for a while instead of waiting for a signal, and when the set-up takes "
	 "longer than the guess main reads half-built state; wait on a channel the other side "
	 "closes when it is ready"},
};

const struct pattern pattern_rendezvous = {
	.name = "rendezvous",
	.title = "Rendezvous and the started channel",
	.level = PATTERN_JUNIOR,
	.summary = "A goroutine that needs set-up tells its parent when it is ready by closing a "
	           "started channel; the parent waits on it instead of guessing with a sleep. Then the "
	           "parent hands values to a receiver over an unbuffered channel: each send is a "
	           "rendezvous that completes only when the receiver has taken the value, so the sender "
	           "knows the hand-off happened.",
	.handshake = "setup closes started when its state is ready; main blocks on <-started and "
	             "only then uses the state. On the unbuffered handoff channel a send and a receive "
	             "meet: neither finishes without the other. So when main's send returns, the "
	             "receiver holds the value, and nothing waits in the channel.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/rendezvous.c",
	.go_source = "patterns/go/rendezvous.go",
};
