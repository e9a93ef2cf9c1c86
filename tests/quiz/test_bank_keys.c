/*
 * test_bank_keys.c - the optional question keys issue 14 adds to the bank
 * format: `go` (the minimum Go version a snippet needs, "1.N") and
 * `exercises` (ids of the exercises a question relates to).  Kept apart
 * from test_bank.c so the loader's own tests can change without conflict.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/bank.h"
#include "tests/testlib.h"

/* A one-question bank whose last lines are extra (each line indented by 4). */
static int load_with(struct quiz_bank *b, struct quiz_diag *d, const char *extra)
{
	char text[1024];
	int n = snprintf(text, sizeof text,
	                 "bank: keys\nquestions:\n"
	                 "  - id: keys.one\n    level: middle\n    topics: [x]\n"
	                 "    type: truefalse\n    prompt: P?\n    answer: false\n"
	                 "    explanation: E.\n%s",
	                 extra);
	ck_assert_int_lt(n, (int)sizeof text);
	quiz_bank_init(b);
	quiz_diag_init(d);
	return quiz_bank_load_mem(b, "keys.yaml", text, (size_t)n, d);
}

/* `go` is kept as written, with its minor number; quoted or plain alike. */
START_TEST(go_version_loads)
{
	struct quiz_bank b;
	struct quiz_diag d;
	ck_assert_int_eq(load_with(&b, &d, "    go: \"1.21\"\n"), 0);
	ck_assert_str_eq(b.questions[0].go, "1.21");
	ck_assert_int_eq(b.questions[0].go_minor, 21);
	ck_assert_int_eq(b.questions[0].go_pos.line, 10);
	ck_assert_int_eq(b.questions[0].go_pos.col, 9);
	quiz_bank_free(&b);
	quiz_diag_free(&d);

	/* A plain 1.20 is the string "1.20", not the number 1.2. */
	ck_assert_int_eq(load_with(&b, &d, "    go: 1.20\n"), 0);
	ck_assert_str_eq(b.questions[0].go, "1.20");
	ck_assert_int_eq(b.questions[0].go_minor, 20);
	quiz_bank_free(&b);
	quiz_diag_free(&d);

	/* Absent: NULL and 0. */
	ck_assert_int_eq(load_with(&b, &d, ""), 0);
	ck_assert_ptr_null(b.questions[0].go);
	ck_assert_int_eq(b.questions[0].go_minor, 0);
	ck_assert_uint_eq(b.questions[0].nexercises, 0);
	quiz_bank_free(&b);
	quiz_diag_free(&d);
}
END_TEST

/* Anything but "1.N" is refused at the value, and the question is malformed. */
START_TEST(go_version_malformed)
{
	static const char *const bad[] = {"1.x", "2.1", "1.21.3", "1.021", "1.", "go1.21", "1.0"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char extra[64], want[128];
		struct quiz_bank b;
		struct quiz_diag d;
		snprintf(extra, sizeof extra, "    go: \"%s\"\n", bad[i]);
		ck_assert_int_eq(load_with(&b, &d, extra), -1);
		ck_assert_uint_eq(d.count, 1);
		snprintf(want, sizeof want, "keys.yaml:10:9: malformed go version '%s' (1.N, e.g. 1.21)",
		         bad[i]);
		ck_assert_str_eq(d.lines[0], want);
		ck_assert(b.questions[0].malformed);
		quiz_bank_free(&b);
		quiz_diag_free(&d);
	}
	struct quiz_bank b;
	struct quiz_diag d;
	ck_assert_int_eq(load_with(&b, &d, "    go: [1, 21]\n"), -1);
	ck_assert_str_eq(d.lines[0], "keys.yaml:10:9: 'go' must be a string");
	quiz_bank_free(&b);
	quiz_diag_free(&d);
}
END_TEST

/* `exercises` is a list of ids; lint checks their form like topics. */
START_TEST(exercises_load_and_lint)
{
	struct quiz_bank b;
	struct quiz_diag d;
	ck_assert_int_eq(load_with(&b, &d, "    exercises: [started-channel, 02-stop-stopped]\n"), 0);
	ck_assert_uint_eq(b.questions[0].nexercises, 2);
	ck_assert_str_eq(b.questions[0].exercises[0], "started-channel");
	ck_assert_str_eq(b.questions[0].exercises[1], "02-stop-stopped");
	struct quiz_lint_opts opts = {.strict = false};
	ck_assert_int_eq(quiz_lint(&b, &opts, &d), 0);
	quiz_bank_free(&b);
	quiz_diag_free(&d);

	ck_assert_int_eq(load_with(&b, &d, "    exercises: [Worker_Pool]\n"), 0);
	ck_assert_int_eq(quiz_lint(&b, &opts, &d), 1);
	ck_assert_str_eq(d.lines[0], "keys.yaml:3:9: malformed exercise id 'Worker_Pool' "
	                             "(lowercase letters, digits and '-')");
	quiz_bank_free(&b);
	quiz_diag_free(&d);

	ck_assert_int_eq(load_with(&b, &d, "    exercises: pool\n"), -1);
	ck_assert_str_eq(d.lines[0], "keys.yaml:10:16: 'exercises' must be a list of strings");
	quiz_bank_free(&b);
	quiz_diag_free(&d);
}
END_TEST

Suite *suite_quiz_bank_keys(void)
{
	Suite *s = suite_create("quiz_bank_keys");
	TCase *tc = tcase_create("keys");
	tcase_add_test(tc, go_version_loads);
	tcase_add_test(tc, go_version_malformed);
	tcase_add_test(tc, exercises_load_and_lint);
	suite_add_tcase(s, tc);
	return s;
}
