/*
 * test_lint.c - one fixture bank per mistake class (tests/quiz/data/), each
 * checked for the exact "file:line:col: message" lines the loader and the
 * linter report, and a clean bank for none.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/bank.h"
#include "tests/testlib.h"

#define D "tests/quiz/data/"

static const char *const patterns[] = {"fan-in", "fan-in:correct", "reply-channel",
                                       "reply-channel:unbuffered-reply", NULL};
static const char *const exercises[] = {"01-started-channel", "04-fan-in-closer", NULL};

/* Loads files (NULL-terminated), lints them and compares every message with
 * want (NULL-terminated), in order. */
static void expect(bool strict, const char *const *files, const char *const *want)
{
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	for (const char *const *f = files; *f; f++)
		quiz_bank_load_file(&b, *f, &d);
	struct quiz_lint_opts opts = {.strict = strict, .pattern_names = patterns,
	                              .exercise_names = exercises};
	quiz_lint(&b, &opts, &d);
	size_t n = 0;
	while (want[n])
		n++;
	for (size_t i = 0; i < d.count && i < n; i++)
		ck_assert_str_eq(d.lines[i], want[i]);
	if (d.count != n) {
		for (size_t i = 0; i < d.count; i++)
			fprintf(stderr, "got: %s\n", d.lines[i]);
	}
	ck_assert_uint_eq(d.count, n);
	quiz_bank_free(&b);
	quiz_diag_free(&d);
}

#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL})
#define WANT(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE ((const char *const[]){NULL})

/* A bank using every key and type has no problem, even under strict. */
START_TEST(clean_bank)
{
	expect(true, FILES(D "good.yaml"), NONE);
}
END_TEST

/* YAML syntax errors name where the parser stopped and what it was reading. */
START_TEST(syntax)
{
	expect(false, FILES(D "syntax.yaml"),
	       WANT(D "syntax.yaml:7:1: yaml syntax: found unexpected end of stream "
	              "(while scanning a quoted scalar from line 5)"));
}
END_TEST

/* An unknown key is reported at the key, and hides no other problem. */
START_TEST(unknown_key)
{
	expect(false, FILES(D "unknown-key.yaml"),
	       WANT(D "unknown-key.yaml:8:5: unknown key 'anwser'"));
}
END_TEST

/* A missing required key is reported at the question. */
START_TEST(missing_key)
{
	expect(false, FILES(D "missing-key.yaml"),
	       WANT(D "missing-key.yaml:3:5: missing key 'level'"));
}
END_TEST

/* Values of the wrong type: a string where a list is due, a non-boolean. */
START_TEST(wrong_type)
{
	expect(false, FILES(D "wrong-type.yaml"),
	       WANT(D "wrong-type.yaml:5:13: 'topics' must be a list of strings",
	            D "wrong-type.yaml:10:14: 'shuffle' must be true or false"));
}
END_TEST

/* Unknown levels and types list the known ones. */
START_TEST(level_and_type)
{
	expect(false, FILES(D "level.yaml"),
	       WANT(D "level.yaml:4:12: unknown level 'expert' (junior, middle, senior or staff)"));
	expect(false, FILES(D "qtype.yaml"),
	       WANT(D "qtype.yaml:6:11: unknown type 'essay' "
	              "(single, multi, truefalse, short or code)"));
}
END_TEST

/* Ids: lowercase <bank>.<slug>. */
START_TEST(malformed_id)
{
	expect(false, FILES(D "bad-id.yaml"),
	       WANT(D "bad-id.yaml:3:9: malformed id 'badid.Nil_Send' "
	              "(lowercase letters, digits, '-' and '.', as <bank>.<slug>)",
	            D "bad-id.yaml:10:9: id 'other.prefix' does not start with its bank's name "
	              "'badid.'"));
}
END_TEST

/* An id used twice is caught across files, naming the first. */
START_TEST(duplicate_id)
{
	expect(false, FILES(D "dup-a.yaml", D "dup-b.yaml"),
	       WANT(D "dup-b.yaml:10:9: duplicate id 'dup.same' (first at " D "dup-a.yaml:3:9)"));
}
END_TEST

