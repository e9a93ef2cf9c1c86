/*
 * test_pace.c - the pacing sink: the delay before each event (virtual gap
 * times the factor, a minimum, a cap), step mode reading Enter, and that
 * every event and the end reach the inner sink.  No real sleeping: the
 * sleep is injected.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/render/fixture.h"

#define MS ((int64_t)1000000)

/* The delay: gap x factor, at least the minimum, at most the cap. */
START_TEST(test_delay)
{
	struct render_pace_opts o = {.factor = 2.0, .min_delay_ns = 10 * MS, .max_delay_ns = 1000 * MS};
	ck_assert_int_eq(render_pace_delay(&o, 0, 100 * MS), 200 * MS);
	ck_assert_int_eq(render_pace_delay(&o, 5 * MS, 5 * MS), 10 * MS);       /* same instant */
	ck_assert_int_eq(render_pace_delay(&o, 0, 2 * MS), 10 * MS);            /* below minimum */
	ck_assert_int_eq(render_pace_delay(&o, 0, 3600000 * MS), 1000 * MS);    /* capped */
	ck_assert_int_eq(render_pace_delay(&o, 10 * MS, 0), 10 * MS);           /* time going back */
	o.max_delay_ns = 0;
	ck_assert_int_eq(render_pace_delay(&o, 0, 3600000 * MS), 7200000 * MS); /* no cap */
	o.factor = 0.001;
	o.min_delay_ns = 0;
	ck_assert_int_eq(render_pace_delay(&o, 0, 1000 * MS), 1 * MS);
}
END_TEST

struct record {
	int64_t sleeps[64];
	int nsleeps;
	uint64_t seqs[64];
	int nevents;
	int ends;
};

static void fake_sleep(void *ctx, int64_t ns)
{
	struct record *r = ctx;
	r->sleeps[r->nsleeps++] = ns;
}

static void inner_event(void *ctx, const struct cl_event *ev)
{
	struct record *r = ctx;
	r->seqs[r->nevents++] = ev->seq;
}

static void inner_end(void *ctx)
{
	((struct record *)ctx)->ends++;
}

/* Paced playback of the exchange: one sleep per event, by the virtual gaps,
 * every event forwarded in order, end forwarded once. */
START_TEST(test_paced_forwarding)
{
	struct record r = {0};
	struct cl_sink inner = {inner_event, inner_end, &r};
	struct render_pace_opts o = {.factor = 1.0, .min_delay_ns = 1000, .sleep_ns = fake_sleep,
	                             .sleep_ctx = &r};
	struct cl_sink sink;
	char err[100];
	ck_assert_int_eq(render_paced(inner, &o, &sink, err, sizeof err), 0);
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	for (size_t i = 0; i < n; i++)
		sink.event(sink.ctx, &evs[i]);
	sink.end(sink.ctx);
	render_close(&sink);
	ck_assert_int_eq(r.ends, 1);
	ck_assert_int_eq(r.nevents, (int)n);
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(r.seqs[i], evs[i].seq);
	ck_assert_int_eq(r.nsleeps, (int)n);
	ck_assert_int_eq(r.sleeps[0], 1000);                 /* first event: the minimum */
	ck_assert_int_eq(r.sleeps[6], 1000);                 /* 0 -> 1000 ns */
	ck_assert_int_eq(r.sleeps[10], 250000 - 1000);       /* 1 us -> 250 us */
	ck_assert_int_eq(r.sleeps[11], 1250000 - 250000);
}
END_TEST

/* Step mode waits for a line before each event; "q" ends stepping and the
 * rest plays paced; it never sleeps while stepping. */
START_TEST(test_step)
{
	struct record r = {0};
	struct cl_sink inner = {inner_event, NULL, &r};
	char input[] = "\n\nq\n";
	FILE *tty = fmemopen(input, strlen(input), "r");
	struct render_pace_opts o = {.factor = 1.0, .step = true, .tty_in = tty, .min_delay_ns = 7,
	                             .sleep_ns = fake_sleep, .sleep_ctx = &r};
	struct cl_sink sink;
	char err[100];
	ck_assert_int_eq(render_paced(inner, &o, &sink, err, sizeof err), 0);
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	for (size_t i = 0; i < 5; i++)
		sink.event(sink.ctx, &evs[i]);
	render_close(&sink);   /* inner.end is NULL: nothing to forward */
	fclose(tty);
	ck_assert_int_eq(r.nevents, 5);
	/* Events 1, 2 after Enter; 3 after "q" (stepping off); 4, 5 paced. */
	ck_assert_int_eq(r.nsleeps, 2);
	ck_assert_int_eq(r.sleeps[0], 7);
}
END_TEST

/* Bad settings are refused with a message. */
START_TEST(test_bad_opts)
{
	struct record r = {0};
	struct cl_sink inner = {inner_event, NULL, &r};
	struct cl_sink sink;
	char err[100] = "";
	struct render_pace_opts o = {.factor = 1.0, .step = true};
	ck_assert_int_eq(render_paced(inner, &o, &sink, err, sizeof err), RENDER_E_ARG);
	ck_assert_str_eq(err, "render_paced: step mode needs a terminal to read Enter from");
	o = (struct render_pace_opts){.factor = -1};
	ck_assert_int_eq(render_paced(inner, &o, &sink, err, sizeof err), RENDER_E_ARG);
	ck_assert_ptr_null(sink.ctx);
	inner.event = NULL;
	o.factor = 1;
	ck_assert_int_eq(render_paced(inner, &o, &sink, err, sizeof err), RENDER_E_ARG);
}
END_TEST

/* A renderer behind the pacer: the document is finished once, whether the
 * runtime calls end() on the pacer or not. */
START_TEST(test_paced_renderer)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	struct render_opts ro = {.out = out, .live = true};
	struct cl_sink chrome, paced;
	char err[100];
	ck_assert_int_eq(render_open("chrome", &ro, &chrome, err, sizeof err), 0);
	struct record r = {0};
	struct render_pace_opts o = {.factor = 1.0, .sleep_ns = fake_sleep, .sleep_ctx = &r};
	ck_assert_int_eq(render_paced(chrome, &o, &paced, err, sizeof err), 0);
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	for (size_t i = 0; i < n; i++)
		paced.event(paced.ctx, &evs[i]);
	render_close(&paced);   /* finishes chrome through its end() */
	render_close(&chrome);  /* already finished: only frees */
	fclose(out);
	char *first = strstr(buf, "\n]}");
	ck_assert_ptr_nonnull(first);
	ck_assert_ptr_null(strstr(first + 3, "]}"));
	free(buf);
}
END_TEST

Suite *suite_render_pace(void)
{
	Suite *s = suite_create("render_pace");
	TCase *tc = tcase_create("pace");
	tcase_add_test(tc, test_delay);
	tcase_add_test(tc, test_paced_forwarding);
	tcase_add_test(tc, test_step);
	tcase_add_test(tc, test_bad_opts);
	tcase_add_test(tc, test_paced_renderer);
	suite_add_tcase(s, tc);
	return s;
}
