/*
 * test_html_browser.c - the html player in a real browser: headless
 * Chromium opens a page that `chanlab run --format html` wrote, with
 * #selftest, and the page steps to the end and back and writes what it
 * found into its DOM, which --dump-dom prints.  Every task must have a lane,
 * every message an arrow, the verdict must be shown at the end, and stepping
 * must reach both ends.
 *
 * Release `make check` only: skipped (with a notice) when Chromium is not
 * installed or under the sanitizer builds (CHANLAB_TEST_SCALE < 1), where a
 * browser adds minutes and tests nothing of ours.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/cli/clirun.h"
#include "tests/testlib.h"

static const char *find_chromium(void)
{
	static const char *const paths[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser", NULL};
	for (int i = 0; paths[i]; i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/* The integer after "\"key\":" in s, or -1. */
static long json_int(const char *s, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char *p = strstr(s, pat);
	return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

/* Runs a variant into a page and returns the page's self-test line. */
static char *selftest(const char *chromium, const char *args, char *path, size_t size)
{
	snprintf(path, size, "/tmp/chanlab-html-%d.html", (int)getpid());
	int status;
	free(cli_run(&status, "run %s --format html --out '%s' >/dev/null 2>&1", args, path));
	ck_assert_msg(access(path, R_OK) == 0, "chanlab run %s wrote no page", args);
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
	         "timeout 120 '%s' --headless --no-sandbox --disable-gpu --user-data-dir=/tmp/chanlab-chromium-%d "
	         "--dump-dom 'file://%s#selftest' 2>/dev/null",
	         chromium, (int)getpid(), path);
	char *dom = test_run_capture(cmd, &status);
	ck_assert_msg(dom && status == 0, "chromium failed (status %d)", status);
	char *line = strstr(dom, "SELFTEST {");
	ck_assert_msg(line, "the page wrote no self-test result");
	char *end = strchr(line, '<');
	char *result = strndup(line, end ? (size_t)(end - line) : strlen(line));
	free(dom);
	snprintf(cmd, sizeof cmd, "rm -rf /tmp/chanlab-chromium-%d", (int)getpid());
	if (system(cmd) != 0)
		fprintf(stderr, "test_html_browser: could not remove chromium's profile\n");
	return result;
}

static void check_page(const char *args, const char *verdict_words, long min_dump)
{
	const char *chromium = find_chromium();
	if (!chromium || test_scaled(100, 1) < 100) {
		fprintf(stderr, "test_html_browser: skipped (%s)\n",
		        chromium ? "sanitizer build" : "chromium is not installed; make deps installs it");
		return;
	}
	char path[128];
	char *r = selftest(chromium, args, path, sizeof path);
	long tasks = json_int(r, "tasks"), messages = json_int(r, "messages");
	ck_assert_msg(tasks > 1, "%s", r);
	ck_assert_int_eq(json_int(r, "lanes"), tasks);
	ck_assert_msg(messages > 0, "%s", r);
	ck_assert_int_eq(json_int(r, "arrows"), messages);
	ck_assert_int_eq(json_int(r, "arrows_drawn"), messages);
	ck_assert_int_eq(json_int(r, "steps_forward"), json_int(r, "events") - 1);
	ck_assert_msg(strstr(r, "\"reached_end\":true") && strstr(r, "\"back_at_start\":true"), "%s", r);
	ck_assert_msg(strstr(r, verdict_words), "verdict '%s' not shown: %s", verdict_words, r);
	ck_assert_msg(json_int(r, "dump_tasks") >= min_dump, "dump: %s", r);
	free(r);
	unlink(path);
}

START_TEST(player_shows_a_clean_run)
{
	check_page("worker-pool", "run ended: ok", 0);
}
END_TEST

START_TEST(player_shows_a_deadlock)
{
	/* the verdict with its lesson and the MISTAKE line, and the tasks left blocked */
	check_page("worker-pool --variant never-close-jobs", "lesson: ", 5);
	check_page("worker-pool --variant never-close-jobs", "mistake: patterns/worker_pool.c:", 5);
}
END_TEST

/* explore --html: the shrunk failing run as a page (checked without a
 * browser: the page carries its title and the failing run's data). */
START_TEST(explore_writes_the_shrunk_run_as_a_page)
{
	char path[128];
	snprintf(path, sizeof path, "/tmp/chanlab-shrunk-%d.html", (int)getpid());
	int status;
	char *out = cli_run(&status, "explore fan-in --variant add-inside --html '%s' 2>/dev/null", path);
	ck_assert_int_eq(status, 6);
	ck_assert_msg(strstr(out, "the shrunk run as a page:"), "%s", out);
	free(out);
	char *page = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_nonnull(strstr(page, "<script id=\"data\" type=\"application/json\">{"));
	ck_assert_ptr_nonnull(strstr(page, "the shrunk failing schedule"));
	free(page);
	unlink(path);
}
END_TEST

Suite *suite_html_browser(void)
{
	Suite *s = suite_create("html_browser");
	TCase *tc = tcase_create("chromium");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, player_shows_a_clean_run);
	tcase_add_test(tc, player_shows_a_deadlock);
	tcase_add_test(tc, explore_writes_the_shrunk_run_as_a_page);
	suite_add_tcase(s, tc);
	return s;
}
