/* test_chan.c - channels: Go's operation table, FIFO, rendezvous, close. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

static char *first_line(const char *report)
{
	static char line[200];
	const char *nl = strchr(report, '\n');
	size_t n = nl ? (size_t)(nl - report) : strlen(report);
	if (n >= sizeof line)
		n = sizeof line - 1;
	memcpy(line, report, n);
	line[n] = '\0';
	return line;
}

/* ---- the operation table (nil / open / closed x send / recv / close) ---- */

static void send_nil(void *arg)
{
	(void)arg;
	int v = 1;
	cl_send(NULL, &v);
}

static void recv_nil(void *arg)
{
	(void)arg;
	int v;
	cl_recv(NULL, &v);
}

static void close_nil(void *arg)
{
	(void)arg;
	cl_close(NULL);
}

static void send_closed(void *arg)
{
	(void)arg;
	cl_chan *c = cl_make("c", int, 1);
	cl_close(c);
	int v = 1;
	cl_send(c, &v);
}

static void close_closed(void *arg)
{
	(void)arg;
	cl_chan *c = cl_make("c", int, 0);
	cl_close(c);
	cl_close(c);
}

static int recv_closed_result[4];
static void recv_closed(void *arg)
{
	(void)arg;
	cl_chan *c = cl_make("c", int, 2);
	int v = 7;
	cl_send(c, &v);
	cl_close(c);
	int out = -1;
	recv_closed_result[0] = cl_recv(c, &out);   /* buffered value drains first */
	recv_closed_result[1] = out;
	out = -1;
	recv_closed_result[2] = cl_recv(c, &out);   /* then zero, ok == false */
	recv_closed_result[3] = out;
}

static void recv_open_empty(void *arg)
{
	(void)arg;
	cl_chan *c = cl_make("lonely", int, 0);
	int v;
	cl_recv(c, &v);
}

START_TEST(send_on_nil_blocks_forever)
{
	struct cl_result r = run_prog(send_nil, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_DEADLOCK);
	ck_assert_str_eq(first_line(r.report), "fatal error: all tasks are asleep - deadlock!");
	ck_assert_ptr_nonnull(strstr(r.report, "task 1 \"main\" [chan send (nil chan)]"));
	cl_result_free(&r);
}
END_TEST

START_TEST(recv_on_nil_blocks_forever)
{
	struct cl_result r = run_prog(recv_nil, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_DEADLOCK);
	ck_assert_ptr_nonnull(strstr(r.report, "[chan receive (nil chan)]"));
	cl_result_free(&r);
}
END_TEST

START_TEST(close_of_nil_panics)
{
	struct cl_result r = run_prog(close_nil, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_PANIC);
	ck_assert_str_eq(r.panic_msg, "close of nil channel");
	ck_assert_str_eq(first_line(r.report), "panic: close of nil channel");
	cl_result_free(&r);
}
END_TEST

START_TEST(send_on_closed_panics)
{
	expect_panic(send_closed, NULL, 1, "send on closed channel");
}
END_TEST

START_TEST(close_of_closed_panics)
{
	expect_panic(close_closed, NULL, 1, "close of closed channel");
}
END_TEST

START_TEST(recv_on_closed_drains_then_zero)
{
	struct cl_result r = run_prog(recv_closed, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(recv_closed_result[0], 1);
	ck_assert_int_eq(recv_closed_result[1], 7);
	ck_assert_int_eq(recv_closed_result[2], 0);
	ck_assert_int_eq(recv_closed_result[3], 0);
	cl_result_free(&r);
}
END_TEST

START_TEST(recv_on_open_empty_blocks)
{
	struct cl_result r = run_prog(recv_open_empty, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_DEADLOCK);
	ck_assert_ptr_nonnull(strstr(r.report, "task 1 \"main\" [chan receive, channel \"lonely\"]"));
	ck_assert_ptr_nonnull(strstr(r.report, "blocked at tests/runtime/test_chan.c:"));
	cl_result_free(&r);
}
END_TEST

/* ---- FIFO order and values ---------------------------------------------- */

struct fifo {
	cl_chan *c;
	int got[100];
	int n;
};

static void fifo_producer(void *arg)
{
	struct fifo *f = arg;
	for (int i = 0; i < 100; i++)
		cl_send(f->c, &i);
	cl_close(f->c);
}

static void fifo_main(void *arg)
{
	struct fifo *f = arg;
	f->c = cl_make("q", int, (size_t)f->n);
	f->n = 0;
	cl_go(fifo_producer, f, "producer");
	int v;
	while (cl_recv(f->c, &v))
		f->got[f->n++] = v;
}

START_TEST(values_arrive_in_fifo_order)
{
	/* Buffered of several capacities and unbuffered, under many seeds. */
	int caps[] = {0, 1, 3, 64};
	for (int ci = 0; ci < 4; ci++) {
		for (uint64_t seed = 1; seed <= 20; seed++) {
			struct fifo f = {.n = caps[ci]};
			struct cl_result r = run_prog(fifo_main, &f, seed, CL_STRATEGY_RANDOM, NULL);
			ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
			ck_assert_int_eq(f.n, 100);
			for (int i = 0; i < 100; i++)
				ck_assert_int_eq(f.got[i], i);
			ck_assert_uint_eq(r.messages, 100);
			cl_result_free(&r);
		}
	}
}
END_TEST

/* ---- rendezvous ordering on the events ---------------------------------- */

struct drain_pair {
	cl_chan *c, *done;
};

static void pingpong_peer(void *arg)
{
	struct drain_pair *p = arg;
	int v;
	while (cl_recv(p->c, &v)) {
	}
	cl_close(p->done);
}

/* The receiver closes done after it has seen the close, so every receive is
 * in the trace before main returns (a sleep would not promise that under
 * par, where a slow processor may not have drained the buffer yet). */
static void unbuffered_main(void *arg)
{
	size_t cap = *(size_t *)arg;
	struct drain_pair p = {cl_make("c", int, cap), cl_make("done", int, 0)};
	cl_go(pingpong_peer, &p, "receiver");
	for (int i = 0; i < 10; i++)
		cl_send(p.c, &i);
	cl_close(p.c);
	cl_recv(p.done, NULL);
}

/* Index of the first event of kind with the given flow. */
static long find_flow(const struct recorder *r, enum cl_event_kind kind, uint64_t flow)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->ev[i].kind == kind && r->ev[i].flow == flow)
			return (long)i;
	return -1;
}

