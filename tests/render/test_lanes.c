/*
 * test_lanes.c - the lanes renderer: the three-task exchange as a sequence
 * chart, compared with the expected charts in tests/render/data/, at a
 * width that fits every task and at one that folds tasks into "others";
 * and the same exchange as a par run, each mark showing its processor.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/render/fixture.h"
#include "tests/testlib.h"

static void expect_chart_of(const struct cl_event *evs, size_t n, int width, const char *path)
{
	char *got = fixture_render("lanes", width, evs, n);
	const char *regen = getenv("CHANLAB_REGEN");   /* =1 rewrites the expected charts */
	if (regen && strcmp(regen, "1") == 0) {
		FILE *f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(got, f);
		fclose(f);
	}
	char *want = test_read_file(path, NULL);
	ck_assert_msg(want != NULL, "cannot read %s (tests run from the repo root)", path);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
}

static void expect_chart(int width, const char *path)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	expect_chart_of(evs, n, width, path);
}

/* 80 columns: a lane each for main, worker-1, worker-2 and the runtime. */
START_TEST(test_exchange_80)
{
	expect_chart(80, "tests/render/data/lanes-exchange-80.txt");
}
END_TEST

/* 48 columns: two lanes; the second becomes "others" when worker-2 comes. */
START_TEST(test_exchange_48)
{
	expect_chart(48, "tests/render/data/lanes-exchange-48.txt");
}
END_TEST

/* The arrow of the unbuffered hand-off goes from the sender's lifeline to
 * the receiver's, once, though two events describe it. */
START_TEST(test_one_arrow_per_message)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	char *s = fixture_render("lanes", 80, evs, n);
	const char *arrow = "    0.001ms |--5 (jobs)---->:";
	char *at = strstr(s, arrow);
	ck_assert_ptr_nonnull(at);
	ck_assert_ptr_null(strstr(at + strlen(arrow), "5 (jobs)"));
	ck_assert_ptr_nonnull(strstr(s, "|<-10 (results)-|"));
	free(s);
}
END_TEST

/* No line is wider than the width asked for. */
START_TEST(test_width_respected)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	for (int width = 44; width <= 120; width += 19) {
		char *s = fixture_render("lanes", width, evs, n);
		char *save = NULL;
		strtok_r(s, "\n", &save);   /* the legend's two lines fit 80 (test_legend) */
		strtok_r(NULL, "\n", &save);
		for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			ck_assert_msg((int)strlen(line) <= width, "width %d: line too long: %s", width, line);
		free(s);
	}
}
END_TEST

/* The legend fits 80 columns and explains every mark the chart uses. */
START_TEST(test_legend)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	char *s = fixture_render("lanes", 80, evs, n);
	char *second = strchr(s, '\n') + 1, *third = strchr(second, '\n') + 1;
	ck_assert_int_le((int)(second - s - 1), 80);
	ck_assert_int_le((int)(third - second - 1), 80);
	static const char *const marks[] = {"| running", ": blocked", "# blocks", "^ wakes", "--> message",
	                                    "\" note", "! panic", "x exit", "* other"};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		char *at = strstr(s, marks[i]);
		ck_assert_msg(at && at < third, "the legend does not explain '%s'", marks[i]);
	}
	free(s);
}
END_TEST

/* A text too long for its lane loses whole words, never half a number
 * and its unit; a panic's message is wrapped, never cut; the tasks folded
 * into "others" are named in a footer. */
START_TEST(test_truncation_wrapping_footer)
{
	struct cl_event evs[8];
	evs[0] = fixture_event(1, 0, CL_EV_SPAWN, 1, "main");
	evs[0].peer = 2;
	evs[0].text = "sleeper";
	evs[1] = fixture_event(2, 0, CL_EV_SPAWN, 1, "main");
	evs[1].peer = 3;
	evs[1].text = "third";
	evs[2] = fixture_event(3, 0, CL_EV_SPAWN, 1, "main");
	evs[2].peer = 4;
	evs[2].text = "fourth";
	evs[3] = fixture_event(4, 0, CL_EV_SLEEP, 1, "main");
	evs[3].arg = 219638123;   /* "sleep 219.638ms" */
	evs[4] = fixture_event(5, 0, CL_EV_PANIC, 4, "fourth");
	evs[4].text = "send on closed channel, and a message long enough to need a second row";
	evs[5] = fixture_event(6, 0, CL_EV_END, 0, "runtime");
	evs[5].text = "panic";
	/* 44 columns: two lanes, main's and "others" (sleeper, third, fourth). */
	char *s = fixture_render("lanes", 44, evs, 6);
	ck_assert_ptr_null(strstr(s, "219.638\n"));
	ck_assert_ptr_null(strstr(s, "219.638 "));
	ck_assert_ptr_nonnull(strstr(s, "second"));
	ck_assert_ptr_nonnull(strstr(s, "row"));
	ck_assert_ptr_nonnull(strstr(s, "others: sleeper, third, fourth\n"));
	free(s);
	/* Room for main's text: the sleep keeps its unit. */
	s = fixture_render("lanes", 80, evs + 3, 1);
	ck_assert_ptr_nonnull(strstr(s, "sleep 219.638ms"));
	free(s);
}
END_TEST

