/*
 * test_html.c - the html renderer: the page embeds the event stream as
 * data (compared against a golden file, so layout code can change freely),
 * nothing in the data can end its <script> element, the page names no URL,
 * and long runs keep their first and last halves with the end intact.
 * The page's own behaviour in a browser is tests/cli/test_html_browser.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/render/fixture.h"
#include "tests/testlib.h"

#define DATA_OPEN "<script id=\"data\" type=\"application/json\">"

/* The data element's contents (malloc'd), or NULL if the page has none. */
static char *page_data(const char *page)
{
	const char *start = strstr(page, DATA_OPEN);
	if (!start)
		return NULL;
	start += strlen(DATA_OPEN);
	const char *end = strstr(start, "</script>");
	if (!end)
		return NULL;
	return strndup(start, (size_t)(end - start));
}

/* Occurrences of needle in s.  A plain loop: under ASan every strstr call
 * measures the whole remaining string, which makes counting 100,000 events
 * in a 5 MB page quadratic (minutes). */
static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; *p; p++) {
		size_t k = 0;
		while (needle[k] && p[k] == needle[k])
			k++;
		if (!needle[k]) {
			n++;
			p += k - 1;
		}
	}
	return n;
}

/* The exchange's data, exactly (tests/render/data/html-exchange.json;
 * `make golden` rewrites it through CHANLAB_GOLDEN_WRITE after a deliberate
 * change to the event schema). */
START_TEST(test_data_matches_golden)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	char *page = fixture_render("html", 80, evs, n);
	ck_assert_ptr_nonnull(page);
	char *data = page_data(page);
	ck_assert_ptr_nonnull(data);
	if (getenv("CHANLAB_GOLDEN_WRITE")) {
		FILE *f = fopen("tests/render/data/html-exchange.json", "w");
		ck_assert_ptr_nonnull(f);
		fprintf(f, "%s\n", data);
		ck_assert_int_eq(fclose(f), 0);
	}
	char *golden = test_read_file("tests/render/data/html-exchange.json", NULL);
	ck_assert_msg(golden, "tests/render/data/html-exchange.json is missing");
	size_t len = strlen(golden);
	if (len && golden[len - 1] == '\n')
		golden[len - 1] = '\0';
	ck_assert_str_eq(data, golden);
	free(golden);
	free(data);
	free(page);
}
END_TEST

/* A note that tries to close the script element, and the two line
 * separators JavaScript once treated as line ends, stay inside the data. */
START_TEST(test_data_cannot_end_the_script)
{
	struct cl_event evs[2] = {
		fixture_event(1, 0, CL_EV_NOTE, 1, "main"),
		fixture_event(2, 0, CL_EV_END, 0, "runtime"),
	};
	evs[0].text = "</script><script>alert(1)</script> & <!-- \xe2\x80\xa8 \xe2\x80\xa9";
	evs[1].text = "ok";
	char *page = fixture_render("html", 80, evs, 2);
	ck_assert_ptr_nonnull(page);
	char *data = page_data(page);
	ck_assert_ptr_nonnull(data);
	ck_assert_ptr_null(strpbrk(data, "<>&"));
	ck_assert_ptr_null(strstr(data, "\xe2\x80\xa8"));
	ck_assert_ptr_null(strstr(data, "\xe2\x80\xa9"));
	ck_assert_ptr_nonnull(strstr(data, "\\u003c/script\\u003e"));
	ck_assert_ptr_nonnull(strstr(data, "\\u2028"));
	/* the data's own end and the player's: nothing else closes a script */
	ck_assert_int_eq(count(page, "</script>"), 2);
	free(data);
	free(page);
}
END_TEST

/* Renders evs as format, handing the sink report (render_report) before
 * closing it, as the CLI does after cl_run.  Returns the output (malloc'd). */
static char *render_with_report(const char *format, const struct cl_event *evs, size_t n,
                                const char *report)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	ck_assert_ptr_nonnull(out);
	struct render_opts ro = {.out = out, .width = 80};
	struct cl_sink sink;
	char err[200];
	ck_assert_int_eq(render_open(format, &ro, &sink, err, sizeof err), 0);
	for (size_t i = 0; i < n; i++)
		sink.event(sink.ctx, &evs[i]);
	sink.end(sink.ctx);
	render_report(&sink, report);
	render_close(&sink);
	ck_assert_int_eq(fclose(out), 0);
	return buf;
}

/* The dump panel shows the runtime's report as the terminal prints it: the
 * page carries the text whole (escaped like every string), after the run's
 * end, and without a report the field is empty. */
