/*
 * test_chrome.c - the chrome renderer: valid JSON in the trace-event
 * format, a named track per task, slices for operations and blocked
 * intervals, and one flow arrow per delivered value whose two ends lie
 * inside slices of the sending and the receiving task; under par, each
 * slice's processor in its args.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/render/fixture.h"
#include "tests/render/json.h"

static struct tj *render_chrome(const struct cl_event *evs, size_t n)
{
	char *s = fixture_render("chrome", 80, evs, n);
	ck_assert_ptr_nonnull(s);
	size_t at = 0;
	struct tj *doc = tj_parse(s, &at);
	ck_assert_msg(doc != NULL, "not JSON at offset %zu: %.60s", at, s + at);
	free(s);
	ck_assert_int_eq(doc->type, TJ_OBJ);
	ck_assert_str_eq(tj_str(doc, "displayTimeUnit"), "ns");
	const struct tj *evts = tj_get(doc, "traceEvents");
	ck_assert_ptr_nonnull(evts);
	ck_assert_int_eq(evts->type, TJ_ARR);
	return doc;
}

static bool is_ph(const struct tj *e, const char *ph)
{
	const char *p = tj_str(e, "ph");
	return p && strcmp(p, ph) == 0;
}

/* True if some X slice on tid contains time t (us). */
static bool inside_slice(const struct tj *evts, double tid, double t)
{
	for (size_t i = 0; i < evts->n; i++) {
		const struct tj *e = evts->items[i];
		if (!is_ph(e, "X") || tj_num(e, "tid") != tid)
			continue;
		double ts = tj_num(e, "ts"), dur = tj_num(e, "dur");
		if (ts <= t && t <= ts + dur)
			return true;
	}
	return false;
}

/* Every flow start has exactly one end with its id, later in time, and each
 * lies inside a slice of its task; returns the number of flows. */
static size_t check_flows(const struct tj *evts)
{
	size_t flows = 0;
	for (size_t i = 0; i < evts->n; i++) {
		const struct tj *s = evts->items[i];
		if (is_ph(s, "f")) {
			ck_assert_str_eq(tj_str(s, "bp"), "e");
			int starts = 0;
			for (size_t j = 0; j < evts->n; j++)
				if (is_ph(evts->items[j], "s") &&
				    tj_num(evts->items[j], "id") == tj_num(s, "id"))
					starts++;
			ck_assert_int_eq(starts, 1);
		}
		if (!is_ph(s, "s"))
			continue;
		flows++;
		int ends = 0;
		const struct tj *f = NULL;
		for (size_t j = 0; j < evts->n; j++)
			if (is_ph(evts->items[j], "f") && tj_num(evts->items[j], "id") == tj_num(s, "id")) {
				ends++;
				f = evts->items[j];
			}
		ck_assert_int_eq(ends, 1);
		ck_assert_double_le(tj_num(s, "ts"), tj_num(f, "ts"));
		ck_assert_msg(inside_slice(evts, tj_num(s, "tid"), tj_num(s, "ts")),
		              "flow start %g outside a slice", tj_num(s, "id"));
		ck_assert_msg(inside_slice(evts, tj_num(f, "tid"), tj_num(f, "ts")),
		              "flow end %g outside a slice", tj_num(f, "id"));
	}
	return flows;
}

static const struct tj *find(const struct tj *evts, const char *ph, const char *name, int tid)
{
	for (size_t i = 0; i < evts->n; i++) {
		const struct tj *e = evts->items[i];
		if (is_ph(e, ph) && tj_num(e, "tid") == tid && tj_str(e, "name") &&
		    strcmp(tj_str(e, "name"), name) == 0)
			return e;
	}
	return NULL;
}

/* The exchange: tracks named, slices, the two messages as flows (the
 * unbuffered one, whose receive is emitted first, included). */
START_TEST(test_exchange)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	struct tj *doc = render_chrome(evs, n);
	const struct tj *evts = tj_get(doc, "traceEvents");
	ck_assert_uint_eq(check_flows(evts), 2);
	const char *names[] = {"runtime", "main", "worker-1", "worker-2"};
	for (int tid = 0; tid < 4; tid++) {
		const struct tj *m = find(evts, "M", "thread_name", tid);
		ck_assert_msg(m != NULL, "no thread_name for tid %d", tid);
		ck_assert_int_eq((int)tj_num(m, "pid"), 1);
		ck_assert_str_eq(tj_str(tj_get(m, "args"), "name"), names[tid]);
	}
	ck_assert_ptr_nonnull(find(evts, "X", "send jobs", 1));
	ck_assert_ptr_nonnull(find(evts, "X", "recv jobs", 2));
	ck_assert_ptr_nonnull(find(evts, "X", "select: case 1 of 2", 1));
	ck_assert_ptr_nonnull(find(evts, "X", "panic: send on closed channel", 3));
	ck_assert_ptr_nonnull(find(evts, "i", "worker 1 takes job 5", 2));
	ck_assert_ptr_nonnull(find(evts, "i", "end: panic", 0));
	/* Blocked intervals: named by Go's wait reason, from BLOCK to WAKE. */
	const struct tj *b = find(evts, "X", "chan receive", 2);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(tj_str(tj_get(b, "args"), "woken_by"), "main");
	ck_assert_double_gt(tj_num(b, "dur"), 0);
	b = find(evts, "X", "sleep", 3);
	ck_assert_ptr_nonnull(b);
	ck_assert_double_ge(tj_num(b, "ts") + tj_num(b, "dur"), 2000.0);   /* woke at 2 ms */
	/* Every X has a duration > 0 and every event a pid. */
	for (size_t i = 0; i < evts->n; i++) {
		const struct tj *e = evts->items[i];
		ck_assert_int_eq((int)tj_num(e, "pid"), 1);
		if (is_ph(e, "X"))
			ck_assert_double_gt(tj_num(e, "dur"), 0);
	}
	tj_free(doc);
}
END_TEST