/* Removes ANSI SGR sequences (ESC [ ... m) in place. */
static void strip_sgr(char *s)
{
	char *w = s;
	for (char *r = s; *r;) {
		if (r[0] == '\033' && r[1] == '[') {
			r += 2;
			while (*r && *r != 'm')
				r++;
			if (*r)
				r++;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* With colour the chart is the same once the colour codes are removed; a
 * task's marks carry its colour and notes are bold. */
START_TEST(test_colour)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	char *plain = fixture_render("lanes", 80, evs, n);
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	struct render_opts ro = {.out = out, .color = true, .width = 80};
	struct cl_sink sink;
	char err[100];
	ck_assert_int_eq(render_open("lanes", &ro, &sink, err, sizeof err), 0);
	for (size_t i = 0; i < n; i++)
		sink.event(sink.ctx, &evs[i]);
	render_close(&sink);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf, "\033[35m# recv jobs"));          /* worker-1 (task 2) */
	ck_assert_ptr_nonnull(strstr(buf, "\033[1m\" worker 1 takes job 5")); /* a note: bold */
	ck_assert_ptr_nonnull(strstr(buf, "\033[1;31m! panic"));
	strip_sgr(buf);
	ck_assert_str_eq(buf, plain);
	free(buf);
	free(plain);
}
END_TEST

/* A par run's chart: the same exchange with processors (fixture.h). */
START_TEST(test_par_exchange_80)
{
	size_t n;
	const struct cl_event *evs = fixture_par_exchange(&n);
	expect_chart_of(evs, n, 80, "tests/render/data/lanes-par-exchange-80.txt");
}
END_TEST

/* Under par each mark and arrow starts with its event's processor, a
 * legend line (once, before the first) says so; the steal names its own
 * processors and gets no tag; a det chart has neither. */
START_TEST(test_par_shows_processor)
{
	size_t n;
	const struct cl_event *evs = fixture_par_exchange(&n);
	char *s = fixture_render("lanes", 80, evs, n);
	const char *legend = "P0 P1 ...  the processor (par) a mark or an arrow ran on\n";
	char *at = strstr(s, legend);
	ck_assert_ptr_nonnull(at);
	ck_assert_ptr_null(strstr(at + 1, legend));
	ck_assert_ptr_nonnull(strstr(s, "# P1 recv jobs"));          /* worker-1 on P1 */
	ck_assert_ptr_nonnull(strstr(s, "^ P1 by main"));
	ck_assert_ptr_nonnull(strstr(s, "# P0 select"));             /* main on P0 */
	ck_assert_ptr_nonnull(strstr(s, "\" P1 worker 1 takes job 5"));
	ck_assert_ptr_nonnull(strstr(s, "|--P0 go------->worker-1")); /* main's spawn on P0 */
	ck_assert_ptr_nonnull(strstr(s, "* stolen P0->P1"));
	ck_assert_ptr_nonnull(strstr(s, "! P1 panic: send on closed"));
	ck_assert_ptr_null(strstr(s, "P1 stolen"));
	/* The runtime's timer ran on no processor: no tag. */
	ck_assert_ptr_nonnull(strstr(s, "* timer"));
	free(s);
	const struct cl_event *det = fixture_exchange(&n);
	s = fixture_render("lanes", 80, det, n);
	ck_assert_ptr_null(strstr(s, "the processor (par)"));
	ck_assert_ptr_null(strstr(s, "P0"));
	ck_assert_ptr_null(strstr(s, "P1"));
	free(s);
}
END_TEST

Suite *suite_render_lanes(void)
{
	Suite *s = suite_create("render_lanes");
	TCase *tc = tcase_create("lanes");
	tcase_add_test(tc, test_exchange_80);
	tcase_add_test(tc, test_exchange_48);
	tcase_add_test(tc, test_one_arrow_per_message);
	tcase_add_test(tc, test_width_respected);
	tcase_add_test(tc, test_legend);
	tcase_add_test(tc, test_truncation_wrapping_footer);
	tcase_add_test(tc, test_colour);
	tcase_add_test(tc, test_par_exchange_80);
	tcase_add_test(tc, test_par_shows_processor);
	suite_add_tcase(s, tc);
	return s;
}
