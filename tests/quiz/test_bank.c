/*
 * test_bank.c - the bank loader (quiz/bank.c): every key lands in its field
 * with its place in the file, banks load from memory as from files, several
 * files make one bank, a generated 1,000-question bank loads clean, and the
 * filters (quiz/filter.c) pick questions.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/bank.h"
#include "quiz/filter.h"

#define GOOD "tests/quiz/data/good.yaml"

static void load_good(struct quiz_bank *b)
{
	struct quiz_diag d;
	quiz_bank_init(b);
	quiz_diag_init(&d);
	ck_assert_int_eq(quiz_bank_load_file(b, GOOD, &d), 0);
	ck_assert_uint_eq(d.count, 0);
	quiz_diag_free(&d);
}

/* A single-choice question keeps every key, in file order, with places. */
START_TEST(single_fields)
{
	struct quiz_bank b;
	load_good(&b);
	ck_assert_uint_eq(b.count, 5);
	ck_assert_uint_eq(b.nfiles, 1);
	ck_assert_str_eq(b.names[0], "sample");
	const struct quiz_question *q = &b.questions[0];
	ck_assert_str_eq(q->id, "sample.nil-send-blocks");
	ck_assert_str_eq(q->file, GOOD);
	ck_assert_int_eq(q->line, 3);
	ck_assert_int_eq(q->col, 9);
	ck_assert_str_eq(q->bank, "sample");
	ck_assert_int_eq(q->level, QUIZ_JUNIOR);
	ck_assert_int_eq(q->type, QUIZ_SINGLE);
	ck_assert_uint_eq(q->ntopics, 2);
	ck_assert_str_eq(q->topics[1], "nil-channel");
	ck_assert_str_eq(q->prompt, "What does a send on a nil channel do?");
	ck_assert_ptr_null(q->code);
	ck_assert_str_eq(q->lang, "go");
	ck_assert_uint_eq(q->nchoices, 3);
	ck_assert(q->choices[0].correct);
	ck_assert_ptr_null(q->choices[0].why);
	ck_assert(!q->choices[1].correct);
	ck_assert_str_eq(q->choices[1].text, "It panics with \"send on nil channel\".");
	ck_assert_int_eq(q->choices[1].pos.line, 11);
	ck_assert_int_eq(q->choices[1].pos.col, 9);
	ck_assert_int_eq(q->choices_pos.line, 9);
	/* A folded scalar loses its final newline. */
	ck_assert_str_eq(q->explanation, "Send and receive on a nil channel block forever, which is "
	                                 "what lets a select disable a case by setting its "
	                                 "channel to nil.");
	ck_assert_str_eq(q->follow_up_prompt, "What does close on a nil channel do?");
	ck_assert_str_eq(q->follow_up_answer, "It panics with \"close of nil channel\".");
	ck_assert_str_eq(q->hint, "Think of how a select turns one of its cases off.");
	ck_assert_uint_eq(q->npatterns, 1);
	ck_assert_str_eq(q->patterns[0], "fan-in");
	ck_assert_int_eq(q->pattern_pos[0].line, 22);
	ck_assert_uint_eq(q->nsources, 1);
	ck_assert_str_eq(q->sources[0], "004:channel-axioms:q1");
	ck_assert(q->shuffle);
	ck_assert(!q->malformed);
	quiz_bank_free(&b);
}
END_TEST