/* Slices on one track never overlap except by nesting (Perfetto drops
 * improperly nested slices). */
START_TEST(test_slices_nest)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	struct tj *doc = render_chrome(evs, n);
	const struct tj *evts = tj_get(doc, "traceEvents");
	for (size_t i = 0; i < evts->n; i++)
		for (size_t j = 0; j < evts->n; j++) {
			const struct tj *a = evts->items[i], *b = evts->items[j];
			if (i == j || !is_ph(a, "X") || !is_ph(b, "X") || tj_num(a, "tid") != tj_num(b, "tid"))
				continue;
			double a0 = tj_num(a, "ts"), a1 = a0 + tj_num(a, "dur");
			double b0 = tj_num(b, "ts"), b1 = b0 + tj_num(b, "dur");
			bool disjoint = a1 <= b0 || b1 <= a0;
			bool nested = (a0 <= b0 && b1 <= a1) || (b0 <= a0 && a1 <= b1);
			ck_assert_msg(disjoint || nested, "%s and %s overlap", tj_str(a, "name"),
			              tj_str(b, "name"));
		}
	tj_free(doc);
}
END_TEST

/* A value never received (left in a buffer) draws no flow start; a task
 * still blocked at the end gets a slice marked unfinished. */
START_TEST(test_unmatched_and_unfinished)
{
	struct cl_event evs[3] = {
		fixture_event(1, 0, CL_EV_SEND, 1, "main"),
		fixture_event(2, 0, CL_EV_BLOCK, 1, "main"),
		fixture_event(3, 5000, CL_EV_END, 0, "runtime"),
	};
	evs[0].flow = 7;
	evs[0].value = "1";
	evs[0].obj_name = "buf";
	evs[1].wait = CL_WAIT_CHAN_RECV;
	evs[1].obj_name = "never";
	evs[2].text = "deadlock";
	struct tj *doc = render_chrome(evs, 3);
	const struct tj *evts = tj_get(doc, "traceEvents");
	ck_assert_uint_eq(check_flows(evts), 0);
	const struct tj *b = find(evts, "X", "chan receive", 1);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(tj_get(tj_get(b, "args"), "unfinished")->type, TJ_BOOL);
	tj_free(doc);
}
END_TEST

/* Many hand-offs, buffered and unbuffered, interleaved over many tasks:
 * every arrow still pairs and sits inside its slices. */
START_TEST(test_many_flows)
{
	enum { N = 300 };
	static struct cl_event evs[N * 4];
	static char names[8][24];
	for (int t = 0; t < 8; t++)
		snprintf(names[t], sizeof names[t], "w%d", t);
	size_t k = 0;
	uint64_t seq = 1;
	for (int i = 0; i < N; i++) {
		int from = i % 8, to = (i * 3 + 1) % 8;
		const char *fn = names[from], *tn = names[to];
		int64_t t = (int64_t)(i / 5) * 1000;   /* bursts at one instant */
		if (i % 2) {   /* unbuffered: receive first */
			evs[k] = fixture_event(seq++, t, CL_EV_RECV, to, tn);
			evs[k].flow = (uint64_t)i + 1;
			evs[k].ok = 1;
			evs[k].peer = from;
			k++;
			evs[k] = fixture_event(seq++, t, CL_EV_SEND, from, fn);
			evs[k].flow = (uint64_t)i + 1;
			k++;
		} else {       /* buffered: send first */
			evs[k] = fixture_event(seq++, t, CL_EV_SEND, from, fn);
			evs[k].flow = (uint64_t)i + 1;
			k++;
			evs[k] = fixture_event(seq++, t, CL_EV_RECV, to, tn);
			evs[k].flow = (uint64_t)i + 1;
			evs[k].ok = 1;
			k++;
		}
	}
	struct tj *doc = render_chrome(evs, k);
	ck_assert_uint_eq(check_flows(tj_get(doc, "traceEvents")), N);
	tj_free(doc);
}
END_TEST

