/*
 * test_render.c - the format table, opening and closing, the schema names
 * and the time formatting shared by the renderers.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "tests/render/fixture.h"

/* render_formats lists the five formats in order, NULL-terminated. */
START_TEST(test_formats)
{
	const char *const *f = render_formats();
	const char *want[] = {"text", "lanes", "jsonl", "chrome", "mermaid"};
	for (int i = 0; i < 5; i++) {
		ck_assert_str_eq(f[i], want[i]);
		ck_assert_ptr_nonnull(render_format_summary(f[i]));
	}
	ck_assert_ptr_null(f[5]);
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
	ck_assert_str_eq(err, "unknown format 'svg' (choose text, lanes, jsonl, chrome, mermaid)");
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

/* Schema names: kinds, wait reasons in Go's words, object kinds; "?" out of
 * range. */
START_TEST(test_names)
{
	ck_assert_str_eq(render_kind_name(CL_EV_SPAWN), "spawn");
	ck_assert_str_eq(render_kind_name(CL_EV_RECV), "recv");
	ck_assert_str_eq(render_kind_name(CL_EV_END), "end");
	ck_assert_str_eq(render_kind_name(CL_EV_KIND_COUNT), "?");
	for (int k = 0; k < CL_EV_KIND_COUNT; k++)
		ck_assert_msg(render_kind_name(k) && *render_kind_name(k), "kind %d has no name", k);
	ck_assert_str_eq(render_wait_name(CL_WAIT_CHAN_RECV), "chan receive");
	ck_assert_str_eq(render_wait_name(CL_WAIT_WAITGROUP), "sync.WaitGroup.Wait");
	ck_assert_str_eq(render_wait_name(CL_WAIT_NONE), "");
	for (int w = 1; w < CL_WAIT_COUNT; w++)
		ck_assert_msg(*render_wait_name(w), "wait %d has no name", w);
	ck_assert_str_eq(render_obj_kind_name(CL_OBJ_CHAN), "channel");
	for (int o = 1; o < CL_OBJ_KIND_COUNT; o++)
		ck_assert_msg(*render_obj_kind_name(o), "object kind %d has no name", o);
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
	ck_assert_str_eq(render_format_duration(b, sizeof b, 1500000), "1500us");
	ck_assert_str_eq(render_format_duration(b, sizeof b, 3000000000), "3s");
	ck_assert_str_eq(render_format_duration(b, sizeof b, 7), "7ns");
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
