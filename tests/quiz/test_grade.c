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

#include "quiz/exam.h"
#include "quiz/grade.h"
#include "tests/testlib.h"

#define RESULTS "tests/quiz/data/results/"
#define FILES RESULTS "ann.json " RESULTS "bob.json " RESULTS "cat.json"

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
		"select.default            0/3    0%\n"
		"channels.closed-recv      2/3   67%\n"
		"channels.nil-send         2/3   67%\n"
		"design.buffer-one           -  hand\n");
	free(out);
}
END_TEST

START_TEST(test_csv)
{
	int status;
	char *out = run("--csv " FILES, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(out,
		"kind,name,right,total,percent\n"
		"student,Ann,2,3,67\n"
		"student,Bob \xc3\x89mile,1,3,33\n"
		"student,Cat,1,3,33\n"
		"question,select.default,0,3,0\n"
		"question,channels.closed-recv,2,3,67\n"
		"question,channels.nil-send,2,3,67\n"
		"question,design.buffer-one,,,\n");
	free(out);
}
END_TEST

/* Errors: a missing file and no files at all. */
START_TEST(test_cli_errors)
{
	int status;
	char *out = run(RESULTS "nope.json", &status);
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

static void expect_error(const char *text, const char *want)
{
	struct quiz_grade g;
	struct quiz_err err = {{0}};
	quiz_grade_init(&g);
	ck_assert_int_eq(quiz_grade_add_text(&g, "r.json", text, strlen(text), &err), -1);
	ck_assert_msg(strcmp(err.msg, want) == 0, "got '%s', want '%s'", err.msg, want);
	ck_assert_uint_eq(g.nstudents, 0);
	quiz_grade_free(&g);
}

/* Malformed input names the file and line; a wrong shape too. */
START_TEST(test_malformed)
{
	expect_error("{\n  \"chanlab\": \"exam-result\"\n  \"name\": \"x\"\n}",
	             "r.json:3: expected ',' or '}'");
	expect_error("{\"a\": [1, 2,\n\n", "r.json:3: unexpected end of file");
	expect_error("{\"a\": \"unterminated\n}", "r.json:1: control character in a string");
	expect_error("{\"a\": tru}", "r.json:1: unexpected character 't'");
	expect_error("{} x", "r.json:1: unexpected text after the end");
	expect_error("[]", "r.json:1: expected an object (an exam result)");
	expect_error("{\"chanlab\": \"exam-result\", \"name\": \"A\",\n \"questions\": [\n"
	             "  {\"id\": \"q\", \"correct\": 1}]}",
	             "r.json:3: \"correct\" must be true, false or null");
	expect_error("{\"name\": \"A\", \"questions\": []}",
	             "r.json:1: not a chanlab exam result (\"chanlab\": \"exam-result\" missing)");
}
END_TEST

/* What exam.c writes, grade.c reads: escapes survive the round trip. */
START_TEST(test_round_trip)
{
	struct quiz_exam e;
	quiz_exam_init(&e);
	e.name = strdup("Zo\xc3\xab \"Z\"\\\t\x01");
	e.seed = 9;
	ck_assert_int_eq(quiz_exam_add(&e, "a.one", "single", "b", 1, 10), 0);
	ck_assert_int_eq(quiz_exam_add(&e, "a.two", "short", "line\nline", -1, 20), 0);
	ck_assert_int_eq(quiz_exam_add(&e, "a.three", "multi", NULL, 0, 0), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(quiz_exam_write_json(f, &e), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "\"Zo\xc3\xab \\\"Z\\\"\\\\\\t\\u0001\""));

	struct quiz_grade g;
	struct quiz_err err = {{0}};
	quiz_grade_init(&g);
	ck_assert_int_eq(quiz_grade_add_text(&g, "mem", buf, len, &err), 0);
	ck_assert_str_eq(g.students[0].name, e.name);
	ck_assert_int_eq(g.students[0].right, 1);
	ck_assert_int_eq(g.students[0].graded, 2);
	ck_assert_int_eq(g.students[0].ungraded, 1);
	ck_assert_uint_eq(g.nquestions, 3);
	quiz_grade_free(&g);
	quiz_exam_free(&e);
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
	suite_add_tcase(s, tc);
	return s;
}