START_TEST(test_page_carries_the_runtime_report)
{
	static const char report[] =
		"fatal error: all tasks are asleep - deadlock!\n"
		"\n"
		"task 1 \"main\" [chan receive, channel \"<results>\"]:\n"
		"\tblocked at patterns/worker_pool.c:123\n"
		"\tcreated by the runtime\n";
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	char *page = render_with_report("html", evs, n, report);
	char *data = page_data(page);
	ck_assert_ptr_nonnull(data);
	ck_assert_ptr_nonnull(strstr(data,
		"\"report\":\"fatal error: all tasks are asleep - deadlock!\\n\\n"
		"task 1 \\\"main\\\" [chan receive, channel \\\"\\u003cresults\\u003e\\\"]:\\n"
		"\\u0009blocked at patterns/worker_pool.c:123\\n\\u0009created by the runtime\\n\","));
	free(data);
	free(page);

	page = render_with_report("html", evs, n, NULL);
	data = page_data(page);
	ck_assert_ptr_nonnull(strstr(data, "\"report\":\"\","));
	free(data);
	free(page);
}
END_TEST

/* The other formats leave the report to the terminal: their output is the
 * same with and without one. */
START_TEST(test_other_formats_ignore_the_report)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	static const char *const formats[] = {"text", "lanes", "jsonl", "chrome", "mermaid"};
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		char *with = render_with_report(formats[i], evs, n, "panic: boom\n");
		char *without = render_with_report(formats[i], evs, n, NULL);
		ck_assert_str_eq(with, without);
		free(with);
		free(without);
	}
}
END_TEST

/* Offline: the page loads nothing, so it names no URL at all. */
START_TEST(test_page_names_no_url)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	char *page = fixture_render("html", 80, evs, n);
	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_null(strstr(page, "http:"));
	ck_assert_ptr_null(strstr(page, "https:"));
	ck_assert_ptr_null(strstr(page, "//"));
	ck_assert_ptr_null(strstr(page, "CHANLAB_EVENTS_HERE"));
	free(page);
}
END_TEST

/* Over 100,000 events: the first and last 50,000 stay, the count left out
 * is recorded, and the end of the run is kept. */
START_TEST(test_long_run_keeps_both_ends)
{
	size_t n = 100010;
	struct cl_event *evs = calloc(n, sizeof *evs);
	ck_assert_ptr_nonnull(evs);
	for (size_t i = 0; i < n; i++) {
		evs[i] = fixture_event(i + 1, (int64_t)i * 1000, CL_EV_YIELD, 1, "main");
	}
	evs[n - 1] = fixture_event(n, (int64_t)n * 1000, CL_EV_END, 0, "runtime");
	evs[n - 1].text = "deadlock";
	char *page = fixture_render("html", 80, evs, n);
	ck_assert_ptr_nonnull(page);
	char *data = page_data(page);
	ck_assert_ptr_nonnull(data);
	ck_assert_ptr_nonnull(strstr(data, "\"omitted\":10,"));
	ck_assert_int_eq(count(data, "\n["), 100000);
	ck_assert_ptr_nonnull(strstr(data, "\n[1,0,"));          /* the first event */
	ck_assert_ptr_null(strstr(data, "\n[50001,"));           /* the middle is gone */
	ck_assert_ptr_nonnull(strstr(data, "\n[50011,"));        /* the tail's first */
	ck_assert_ptr_nonnull(strstr(data, "\n[100010,"));       /* the end */
	free(data);
	free(page);
	free(evs);
}
END_TEST

/* A 10,000-event run fits a projector laptop's browser: at most 2 MB. */
START_TEST(test_ten_thousand_events_fit_in_two_megabytes)
{
	size_t n = 10000;
	struct cl_event *evs = calloc(n, sizeof *evs);
	ck_assert_ptr_nonnull(evs);
	static const char *const names[] = {"main", "worker-1", "worker-2", "worker-3"};
	for (size_t i = 0; i < n; i++) {
		int task = (int)(i % 4) + 1;
		evs[i] = fixture_event(i + 1, (int64_t)i * 12345, i % 2 ? CL_EV_RECV : CL_EV_SEND, task,
		                       names[task - 1]);
		evs[i].obj_name = "results";
		evs[i].obj_kind = CL_OBJ_CHAN;
		evs[i].obj_id = 3;
		evs[i].flow = i / 2 + 1;
		evs[i].file = "patterns/worker_pool.c";
		evs[i].line = 60 + (int)(i % 7);
	}
	char *page = fixture_render("html", 80, evs, n);
	ck_assert_ptr_nonnull(page);
	ck_assert_uint_le(strlen(page), 2u * 1024 * 1024);
	free(page);
	free(evs);
}
END_TEST

Suite *suite_html(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("html");
	tcase_set_timeout(tc, 300);   /* 100,000 events under a sanitizer on a loaded machine */
	tcase_add_test(tc, test_data_matches_golden);
	tcase_add_test(tc, test_data_cannot_end_the_script);
	tcase_add_test(tc, test_page_names_no_url);
	tcase_add_test(tc, test_page_carries_the_runtime_report);
	tcase_add_test(tc, test_other_formats_ignore_the_report);
	tcase_add_test(tc, test_long_run_keeps_both_ends);
	tcase_add_test(tc, test_ten_thousand_events_fit_in_two_megabytes);
	suite_add_tcase(s, tc);
	return s;
}