/* A receive whose send does not follow (the task acts again first) is
 * drawn in order, without an arrow: no flow end without its start. */
START_TEST(test_held_receive_released)
{
	struct cl_event evs[3] = {
		fixture_event(1, 0, CL_EV_RECV, 2, "r"),
		fixture_event(2, 0, CL_EV_YIELD, 2, "r"),
		fixture_event(3, 0, CL_EV_SEND, 1, "s"),
	};
	evs[0].flow = 9;
	evs[0].ok = 1;
	evs[0].obj_name = "c";
	evs[2].flow = 9;
	evs[2].obj_name = "c";
	struct tj *doc = render_chrome(evs, 3);
	const struct tj *evts = tj_get(doc, "traceEvents");
	ck_assert_uint_eq(check_flows(evts), 0);
	const struct tj *recv = find(evts, "X", "recv c", 2), *yield = find(evts, "X", "yield", 2);
	ck_assert_ptr_nonnull(recv);
	ck_assert_ptr_nonnull(yield);
	ck_assert_double_lt(tj_num(recv, "ts"), tj_num(yield, "ts"));
	tj_free(doc);
}
END_TEST

/* Names with quotes and control characters stay valid JSON. */
START_TEST(test_escaping)
{
	struct cl_event e = fixture_event(1, 0, CL_EV_NOTE, 1, "ma\"in\n");
	e.text = "say \"hi\"\t\\ \x02";
	struct tj *doc = render_chrome(&e, 1);
	const struct tj *evts = tj_get(doc, "traceEvents");
	ck_assert_ptr_nonnull(find(evts, "i", "say \"hi\"\t\\ \x02", 1));
	tj_free(doc);
}
END_TEST

/* Under par every slice and instant of a task says its processor in its
 * args ("proc": "P0"), a blocked interval the one it blocked on; events on
 * no processor (the runtime's timer, the end) and every det event have no
 * "proc".  The tracks stay the tasks' own. */
START_TEST(test_par_processor_args)
{
	size_t n;
	const struct cl_event *evs = fixture_par_exchange(&n);
	struct tj *doc = render_chrome(evs, n);
	const struct tj *evts = tj_get(doc, "traceEvents");
	ck_assert_uint_eq(check_flows(evts), 2);
	static const struct {
		const char *ph, *name;
		int tid;
		const char *proc;
	} want[] = {
		{"X", "send jobs", 1, "P0"},
		{"X", "recv jobs", 2, "P1"},
		{"X", "chan receive", 2, "P1"},      /* blocked on P1 */
		{"X", "select: case 1 of 2", 1, "P0"},
		{"i", "worker 1 takes job 5", 2, "P1"},
		{"X", "stolen P0->P1", 3, "P1"},
		{"X", "panic: send on closed channel", 3, "P1"},
		{"X", "sleep", 3, "P0"},             /* blocked on P0, woken after the steal's P1 */
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct tj *e = find(evts, want[i].ph, want[i].name, want[i].tid);
		ck_assert_msg(e != NULL, "no %s %s on %d", want[i].ph, want[i].name, want[i].tid);
		const char *proc = tj_str(tj_get(e, "args"), "proc");
		ck_assert_msg(proc && strcmp(proc, want[i].proc) == 0, "%s: proc %s, want %s",
		              want[i].name, proc ? proc : "(none)", want[i].proc);
	}
	const struct tj *timer = find(evts, "X", "timer", 0), *end = find(evts, "i", "end: panic", 0);
	ck_assert(timer && end);
	ck_assert_ptr_null(tj_get(tj_get(timer, "args"), "proc"));
	ck_assert_ptr_null(tj_get(tj_get(end, "args"), "proc"));
	/* Every X or i of a task (tid > 0) has one. */
	for (size_t i = 0; i < evts->n; i++) {
		const struct tj *e = evts->items[i];
		if ((is_ph(e, "X") || is_ph(e, "i")) && tj_num(e, "tid") > 0)
			ck_assert_ptr_nonnull(tj_str(tj_get(e, "args"), "proc"));
	}
	tj_free(doc);
	const struct cl_event *det = fixture_exchange(&n);
	char *s = fixture_render("chrome", 80, det, n);
	ck_assert_ptr_null(strstr(s, "\"proc\""));
	free(s);
}
END_TEST

Suite *suite_render_chrome(void)
{
	Suite *s = suite_create("render_chrome");
	TCase *tc = tcase_create("chrome");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_exchange);
	tcase_add_test(tc, test_slices_nest);
	tcase_add_test(tc, test_unmatched_and_unfinished);
	tcase_add_test(tc, test_many_flows);
	tcase_add_test(tc, test_held_receive_released);
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_par_processor_args);
	suite_add_tcase(s, tc);
	return s;
}
