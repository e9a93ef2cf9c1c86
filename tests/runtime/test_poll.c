/*
 * test_poll.c - non-blocking channel operations (a select of one case with
 * a default): the answers of the lock-free early exit (chan.h's
 * rt_chan_recv_cannot / rt_chan_send_cannot) agree with the locked path on
 * empty, full, closed channels and channels with a task waiting, and a
 * poller racing a sender (par: on two processors) loses and duplicates no
 * value.
 */
#include <check.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

/* A poll of one receive: the case index (-1: nothing there) and ok. */
static int poll_recv(cl_chan *c, int *out, bool *ok)
{
	struct cl_case cs = CL_RECV_CASE(c, out);
	int i = cl_select_default(&cs, 1);
	*ok = cs.ok;
	return i;
}

static int poll_send(cl_chan *c, int v)
{
	struct cl_case cs = CL_SEND_CASE(c, &v);
	return cl_select_default(&cs, 1);
}

/* Polls until the receive succeeds (yielding between polls, so the other
 * side runs under det too); -1 if it never does within the bound. */
#define POLL_BOUND 10000000L

static int recv_eventually(cl_chan *c, int *out, bool *ok)
{
	for (long k = 0; k < POLL_BOUND; k++) {
		if (poll_recv(c, out, ok) == 0)
			return 0;
		cl_yield();
	}
	return -1;
}

static int send_eventually(cl_chan *c, int v)
{
	for (long k = 0; k < POLL_BOUND; k++) {
		if (poll_send(c, v) == 0)
			return 0;
		cl_yield();
	}
	return -1;
}

/* ---- receive ------------------------------------------------------------- */

struct answers {
	int empty_buf, empty_unbuf, full_buf, full_val, closed_buf_val, closed_buf_ok,
	    closed_empty, closed_empty_ok, closed_zeroed, waiting_sender, waiting_val,
	    waiting_ok;
};

static void sender_task(void *arg)
{
	cl_chan *c = arg;
	int v = 42;
	cl_send(c, &v);   /* parks: nobody receives but the poller */
}

static void recv_main(void *arg)
{
	struct answers *a = arg;
	int out = -1;
	bool ok;
	cl_chan *buf = cl_make("buf", int, 2);
	cl_chan *unbuf = cl_make("unbuf", int, 0);
	a->empty_buf = poll_recv(buf, &out, &ok);
	a->empty_unbuf = poll_recv(unbuf, &out, &ok);

	int v = 7;
	cl_send(buf, &v);
	v = 8;
	cl_send(buf, &v);
	a->full_buf = poll_recv(buf, &out, &ok);
	a->full_val = out;

	/* Closed with a value still buffered: the value first, then ok false. */
	cl_close(buf);
	poll_recv(buf, &out, &ok);
	a->closed_buf_val = out;
	a->closed_buf_ok = ok;
	out = 99;
	a->closed_empty = poll_recv(buf, &out, &ok);
	a->closed_empty_ok = ok;
	a->closed_zeroed = out == 0;

	/* An unbuffered channel with a sender parked on it is ready. */
	cl_go(sender_task, unbuf, "sender");
	a->waiting_sender = recv_eventually(unbuf, &out, &ok);
	a->waiting_val = out;
	a->waiting_ok = ok;
}

START_TEST(poll_receive_answers_as_the_locked_path)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct answers a;
		memset(&a, 0x55, sizeof a);
		struct cl_result r = run_prog(recv_main, &a, seed, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_eq(a.empty_buf, -1);
		ck_assert_int_eq(a.empty_unbuf, -1);
		ck_assert_int_eq(a.full_buf, 0);
		ck_assert_int_eq(a.full_val, 7);
		ck_assert_int_eq(a.closed_buf_val, 8);
		ck_assert_int_eq(a.closed_buf_ok, 1);
		ck_assert_int_eq(a.closed_empty, 0);   /* closed and empty: ready, ok false */
		ck_assert_int_eq(a.closed_empty_ok, 0);
		ck_assert_int_eq(a.closed_zeroed, 1);
		ck_assert_int_eq(a.waiting_sender, 0);
		ck_assert_int_eq(a.waiting_val, 42);
		ck_assert_int_eq(a.waiting_ok, 1);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- send ---------------------------------------------------------------- */

struct send_answers {
	int space, full, no_receiver, waiting_receiver, received, len_full;
};

struct recv_arg {
	cl_chan *c, *got;
};

static void receiver_task(void *arg)
{
	struct recv_arg *ra = arg;
	int v = -1;
	cl_recv(ra->c, &v);   /* parks until the poller's send */
	cl_send(ra->got, &v);
}

static void send_main(void *arg)
{
	struct send_answers *a = arg;
	cl_chan *buf = cl_make("buf", int, 1);
	cl_chan *unbuf = cl_make("unbuf", int, 0);
	a->space = poll_send(buf, 1);
	a->full = poll_send(buf, 2);
	a->len_full = (int)cl_len(buf);
	a->no_receiver = poll_send(unbuf, 3);
	struct recv_arg ra = {.c = unbuf, .got = cl_make("got", int, 1)};
	cl_go(receiver_task, &ra, "receiver");
	a->waiting_receiver = send_eventually(unbuf, 4);
	cl_recv(ra.got, &a->received);
}

START_TEST(poll_send_answers_as_the_locked_path)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct send_answers a;
		memset(&a, 0x55, sizeof a);
		struct cl_result r = run_prog(send_main, &a, seed, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_int_eq(a.space, 0);
		ck_assert_int_eq(a.full, -1);
		ck_assert_int_eq(a.len_full, 1);
		ck_assert_int_eq(a.no_receiver, -1);
		ck_assert_int_eq(a.waiting_receiver, 0);
		ck_assert_int_eq(a.received, 4);
		cl_result_free(&r);
	}
}
END_TEST

