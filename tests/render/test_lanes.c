/*
 * test_lanes.c - the lanes renderer: the three-task exchange as a sequence
 * chart, compared with the expected charts in tests/render/data/, at a
 * width that fits every task and at one that folds tasks into "others".
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/render/fixture.h"
#include "tests/testlib.h"

static void expect_chart(int width, const char *path)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	char *got = fixture_render("lanes", width, evs, n);
	char *want = test_read_file(path, NULL);
	ck_assert_msg(want != NULL, "cannot read %s (tests run from the repo root)", path);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
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
		strtok_r(s, "\n", &save);   /* the legend may be wider */
		for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			ck_assert_msg((int)strlen(line) <= width, "width %d: line too long: %s", width, line);
		free(s);
	}
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
	suite_add_tcase(s, tc);
	return s;
}
