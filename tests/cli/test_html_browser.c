/*
 * test_html_browser.c - the html player in real browsers: a page that
 * `chanlab run --format html` wrote is opened with #selftest, and the page
 * steps to the end and back and reports what it found: Chromium prints it in
 * the DOM (--dump-dom), Firefox on its console (headless Firefox has no DOM
 * dump; a profile pref sends the page's console to stdout, and --screenshot
 * makes it load the page once and quit).  Every task must have a lane, every
 * message an arrow, the verdict must be shown at the end, stepping must
 * reach both ends, and the dump panel must hold the runtime's report byte
 * for byte as the terminal printed it.
 *
 * Release `make check` only: skipped (with a notice) when a browser is not
 * installed or under the scaled-down builds, where a browser adds minutes
 * and tests nothing of ours.  The "data" case needs no browser: the page is
 * made deterministically and its data is the golden event stream.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/cli/clirun.h"
#include "tests/cli/json_mini.h"
#include "tests/testlib.h"

enum browser { CHROMIUM, FIREFOX };

static const char *find_browser(enum browser b)
{
	static const char *const chromium[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser", NULL};
	static const char *const firefox[] = {"/usr/bin/firefox-esr", "/usr/bin/firefox", NULL};
	const char *const *paths = b == CHROMIUM ? chromium : firefox;
	for (int i = 0; paths[i]; i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/* The browser's path, or NULL after a notice saying why the test is skipped. */
static const char *browser_or_skip(enum browser b, const char *test)
{
	if (test_heavy_skipped(test))
		return NULL;
	const char *path = find_browser(b);
	if (!path)
		fprintf(stderr, "%s: skipped: %s\n", test,
		        b == CHROMIUM ? "chromium is not installed (make deps installs it)"
		                      : "firefox is not installed (apt-get install firefox-esr)");
	return path;
}

