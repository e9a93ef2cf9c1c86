/*
 * priority_select.c - a consumer that must always serve high-priority work
 * first.  Go's select picks uniformly at random among the ready cases, so
 * one select over both channels takes the low one half the time even when
 * high work is waiting.  True priority takes two selects: first high alone
 * with a default, and only when it is empty, a select over both.  Read it
 * beside patterns/go/priority_select.go.
 *
 * Checks:
 *   metric low_before_high  low items taken while a high item was waiting.
 *   invariant all-served    every item is served once.
 */
#include "patterns/pattern.h"

/* What the producers and the consumer share. */
struct work {
	struct pattern_run *run;
	cl_chan *high, *low;       /* buffered chan int */
};

struct producer_args {
	struct work *w;
	cl_chan *out;
	int n;
	int base;                  /* item numbers: base+1 .. base+n */
};

/* Go: go func() { for i := 1; i <= n; i++ { time.Sleep(latency(work)); out <- base + i } }() */
static void producer(void *arg)
{
	struct producer_args *a = arg;
	for (int i = 1; i <= a->n; i++) {
		cl_sleep(pattern_latency(pattern_param(a->w->run, "work") * CL_MS));
		int v = a->base + i;
		cl_send(a->out, &v);
	}
}

/* Go: the nested select -- high alone first, then both. */
static bool take_priority(struct work *w, int *v)
{
	/* Go: select { case v = <-high: return true; default: } */
	struct cl_case first[] = {CL_RECV_CASE(w->high, v)};
	if (cl_select_default(first, 1) == 0)
		return true;
	/* Go: select { case v = <-high: return true; case v = <-low: return false } */
	struct cl_case both[] = {CL_RECV_CASE(w->high, v), CL_RECV_CASE(w->low, v)};
	return cl_select(both, 2) == 0;
}

/* Variant one-select: both channels in a single select. */
static bool take_one_select(struct work *w, int *v)
{
	struct cl_case both[] = {CL_RECV_CASE(w->high, v), CL_RECV_CASE(w->low, v)};
	return cl_select(both, 2) == 0; /* MISTAKE(one-select): one select over both: a random pick, not a priority */
}

/* Variant no-default: the first select, on high alone, has no default case. */
static bool take_no_default(struct work *w, int *v)
{
	struct cl_case first[] = {CL_RECV_CASE(w->high, v)};
	cl_select(first, 1); /* MISTAKE(no-default): no default: it blocks on high even when only low has work */
	return true;   /* the select over both, which would follow, is never reached */
}

static void consume(struct pattern_run *run, bool (*take)(struct work *, int *))
{
	int nh = (int)pattern_param(run, "high"), nl = (int)pattern_param(run, "low");
	pattern_limit(run, "low_before_high", 0, "");
	pattern_metric(run, "low_before_high", 0);
	struct work *w = pattern_alloc(run, sizeof *w);
	w->run = run;
	w->high = cl_make("high", int, 4);
	w->low = cl_make("low", int, 4);
	cl_chan_set_fmt(w->high, cl_fmt_int);
	cl_chan_set_fmt(w->low, cl_fmt_int);
	struct producer_args *ha = pattern_alloc(run, sizeof *ha), *la = pattern_alloc(run, sizeof *la);
	*ha = (struct producer_args){w, w->high, nh, 1000};
	*la = (struct producer_args){w, w->low, nl, 0};
	cl_go(producer, ha, "high-producer");
	cl_go(producer, la, "low-producer");
	bool *served = pattern_alloc(run, (size_t)(nh + nl) * sizeof *served);
	for (int k = 0; k < nh + nl; k++) {
		int v;
		bool high = take(w, &v);
		if (!high && cl_len(w->high) > 0) {
			pattern_metric_add(run, "low_before_high", 1);
			cl_note("main takes low %d while %zu high items wait", v, cl_len(w->high));
		} else {
			cl_note("main takes %s %d", high ? "high" : "low", v);
		}
		int idx = high ? nl + (v - 1000 - 1) : v - 1;
		if (idx < 0 || idx >= nh + nl || served[idx])
			pattern_fail(run, "all-served", "item %d served twice or out of range", v);
		else
			served[idx] = true;
		/* Go: handle(v) */
		cl_sleep(pattern_latency(pattern_param(run, "work") * CL_MS));
	}
}

/* Go: func correct() */
static void priority_select_correct(struct pattern_run *run)
{
	consume(run, take_priority);
}

/* Go: func oneSelect() */
static void priority_select_one_select(struct pattern_run *run)
{
	consume(run, take_one_select);
}

/* Go: func noDefault() */
static void priority_select_no_default(struct pattern_run *run)
{
	consume(run, take_no_default);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t26 select picks at random among ready cases; true priority with a nested select",
	"t6 how select works",
	NULL,
};

static const struct pattern_param params[] = {
	{"high", "6", "high-priority items", 1, 1000, NULL},
	{"low", "12", "low-priority items", 1, 1000, NULL},
	{"work", "5", "typical time to make or handle an item, in ms (long tail)", 0, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "try high alone with a default first; select over both only when high is empty",
	 "ok", priority_select_correct, "priority_select_correct", 1},
	{"one-select", "one select over both channels: low work wins half the time when both wait",
	 "metric:low_before_high>0", priority_select_one_select, "priority_select_one_select", 1,
	 .lesson = "select chooses at random among the ready cases; the order of the cases means "
	           "nothing. With one select, low work is taken while high work waits. Try high "
	           "alone first (with a default), and select over both only when it is empty."},
	{"no-default", "the first select without its default: the consumer waits for high work "
	 "even when only low work is left", "deadlock", priority_select_no_default,
	 "priority_select_no_default", 1,
	 .lesson = "without the default case, the first select waits for high work; once the high "
	           "producer is done it waits forever, while low work piles up. The default is what "
	           "makes it a try."},
};

const struct pattern pattern_priority_select = {
	.name = "priority-select",
	.title = "Priority select",
	.level = PATTERN_MIDDLE,
	.summary = "A consumer serves a high-priority and a low-priority channel, both buffered and "
	           "often both full. Go's select picks uniformly at random among the ready cases, "
	           "whatever their order, so one select over both takes low work half the time while "
	           "high work waits. True priority takes two selects: high alone with a default, and "
	           "only when it is empty a select over both.",
	.handshake = "The consumer first tries high with a default case, which returns at once when "
	             "high is empty. Only then does it block on a select over both; whichever "
	             "arrives first wakes it. So whenever high work is waiting, it is taken first.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/priority_select.c",
	.go_source = "patterns/go/priority_select.go",
};
