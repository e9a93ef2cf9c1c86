/*
 * test_render.c - the format table, opening and closing, the schema names
 * and the time formatting shared by the renderers.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "tests/render/fixture.h"

/* render_formats lists the six formats in order, NULL-terminated. */
START_TEST(test_formats)
{
	const char *const *f = render_formats();
	const char *want[] = {"text", "lanes", "jsonl", "chrome", "mermaid", "html"};
	for (int i = 0; i < 6; i++) {
		ck_assert_str_eq(f[i], want[i]);
		ck_assert_ptr_nonnull(render_format_summary(f[i]));
	}
	ck_assert_ptr_null(f[6]);
	ck_assert_ptr_null(render_format_summary("svg"));
}
END_TEST

/* An unknown format is an error naming the format and every valid choice. */
START_TEST(test_unknown_format)
{
	struct render_opts ro = {.out = stdout};
	struct cl_sink sink = {.ctx = &ro};
	char err[200] = "";
	ck_assert_int_eq(render_open("svg", &ro, &sink, err, sizeof err), RENDER_E_FORMAT);
	ck_assert_str_eq(err, "unknown format 'svg' (choose text, lanes, jsonl, chrome, mermaid, html)");
	ck_assert_ptr_null(sink.ctx);
	ck_assert_ptr_null(sink.event);
	render_close(&sink);   /* a zeroed sink is ignored */
	ck_assert_int_eq(render_open("text", &(struct render_opts){.out = NULL}, &sink, err, sizeof err),
	                 RENDER_E_ARG);
}
END_TEST

/* Every format opens, and render_close finishes the document even when the
 * runtime never called end(): chrome's closing bracket is there. */
START_TEST(test_close_finishes)
{
	for (const char *const *f = render_formats(); *f; f++) {
		char *buf = NULL;
		size_t size = 0;
		FILE *out = open_memstream(&buf, &size);
		struct render_opts ro = {.out = out};
		struct cl_sink sink;
		char err[100];
		ck_assert_int_eq(render_open(*f, &ro, &sink, err, sizeof err), 0);
		ck_assert_ptr_nonnull(sink.event);
		ck_assert_ptr_nonnull(sink.end);
		size_t n;
		const struct cl_event *evs = fixture_exchange(&n);
		sink.event(sink.ctx, &evs[0]);
		render_close(&sink);
		ck_assert_ptr_null(sink.ctx);
		fclose(out);
		ck_assert_msg(size > 0, "format %s wrote nothing", *f);
		if (strcmp(*f, "chrome") == 0)
			ck_assert_ptr_nonnull(strstr(buf, "]}\n"));
		free(buf);
	}
}
END_TEST

/* end() then render_close finishes once: chrome's bracket appears once. */
START_TEST(test_end_once)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	char *s = fixture_render("chrome", 80, evs, n);   /* calls end() and close */
	ck_assert_ptr_nonnull(s);
	char *first = strstr(s, "\n]}");
	ck_assert_ptr_nonnull(first);
	ck_assert_ptr_null(strstr(first + 3, "]}"));
	free(s);
}
END_TEST

/* Schema names (docs/events.md), every one pinned: the runtime owns them,
 * and a rename there would change what tools read.  "?" out of range. */
START_TEST(test_names)
{
	/* Version 1's kinds, then version 2's (later kinds are appended by
	 * other parts: each must have a name). */
	static const char *const kinds[] = {
		"spawn", "exit", "block", "wake", "send", "recv", "close", "select", "sleep",
		"timer", "lock", "unlock", "cancel", "panic", "recover", "note", "yield",
		"atomic", "sync", "end", "race", "verdict", "steal", "handoff",
	};
	const int nkinds = (int)(sizeof kinds / sizeof kinds[0]);
	ck_assert_int_ge(CL_EV_KIND_COUNT, nkinds);
	static const char *const waits[CL_WAIT_COUNT] = {
		"", "chan send", "chan receive", "chan send (nil chan)", "chan receive (nil chan)",
		"select", "select (no cases)", "sleep", "sync.Mutex.Lock", "sync.RWMutex.RLock",
		"sync.RWMutex.Lock", "sync.Cond.Wait", "sync.WaitGroup.Wait", "sync.Once.Do",
		"semaphore.Acquire",
	};
	static const char *const objs[CL_OBJ_KIND_COUNT] = {
		"", "channel", "mutex", "rwmutex", "cond", "once", "waitgroup", "semaphore",
		"context", "timer", "atomic",
	};
	for (int k = 0; k < CL_EV_KIND_COUNT; k++)
		if (k < nkinds)
			ck_assert_str_eq(render_kind_name(k), kinds[k]);
		else
			ck_assert_str_ne(render_kind_name(k), "?");
	for (int w = 0; w < CL_WAIT_COUNT; w++)
		ck_assert_str_eq(render_wait_name(w), waits[w]);
	for (int o = 0; o < CL_OBJ_KIND_COUNT; o++)
		ck_assert_str_eq(render_obj_kind_name(o), objs[o]);
	ck_assert_str_eq(render_kind_name(CL_EV_KIND_COUNT), "?");
	ck_assert_str_eq(render_wait_name(CL_WAIT_COUNT), "?");
	ck_assert_str_eq(render_obj_kind_name(CL_OBJ_KIND_COUNT), "?");
}
END_TEST

/* Times are ms with microsecond precision, right-aligned; durations use
 * the largest exact unit. */
START_TEST(test_time_format)
{
	char b[32];
	ck_assert_str_eq(render_format_time(b, sizeof b, 1250000), "    1.250ms");
	ck_assert_str_eq(render_format_time(b, sizeof b, 0), "    0.000ms");
	ck_assert_str_eq(render_format_time(b, sizeof b, 999), "    0.000ms");
	ck_assert_str_eq(render_format_time(b, sizeof b, 123456789012), "123456.789ms");
	ck_assert_str_eq(render_format_time(b, sizeof b, -1500), "   -0.001ms");
	ck_assert_str_eq(render_format_duration(b, sizeof b, 2000000), "2ms");
	ck_assert_str_eq(render_format_duration(b, sizeof b, 1500000), "1.5ms");
	ck_assert_str_eq(render_format_duration(b, sizeof b, 3000000000), "3s");
	ck_assert_str_eq(render_format_duration(b, sizeof b, 7), "7ns");
	ck_assert_str_eq(render_format_duration(b, sizeof b, 0), "0ns");
	ck_assert_str_eq(render_format_duration(b, sizeof b, 219638), "219.638us");
	ck_assert_str_eq(render_format_duration(b, sizeof b, 4900000), "4.9ms");
	ck_assert_str_eq(render_format_duration(b, sizeof b, 4944580), "4.944ms");
	ck_assert_str_eq(render_format_duration(b, sizeof b, 1000001), "1ms");   /* truncated */
	ck_assert_str_eq(render_format_duration(b, sizeof b, 1500000000), "1.5s");
	ck_assert_str_eq(render_format_duration(b, sizeof b, 1234567890), "1.234s");
	ck_assert_str_eq(render_format_duration(b, sizeof b, -2000000), "-2ms");
}
END_TEST

Suite *suite_render(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_formats);
	tcase_add_test(tc, test_unknown_format);
	tcase_add_test(tc, test_close_finishes);
	tcase_add_test(tc, test_end_once);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_time_format);
	suite_add_tcase(s, tc);
	return s;
}