/* An answer on a choice question that names no choice. */
START_TEST(answer_names_no_choice)
{
	expect(false, FILES(D "answer-choice.yaml"),
	       WANT(D "answer-choice.yaml:13:13: answer 'd' names no choice"));
}
END_TEST

/* single needs exactly one right choice; multi at least one. */
START_TEST(right_choices)
{
	expect(false, FILES(D "single-two.yaml"),
	       WANT(D "single-two.yaml:9:7: single question has 2 right choices "
	              "(needs exactly 1)"));
	expect(false, FILES(D "multi-none.yaml"),
	       WANT(D "multi-none.yaml:9:7: multi question has no right choice"));
}
END_TEST

/* truefalse answers are booleans; yes/no are not (YAML 1.2). */
START_TEST(truefalse_answer)
{
	expect(false, FILES(D "tf-answer.yaml"),
	       WANT(D "tf-answer.yaml:8:13: truefalse answer 'yes' is not true or false"));
}
END_TEST

/* short and code need a model answer; code needs code. */
START_TEST(model_answer_and_code)
{
	expect(false, FILES(D "short-noanswer.yaml"),
	       WANT(D "short-noanswer.yaml:3:9: short question has no model answer ('answer')"));
	expect(false, FILES(D "code-nocode.yaml"),
	       WANT(D "code-nocode.yaml:3:9: code question has no 'code'"));
}
END_TEST

/* Pattern links are checked against the caller's names, variant included. */
START_TEST(pattern_links)
{
	expect(false, FILES(D "pattern.yaml"),
	       WANT(D "pattern.yaml:10:16: unknown pattern 'fan-out'",
	            D "pattern.yaml:10:25: unknown variant 'bogus' of pattern 'fan-in'"));
}
END_TEST

/* An `exercises:` id must name an exercise of the pack; a malformed one
 * is reported once, as malformed. */
START_TEST(exercise_links)
{
	expect(false, FILES(D "exercise.yaml"),
	       WANT(D "exercise.yaml:3:9: malformed exercise id 'Bad_Name' (lowercase letters, "
	              "digits and '-')",
	            D "exercise.yaml:10:35: unknown exercise '99-no-such-exercise' (chanlab exercise "
	              "list names them)"));
}
END_TEST

static char *chanlab(const char *args, int *status);

/* `chanlab quiz lint` checks exercise ids against the shipped pack. */
START_TEST(exercise_links_command)
{
	int st;
	char *out = chanlab("quiz lint " D "exercise.yaml", &st);
	ck_assert_int_eq(st, 1);
	ck_assert_msg(strstr(out, D "exercise.yaml:10:35: unknown exercise '99-no-such-exercise'"),
	              "%s", out);
	ck_assert_ptr_null(strstr(out, "unknown exercise '04-fan-in-closer'"));
	free(out);
}
END_TEST

/* Empty strings, quoted or missing, are refused. */
START_TEST(empty_strings)
{
	expect(false, FILES(D "empty-string.yaml"),
	       WANT(D "empty-string.yaml:7:13: 'prompt' is empty",
	            D "empty-string.yaml:9:17: 'explanation' is empty"));
}
END_TEST

/* "All of the above" is refused in shuffled choices only. */
START_TEST(all_of_the_above)
{
	expect(false, FILES(D "above.yaml"),
	       WANT(D "above.yaml:13:9: choice 'All of the above.' refers to other choices by "
	              "position but they are shuffled (set 'shuffle: false')"));
}
END_TEST

/* Wrong choices without why: fine normally, a problem under strict. */
START_TEST(strict_why)
{
	expect(false, FILES(D "strict-why.yaml"), NONE);
	expect(true, FILES(D "strict-why.yaml"),
	       WANT(D "strict-why.yaml:11:9: wrong choice 'That one.' has no 'why'"));
}
END_TEST

/* A question without a hint: fine normally, a problem under strict (at its id). */
START_TEST(strict_hint)
{
	expect(false, FILES(D "strict-hint.yaml"), NONE);
	expect(true, FILES(D "strict-hint.yaml"),
	       WANT(D "strict-hint.yaml:12:9: question has no 'hint' (a nudge shown on :hint)"));
}
END_TEST

