/*
 * nil_channel_merge.c - merging two channels into one with a select, and
 * switching off a case when its channel closes by setting the channel to
 * nil: a receive from a nil channel is never ready, so select ignores that
 * case.  Without it, a closed channel is always ready (it returns the zero
 * value and ok == false at once), and the loop spins on it until the other
 * channel closes too.  Read it beside patterns/go/nil_channel_merge.go.
 *
 * Each turn of the merge loop costs a little time (0.2ms of virtual time),
 * the same in every variant, so a spinning loop lets time pass.
 *
 * Checks:
 *   metric closed_receives  receives that found a channel closed: one per
 *                           input when each case is switched off.
 *   invariant all-merged    every value from both inputs reaches main.
 */
#include "patterns/pattern.h"

struct source_args {
	struct pattern_run *run;
	cl_chan *out;
	int n, base;
};

/* Go: go func() { defer close(out); for i := 1; i <= n; i++ { time.Sleep(latency(work)); out <- base+i } }() */
static void source(void *arg)
{
	struct source_args *a = arg;
	for (int i = 1; i <= a->n; i++) {
		cl_sleep(pattern_latency(pattern_param(a->run, "work") * CL_MS));
		int v = a->base + i;
		cl_send(a->out, &v);
	}
	cl_close(a->out);
}

/* Go: for a != nil || b != nil { select { case v, ok := <-a: if !ok { a = nil; continue }; use(v); case ... } } */
enum on_close { SET_NIL, KEEP_CLOSED, STOP };

static void merge(struct pattern_run *run, enum on_close on_close)
{
	int na = (int)pattern_param(run, "a"), nb = (int)pattern_param(run, "b");
	pattern_limit(run, "closed_receives", 2, "");
	pattern_metric(run, "closed_receives", 0);
	cl_chan *a = cl_make("a", int, 0), *b = cl_make("b", int, 0);
	cl_chan_set_fmt(a, cl_fmt_int);
	cl_chan_set_fmt(b, cl_fmt_int);
	struct source_args *sa = pattern_alloc(run, sizeof *sa), *sb = pattern_alloc(run, sizeof *sb);
	*sa = (struct source_args){run, a, na, 0};
	*sb = (struct source_args){run, b, nb, 1000};
	cl_go(source, sa, "source-a");
	cl_go(source, sb, "source-b");
	bool a_open = true, b_open = true;
	int got = 0;
	while (a_open || b_open) {
		cl_sleep(200 * CL_US);  /* a turn of the loop */
		int v;
		struct cl_case c[] = {CL_RECV_CASE(a, &v), CL_RECV_CASE(b, &v)};
		int k = cl_select(c, 2);
		if (!c[k].ok) {
			pattern_metric_add(run, "closed_receives", 1);
			if (k == 0)
				a_open = false;
			else
				b_open = false;
			if (on_close == STOP)
				break; /* MISTAKE(stop-at-first-close): return at the first close: the other input's values are lost */
			if (on_close == SET_NIL) {
				/* Go: a = nil -- a nil channel's case is never ready */
				if (k == 0)
					a = NULL;
				else
					b = NULL;
			}
			/* MISTAKE(keep-closed): without a = nil the closed channel stays in the select, always ready */
			continue;
		}
		cl_note("main gets %d", v);
		got++;
	}
	if (got != na + nb)
		pattern_fail(run, "all-merged", "main got %d values of %d", got, na + nb);
}

/* Go: func correct() */
static void nil_channel_merge_correct(struct pattern_run *run)
{
	merge(run, SET_NIL);
}

/* Go: func keepClosed() */
static void nil_channel_merge_keep_closed(struct pattern_run *run)
{
	merge(run, KEEP_CLOSED);
}

/* Go: func stopAtFirstClose() */
static void nil_channel_merge_stop_at_first_close(struct pattern_run *run)
{
	merge(run, STOP);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t15 a nil channel in select disables its case",
	"t5 a receive from a closed channel returns at once, with ok == false",
	"t14 fan-in",
	NULL,
};

static const struct pattern_param params[] = {
	{"a", "4", "values on input a", 0, 1000, NULL},
	{"b", "8", "values on input b", 0, 1000, NULL},
	{"work", "5", "typical time between two values of an input, in ms (long tail)", 0, 1000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "when an input closes, set it to nil: its case is never ready again",
	 "ok", nil_channel_merge_correct, "nil_channel_merge_correct", 1},
	{"keep-closed", "a closed input left in the select: always ready, the loop spins on it",
	 "metric:closed_receives>2", nil_channel_merge_keep_closed, "nil_channel_merge_keep_closed", 1,
	 .lesson = "a closed channel is always ready to receive from, so leaving it in the select "
	           "makes the loop take its case again and again, a busy loop burning a CPU until "
	           "the other input closes. Set the variable to nil to switch the case off."},
	{"stop-at-first-close", "stop merging when the first input closes: the other's values are lost",
	 "invariant:all-merged", nil_channel_merge_stop_at_first_close,
	 "nil_channel_merge_stop_at_first_close", 1,
	 .lesson = "one input being closed says nothing about the other: returning at the first "
	           "close drops the other input's remaining values and leaves its sender blocked. "
	           "Keep going until both are done, switching off each closed one with nil."},
};

const struct pattern pattern_nil_channel_merge = {
	.name = "nil-channel-merge",
	.title = "Merging with nil channels",
	.level = PATTERN_MIDDLE,
	.summary = "main merges two input channels with one select until both are closed. When an "
	           "input closes, main sets its variable to nil: a receive from a nil channel is "
	           "never ready, so the select stops considering that case and waits only on the "
	           "other. Left in place, a closed channel is always ready and the loop spins.",
	.handshake = "Each source sends its values and closes its channel. The select receives "
	             "from whichever is ready; a receive with ok == false means that input is done, "
	             "and setting it to nil turns its case off. The loop ends when both are nil.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/nil_channel_merge.c",
	.go_source = "patterns/go/nil_channel_merge.go",
};
