/*
 * pub_sub.c - publish and subscribe through a broker goroutine that owns the
 * list of subscribers: subscribe, unsubscribe and publish are messages to
 * it, so no lock is needed.  Each subscriber has its own buffered channel;
 * --policy says what the broker does when a subscriber's buffer is full:
 * drop the message for that subscriber, or block until there is room.
 * Read it beside patterns/go/pub_sub.go.
 *
 * Checks:
 *   invariant in-order   a subscriber sees messages in publish order, none twice.
 *   invariant no-loss    with --policy block, a subscriber that stays gets every message.
 *   metric fast_delay    with --policy drop, a fast subscriber gets each message
 *                        within 20ms of its publication, however slow the slow one is.
 */
#include "patterns/pattern.h"

enum { POLICY_BLOCK, POLICY_DROP };
#define MAX_SUBS 64

/* Go: type Message struct { Seq int; At time.Time } */
struct message {
	int seq;
	cl_time at;
};

static void fmt_message(const void *value, char *buf, size_t size)
{
	const struct message *m = value;
	snprintf(buf, size, "msg %d", m->seq);
}

/* Go: type Broker struct { publish chan Message; subscribe, cancel chan chan Message } */
struct broker {
	struct pattern_run *run;
	cl_chan *publish;
	cl_chan *subscribe;
	cl_chan *cancel;
	void (*deliver)(struct broker *b, cl_chan **subs, int n, struct message *m);
};

/* Go: func (b *Broker) deliver(subs, m) -- the correct form: honour the policy. */
static void deliver(struct broker *b, cl_chan **subs, int n, struct message *m)
{
	for (int i = 0; i < n; i++) {
		if (pattern_param(b->run, "policy") == POLICY_BLOCK) {
			/* Go: sub <- m -- wait for room: nothing is lost */
			cl_send(subs[i], m);
			continue;
		}
		/* Go: select { case sub <- m: default: } -- full: drop it for this one */
		struct cl_case put[] = {CL_SEND_CASE(subs[i], m)};
		if (cl_select_default(put, 1) < 0)
			cl_note("broker drops msg %d for %s: its buffer is full", m->seq, cl_chan_name(subs[i]));
	}
}

/* Variant slow-blocks-all: the broker always waits for every subscriber. */
static void deliver_slow_blocks_all(struct broker *b, cl_chan **subs, int n, struct message *m)
{
	(void)b;
	for (int i = 0; i < n; i++) {
		/* MISTAKE(slow-blocks-all): sub <- m whatever the policy: when one subscriber's
		 * buffer is full the broker waits for it, and every other
		 * subscriber waits behind it. */
		cl_send(subs[i], m);
	}
}

/* Go: func (b *Broker) run() -- the only goroutine that touches subs. */
static void broker_run(void *arg)
{
	struct broker *b = arg;
	/* Go: subs := map[chan Message]struct{}{} */
	cl_chan **subs = pattern_alloc(b->run, MAX_SUBS * sizeof *subs);
	int n = 0;
	for (;;) {
		cl_chan *sub, *gone;
		struct message m;
		struct cl_case cases[] = {
			CL_RECV_CASE(b->subscribe, &sub),
			CL_RECV_CASE(b->cancel, &gone),
			CL_RECV_CASE(b->publish, &m),
		};
		switch (cl_select(cases, 3)) {
		case 0: /* Go: case sub := <-b.subscribe: subs[sub] = struct{}{} */
			subs[n++] = sub;
			break;
		case 1: /* Go: case sub := <-b.cancel: delete(subs, sub); close(sub) */
			for (int i = 0; i < n; i++)
				if (subs[i] == gone)
					subs[i] = subs[--n];
			cl_close(gone);
			break;
		case 2: /* Go: case m, ok := <-b.publish: if !ok { close every sub; return } */
			if (!cases[2].ok) {
				for (int i = 0; i < n; i++)
					cl_close(subs[i]);
				return;
			}
			b->deliver(b, subs, n, &m);
			break;
		}
	}
}

/* Go: func (b *Broker) Subscribe() chan Message */
static cl_chan *subscribe(struct broker *b, int id)
{
	char name[16];
	snprintf(name, sizeof name, "sub-%d", id);
	/* Go: ch := make(chan Message, buffer); b.subscribe <- ch; return ch */
	cl_chan *ch = cl_make(name, struct message, (size_t)pattern_param(b->run, "buffer"));
	cl_chan_set_fmt(ch, fmt_message);
	cl_send(b->subscribe, &ch);
	return ch;
}