/* truefalse, short and code questions carry their answers. */
START_TEST(answers_by_type)
{
	struct quiz_bank b;
	load_good(&b);
	const struct quiz_question *tf = quiz_bank_find(&b, "sample.unbuffered-sync");
	ck_assert_ptr_nonnull(tf);
	ck_assert_int_eq(tf->type, QUIZ_TRUEFALSE);
	ck_assert(tf->answer_bool);
	ck_assert_ptr_null(tf->answer_text);
	ck_assert_str_eq(tf->why, "The send and the receive rendezvous; neither side finishes alone.");
	const struct quiz_question *sh = quiz_bank_find(&b, "sample.why-buffer");
	ck_assert_int_eq(sh->type, QUIZ_SHORT);
	ck_assert_int_eq(sh->level, QUIZ_STAFF);
	ck_assert_str_eq(sh->answer_text, "When the sender must not block waiting for a receiver "
	                                  "that may have gone away.");
	const struct quiz_question *co = quiz_bank_find(&b, "sample.read-code");
	ck_assert_int_eq(co->type, QUIZ_CODE);
	/* A literal block keeps its lines, not its final newline. */
	ck_assert_str_eq(co->code, "ch := make(chan int)\ngo func() { ch <- 1 }()\nfmt.Println(<-ch)");
	ck_assert_str_eq(co->answer_text, "1");
	ck_assert(!co->shuffle);
	ck_assert_ptr_null(quiz_bank_find(&b, "sample.nothing"));
	quiz_bank_free(&b);
}
END_TEST

/* Level and type names convert both ways; unknown names are refused. */
START_TEST(names)
{
	enum quiz_level l;
	enum quiz_type t;
	for (int i = 0; i < QUIZ_NLEVELS; i++) {
		ck_assert_int_eq(quiz_level_parse(quiz_level_name((enum quiz_level)i), &l), 0);
		ck_assert_int_eq(l, i);
	}
	for (int i = 0; i < QUIZ_NTYPES; i++) {
		ck_assert_int_eq(quiz_type_parse(quiz_type_name((enum quiz_type)i), &t), 0);
		ck_assert_int_eq(t, i);
	}
	ck_assert_str_eq(quiz_level_name(QUIZ_STAFF), "staff");
	ck_assert_str_eq(quiz_type_name(QUIZ_TRUEFALSE), "truefalse");
	ck_assert_int_eq(quiz_level_parse("Junior", &l), -1);
	ck_assert_int_eq(quiz_type_parse("essay", &t), -1);
}
END_TEST

/* Loading from memory gives the same bank; the name is used in messages. */
START_TEST(load_from_memory)
{
	static const char text[] = "bank: mem\nquestions:\n"
	                           "  - id: mem.one\n    level: middle\n    topics: [x]\n"
	                           "    type: truefalse\n    prompt: P?\n    answer: false\n"
	                           "    explanation: E.\n    anwser: 1\n";
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	ck_assert_int_eq(quiz_bank_load_mem(&b, "mem.yaml", text, sizeof text - 1, &d), -1);
	ck_assert_uint_eq(b.count, 1);
	ck_assert(!b.questions[0].answer_bool);
	ck_assert_uint_eq(d.count, 1);
	ck_assert_str_eq(d.lines[0], "mem.yaml:10:5: unknown key 'anwser'");
	quiz_bank_free(&b);
	quiz_diag_free(&d);
}
END_TEST

/* Several files make one bank; each question remembers its file. */
START_TEST(several_files)
{
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	ck_assert_int_eq(quiz_bank_load_file(&b, "tests/quiz/data/dup-a.yaml", &d), 0);
	ck_assert_int_eq(quiz_bank_load_file(&b, GOOD, &d), 0);
	ck_assert_uint_eq(b.count, 6);
	ck_assert_uint_eq(b.nfiles, 2);
	ck_assert_str_eq(b.questions[0].file, "tests/quiz/data/dup-a.yaml");
	ck_assert_str_eq(b.questions[0].bank, "dup");
	ck_assert_str_eq(b.questions[5].file, GOOD);
	quiz_bank_free(&b);
	quiz_diag_free(&d);
}
END_TEST

