/*
 * test_grade.c - grading a class from exam result files: the table and CSV
 * of `chanlab quiz grade` over three fixture files
 * (tests/quiz/data/results/), hardest question first, and malformed JSON
 * reported as file:line.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quiz/exam.h"
#include "quiz/grade.h"
#include "quiz/bank.h"
#include "tests/testlib.h"

#define RESULTS "tests/quiz/data/results/"
#define BANK "--bank " RESULTS "class.yaml "
#define FILES BANK RESULTS "ann.json " RESULTS "bob.json " RESULTS "cat.json"

static char *run(const char *args, int *status)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "%s quiz grade %s 2>&1", test_chanlab_bin(), args);
	char *out = test_run_capture(cmd, status);
	ck_assert_ptr_nonnull(out);
	return out;
}

/* Each student's score, then per question the share right, hardest first,
 * ungraded (short answer) questions last; columns aligned even for a
 * non-ASCII name. */
START_TEST(test_table)
{
	int status;
	char *out = run(FILES, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(out,
		"student      score     %  ungraded\n"
		"Ann            2/3   67%  1\n"
		"Bob \xc3\x89mile      1/3   33%  1\n"
		"Cat            1/3   33%  1\n"
		"\n"
		"question                right     %\n"
		"class.select-default      0/3    0%\n"
		"class.closed-recv         2/3   67%\n"
		"class.nil-send            2/3   67%\n"
		"class.buffer-one            -  hand\n");
	free(out);
}
END_TEST

START_TEST(test_csv)
{
	int status;
	char *out = run("--csv " FILES, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(out,
		"kind,name,right,total,percent,ungraded,flagged\n"
		"student,Ann,2,3,67,1,no\n"
		"student,Bob \xc3\x89mile,1,3,33,1,no\n"
		"student,Cat,1,3,33,1,no\n"
		"question,class.select-default,0,3,0,0,\n"
		"question,class.closed-recv,2,3,67,0,\n"
		"question,class.nil-send,2,3,67,0,\n"
		"question,class.buffer-one,,,,3,\n");
	free(out);
}
END_TEST

/* Errors: a missing file and no files at all. */
START_TEST(test_cli_errors)
{
	int status;
	char *out = run(BANK RESULTS "nope.json", &status);
	ck_assert_int_eq(status, 1);
	ck_assert_ptr_nonnull(strstr(out, "chanlab: " RESULTS "nope.json: cannot open"));
	free(out);
	out = run("", &status);
	ck_assert_int_eq(status, 64);
	free(out);
	out = run("--bogus " FILES, &status);
	ck_assert_int_eq(status, 64);
	free(out);
}
END_TEST

/* The fixture bank, loaded in memory. */
static void load_class(struct quiz_bank *b)
{
	struct quiz_diag d;
	quiz_bank_init(b);
	quiz_diag_init(&d);
	ck_assert_int_eq(quiz_bank_load_file(b, RESULTS "class.yaml", &d), 0);
	quiz_diag_free(&d);
}

static void expect_error(const char *text, const char *want)
{
	struct quiz_bank b;
	struct quiz_grade g;
	struct quiz_err err = {{0}};
	load_class(&b);
	quiz_grade_init(&g, &b);
	ck_assert_int_eq(quiz_grade_add_text(&g, "r.json", text, strlen(text), &err), -1);
	ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "got '%s', want '%s...'", err.msg,
	              want);
	ck_assert_uint_eq(g.nstudents, 0);
	quiz_grade_free(&g);
	quiz_bank_free(&b);
}

/* Malformed input names the file, line and column; a wrong shape the file.
 * Nothing is added, and an empty list of questions needs no qsort. */
START_TEST(test_malformed)
{
	expect_error("{\n  \"chanlab\": \"exam-result\"\n  \"name\": \"x\"\n}", "r.json:3:");
	expect_error("{\"a\": [1, 2,\n\n", "r.json:3:");
	expect_error("{\"a\": \"unterminated\n}", "r.json:1:");
	expect_error("[[", "r.json:1:");
	expect_error("{} x", "r.json:1:");
	expect_error("{\"a\": 1, \"a\": 2}", "r.json:1:");
	expect_error("[]", "r.json: expected an object (an exam result)");
	expect_error("{\"chanlab\": \"exam-result\", \"name\": \"A\", \"seed\": 1,\n"
	             " \"questions\": [\n  {\"id\": \"q\", \"correct\": 1}]}",
	             "r.json: question 1: \"correct\" must be true, false or null");
	expect_error("{\"chanlab\": \"exam-result\", \"name\": \"A\", \"questions\": []}",
	             "r.json: \"seed\" must be a whole number");
	expect_error("{\"name\": \"A\", \"questions\": []}",
	             "r.json: not a chanlab exam result (\"chanlab\": \"exam-result\" missing)");

	struct quiz_bank b;
	struct quiz_grade g;
	struct quiz_err err = {{0}};
	const char *empty = "{\"chanlab\": \"exam-result\", \"name\": \"A\", \"seed\": 1, "
	                    "\"questions\": []}";
	load_class(&b);
	quiz_grade_init(&g, &b);
	ck_assert_int_eq(quiz_grade_add_text(&g, "e.json", empty, strlen(empty), &err), 0);
	quiz_grade_sort(&g);
	ck_assert_uint_eq(g.nquestions, 0);
	ck_assert(!quiz_grade_flagged(&g));
	quiz_grade_free(&g);
	quiz_bank_free(&b);
}
END_TEST

/* A result file written to the temporary folder. */
static char tmpdir[64];

static const char *write_result(const char *name, const char *text)
{
	static char path[8][160];
	static int k;
	char *p = path[k++ % 8];
	snprintf(p, sizeof path[0], "%s/%s", tmpdir, name);
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static void mk_tmp(void)
{
	strcpy(tmpdir, "/tmp/chanlab-grade-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

#define HEAD(name, seed) "{\"chanlab\": \"exam-result\", \"version\": 1, \"name\": \"" name \
	"\", \"seed\": " #seed ", \"questions\": ["

/* The grader ignores the file's "correct" flags: flipped flags score
 * nothing and an answer 'z' is wrong; each disagreement is flagged, and
 * a flagged result makes the exit status 1. */
START_TEST(test_regrades_answers)
{
	const char *p = write_result("eve.json", HEAD("Eve", 42)
		"{\"id\": \"class.nil-send\", \"type\": \"single\", \"answer\": \"a\", \"correct\": true},"
		"{\"id\": \"class.select-default\", \"type\": \"single\", \"answer\": \"z\", \"correct\": true},"
		"{\"id\": \"class.closed-recv\", \"type\": \"multi\", \"answer\": \"a,c\"}]}");
	char args[256];
	int status;
	snprintf(args, sizeof args, BANK "%s", p);
	char *out = run(args, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_msg(strstr(out, "Eve          1/3   33%  0  flagged\n"), "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "flagged: question 'class.nil-send' is marked right, "
	                                  "but the answer 'a' is wrong\n"));
	ck_assert_ptr_nonnull(strstr(out, "flagged: question 'class.select-default' is marked "
	                                  "right, but the answer 'z' is wrong\n"));
	ck_assert_ptr_nonnull(strstr(out, "chanlab: 1 result flagged\n"));
	free(out);
}
END_TEST

/* A question the banks lack, one whose type or content changed since the
 * exam, and an id twice are flagged, not scored. */
START_TEST(test_flags_mismatch)
{
	const char *p = write_result("dan.json", HEAD("Dan", 42)
		"{\"id\": \"class.gone\", \"type\": \"single\", \"answer\": \"a\"},"
		"{\"id\": \"class.nil-send\", \"type\": \"single\", \"answer\": \"b\", "
		"\"digest\": \"0000000000000000\"},"
		"{\"id\": \"class.buffer-one\", \"type\": \"single\", \"answer\": \"a\"},"
		"{\"id\": \"class.closed-recv\", \"type\": \"multi\", \"answer\": \"a,c\"},"
		"{\"id\": \"class.closed-recv\", \"type\": \"multi\", \"answer\": \"a,c\"}]}");
	char args[256];
	int status;
	snprintf(args, sizeof args, BANK "%s", p);
	char *out = run(args, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_ptr_nonnull(strstr(out, "flagged: question 'class.gone' is not in the banks\n"));
	ck_assert_ptr_nonnull(strstr(out, "flagged: question 'class.nil-send' changed since the exam"));
	ck_assert_ptr_nonnull(strstr(out, "flagged: question 'class.buffer-one' is short in the "
	                                  "banks, single in the result\n"));
	ck_assert_ptr_nonnull(strstr(out, "flagged: question 'class.closed-recv' appears twice\n"));
	ck_assert_msg(strstr(out, "Dan          1/1  100%  0  flagged\n"), "%s", out);
	free(out);
}
END_TEST

/* Papers of different seeds mixed, one student twice, one file twice: a
 * warning line each, the copy counted once, exit 0 (nothing flagged). */
START_TEST(test_warnings)
{
	const char *a = write_result("a.json", HEAD("Ann", 42)
		"{\"id\": \"class.nil-send\", \"type\": \"single\", \"answer\": \"b\"}]}");
	const char *b = write_result("b.json", HEAD("Ann", 7)
		"{\"id\": \"class.nil-send\", \"type\": \"single\", \"answer\": \"a\"}]}");
	char args[512];
	int status;
	snprintf(args, sizeof args, BANK "%s %s %s", a, b, a);
	char *out = run(args, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "b.json: warning: a different paper (seed 7) from "), "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "b.json: warning: student 'Ann' also in "));
	ck_assert_ptr_nonnull(strstr(out, "a.json: warning: the same result as "));
	ck_assert_ptr_nonnull(strstr(out, "class.nil-send      1/2   50%\n"));
	free(out);
}
END_TEST

/* --answers: the short answers per question, by student, for reading;
 * control characters in a name or an answer are neutralised everywhere. */
START_TEST(test_answers_and_control_chars)
{
	int status;
	char *out = run("--answers " FILES, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "== class.buffer-one (short)\n"
	                          "When is a buffer of one the right choice?\n"
	                          "- Ann:\n"
	                          "    so the sender can leave\n"
	                          "    after a \"timeout\"\n"
	                          "- Bob \xc3\x89mile:\n"
	                          "    no idea\n"), "%s", out);
	free(out);
	const char *p = write_result("evil.json", "{\"chanlab\": \"exam-result\", \"name\": "
		"\"\\u001b]0;pwned\\u0007\\u009b2J\", \"seed\": 1, \"questions\": ["
		"{\"id\": \"class.buffer-one\", \"type\": \"short\", \"answer\": \"\\u001b[2J\"},"
		"{\"id\": \"class.\\u001b[2J\", \"type\": \"short\", \"answer\": null}]}");
	char args[256];
	snprintf(args, sizeof args, "--answers " BANK "%s", p);
	out = run(args, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_ptr_null(strchr(out, 0x1b));
	ck_assert_ptr_null(strchr(out, 0x07));
	ck_assert_ptr_null(strstr(out, "\xc2\x9b"));
	ck_assert_ptr_nonnull(strstr(out, "- ?]0;pwned??2J:\n    ?[2J\n"));
	free(out);
	snprintf(args, sizeof args, BANK "%s", p);
	out = run(args, &status);
	ck_assert_ptr_null(strchr(out, 0x1b));
	free(out);
}
END_TEST

/* A large result (a paper repeated to over 10 MB) grades, each copy of an
 * id after the first flagged; the time is printed, not asserted. */
START_TEST(test_large_result)
{
	char path[160];
	snprintf(path, sizeof path, "%s/big.json", tmpdir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(HEAD("Big", 42), f);
	size_t n = 0;
	long bytes = 0;
	while (bytes < 10L * 1024 * 1024) {
		int w = fprintf(f, "%s{\"id\": \"class.x%zu\", \"type\": \"single\", "
		                "\"answer\": \"some long text here\", \"correct\": true, \"ms\": 1}",
		                n ? "," : "", n);
		bytes += w;
		n++;
	}
	fputs("]}\n", f);
	fclose(f);
	struct quiz_bank b;
	struct quiz_grade g;
	struct quiz_err err = {{0}};
	load_class(&b);
	quiz_grade_init(&g, &b);
	ck_assert_int_eq(quiz_grade_add_file(&g, path, &err), 0);
	ck_assert(quiz_grade_flagged(&g));
	/* 20 flag lines, then one counting the rest. */
	ck_assert_uint_eq(g.nnotes, 21);
	char want[96];
	snprintf(want, sizeof want, "flagged: %zu more problems not shown", n - 20);
	ck_assert_ptr_nonnull(strstr(g.notes[20], want));
	quiz_grade_free(&g);
	quiz_bank_free(&b);
}
END_TEST

/* What exam.c writes, grade.c reads: escapes survive the round trip, the
 * version 2 fields are there, and the digests match the bank. */
START_TEST(test_round_trip)
{
	struct quiz_bank b;
	load_class(&b);
	struct quiz_exam e;
	quiz_exam_init(&e);
	e.name = strdup("Zo\xc3\xab \"Z\"\\\t\x01");
	e.seed = 9;
	e.bank = &b;
	e.topic = "channels";
	e.count = 3;
	e.started = 1796120400; /* 2026-12-01T10:20:00Z */
	e.ended = 1796120461;
	ck_assert_int_eq(quiz_exam_add(&e, "class.nil-send", "single", "b", 1, 10), 0);
	ck_assert_int_eq(quiz_exam_add(&e, "class.buffer-one", "short", "line\nline", -1, 20), 0);
	ck_assert_int_eq(quiz_exam_add(&e, "class.closed-recv", "multi", NULL, 0, 0), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(quiz_exam_write_json(f, &e), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "\"Zo\xc3\xab \\\"Z\\\"\\\\\\t\\u0001\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"version\": 2,"));
	ck_assert_ptr_nonnull(strstr(buf, "\"chanlab_version\": \""));
	ck_assert_ptr_nonnull(strstr(buf, "\"banks\": \""));
	ck_assert_ptr_nonnull(strstr(buf, "\"filters\": {\"level\": null, \"topic\": \"channels\", "
	                                  "\"type\": null, \"pattern\": null, \"count\": 3}"));
	ck_assert_ptr_nonnull(strstr(buf, "\"started\": \"2026-12-01T10:20:00Z\", "
	                                  "\"ended\": \"2026-12-01T10:21:01Z\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"digest\": \""));

	struct quiz_grade g;
	struct quiz_err err = {{0}};
	quiz_grade_init(&g, &b);
	ck_assert_int_eq(quiz_grade_add_text(&g, "mem", buf, len, &err), 0);
	ck_assert_str_eq(g.students[0].name, e.name);
	ck_assert_int_eq(g.students[0].right, 1);
	ck_assert_int_eq(g.students[0].graded, 2);
	ck_assert_int_eq(g.students[0].ungraded, 1);
	ck_assert_uint_eq(g.nquestions, 3);
	ck_assert_msg(g.nnotes == 0, "%s", g.nnotes ? g.notes[0] : "");
	quiz_grade_free(&g);
	quiz_exam_free(&e);
	quiz_bank_free(&b);
	free(buf);
}
END_TEST

Suite *suite_quiz_grade(void)
{
	Suite *s = suite_create("quiz_grade");
	TCase *tc = tcase_create("grade");
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_csv);
	tcase_add_test(tc, test_cli_errors);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_round_trip);
	tcase_add_checked_fixture(tc, mk_tmp, rm_tmp);
	tcase_add_test(tc, test_regrades_answers);
	tcase_add_test(tc, test_flags_mismatch);
	tcase_add_test(tc, test_warnings);
	tcase_add_test(tc, test_answers_and_control_chars);
	tcase_add_test(tc, test_large_result);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