/* Go: func (b *Broker) Unsubscribe(ch chan Message) -- the correct form. */
static void unsubscribe(struct broker *b, cl_chan *ch)
{
	/* Go: for { select { case b.cancel <- ch: ...; case _, ok := <-ch: if !ok { return } } } --
	 * keep draining while we wait, so the broker is never stuck sending to
	 * us; if the broker has already closed ch (it is shutting down), done. */
	for (;;) {
		struct cl_case cases[] = {CL_SEND_CASE(b->cancel, &ch), CL_RECV_CASE(ch, NULL)};
		if (cl_select(cases, 2) == 0)
			break;
		if (!cases[1].ok)
			return;
	}
	/* Go: for range ch {} -- the broker closes ch; drop what is left */
	while (cl_recv(ch, NULL))
		;
}

/* Variant unsubscribe-race: the subscriber closes its own channel. */
static void unsubscribe_race(struct broker *b, cl_chan *ch)
{
	/* MISTAKE(unsubscribe-race): close(ch) from the receiving side, then tell the broker.
	 * The broker may be sending to ch right now, and it closes ch again. */
	cl_close(ch);
	cl_send(b->cancel, &ch);
}

struct sub_args {
	struct pattern_run *run;
	struct broker *b;
	int id;
	cl_chan *ch;
	cl_waitgroup *wg;
	void (*unsubscribe)(struct broker *b, cl_chan *ch);
};

/* Go: func subscriber(id int, ch chan Message, ...) */
static void subscriber(void *arg)
{
	struct sub_args *a = arg;
	struct pattern_run *run = a->run;
	bool slow = a->id == 1;
	int leave = (int)pattern_param(run, "leave");
	bool leaver = leave > 0 && a->id == (int)pattern_param(run, "subscribers") && !slow;
	int last = 0, got = 0;
	struct message m;
	/* Go: for m := range ch */
	while (cl_recv(a->ch, &m)) {
		if (m.seq <= last)
			pattern_fail(run, "in-order", "subscriber %d got msg %d after msg %d", a->id, m.seq, last);
		else if (pattern_param(run, "policy") == POLICY_BLOCK && m.seq != last + 1)
			pattern_fail(run, "no-loss", "subscriber %d got msg %d after msg %d: lost %d", a->id,
			             m.seq, last, m.seq - last - 1);
		last = m.seq;
		if (!slow)
			pattern_metric_max(run, "fast_delay", (cl_now() - m.at) / CL_MS);
		cl_note("subscriber %d reads msg %d, %lldms after it was published", a->id, m.seq,
		        PATTERN_MS(cl_now() - m.at));
		/* Go: time.Sleep(work) -- subscriber 1 is slow, the others quick */
		cl_sleep(slow ? pattern_param(run, "slow") * CL_MS : (cl_time)cl_rand_below(2 * CL_MS));
		if (leaver && ++got == leave) {
			cl_note("subscriber %d unsubscribes", a->id);
			a->unsubscribe(a->b, a->ch);
			break;
		}
	}
	/* Go: wg.Done() */
	cl_wg_done(a->wg);
}

/* Go: func publishAll(deliverFn, unsubscribeRace) -- shared by every variant;
 * the variant picks deliver and unsubscribe. */
static void publish_all(struct pattern_run *run,
                        void (*deliver_fn)(struct broker *, cl_chan **, int, struct message *),
                        void (*unsubscribe_fn)(struct broker *, cl_chan *))
{
	if (pattern_param(run, "policy") == POLICY_DROP) {
		pattern_limit(run, "fast_delay", 20, "ms");
		pattern_metric_meaning(run, "fast_delay", "the fast subscribers waited {value} for a message; "
		                       "a slow subscriber must not hold them up beyond {limit}");
	}
	/* Go: b := NewBroker(); go b.run() */
	struct broker *b = pattern_alloc(run, sizeof *b);
	b->run = run;
	b->publish = cl_make("publish", struct message, 4);
	cl_chan_set_fmt(b->publish, fmt_message);
	b->subscribe = cl_make("subscribe", cl_chan *, 0);
	cl_chan_set_fmt(b->subscribe, cl_fmt_chan);
	b->cancel = cl_make("cancel", cl_chan *, 0);
	cl_chan_set_fmt(b->cancel, cl_fmt_chan);
	b->deliver = deliver_fn;
	cl_go(broker_run, b, "broker");

	/* Go: for i := 1; i <= subscribers; i++ { ch := b.Subscribe(); wg.Add(1); go subscriber(i, ch) } */
	cl_waitgroup *wg = cl_wg_new("subscribers");
	int subscribers = (int)pattern_param(run, "subscribers");
	for (int i = 1; i <= subscribers; i++) {
		struct sub_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct sub_args){run, b, i, subscribe(b, i), wg, unsubscribe_fn};
		cl_wg_add(wg, 1);
		cl_go(subscriber, a, "subscriber-%d", i);
	}

	/* Go: for seq := 1; seq <= messages; seq++ { time.Sleep(...); b.publish <- Message{seq, time.Now()} } */
	int messages = (int)pattern_param(run, "messages");
	for (int seq = 1; seq <= messages; seq++) {
		cl_sleep(pattern_latency(5 * CL_MS));
		struct message m = {seq, cl_now()};
		cl_note("main publishes msg %d", seq);
		cl_send(b->publish, &m);
	}
	/* Go: close(b.publish); wg.Wait() -- the broker closes every subscriber's channel */
	cl_close(b->publish);
	cl_wg_wait(wg);
}

