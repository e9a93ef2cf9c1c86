/*
 * fan_in.c - fan-in: several producers, each with its own channel, merged into
 * one channel that a single consumer ranges over.  A forwarder per input
 * copies values into merged; a closer closes merged once every forwarder is
 * done, counted by a wait group.  Read it beside patterns/go/fan_in.go.
 *
 * Invariant the pattern checks:
 *   all-delivered  every value produced reaches the consumer exactly once.
 */
#include "patterns/pattern.h"

struct producer_args {
	struct pattern_run *run;
	int id;
	cl_chan *out;
};

/* Go: func producer(id int, out chan<- int) */
static void producer(void *arg)
{
	struct producer_args *a = arg;
	int n = (int)pattern_param(a->run, "values");
	/* Go: for j := 1; j <= n; j++ { out <- id*100 + j; time.Sleep(latency(work)) } */
	for (int j = 1; j <= n; j++) {
		int v = a->id * 100 + j;
		cl_send(a->out, &v);
		cl_sleep(pattern_latency(pattern_param(a->run, "work") * CL_MS));
	}
	/* Go: close(out) -- the only sender closes */
	cl_close(a->out);
}

/* What fanIn's goroutines share: Go's closure variables. */
struct fan_in {
	struct pattern_run *run;
	cl_chan *merged;
	cl_waitgroup *wg;
};

struct forward_args {
	struct fan_in *f;
	cl_chan *in;
};

/* A goroutine does not run the moment its go statement returns: the
 * scheduler starts it a little later, and goroutines started together
 * begin in no fixed order.  Every goroutine fanIn starts (forwarders and
 * closer, in every variant) waits this start-up time first. */
static void start_up(struct pattern_run *run)
{
	cl_sleep(pattern_latency(pattern_param(run, "start") * CL_US));
}

/* Go: forward := func(c <-chan int) { defer wg.Done(); for v := range c { merged <- v } } */
static void forward(void *arg)
{
	struct forward_args *a = arg;
	int v;
	start_up(a->f->run);
	while (cl_recv(a->in, &v))
		cl_send(a->f->merged, &v);
	cl_wg_done(a->f->wg);
}

/* Go: go func() { wg.Wait(); close(merged) }() */
static void closer(void *arg)
{
	struct fan_in *f = arg;
	start_up(f->run);
	cl_wg_wait(f->wg);
	cl_close(f->merged);
}

/* Go: func fanIn(inputs ...<-chan int) <-chan int -- the correct form. */
static cl_chan *fan_in(struct pattern_run *run, cl_chan **inputs, int n)
{
	struct fan_in *f = pattern_alloc(run, sizeof *f);
	f->run = run;
	/* Go: var wg sync.WaitGroup; merged := make(chan int) */
	f->wg = cl_wg_new("wg");
	f->merged = cl_make("merged", int, 0);
	cl_chan_set_fmt(f->merged, cl_fmt_int);
	/* Go: wg.Add(len(inputs)) -- before any forwarder starts */
	cl_wg_add(f->wg, n);
	/* Go: for _, c := range inputs { go forward(c) } */
	for (int i = 0; i < n; i++) {
		struct forward_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct forward_args){f, inputs[i]};
		cl_go(forward, a, "forward-%d", i + 1);
	}
	/* Go: go func() { wg.Wait(); close(merged) }() */
	cl_go(closer, f, "closer");
	return f->merged;
}

/* Variant close-early: the closer does not wait for the forwarders. */
static void closer_no_wait(void *arg)
{
	struct fan_in *f = arg;
	start_up(f->run);
	/* MISTAKE(close-early): no wg.Wait() -- merged is closed while forwarders still send */
	cl_close(f->merged);
}