/* Undoes the HTML serializer's escapes in a text node, in place. */
static void html_unescape(char *s)
{
	static const struct { const char *entity; char c; } map[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
	};
	char *out = s;
	while (*s) {
		size_t i, n = sizeof map / sizeof map[0];
		for (i = 0; i < n; i++)
			if (strncmp(s, map[i].entity, strlen(map[i].entity)) == 0)
				break;
		if (i < n) {
			*out++ = map[i].c;
			s += strlen(map[i].entity);
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

/* Chromium: the self-test's JSON from the page's DOM (malloc'd). */
static char *chromium_selftest(const char *exe, const char *page)
{
	char cmd[1024];
	int status;
	snprintf(cmd, sizeof cmd,
	         "dir=$(mktemp -d /tmp/chanlab-chromium-XXXXXX) && timeout 120 '%s' --headless --no-sandbox "
	         "--disable-gpu --user-data-dir=\"$dir\" --dump-dom 'file://%s#selftest' 2>/dev/null; "
	         "rc=$?; rm -rf \"$dir\"; exit $rc",
	         exe, page);
	char *dom = test_run_capture(cmd, &status);
	ck_assert_msg(dom && status == 0, "chromium failed (status %d)", status);
	char *line = strstr(dom, "SELFTEST {");
	ck_assert_msg(line, "the page wrote no self-test result");
	line += strlen("SELFTEST ");
	char *end = strchr(line, '<');
	char *json = strndup(line, end ? (size_t)(end - line) : strlen(line));
	free(dom);
	html_unescape(json);
	return json;
}

/* Firefox: the self-test's JSON from the console line the page logged,
 * which Firefox prints as a JSON string: console.log: "SELFTEST {...}". */
static char *firefox_selftest(const char *exe, const char *page)
{
	char cmd[1024];
	int status;
	snprintf(cmd, sizeof cmd,
	         "dir=$(mktemp -d /tmp/chanlab-firefox-XXXXXX) && "
	         "echo 'user_pref(\"devtools.console.stdout.content\", true);' > \"$dir/user.js\" && "
	         "timeout 120 '%s' --headless --no-remote --profile \"$dir\" --screenshot \"$dir/shot.png\" "
	         "'file://%s#selftest' 2>/dev/null; rc=$?; rm -rf \"$dir\"; exit $rc",
	         exe, page);
	char *out = test_run_capture(cmd, &status);
	ck_assert_msg(out && status == 0, "firefox failed (status %d)", status);
	static const char prefix[] = "console.log: ";
	char *line = strstr(out, "console.log: \"SELFTEST {");
	ck_assert_msg(line, "the page logged no self-test result: %s", out);
	line += strlen(prefix);
	size_t len = strcspn(line, "\n");
	char err[120];
	struct jm *str = jm_parse(line, len, err, sizeof err);
	ck_assert_msg(str && str->type == JM_STRING, "firefox's console line: %s", err);
	char *json = strdup(str->string + strlen("SELFTEST "));
	jm_free(str);
	free(out);
	return json;
}

/* Runs a variant into a page; returns what the terminal printed on stderr
 * (the runtime's report, "" for a clean run). */
static char *write_page(const char *args, const char *page)
{
	int status;
	char *report = cli_run(&status, "run %s --format html --out '%s' 2>&1 >/dev/null", args, page);
	ck_assert_msg(access(page, R_OK) == 0, "chanlab run %s wrote no page", args);
	size_t n = strlen(report);
	while (n && report[n - 1] == '\n')
		report[--n] = '\0';
	return report;
}

/* Opens a run's page in a browser and checks what its self-test found.
 * report_first_line: the report's first line, NULL for a clean run. */
static void check_page(enum browser b, const char *exe, const char *args, const char *verdict_words,
                       long min_dump, const char *report_first_line)
{
	char page[128];
	snprintf(page, sizeof page, "/tmp/chanlab-html-%d.html", (int)getpid());
	char *report = write_page(args, page);
	char *json = b == CHROMIUM ? chromium_selftest(exe, page) : firefox_selftest(exe, page);
	char err[120];
	struct jm *r = jm_parse(json, strlen(json), err, sizeof err);
	ck_assert_msg(r && r->type == JM_OBJECT, "self-test result is not JSON (%s): %s", err, json);
	double tasks = jm_num(r, "tasks", -1), messages = jm_num(r, "messages", -1);
	ck_assert_msg(tasks > 1, "%s", json);
	ck_assert_msg(jm_num(r, "lanes", -1) == tasks, "%s", json);
	ck_assert_msg(messages > 0, "%s", json);
	ck_assert_msg(jm_num(r, "arrows", -1) == messages, "%s", json);
	ck_assert_msg(jm_num(r, "arrows_drawn", -1) == messages, "%s", json);
	ck_assert_msg(jm_num(r, "steps_forward", -1) == jm_num(r, "events", -1) - 1, "%s", json);
	const struct jm *end = jm_get(r, "reached_end"), *start = jm_get(r, "back_at_start");
	ck_assert_msg(end && end->boolean && start && start->boolean, "%s", json);
	ck_assert_msg(strstr(jm_str(r, "verdict", ""), verdict_words), "verdict '%s' not shown: %s",
	              verdict_words, json);
	ck_assert_msg(jm_num(r, "dump_tasks", -1) >= min_dump, "dump: %s", json);
	if (report_first_line) {
		/* the dump panel is the runtime's report, exactly as the terminal printed it */
		const struct jm *is_report = jm_get(r, "dump_is_report");
		ck_assert_msg(is_report && is_report->boolean, "%s", json);
		ck_assert_str_eq(jm_str(r, "dump_first_line", ""), report_first_line);
		ck_assert_str_eq(jm_str(r, "dump", ""), report);
	} else {
		ck_assert_str_eq(report, "");
		ck_assert_str_eq(jm_str(r, "dump", "?"), "");
	}
	jm_free(r);
	free(json);
	free(report);
	unlink(page);
}

#define DEADLOCK_LINE "fatal error: all tasks are asleep - deadlock!"

START_TEST(player_shows_a_clean_run)
{
	const char *exe = browser_or_skip(CHROMIUM, "player_shows_a_clean_run");
	if (exe)
		check_page(CHROMIUM, exe, "worker-pool", "run ended: ok", 0, NULL);
}
END_TEST

START_TEST(player_shows_a_deadlock)
{
	/* the verdict with its lesson and the MISTAKE line, and the tasks left blocked */
	const char *exe = browser_or_skip(CHROMIUM, "player_shows_a_deadlock");
	if (!exe)
		return;
	check_page(CHROMIUM, exe, "worker-pool --variant never-close-jobs", "lesson: ", 5, DEADLOCK_LINE);
	check_page(CHROMIUM, exe, "worker-pool --variant never-close-jobs",
	           "mistake: patterns/worker_pool.c:", 5, DEADLOCK_LINE);
}
END_TEST

/* A panic's report lists the running task too, which no block event shows:
 * only the runtime's own text can. */
START_TEST(player_shows_a_panic_report)
{
	const char *exe = browser_or_skip(CHROMIUM, "player_shows_a_panic_report");
	if (exe)
		check_page(CHROMIUM, exe, "reply-channel --variant worker-closes", "verdict: panic",
		           0, "panic: send on closed channel");
}
END_TEST

START_TEST(player_shows_a_leak_report)
{
	const char *exe = browser_or_skip(CHROMIUM, "player_shows_a_leak_report");
	if (exe)
		check_page(CHROMIUM, exe, "reply-channel --variant unbuffered-reply", "verdict: leak", 1,
		           "leak: main returned with 1 task still blocked");
}
END_TEST

START_TEST(firefox_player_shows_a_clean_run)
{
	const char *exe = browser_or_skip(FIREFOX, "firefox_player_shows_a_clean_run");
	if (exe)
		check_page(FIREFOX, exe, "worker-pool", "run ended: ok", 0, NULL);
}
END_TEST

START_TEST(firefox_player_shows_a_deadlock)
{
	const char *exe = browser_or_skip(FIREFOX, "firefox_player_shows_a_deadlock");
	if (exe)
		check_page(FIREFOX, exe, "worker-pool --variant never-close-jobs",
		           "mistake: patterns/worker_pool.c:", 5, DEADLOCK_LINE);
}
END_TEST

/* explore --html: the shrunk failing run as a page (checked without a
 * browser: the page carries its title, the failing run's data and the
 * runtime's report of it). */
START_TEST(explore_writes_the_shrunk_run_as_a_page)
{
	char path[128];
	snprintf(path, sizeof path, "/tmp/chanlab-shrunk-%d.html", (int)getpid());
	int status;
	char *out = cli_run(&status, "explore fan-in --variant close-early --html '%s' 2>/dev/null", path);
	ck_assert_int_eq(status, 6);
	ck_assert_msg(strstr(out, "the shrunk run as a page:"), "%s", out);
	free(out);
	char *page = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_nonnull(strstr(page, "<script id=\"data\" type=\"application/json\">{"));
	ck_assert_ptr_nonnull(strstr(page, "the shrunk failing schedule"));
	ck_assert_ptr_nonnull(strstr(page, "\"report\":\"panic: send on closed channel\\n"));
	free(page);
	unlink(path);
}
END_TEST

/* ---- the page's data, without a browser -------------------------------------------- */

#define DATA_OPEN "<script id=\"data\" type=\"application/json\">"

/* The page's data element, parsed. */
static struct jm *page_data(const char *page)
{
	const char *start = strstr(page, DATA_OPEN);
	ck_assert_ptr_nonnull(start);
	start += strlen(DATA_OPEN);
	const char *end = strstr(start, "</script>");
	ck_assert_ptr_nonnull(end);
	char err[120];
	struct jm *d = jm_parse(start, (size_t)(end - start), err, sizeof err);
	ck_assert_msg(d && d->type == JM_OBJECT, "the page's data is not JSON: %s", err);
	return d;
}

/* The name table entry (kinds, waits, obj_kinds, strings) that index picks. */
static const char *table_str(const struct jm *data, const char *table, double index)
{
	const struct jm *t = jm_get(data, table);
	ck_assert_msg(t && t->type == JM_ARRAY && index >= 0 && (size_t)index < t->n,
	              "%s[%g] is missing", table, index);
	return t->items[(size_t)index]->string;
}

/* The file is made deterministically, and its data is the run's event
 * stream: event for event and field for field the golden jsonl trace of the
 * same run (tests/golden/, which `make golden` rewrites after a det change). */
START_TEST(page_data_is_the_golden_event_stream)
{
	char page[128];
	snprintf(page, sizeof page, "/tmp/chanlab-golden-%d.html", (int)getpid());
	const char *args = "worker-pool --variant never-close-jobs --seed 1";
	free(write_page(args, page));
	char *first = test_read_file(page, NULL);
	free(write_page(args, page));
	char *second = test_read_file(page, NULL);
	ck_assert_ptr_nonnull(first);
	ck_assert_ptr_nonnull(second);
	ck_assert_msg(strcmp(first, second) == 0, "two runs of %s wrote different pages", args);
	free(second);
	unlink(page);

	struct jm *data = page_data(first);
	const struct jm *fields = jm_get(data, "fields"), *events = jm_get(data, "events");
	ck_assert_ptr_nonnull(fields);
	ck_assert_ptr_nonnull(events);
	char *golden = test_read_file(GOLDEN_DIR "/worker-pool-never-close-jobs-seed1.jsonl", NULL);
	ck_assert_ptr_nonnull(golden);
	size_t n = 0;
	char *line = strchr(golden, '\n');   /* after the schema line */
	for (; line && line[1]; line = strchr(line + 1, '\n'), n++) {
		char *start = line + 1;
		size_t len = strcspn(start, "\n");
		char err[120];
		struct jm *want = jm_parse(start, len, err, sizeof err);
		ck_assert_msg(want, "golden line %zu: %s", n + 2, err);
		ck_assert_msg(n < events->n, "the page has %zu events, the golden more", events->n);
		const struct jm *got = events->items[n];
		ck_assert_uint_eq(got->n, fields->n);
		for (size_t k = 0; k < fields->n; k++) {
			const char *name = fields->items[k]->string;
			const struct jm *w = jm_get(want, name);
			ck_assert_msg(w, "golden event %zu has no %s", n + 1, name);
			double v = got->items[k]->number;
			if (w->type == JM_STRING) {
				const char *table = strcmp(name, "kind") == 0 ? "kinds"
				                  : strcmp(name, "wait") == 0 ? "waits"
				                  : strcmp(name, "obj_kind") == 0 ? "obj_kinds" : "strings";
				ck_assert_msg(strcmp(table_str(data, table, v), w->string) == 0,
				              "event %zu %s: page '%s', golden '%s'", n + 1, name,
				              table_str(data, table, v), w->string);
			} else {
				ck_assert_msg(v == w->number, "event %zu %s: page %g, golden %g", n + 1, name,
				              v, w->number);
			}
		}
		jm_free(want);
	}
	ck_assert_uint_eq(n, events->n);
	ck_assert_uint_gt(n, 100);
	free(golden);
	jm_free(data);
	free(first);
}
END_TEST

Suite *suite_html_browser(void)
{
	Suite *s = suite_create("html_browser");
	TCase *tc = tcase_create("browsers");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, player_shows_a_clean_run);
	tcase_add_test(tc, player_shows_a_deadlock);
	tcase_add_test(tc, player_shows_a_panic_report);
	tcase_add_test(tc, player_shows_a_leak_report);
	tcase_add_test(tc, firefox_player_shows_a_clean_run);
	tcase_add_test(tc, firefox_player_shows_a_deadlock);
	tcase_add_test(tc, explore_writes_the_shrunk_run_as_a_page);
	suite_add_tcase(s, tc);
	TCase *data = tcase_create("data");
	tcase_add_test(data, page_data_is_the_golden_event_stream);
	suite_add_tcase(s, data);
	return s;
}
