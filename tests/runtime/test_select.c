/* test_select.c - select: fairness, default, nil cases, closed channels. */
#include <check.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

/* ---- fairness: each of k ready cases is chosen about 1/k of the time ---- */

struct fair {
	int k;
	long rounds;
	long hits[4];
};

static void fair_main(void *arg)
{
	struct fair *f = arg;
	cl_chan *ch[4];
	struct cl_case cases[4];
	int v = 1, out;
	for (int i = 0; i < f->k; i++) {
		ch[i] = cl_make("c", int, 1);
		cl_send(ch[i], &v);
		cases[i] = CL_RECV_CASE(ch[i], &out);
	}
	for (long r = 0; r < f->rounds; r++) {
		int i = cl_select(cases, f->k);
		f->hits[i]++;
		cl_send(ch[i], &v);   /* make it ready again */
	}
}

START_TEST(select_chooses_uniformly_among_ready_cases)
{
	for (int k = 2; k <= 4; k++) {
		struct fair f = {.k = k, .rounds = test_scaled(100000, 20000)};
		struct cl_config cfg;
		test_config(&cfg);
		cfg.seed = 11;
		struct cl_result r;
		ck_assert_int_eq(cl_run(fair_main, &f, &cfg, &r), 0);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		double expect = (double)f.rounds / k;
		for (int i = 0; i < k; i++) {
			double off = (f.hits[i] - expect) / (double)f.rounds;
			ck_assert_msg(off < 0.02 && off > -0.02, "k=%d case %d chosen %ld of %ld", k, i,
			              f.hits[i], f.rounds);
		}
		cl_result_free(&r);
	}
}
END_TEST

/* ---- default ------------------------------------------------------------- */

static int default_results[3];
static void default_main(void *arg)
{
	(void)arg;
	cl_chan *c = cl_make("c", int, 1);
	int v = 5, out = 0;
	struct cl_case recv = CL_RECV_CASE(c, &out);
	default_results[0] = cl_select_default(&recv, 1);   /* nothing ready: -1 */
	cl_send(c, &v);
	default_results[1] = cl_select_default(&recv, 1);   /* ready: 0 */
	struct cl_case send = CL_SEND_CASE(c, &v);
	cl_send(c, &v);
	default_results[2] = cl_select_default(&send, 1);   /* full: -1 */
}