static cl_chan *fan_in_close_early(struct pattern_run *run, cl_chan **inputs, int n)
{
	struct fan_in *f = pattern_alloc(run, sizeof *f);
	f->run = run;
	/* Go: var wg sync.WaitGroup; merged := make(chan int) */
	f->wg = cl_wg_new("wg");
	f->merged = cl_make("merged", int, 0);
	cl_chan_set_fmt(f->merged, cl_fmt_int);
	/* Go: wg.Add(len(inputs)) -- before any forwarder starts */
	cl_wg_add(f->wg, n);
	/* Go: for _, c := range inputs { go forward(c) } */
	for (int i = 0; i < n; i++) {
		struct forward_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct forward_args){f, inputs[i]};
		cl_go(forward, a, "forward-%d", i + 1);
	}
	/* Go: go func() { close(merged) }() -- the closer that does not wait (the mistake above) */
	cl_go(closer_no_wait, f, "closer");
	return f->merged;
}

/* Variant never-close: nobody closes merged. */
static cl_chan *fan_in_never_close(struct pattern_run *run, cl_chan **inputs, int n)
{
	struct fan_in *f = pattern_alloc(run, sizeof *f);
	f->run = run;
	/* Go: var wg sync.WaitGroup; merged := make(chan int) */
	f->wg = cl_wg_new("wg");
	f->merged = cl_make("merged", int, 0);
	cl_chan_set_fmt(f->merged, cl_fmt_int);
	/* Go: wg.Add(len(inputs)) -- before any forwarder starts */
	cl_wg_add(f->wg, n);
	/* Go: for _, c := range inputs { go forward(c) } */
	for (int i = 0; i < n; i++) {
		struct forward_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct forward_args){f, inputs[i]};
		cl_go(forward, a, "forward-%d", i + 1);
	}
	/* MISTAKE(never-close): no closer -- merged is never closed, so the consumer's
	 * "for v := range merged" never ends. */
	return f->merged;
}

/* Variant add-inside: each forwarder counts itself in, too late. */
static void forward_add_inside(void *arg)
{
	struct forward_args *a = arg;
	start_up(a->f->run);
	/* MISTAKE(add-inside): wg.Add(1) inside the goroutine -- the closer's wg.Wait() may
	 * already have seen zero and returned. */
	cl_wg_add(a->f->wg, 1);
	int v;
	while (cl_recv(a->in, &v))
		cl_send(a->f->merged, &v);
	cl_wg_done(a->f->wg);
}

static cl_chan *fan_in_add_inside(struct pattern_run *run, cl_chan **inputs, int n)
{
	struct fan_in *f = pattern_alloc(run, sizeof *f);
	f->run = run;
	/* Go: var wg sync.WaitGroup; merged := make(chan int) */
	f->wg = cl_wg_new("wg");
	f->merged = cl_make("merged", int, 0);
	cl_chan_set_fmt(f->merged, cl_fmt_int);
	/* The other half of the mistake: no wg.Add(len(inputs)) here, each forwarder adds itself */
	/* Go: for _, c := range inputs { go forward(c) } */
	for (int i = 0; i < n; i++) {
		struct forward_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct forward_args){f, inputs[i]};
		cl_go(forward_add_inside, a, "forward-%d", i + 1);
	}
	/* Go: go func() { wg.Wait(); close(merged) }() */
	cl_go(closer, f, "closer");
	return f->merged;
}

/* Go: func consume(fanIn func(...<-chan int) <-chan int) -- start the producers,
 * merge with the variant's fanIn, consume, check. */
static void consume(struct pattern_run *run,
                    cl_chan *(*fan_in_fn)(struct pattern_run *, cl_chan **, int))
{
	int producers = (int)pattern_param(run, "producers");
	int values = (int)pattern_param(run, "values");
	cl_chan **inputs = pattern_alloc(run, (size_t)producers * sizeof *inputs);
	/* Go: for i := 1; i <= producers; i++ { c := make(chan int); go producer(i, c) } */
	for (int i = 1; i <= producers; i++) {
		char name[16];
		snprintf(name, sizeof name, "in-%d", i);
		inputs[i - 1] = cl_make(name, int, 0);
		cl_chan_set_fmt(inputs[i - 1], cl_fmt_int);
		struct producer_args *a = pattern_alloc(run, sizeof *a);
		*a = (struct producer_args){run, i, inputs[i - 1]};
		cl_go(producer, a, "producer-%d", i);
	}

	/* Go: for v := range fanIn(inputs...) { seen[v]++ } */
	cl_chan *merged = fan_in_fn(run, inputs, producers);
	int *seen = pattern_alloc(run, (size_t)(producers + 1) * 100 * sizeof *seen);
	int v, got = 0;
	while (cl_recv(merged, &v)) {
		cl_note("consumer got %d", v);
		seen[v]++;
		got++;
		/* Go: time.Sleep(latency(use)) -- the consumer works on each value */
		cl_sleep(pattern_latency(pattern_param(run, "use") * CL_US));
	}

	/* Every value exactly once. */
	for (int i = 1; i <= producers; i++)
		for (int j = 1; j <= values; j++)
			if (seen[i * 100 + j] != 1) {
				pattern_fail(run, "all-delivered", "value %d arrived %d times (%d of %d values "
				             "arrived before merged was closed)", i * 100 + j, seen[i * 100 + j],
				             got, producers * values);
				return;
			}
	cl_note("consumer got all %d values", got);
}

