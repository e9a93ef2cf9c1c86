/*
 * test_bank_stream.c - the loader's one pass over a file's YAML events
 * (quiz/bank.c) reports what the refusing pass and the document pass it
 * replaced reported, in the same order: a refusal anywhere in the stream
 * hides every other problem, a syntax error counts only in the first two
 * documents (the first with libyaml's context, the second without), and a
 * second document is refused after the first one's problems.
 */
#include <check.h>
#include <string.h>

#include "quiz/bank.h"

/* Loads text as name; returns the diagnostics (caller frees) and checks rc. */
static void load(const char *name, const char *text, struct quiz_diag *d)
{
	struct quiz_bank b;
	quiz_bank_init(&b);
	quiz_diag_init(d);
	ck_assert_int_eq(quiz_bank_load_mem(&b, name, text, strlen(text), d), -1);
	quiz_bank_free(&b);
}

/* An alias in the third document, which no document pass reads, is refused
 * and is the only problem reported (not the second document, nor the
 * first one's broken question). */
START_TEST(alias_in_third_document)
{
	struct quiz_diag d;
	load("a.yaml", "bank: s\nquestions: [1]\n---\nx: 1\n---\ny: *a\n", &d);
	ck_assert_uint_eq(d.count, 1);
	ck_assert_str_eq(d.lines[0], "a.yaml:6:4: yaml aliases are not allowed in a bank");
	quiz_diag_free(&d);
}
END_TEST

/* A refusal before a syntax error hides the error; after it, the refusal is
 * never reached and the error (with its context) is what is reported. */
START_TEST(refusal_and_syntax_error)
{
	struct quiz_diag d;
	load("b.yaml", "bank: &s s\nquestions: [\n", &d);
	ck_assert_uint_eq(d.count, 1);
	ck_assert_str_eq(d.lines[0], "b.yaml:1:7: yaml anchors are not allowed in a bank");
	quiz_diag_free(&d);

	load("c.yaml", "bank: s\nquestions: [\n  ]]\nx: &a 1\n", &d);
	ck_assert_uint_eq(d.count, 1);
	ck_assert_str_eq(d.lines[0], "c.yaml:3:4: yaml syntax: did not find expected key (while "
	                             "parsing a block mapping from line 1)");
	quiz_diag_free(&d);

	/* an anchor on the document's root, and one in a later document */
	load("d.yaml", "--- &r\nbank: s\n---\nq: &q 1\n", &d);
	ck_assert_uint_eq(d.count, 2);
	ck_assert_str_eq(d.lines[0], "d.yaml:1:5: yaml anchors are not allowed in a bank");
	ck_assert_str_eq(d.lines[1], "d.yaml:4:4: yaml anchors are not allowed in a bank");
	quiz_diag_free(&d);
}
END_TEST

/* A syntax error in the second document comes after the first document's
 * problems, without context; one in the third is not read, and the second
 * document is refused instead. */
START_TEST(syntax_error_in_later_documents)
{
	struct quiz_diag d;
	load("e.yaml", "bank: s\nquestions: [1]\n---\nx: \"open\n", &d);
	ck_assert_uint_eq(d.count, 2);
	ck_assert_str_eq(d.lines[0], "e.yaml:2:13: a question must be a mapping");
	ck_assert_str_eq(d.lines[1], "e.yaml:5:1: yaml syntax: found unexpected end of stream");
	quiz_diag_free(&d);

	load("f.yaml", "bank: s\nquestions: [1]\n---\nx: 1\n---\ny: [\n", &d);
	ck_assert_uint_eq(d.count, 2);
	ck_assert_str_eq(d.lines[0], "f.yaml:2:13: a question must be a mapping");
	ck_assert_str_eq(d.lines[1], "f.yaml:4:1: a bank file holds one yaml document");
	quiz_diag_free(&d);
}
END_TEST

/* Nested collections close in the right order: a question's keys after a
 * nested list and mapping still belong to it, the next question starts
 * clean, and a file of comments only is an empty bank. */
START_TEST(nesting_and_empty)
{
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	static const char text[] =
		"bank: s\n"
		"questions:\n"
		"  - id: s.a\n"
		"    topics: [x, [y]]\n"
		"    follow_up: {prompt: p, answer: {deep: [1, {2: 3}]}}\n"
		"    level: junior\n"
		"  - {id: s.b, level: middle, type: short, topics: [t], prompt: p, answer: a,\n"
		"     explanation: e}\n";
	ck_assert_int_eq(quiz_bank_load_mem(&b, "g.yaml", text, strlen(text), &d), -1);
	ck_assert_uint_eq(b.count, 2);
	ck_assert_str_eq(b.questions[0].topics[0], "x");
	ck_assert_str_eq(b.questions[0].follow_up_prompt, "p");
	ck_assert_int_eq(b.questions[0].level, QUIZ_JUNIOR);
	ck_assert(!b.questions[1].malformed);
	ck_assert_int_eq(b.questions[1].level, QUIZ_MIDDLE);
	ck_assert_str_eq(b.questions[1].answer_text, "a");
	ck_assert_uint_eq(d.count, 5);
	ck_assert_str_eq(d.lines[0], "g.yaml:3:5: missing key 'type'");
	ck_assert_str_eq(d.lines[1], "g.yaml:3:5: missing key 'prompt'");
	ck_assert_str_eq(d.lines[2], "g.yaml:3:5: missing key 'explanation'");
	ck_assert_str_eq(d.lines[3], "g.yaml:4:17: 'topics' must be a string");
	ck_assert_str_eq(d.lines[4], "g.yaml:5:36: 'answer' must be a string");
	quiz_bank_free(&b);
	quiz_diag_free(&d);

	load("h.yaml", "# a comment, no document\n", &d);
	ck_assert_uint_eq(d.count, 1);
	ck_assert_str_eq(d.lines[0], "h.yaml:1:1: empty bank file");
	quiz_diag_free(&d);
}
END_TEST

Suite *suite_quiz_bank_stream(void)
{
	Suite *s = suite_create("quiz_bank_stream");
	TCase *tc = tcase_create("stream");
	tcase_add_test(tc, alias_in_third_document);
	tcase_add_test(tc, refusal_and_syntax_error);
	tcase_add_test(tc, syntax_error_in_later_documents);
	tcase_add_test(tc, nesting_and_empty);
	suite_add_tcase(s, tc);
	return s;
}