/* A file that cannot be opened is one problem without a line. */
START_TEST(missing_file)
{
	expect(false, FILES(D "no-such-bank.yaml"),
	       WANT(D "no-such-bank.yaml: cannot open: No such file or directory"));
}
END_TEST

/* The session's loader refuses a broken bank, with the linter's messages,
 * and leaves the bank empty. */
START_TEST(load_checked_refuses)
{
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	struct quiz_source src[] = {{D "good.yaml", NULL, 0}, {D "single-two.yaml", NULL, 0}};
	struct quiz_lint_opts opts = {.pattern_names = patterns};
	ck_assert_int_eq(quiz_bank_load_checked(&b, src, 2, &opts, &d), -1);
	ck_assert_uint_eq(b.count, 0);
	ck_assert_uint_eq(d.count, 1);
	ck_assert_str_eq(d.lines[0], D "single-two.yaml:9:7: single question has 2 right choices "
	                                "(needs exactly 1)");
	quiz_diag_free(&d);

	quiz_diag_init(&d);
	ck_assert_int_eq(quiz_bank_load_checked(&b, src, 1, &opts, &d), 0);
	ck_assert_uint_eq(b.count, 5);
	ck_assert_uint_eq(d.count, 0);
	quiz_bank_free(&b);
	quiz_diag_free(&d);
}
END_TEST

/* Runs `chanlab ARGS 2>&1`; returns the output (free it) and the status. */
static char *chanlab(const char *args, int *status)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s %s 2>&1", test_chanlab_bin(), args);
	char *out = test_run_capture(cmd, status);
	ck_assert_ptr_nonnull(out);
	return out;
}

/* `chanlab quiz lint`: problems in file order, a count, exit 1; clean is 0;
 * a bad option is a usage error. */
START_TEST(lint_command)
{
	int st;
	char *out = chanlab("quiz lint " D "single-two.yaml " D "dup-b.yaml " D "dup-a.yaml", &st);
	ck_assert_str_eq(out, D "single-two.yaml:9:7: single question has 2 right choices "
	                      "(needs exactly 1)\n"
	                      D "dup-a.yaml:3:9: duplicate id 'dup.same' (first at "
	                      D "dup-b.yaml:10:9)\n"
	                      "2 problems in 3 files\n");
	ck_assert_int_eq(st, 1);
	free(out);
	out = chanlab("quiz lint " D "strict-why.yaml", &st);
	ck_assert_int_eq(st, 0);
	free(out);
	out = chanlab("quiz lint --strict " D "strict-why.yaml", &st);
	ck_assert_int_eq(st, 1);
	free(out);
	out = chanlab("quiz lint --bogus", &st);
	ck_assert_int_eq(st, 64);
	free(out);
	out = chanlab("quiz lint --help", &st);
	ck_assert_int_eq(st, 0);
	ck_assert(strncmp(out, "usage: chanlab quiz lint", 24) == 0);
	free(out);
}
END_TEST

Suite *suite_quiz_lint(void)
{
	Suite *s = suite_create("quiz_lint");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, clean_bank);
	tcase_add_test(tc, syntax);
	tcase_add_test(tc, unknown_key);
	tcase_add_test(tc, missing_key);
	tcase_add_test(tc, wrong_type);
	tcase_add_test(tc, level_and_type);
	tcase_add_test(tc, malformed_id);
	tcase_add_test(tc, duplicate_id);
	tcase_add_test(tc, answer_names_no_choice);
	tcase_add_test(tc, right_choices);
	tcase_add_test(tc, truefalse_answer);
	tcase_add_test(tc, model_answer_and_code);
	tcase_add_test(tc, pattern_links);
	tcase_add_test(tc, exercise_links);
	tcase_add_test(tc, exercise_links_command);
	tcase_add_test(tc, empty_strings);
	tcase_add_test(tc, all_of_the_above);
	tcase_add_test(tc, strict_why);
	tcase_add_test(tc, strict_hint);
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, load_checked_refuses);
	tcase_add_test(tc, lint_command);
	suite_add_tcase(s, tc);
	return s;
}