static void fan_in_correct(struct pattern_run *run)
{
	consume(run, fan_in);
}

static void fan_in_close_early_main(struct pattern_run *run)
{
	consume(run, fan_in_close_early);
}

static void fan_in_never_close_main(struct pattern_run *run)
{
	consume(run, fan_in_never_close);
}

static void fan_in_add_inside_main(struct pattern_run *run)
{
	consume(run, fan_in_add_inside);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t14 fan-out and fan-in",
	"t9 sync.WaitGroup and its common mistakes",
	"t24 close() as a broadcast; only the sender closes",
	NULL,
};

static const struct pattern_param params[] = {
	{"producers", "3", "producer tasks, each with its own channel", 1, 50, NULL},
	{"values", "3", "values each producer sends", 1, 99, NULL},
	{"work", "5", "typical time a producer takes to make its next value, in ms (long tail)", 0, 10000, NULL},
	{"use", "200", "typical time the consumer works on each value, in us (long tail)", 0,
	 10000000, NULL},
	{"start", "50", "typical time a new goroutine takes to start running, in us (long tail)", 0,
	 100000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "wg.Add before the goroutines start; one closer waits, then closes merged", "ok",
	 fan_in_correct, "fan_in_correct", 1},
	{"close-early", "closing before the senders are done: send on closed channel", "panic",
	 fan_in_close_early_main, "fan_in_close_early_main", 1,
	 "the closer closes merged without waiting for the forwarders, so a forwarder that "
	 "still has a value sends on a closed channel and the program panics; only the side "
	 "that knows every sender is done may close"},
	{"never-close", "forgetting to close merged: the consumer's range never ends", "deadlock",
	 fan_in_never_close_main, "fan_in_never_close_main", 1,
	 "nobody closes merged, so the consumer's range over it waits for another value "
	 "forever once the inputs are drained; a fan-in needs a closer that waits for every "
	 "forwarder and then closes"},
	{"add-inside", "wg.Add inside the goroutine: Wait may return before anyone was counted",
	 "invariant:all-delivered", fan_in_add_inside_main, "fan_in_add_inside_main", 9,
	 "each forwarder calls wg.Add(1) itself, after it has started, so the closer's wg.Wait "
	 "can see zero before anyone was counted, close merged early and lose values; call "
	 "wg.Add before the go statement"},
};

const struct pattern pattern_fan_in = {
	.name = "fan-in",
	.title = "Fan-in with a wait-group closer",
	.level = PATTERN_MIDDLE,
	.summary = "Several producers each send on their own channel; fan-in merges them into one "
	           "channel so a single consumer can range over everything. A forwarder per input "
	           "copies values into merged. merged has many senders, so none of them may close it: "
	           "a separate closer waits on a wait group until every forwarder is done, then closes "
	           "merged, which ends the consumer's range.",
	.handshake = "Each producer closes its own channel when it is done, which ends its forwarder's "
	             "range. Each forwarder calls wg.Done when its input is drained. The closer's "
	             "wg.Wait returns only after the last Done, and then it closes merged. The "
	             "consumer's range over merged ends exactly when every value has arrived.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/fan_in.c",
	.go_source = "patterns/go/fan_in.go",
};