/* Problems in odd places: not a mapping, an empty file, two documents. */
START_TEST(odd_files)
{
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	ck_assert_int_eq(quiz_bank_load_mem(&b, "a.yaml", "", 0, &d), -1);
	ck_assert_int_eq(quiz_bank_load_mem(&b, "b.yaml", "- 1\n", 4, &d), -1);
	const char none[] = "bank: c\nquestions: []\n";
	ck_assert_int_eq(quiz_bank_load_mem(&b, "c.yaml", none, sizeof none - 1, &d), -1);
	const char two[] = "bank: d\nquestions: [1]\n---\nx: 1\n";
	ck_assert_int_eq(quiz_bank_load_mem(&b, "d.yaml", two, sizeof two - 1, &d), -1);
	ck_assert_uint_eq(d.count, 5);
	ck_assert_str_eq(d.lines[0], "a.yaml:1:1: empty bank file");
	ck_assert_str_eq(d.lines[1], "b.yaml:1:1: a bank must be a mapping with 'bank' and 'questions'");
	ck_assert_str_eq(d.lines[2], "c.yaml:2:12: 'questions' is empty");
	ck_assert_str_eq(d.lines[3], "d.yaml:2:13: a question must be a mapping");
	ck_assert_str_eq(d.lines[4], "d.yaml:4:1: a bank file holds one yaml document");
	ck_assert_uint_eq(b.count, 0);
	const char upper[] = "bank: Big Bank\nquestions: [1]\n";
	ck_assert_int_eq(quiz_bank_load_mem(&b, "e.yaml", upper, sizeof upper - 1, &d), -1);
	ck_assert_str_eq(d.lines[5], "e.yaml:1:7: malformed bank name 'Big Bank' "
	                             "(lowercase letters, digits and '-')");
	quiz_bank_free(&b);
	quiz_diag_free(&d);
}
END_TEST

/* A generated 1,000-question bank loads and lints clean (no timing here;
 * bench/ measures quiz_bank_load_mem). */
START_TEST(thousand_questions)
{
	size_t cap = 1 << 20, len = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	len += (size_t)snprintf(text, cap, "bank: big\nquestions:\n");
	for (int i = 0; i < 1000; i++) {
		static const char *const lv[] = {"junior", "middle", "senior", "staff"};
		len += (size_t)snprintf(text + len, cap - len,
		    "  - id: big.q%d\n    level: %s\n    topics: [t%d, shared]\n    type: single\n"
		    "    prompt: \"Question %d?\"\n    choices:\n"
		    "      - text: Right %d.\n        correct: true\n"
		    "      - text: Wrong %d.\n        why: Because.\n"
		    "    explanation: |\n      Line one.\n      Line two.\n"
		    "    hint: Think.\n",
		    i, lv[i % 4], i % 10, i, i, i);
		ck_assert_uint_lt(len, cap);
	}
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	ck_assert_int_eq(quiz_bank_load_mem(&b, "big.yaml", text, len, &d), 0);
	struct quiz_lint_opts opts = {.strict = true};
	ck_assert_int_eq(quiz_lint(&b, &opts, &d), 0);
	ck_assert_uint_eq(b.count, 1000);
	ck_assert_str_eq(b.questions[999].id, "big.q999");
	ck_assert_str_eq(b.questions[999].explanation, "Line one.\nLine two.");
	ck_assert_int_eq(b.questions[999].level, QUIZ_STAFF);

	/* Filters: a level, a topic, both. */
	struct quiz_filter f;
	const struct quiz_question **qs;
	quiz_filter_init(&f);
	f.level = QUIZ_SENIOR;
	ck_assert_uint_eq(quiz_filter_select(&b, &f, &qs), 250);
	free(qs);
	f.topic = "t2";
	size_t n = quiz_filter_select(&b, &f, &qs);
	ck_assert_uint_eq(n, 50);  /* i % 4 == 2 and i % 10 == 2: i % 20 == 2 */
	ck_assert_str_eq(qs[0]->id, "big.q2");
	free(qs);
	quiz_bank_free(&b);
	quiz_diag_free(&d);
	free(text);
}
END_TEST