static void pub_sub_correct(struct pattern_run *run)
{
	publish_all(run, deliver, unsubscribe);
}

static void pub_sub_slow_blocks_all(struct pattern_run *run)
{
	publish_all(run, deliver_slow_blocks_all, unsubscribe);
}

static void pub_sub_unsubscribe_race(struct pattern_run *run)
{
	publish_all(run, deliver, unsubscribe_race);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t35 publish-subscribe broker with channels",
	"t46 backpressure: block or drop",
	"t5 send on a closed channel panics; only the owner closes",
	"handshaking: subscribe as a request to the owning goroutine (001, 002)",
	NULL,
};

static const char *const policies[] = {"block", "drop", NULL};

static const struct pattern_param params[] = {
	{"subscribers", "3", "subscribers; subscriber 1 is slow, the last one leaves early", 2,
	 MAX_SUBS, NULL},
	{"messages", "8", "messages main publishes", 1, 10000, NULL},
	{"buffer", "2", "capacity of each subscriber's channel", 0, 1000, NULL},
	{"policy", "drop", "when a subscriber's buffer is full: block (lossless) or drop", 0, 0,
	 policies},
	{"slow", "30", "time the slow subscriber takes per message, in ms", 0, 100000, NULL},
	{"leave", "3", "the last subscriber unsubscribes after this many messages (0: never)", 0,
	 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "a broker goroutine owns the subscribers; a full subscriber is skipped (drop) "
	 "or waited for (block)", "ok", pub_sub_correct, "pub_sub_correct", 1},
	{"slow-blocks-all", "a blocking send to each subscriber lets the slowest one stall all "
	 "the others", "metric:fast_delay>20", pub_sub_slow_blocks_all, "pub_sub_slow_blocks_all", 1,
	 "the broker sends to each subscriber in turn and waits for each one, so one slow "
	 "subscriber holds up every message to everyone behind it; skip a full subscriber, or "
	 "give each its own buffer and goroutine"},
	{"unsubscribe-race", "closing a channel from the receiving side while the broker sends "
	 "on it", "panic", pub_sub_unsubscribe_race, "pub_sub_unsubscribe_race", 1,
	 "the subscriber closes its own channel while the broker may still send on it, so the "
	 "broker panics on a send to a closed channel (or closes it twice); ask the broker to "
	 "unsubscribe you and let it close"},
};

const struct pattern pattern_pub_sub = {
	.name = "pub-sub",
	.title = "Publish-subscribe broker",
	.level = PATTERN_SENIOR,
	.summary = "A broker goroutine owns the set of subscribers; subscribe, unsubscribe and publish "
	           "are messages to it, so no lock protects the set. Each subscriber reads its own "
	           "buffered channel. One slow subscriber must not hold up the rest: with --policy drop "
	           "the broker skips a subscriber whose buffer is full; with --policy block it waits "
	           "(nothing is lost, but the slowest paces everyone). Only the broker closes a "
	           "subscriber's channel.",
	.handshake = "Subscribe sends a new channel to the broker, and returns once the broker has "
	             "taken it, so the subscriber gets every later message. Publish sends to the broker, "
	             "which copies the message into each subscriber's channel. Unsubscribe hands the "
	             "channel back, draining it meanwhile; the broker removes and closes it, which ends "
	             "the subscriber's range.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/pub_sub.c",
	.go_source = "patterns/go/pub_sub.go",
};