START_TEST(unbuffered_receive_precedes_send_completion)
{
	/* gosem: an unbuffered send completes only after its receive. */
	size_t cap = 0;
	for (uint64_t seed = 1; seed <= 200; seed++) {
		struct recorder rec = {0};
		struct cl_result r = run_prog(unbuffered_main, &cap, seed, CL_STRATEGY_RANDOM, &rec);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		int pairs = 0;
		for (size_t i = 0; i < rec.n; i++) {
			if (rec.ev[i].kind != CL_EV_SEND)
				continue;
			long recv = find_flow(&rec, CL_EV_RECV, rec.ev[i].flow);
			ck_assert_int_ge(recv, 0);
			ck_assert_int_lt(recv, (long)i);
			pairs++;
		}
		ck_assert_int_eq(pairs, 10);
		recorder_free(&rec);
		cl_result_free(&r);
	}
}
END_TEST

START_TEST(buffered_send_completes_before_receive)
{
	size_t cap = 4;
	for (uint64_t seed = 1; seed <= 200; seed++) {
		struct recorder rec = {0};
		struct cl_result r = run_prog(unbuffered_main, &cap, seed, CL_STRATEGY_RANDOM, &rec);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		int pairs = 0;
		for (size_t i = 0; i < rec.n; i++) {
			if (rec.ev[i].kind != CL_EV_SEND)
				continue;
			long recv = find_flow(&rec, CL_EV_RECV, rec.ev[i].flow);
			ck_assert_int_gt(recv, (long)i);
			pairs++;
		}
		ck_assert_int_eq(pairs, 10);
		recorder_free(&rec);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- close as broadcast ----------------------------------------------------- */

struct bcast {
	cl_chan *done;
	cl_waitgroup *wg;
	int woke;
};

static void watcher(void *arg)
{
	struct bcast *b = arg;
	struct {
		char pad;
	} unused;
	(void)unused;
	bool ok = cl_recv(b->done, NULL);
	if (!ok)
		__atomic_add_fetch(&b->woke, 1, __ATOMIC_RELAXED);
	cl_wg_done(b->wg);
}

static void bcast_main(void *arg)
{
	struct bcast *b = arg;
	b->done = cl_chan_make("done", 0, 0);
	b->wg = cl_wg_new("wg");
	for (int i = 0; i < 50; i++) {
		cl_wg_add(b->wg, 1);
		cl_go(watcher, b, "watcher-%d", i);
	}
	cl_sleep(CL_MS);   /* under det every watcher is parked on done by now */
	cl_close(b->done);
	cl_wg_wait(b->wg);
}

START_TEST(close_wakes_every_receiver)
{
	struct bcast b = {0};
	struct cl_result r = run_prog(bcast_main, &b, 3, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(b.woke, 50);
	cl_result_free(&r);
}
END_TEST

/* A sender parked on a channel that gets closed panics. */
static void parked_sender(void *arg)
{
	int v = 1;
	cl_send(arg, &v);
}

static void close_under_sender(void *arg)
{
	(void)arg;
	cl_chan *c = cl_make("c", int, 0);
	cl_go(parked_sender, c, "sender");
	cl_sleep(CL_MS);      /* the sender parks, as a rule (under par it may be late) */
	cl_close(c);
	cl_recv(NULL, NULL);  /* the sender's panic ends the run, however late it runs */
}

START_TEST(close_with_parked_sender_panics_the_sender)
{
	struct cl_result r = run_prog(close_under_sender, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_PANIC);
	ck_assert_str_eq(r.panic_msg, "send on closed channel");
	ck_assert_ptr_nonnull(strstr(r.report, "task 2 \"sender\" [running]"));
	cl_result_free(&r);
}
END_TEST

static size_t lens[3];
static void len_cap_main(void *arg)
{
	(void)arg;
	cl_chan *c = cl_make("c", int, 3);
	int v = 1;
	cl_send(c, &v);
	cl_send(c, &v);
	lens[0] = cl_len(c);
	lens[1] = cl_cap(c);
	lens[2] = cl_len(NULL) + cl_cap(NULL);
}

START_TEST(len_and_cap)
{
	struct cl_result r = run_prog(len_cap_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_uint_eq(lens[0], 2);
	ck_assert_uint_eq(lens[1], 3);
	ck_assert_uint_eq(lens[2], 0);
	cl_result_free(&r);
}
END_TEST

/* Struct values are copied whole. */
struct point {
	int x, y;
	char tag[12];
};

static struct point got_point;
static void struct_sender(void *arg)
{
	struct point p = {3, 4, "hello"};
	cl_send(arg, &p);
	memset(&p, 0, sizeof p);   /* the receiver has its own copy */
}

static void struct_main(void *arg)
{
	(void)arg;
	cl_chan *c = cl_make("points", struct point, 0);
	cl_go(struct_sender, c, "sender");
	cl_recv(c, &got_point);
}

START_TEST(values_are_copied_by_size)
{
	struct cl_result r = run_prog(struct_main, NULL, 5, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(got_point.x, 3);
	ck_assert_int_eq(got_point.y, 4);
	ck_assert_str_eq(got_point.tag, "hello");
	cl_result_free(&r);
}
END_TEST

/* ---- many senders and receivers on one channel: nothing lost or doubled ---- */

struct crowd {
	cl_chan *c;
	cl_waitgroup *senders, *receivers;
	long sum;
	long count;
};

static void crowd_sender(void *arg)
{
	struct crowd *x = arg;
	for (int i = 1; i <= 500; i++)
		cl_send(x->c, &i);
	cl_wg_done(x->senders);
}

static void crowd_receiver(void *arg)
{
	struct crowd *x = arg;
	long sum = 0, count = 0;
	int v;
	while (cl_recv(x->c, &v)) {
		sum += v;
		count++;
	}
	__atomic_add_fetch(&x->sum, sum, __ATOMIC_RELAXED);
	__atomic_add_fetch(&x->count, count, __ATOMIC_RELAXED);
	cl_wg_done(x->receivers);
}

static void crowd_main_with_cap(void *arg);

static void crowd_main(void *arg)
{
	struct crowd *x = arg;
	x->senders = cl_wg_new("senders");
	x->receivers = cl_wg_new("receivers");
	cl_wg_add(x->senders, 8);
	cl_wg_add(x->receivers, 8);
	for (int i = 0; i < 8; i++)
		cl_go(crowd_sender, x, "sender-%d", i);
	for (int i = 0; i < 8; i++)
		cl_go(crowd_receiver, x, "receiver-%d", i);
	cl_wg_wait(x->senders);
	cl_close(x->c);
	cl_wg_wait(x->receivers);
}

static void crowd_main_with_cap(void *arg)
{
	struct crowd *x = arg;
	size_t caps[3] = {0, 1, 16};
	x->c = cl_make("crowd", int, caps[cl_rand_below(3)]);
	crowd_main(x);
}

START_TEST(many_senders_and_receivers_lose_nothing)
{
	long runs = test_scaled(60, 6);
	for (long r = 0; r < runs; r++) {
		struct crowd x = {0};
		struct cl_config cfg;
		test_config(&cfg);
		cfg.seed = (uint64_t)r + 1;
		struct cl_result res;
		ck_assert_int_eq(cl_run(crowd_main_with_cap, &x, &cfg, &res), 0);
		ck_assert_int_eq(res.outcome, CL_OUTCOME_OK);
		ck_assert_int_eq(x.count, 8 * 500);
		ck_assert_int_eq(x.sum, 8L * 500 * 501 / 2);
		cl_result_free(&res);
	}
}
END_TEST

Suite *suite_chan(void)
{
	Suite *s = suite_create("chan");
	TCase *t = tcase_create("table");
	tcase_set_tags(t, TAG_ANY);
	tcase_add_test(t, send_on_nil_blocks_forever);
	tcase_add_test(t, recv_on_nil_blocks_forever);
	tcase_add_test(t, close_of_nil_panics);
	tcase_add_test(t, send_on_closed_panics);
	tcase_add_test(t, close_of_closed_panics);
	tcase_add_test(t, recv_on_closed_drains_then_zero);
	tcase_add_test(t, recv_on_open_empty_blocks);
	suite_add_tcase(s, t);
	t = tcase_create("order");
	tcase_set_tags(t, TAG_ANY);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, values_arrive_in_fifo_order);
	tcase_add_test(t, unbuffered_receive_precedes_send_completion);
	tcase_add_test(t, buffered_send_completes_before_receive);
	tcase_add_test(t, close_wakes_every_receiver);
	tcase_add_test(t, close_with_parked_sender_panics_the_sender);
	tcase_add_test(t, len_and_cap);
	tcase_add_test(t, values_are_copied_by_size);
	tcase_add_test(t, many_senders_and_receivers_lose_nothing);
	suite_add_tcase(s, t);
	return s;
}