START_TEST(select_with_default_never_blocks)
{
	struct cl_result r = run_prog(default_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(default_results[0], -1);
	ck_assert_int_eq(default_results[1], 0);
	ck_assert_int_eq(default_results[2], -1);
	cl_result_free(&r);
}
END_TEST

/* ---- nil cases are disabled --------------------------------------------------- */

static int nil_choice[50];
static void nil_case_main(void *arg)
{
	(void)arg;
	cl_chan *c = cl_make("c", int, 1);
	int v = 1, out;
	for (int i = 0; i < 50; i++) {
		cl_send(c, &v);
		struct cl_case cases[3] = {CL_RECV_CASE(NULL, &out), CL_RECV_CASE(c, &out),
		                           CL_SEND_CASE(NULL, &v)};
		nil_choice[i] = cl_select(cases, 3);
	}
}

START_TEST(nil_channel_cases_are_never_chosen)
{
	struct cl_result r = run_prog(nil_case_main, NULL, 2, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	for (int i = 0; i < 50; i++)
		ck_assert_int_eq(nil_choice[i], 1);
	cl_result_free(&r);
}
END_TEST

static void empty_select_main(void *arg)
{
	(void)arg;
	cl_select(NULL, 0);
}

START_TEST(select_with_no_cases_blocks_forever)
{
	struct cl_result r = run_prog(empty_select_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_DEADLOCK);
	ck_assert_ptr_nonnull(strstr(r.report, "[select (no cases)]"));
	cl_result_free(&r);
}
END_TEST

/* ---- blocking select woken by a sender, a receiver, a close -------------------- */

struct wake {
	cl_chan *a, *b;
	int chosen, value, ok;
};

static void late_sender(void *arg)
{
	struct wake *w = arg;
	cl_sleep(CL_MS);
	int v = 42;
	cl_send(w->b, &v);
}

static void wake_main(void *arg)
{
	struct wake *w = arg;
	w->a = cl_make("a", int, 0);
	w->b = cl_make("b", int, 0);
	cl_go(late_sender, w, "sender");
	struct cl_case cases[2] = {CL_RECV_CASE(w->a, &w->value), CL_RECV_CASE(w->b, &w->value)};
	w->chosen = cl_select(cases, 2);
	w->ok = cases[w->chosen].ok;
}

START_TEST(blocked_select_takes_a_late_send)
{
	for (uint64_t seed = 1; seed <= 50; seed++) {
		struct wake w = {0};
		struct cl_result r = run_prog(wake_main, &w, seed, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_eq(w.chosen, 1);
		ck_assert_int_eq(w.value, 42);
		ck_assert_int_eq(w.ok, 1);
		cl_result_free(&r);
	}
}
END_TEST

static void late_closer(void *arg)
{
	cl_sleep(CL_MS);
	cl_close(arg);
}

static int closed_case_ok = -1;
static void closed_case_main(void *arg)
{
	(void)arg;
	cl_chan *done = cl_chan_make("done", 0, 0);
	cl_chan *never = cl_make("never", int, 0);
	cl_go(late_closer, done, "closer");
	int out;
	struct cl_case cases[2] = {CL_RECV_CASE(never, &out), CL_RECV_CASE(done, NULL)};
	int i = cl_select(cases, 2);
	closed_case_ok = i == 1 ? cases[1].ok : 99;
}

START_TEST(close_wakes_a_blocked_select_with_ok_false)
{
	struct cl_result r = run_prog(closed_case_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(closed_case_ok, 0);
	cl_result_free(&r);
}
END_TEST

static void select_send_closed_main(void *arg)
{
	(void)arg;
	cl_chan *c = cl_make("c", int, 1);
	cl_close(c);
	int v = 1;
	struct cl_case cs = CL_SEND_CASE(c, &v);
	cl_select(&cs, 1);
}

START_TEST(select_send_on_closed_panics)
{
	expect_panic(select_send_closed_main, NULL, 1, "send on closed channel");
}
END_TEST

/* ---- one channel in several cases; exactly one case of a blocked select wins ----- */

struct multi {
	cl_chan *c;
	int got, wins;
};

static void two_senders(void *arg)
{
	struct multi *m = arg;
	int v = 7;
	cl_send(m->c, &v);
}

static void multi_main(void *arg)
{
	struct multi *m = arg;
	m->c = cl_make("c", int, 0);
	cl_go(two_senders, m, "s1");
	cl_go(two_senders, m, "s2");
	int a = 0, b = 0;
	struct cl_case cases[2] = {CL_RECV_CASE(m->c, &a), CL_RECV_CASE(m->c, &b)};
	for (int r = 0; r < 2; r++) {
		cl_select(cases, 2);
		m->wins++;
	}
	m->got = a + b;
}

START_TEST(same_channel_in_two_cases)
{
	for (uint64_t seed = 1; seed <= 100; seed++) {
		struct multi m = {0};
		struct cl_result r = run_prog(multi_main, &m, seed, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_eq(m.wins, 2);
		ck_assert_int_eq(r.leaked, 0);
		cl_result_free(&r);
	}
}
END_TEST

/* A storm: many tasks selecting over shared channels; every value arrives once. */
struct storm {
	cl_chan *in[3];
	cl_chan *out;
	long sum;
	int n;
};

static void storm_sender(void *arg)
{
	struct storm *st = arg;
	for (int i = 1; i <= 100; i++) {
		struct cl_case cases[3];
		for (int k = 0; k < 3; k++)
			cases[k] = CL_SEND_CASE(st->in[k], &i);
		cl_select(cases, 3);
	}
}

static void storm_receiver(void *arg)
{
	struct storm *st = arg;
	int v;
	for (;;) {
		struct cl_case cases[3];
		for (int k = 0; k < 3; k++)
			cases[k] = CL_RECV_CASE(st->in[k], &v);
		int i = cl_select(cases, 3);
		if (!cases[i].ok)
			return;
		cl_send(st->out, &v);
	}
}

static void storm_main(void *arg)
{
	struct storm *st = arg;
	for (int k = 0; k < 3; k++)
		st->in[k] = cl_make("in", int, (size_t)k);
	st->out = cl_make("out", int, 8);
	for (int i = 0; i < 4; i++)
		cl_go(storm_sender, st, "sender-%d", i);
	for (int i = 0; i < 4; i++)
		cl_go(storm_receiver, st, "receiver-%d", i);
	int v;
	for (int i = 0; i < 400; i++) {
		cl_recv(st->out, &v);
		st->sum += v;
		st->n++;
	}
}

START_TEST(select_storm_delivers_every_value_once)
{
	long runs = test_scaled(300, 10);
	for (uint64_t seed = 1; seed <= (uint64_t)runs; seed++) {
		struct storm st = {0};
		struct cl_result r = run_prog(storm_main, &st, seed,
		                              seed % 2 ? CL_STRATEGY_RANDOM : CL_STRATEGY_PCT, NULL);
		/* Receivers never see a close: blocked (a leak) or runnable when main returns. */
		ck_assert(r.outcome == CL_OUTCOME_LEAK || r.outcome == CL_OUTCOME_OK);
		ck_assert_int_eq(st.n, 400);
		ck_assert_int_eq(st.sum, 4 * 5050);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- two cases: select.c's fast path --------------------------------------------- */

/* The two-case path draws what the general one draws: a select of {a, b}
 * and one of {a, b, nil} (the general path, two live cases) choose the
 * same way under the same seed, so det's schedules did not change. */
struct draws {
	bool with_nil;
	int choice[200];
};

static void draws_main(void *arg)
{
	struct draws *d = arg;
	cl_chan *a = cl_make("a", int, 1), *b = cl_make("b", int, 1);
	int v = 1, out;
	cl_send(a, &v);
	cl_send(b, &v);
	struct cl_case cases[3] = {CL_RECV_CASE(a, &out), CL_RECV_CASE(b, &out),
	                           CL_RECV_CASE(NULL, &out)};
	for (int i = 0; i < 200; i++) {
		d->choice[i] = cl_select(cases, d->with_nil ? 3 : 2);
		cl_send(d->choice[i] ? b : a, &v);
	}
}

START_TEST(two_case_select_draws_as_the_general_path)
{
	struct draws two = {.with_nil = false}, three = {.with_nil = true};
	struct cl_result r = run_prog(draws_main, &two, 5, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	cl_result_free(&r);
	r = run_prog(draws_main, &three, 5, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	cl_result_free(&r);
	int firsts = 0;
	for (int i = 0; i < 200; i++) {
		ck_assert_int_eq(two.choice[i], three.choice[i]);
		firsts += two.choice[i] == 0;
	}
	ck_assert(firsts > 50 && firsts < 150);
}
END_TEST

/* Two cases, both ready in turn, with default: each is taken, and default
 * only when neither is. */
static int two_default[4];
static void two_default_main(void *arg)
{
	(void)arg;
	cl_chan *a = cl_make("a", int, 1), *b = cl_make("b", int, 0);
	int v = 3, out = 0;
	struct cl_case cases[2] = {CL_SEND_CASE(a, &v), CL_RECV_CASE(b, &out)};
	two_default[0] = cl_select_default(cases, 2);   /* a has room: 0 */
	two_default[1] = cl_select_default(cases, 2);   /* a full, b has no sender: -1 */
	cl_close(b);
	two_default[2] = cl_select_default(cases, 2);   /* b closed: 1 */
	two_default[3] = cases[1].ok;
}

START_TEST(two_case_select_with_default)
{
	struct cl_result r = run_prog(two_default_main, NULL, 3, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(two_default[0], 0);
	ck_assert_int_eq(two_default[1], -1);
	ck_assert_int_eq(two_default[2], 1);
	ck_assert_int_eq(two_default[3], 0);
	cl_result_free(&r);
}
END_TEST

static void two_send_closed_main(void *arg)
{
	(void)arg;
	cl_chan *c = cl_make("c", int, 1), *never = cl_make("never", int, 0);
	cl_close(c);
	int v = 1, out;
	struct cl_case cases[2] = {CL_RECV_CASE(never, &out), CL_SEND_CASE(c, &v)};
	cl_select(cases, 2);
}

START_TEST(two_case_send_on_closed_panics)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		expect_panic(two_send_closed_main, NULL, seed, "send on closed channel");
	}
}
END_TEST

/* One case and no default blocks as the plain operation would, and the
 * dump names its channel. */
static void one_case_main(void *arg)
{
	struct wake *w = arg;
	w->b = cl_make("b", int, 0);
	cl_go(late_sender, w, "sender");
	struct cl_case cs = CL_RECV_CASE(w->b, &w->value);
	w->chosen = cl_select(&cs, 1);
	w->ok = cs.ok;
	cl_chan *lonely = cl_make("lonely", int, 0);
	struct cl_case never = CL_RECV_CASE(lonely, &w->value);
	cl_select(&never, 1);
}

START_TEST(one_case_select_blocks_and_is_named_in_the_dump)
{
	struct wake w = {0};
	struct cl_result r = run_prog(one_case_main, &w, 4, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_DEADLOCK);
	ck_assert_int_eq(w.chosen, 0);
	ck_assert_int_eq(w.value, 42);
	ck_assert_int_eq(w.ok, 1);
	ck_assert_ptr_nonnull(strstr(r.report, "[select"));
	ck_assert_ptr_nonnull(strstr(r.report, "lonely"));
	cl_result_free(&r);
}
END_TEST

/* Senders select over (a, b), receivers over (b, a) and over (b, b): under
 * par the two-case path takes the locks by address whatever the case
 * order, so nothing deadlocks, and every value arrives once. */
struct storm2 {
	cl_chan *a, *b, *out;
	long sum;
	int n;
};

static void storm2_sender(void *arg)
{
	struct storm2 *st = arg;
	for (int i = 1; i <= 100; i++) {
		struct cl_case cases[2] = {CL_SEND_CASE(st->a, &i), CL_SEND_CASE(st->b, &i)};
		cl_select(cases, 2);
	}
}

static void storm2_receiver(void *arg)
{
	struct storm2 *st = arg;
	int v;
	for (;;) {
		struct cl_case cases[2] = {CL_RECV_CASE(st->b, &v), CL_RECV_CASE(st->a, &v)};
		int i = cl_select(cases, 2);
		if (!cases[i].ok)
			return;
		cl_send(st->out, &v);
	}
}

static void storm2_same(void *arg)
{
	struct storm2 *st = arg;
	int v;
	for (;;) {
		struct cl_case cases[2] = {CL_RECV_CASE(st->b, &v), CL_RECV_CASE(st->b, &v)};
		int i = cl_select(cases, 2);
		if (!cases[i].ok)
			return;
		cl_send(st->out, &v);
	}
}

static void storm2_main(void *arg)
{
	struct storm2 *st = arg;
	st->a = cl_make("a", int, 0);
	st->b = cl_make("b", int, 2);
	st->out = cl_make("out", int, 8);
	for (int i = 0; i < 4; i++)
		cl_go(storm2_sender, st, "sender-%d", i);
	for (int i = 0; i < 3; i++)
		cl_go(storm2_receiver, st, "receiver-%d", i);
	cl_go(storm2_same, st, "same");
	int v;
	for (int i = 0; i < 400; i++) {
		cl_recv(st->out, &v);
		st->sum += v;
		st->n++;
	}
}

START_TEST(two_case_storm_delivers_every_value_once)
{
	long runs = test_scaled(300, 10);
	for (uint64_t seed = 1; seed <= (uint64_t)runs; seed++) {
		struct storm2 st = {0};
		struct cl_result r = run_prog(storm2_main, &st, seed,
		                              seed % 2 ? CL_STRATEGY_RANDOM : CL_STRATEGY_PCT, NULL);
		ck_assert(r.outcome == CL_OUTCOME_LEAK || r.outcome == CL_OUTCOME_OK);
		ck_assert_int_eq(st.n, 400);
		ck_assert_int_eq(st.sum, 4 * 5050);
		cl_result_free(&r);
	}
}
END_TEST

Suite *suite_select(void)
{
	Suite *s = suite_create("select");
	TCase *t = tcase_create("select");
	tcase_set_tags(t, TAG_ANY);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, select_chooses_uniformly_among_ready_cases);
	tcase_add_test(t, select_with_default_never_blocks);
	tcase_add_test(t, nil_channel_cases_are_never_chosen);
	tcase_add_test(t, select_with_no_cases_blocks_forever);
	tcase_add_test(t, blocked_select_takes_a_late_send);
	tcase_add_test(t, close_wakes_a_blocked_select_with_ok_false);
	tcase_add_test(t, select_send_on_closed_panics);
	tcase_add_test(t, same_channel_in_two_cases);
	tcase_add_test(t, select_storm_delivers_every_value_once);
	tcase_add_test(t, two_case_select_with_default);
	tcase_add_test(t, one_case_select_blocks_and_is_named_in_the_dump);
	tcase_add_test(t, two_case_send_on_closed_panics);
	tcase_add_test(t, two_case_storm_delivers_every_value_once);
	suite_add_tcase(s, t);
	TCase *det = tcase_create("select-det");
	tcase_set_tags(det, TAG_DET);
	tcase_add_test(det, two_case_select_draws_as_the_general_path);
	suite_add_tcase(s, det);
	return s;
}