/* Pattern filters: NAME matches its variants, NAME:VARIANT only itself. */
START_TEST(pattern_filter)
{
	struct quiz_bank b;
	load_good(&b);
	struct quiz_filter f;
	quiz_filter_init(&f);
	f.pattern = "reply-channel";
	ck_assert(quiz_filter_match(&f, &b.questions[1]));
	ck_assert(!quiz_filter_match(&f, &b.questions[0]));
	f.pattern = "reply-channel:unbuffered-reply";
	ck_assert(quiz_filter_match(&f, &b.questions[1]));
	f.pattern = "reply-channel:correct";
	ck_assert(!quiz_filter_match(&f, &b.questions[1]));
	f.pattern = "reply";
	ck_assert(!quiz_filter_match(&f, &b.questions[1]));
	quiz_filter_init(&f);
	f.type = QUIZ_CODE;
	const struct quiz_question **qs;
	ck_assert_uint_eq(quiz_filter_select(&b, &f, &qs), 1);
	ck_assert_str_eq(qs[0]->id, "sample.read-code");
	free(qs);
	quiz_bank_free(&b);
}
END_TEST

/* Grouping by first topic is stable. */
START_TEST(group_by_topic)
{
	struct quiz_bank b;
	load_good(&b);
	const struct quiz_question *v[5] = {&b.questions[3], &b.questions[0], &b.questions[4],
	                                    &b.questions[1], &b.questions[2]};
	quiz_group_by_topic(v, 5);
	ck_assert_str_eq(v[0]->id, "sample.why-buffer");       /* design */
	ck_assert_str_eq(v[1]->id, "sample.nil-send-blocks");  /* channels... */
	ck_assert_str_eq(v[2]->id, "sample.closed-recv");
	ck_assert_str_eq(v[3]->id, "sample.unbuffered-sync");
	ck_assert_str_eq(v[4]->id, "sample.read-code");        /* goroutines */
	quiz_bank_free(&b);
}
END_TEST

/* Anchors and aliases are refused at their file:line:col before the
 * document is built (a "billion laughs" bank loads nothing and costs
 * nothing); so is a NUL inside a string. */
START_TEST(refuses_aliases_and_nul)
{
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	static const char laughs[] =
		"bank: x\n"
		"a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"questions: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n";
	ck_assert_int_eq(quiz_bank_load_mem(&b, "laughs.yaml", laughs, strlen(laughs), &d), -1);
	ck_assert_uint_eq(b.count, 0);
	ck_assert_str_eq(d.lines[0], "laughs.yaml:2:4: yaml anchors are not allowed in a bank");
	ck_assert_str_eq(d.lines[1], "laughs.yaml:3:4: yaml anchors are not allowed in a bank");
	ck_assert_str_eq(d.lines[2], "laughs.yaml:3:8: yaml aliases are not allowed in a bank");
	quiz_diag_free(&d);
	quiz_diag_init(&d);
	static const char nul[] = "bank: x\nquestions:\n  - id: x.a\n    prompt: \"before\\0after\"\n";
	ck_assert_int_eq(quiz_bank_load_mem(&b, "nul.yaml", nul, strlen(nul), &d), -1);
	ck_assert_uint_eq(d.count, 1);
	ck_assert_str_eq(d.lines[0], "nul.yaml:4:13: NUL character inside a string");
	quiz_diag_free(&d);
	quiz_bank_free(&b);
}
END_TEST

Suite *suite_quiz_bank(void)
{
	Suite *s = suite_create("quiz_bank");
	TCase *tc = tcase_create("load");
	tcase_add_test(tc, single_fields);
	tcase_add_test(tc, answers_by_type);
	tcase_add_test(tc, names);
	tcase_add_test(tc, load_from_memory);
	tcase_add_test(tc, several_files);
	tcase_add_test(tc, odd_files);
	tcase_add_test(tc, thousand_questions);
	tcase_add_test(tc, pattern_filter);
	tcase_add_test(tc, group_by_topic);
	tcase_add_test(tc, refuses_aliases_and_nul);
	suite_add_tcase(s, tc);
	return s;
}