static void send_closed_main(void *arg)
{
	size_t cap = *(size_t *)arg;
	cl_chan *c = cl_make("c", int, cap);
	cl_close(c);
	poll_send(c, 1);   /* closed: the send panics, default or not */
}

START_TEST(poll_send_on_closed_channel_panics)
{
	for (size_t cap = 0; cap <= 1; cap++) {
		expect_panic(send_closed_main, &cap, 1, "send on closed channel");
	}
}
END_TEST

/* ---- a poller racing the other side ---------------------------------------- */

/* Polls between yields: under par a task keeps its processor until it
 * blocks or yields, so with one processor the other side runs only then. */
#define POLLS_PER_YIELD 256

struct race {
	size_t cap;
	bool poll_sends;       /* the sender polls too (a send with a default) */
	long n;
	long got, bad;         /* values received; values out of order */
	bool closed_seen;
	cl_chan *c;
};

static void race_sender(void *arg)
{
	struct race *rc = arg;
	for (int i = 1; i <= rc->n; i++) {
		if (rc->poll_sends) {
			for (long k = 1; poll_send(rc->c, i) != 0; k++)
				if (k % POLLS_PER_YIELD == 0)
					cl_yield();
		} else {
			cl_send(rc->c, &i);
		}
	}
	cl_close(rc->c);
}

static void race_main(void *arg)
{
	struct race *rc = arg;
	rc->c = cl_make("c", int, rc->cap);
	cl_go(race_sender, rc, "sender");
	int expect = 1, v;
	bool ok;
	for (long k = 1;; k++) {
		if (poll_recv(rc->c, &v, &ok) != 0) {
			if (k % POLLS_PER_YIELD == 0)
				cl_yield();
			continue;   /* a tight poll, as pingpong_2p's */
		}
		if (!ok) {
			rc->closed_seen = true;
			break;
		}
		rc->bad += v != expect;
		expect = v + 1;
		rc->got++;
	}
}

START_TEST(poller_racing_a_sender_loses_and_duplicates_nothing)
{
	long n = test_scaled(100000, 2000);
	for (int form = 0; form < 4; form++) {
		/* Two polls never meet on an unbuffered channel (each needs
		 * the other parked), so the polling sender has a buffer. */
		static const size_t caps[4] = {0, 1, 1, 4};
		struct race rc = {.cap = caps[form], .poll_sends = form >= 2, .n = n};
		struct cl_config cfg;
		test_config(&cfg);
		cfg.seed = 3 + (uint64_t)form;
		cfg.livelock_steps = 0;   /* two pollers make progress only when one meets the other */
		struct cl_result r;
		ck_assert_int_eq(cl_run(race_main, &rc, &cfg, &r), 0);
		ck_assert_msg(r.outcome == CL_OUTCOME_OK, "form %d: outcome %d", form, r.outcome);
		ck_assert_int_eq(rc.got, n);
		ck_assert_int_eq(rc.bad, 0);
		ck_assert(rc.closed_seen);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- det: a poll that finds nothing is still a select in the trace ------------ */

static void trace_main(void *arg)
{
	(void)arg;
	cl_chan *c = cl_make("c", int, 1);
	int out;
	bool ok;
	poll_recv(c, &out, &ok);
	poll_send(c, 5);
	poll_send(c, 6);
}

START_TEST(failed_poll_emits_its_select_event)
{
	struct recorder rec = {0};
	struct cl_result r = run_prog(trace_main, NULL, 1, CL_STRATEGY_RANDOM, &rec);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	int selects = 0, chosen[3] = {0, 0, 0};
	for (size_t i = 0; i < rec.n; i++)
		if (rec.ev[i].kind == CL_EV_SELECT && selects < 3) {
			ck_assert_int_eq(rec.ev[i].count, 1);
			chosen[selects++] = (int)rec.ev[i].arg;
		}
	ck_assert_int_eq(selects, 3);
	ck_assert_int_eq(chosen[0], -1);   /* empty */
	ck_assert_int_eq(chosen[1], 0);    /* room */
	ck_assert_int_eq(chosen[2], -1);   /* full */
	recorder_free(&rec);
	cl_result_free(&r);
}
END_TEST

Suite *suite_poll(void)
{
	Suite *s = suite_create("poll");
	TCase *t = tcase_create("poll");
	tcase_set_tags(t, TAG_ANY);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, poll_receive_answers_as_the_locked_path);
	tcase_add_test(t, poll_send_answers_as_the_locked_path);
	tcase_add_test(t, poll_send_on_closed_channel_panics);
	tcase_add_test(t, poller_racing_a_sender_loses_and_duplicates_nothing);
	suite_add_tcase(s, t);
	TCase *det = tcase_create("poll-det");
	tcase_set_tags(det, TAG_DET);
	tcase_add_test(det, failed_poll_emits_its_select_event);
	suite_add_tcase(s, det);
	return s;
}
