/*
 * test_guess.c - the guessability rules of `quiz lint --strict`: each
 * measure on a hand-made question, the messages on a fixture bank, and the
 * shipped banks' totals within the limits of docs/bank-format.md.
 */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/bank.h"
#include "quiz/guess.h"

static struct quiz_choice choice(const char *text, bool correct)
{
	return (struct quiz_choice){.text = (char *)text, .correct = correct};
}

START_TEST(longest_right_choice_is_counted)
{
	struct quiz_choice cs[] = {choice("the long right one", true), choice("short", false),
	                           choice("also short", false)};
	struct quiz_question q = {.type = QUIZ_SINGLE, .choices = cs, .nchoices = 3};
	ck_assert(quiz_guess_right_is_longest(&q));
	cs[1].text = "a wrong one just as long"; /* longer: no longer a give-away */
	ck_assert(!quiz_guess_right_is_longest(&q));
	cs[1].text = "the long wrong one"; /* equal length: not strictly longest */
	ck_assert(!quiz_guess_right_is_longest(&q));
}
END_TEST

/* Characters, not bytes: "é" is one. */
START_TEST(lengths_count_characters)
{
	struct quiz_choice cs[] = {choice("ab", true), choice("\xc3\xa9", false)};
	struct quiz_question q = {.type = QUIZ_SINGLE, .choices = cs, .nchoices = 2};
	ck_assert(quiz_guess_right_is_longest(&q));
}
END_TEST

START_TEST(multi_giveaway_needs_a_long_wrong_choice)
{
	struct quiz_choice cs[] = {choice("right and long", true), choice("right, longer still", true),
	                           choice("wrong", false)};
	struct quiz_question q = {.type = QUIZ_MULTI, .choices = cs, .nchoices = 3};
	ck_assert(quiz_guess_multi_giveaway(&q));
	cs[2].text = "wrong, and longer than one";
	ck_assert(!quiz_guess_multi_giveaway(&q));
}
END_TEST

START_TEST(prompt_overlap_ignores_order_and_case)
{
	ck_assert_int_eq(quiz_guess_prompt_overlap("Close a closed channel", "channel CLOSED a close"),
	                 100);
	ck_assert_int_eq(quiz_guess_prompt_overlap("one two three four", "one two three five"), 75);
	ck_assert_int_eq(quiz_guess_prompt_overlap("alpha", "beta"), 0);
	ck_assert_int_eq(quiz_guess_prompt_overlap("", ""), 0);
}
END_TEST

/* The fixture has a multi give-away and two questions asked twice. */
START_TEST(strict_lint_reports_giveaways_and_duplicates)
{
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	ck_assert_int_eq(quiz_bank_load_file(&b, "tests/quiz/data/guessable.yaml", &d), 0);
	struct quiz_lint_opts plain = {.strict = false}, strict = {.strict = true};
	ck_assert_int_eq(quiz_lint(&b, &plain, &d), 0);
	ck_assert_int_eq(quiz_lint(&b, &strict, &d), 2);
	ck_assert_uint_eq(d.count, 2);
	ck_assert_str_eq(d.lines[0], "tests/quiz/data/guessable.yaml:10:7: every wrong choice is shorter "
	                             "than the shortest right one: the long choices give the answer away");
	ck_assert_str_eq(d.lines[1], "tests/quiz/data/guessable.yaml:25:9: prompt shares 100% of its "
	                             "words with 'guess.nil-send' (tests/quiz/data/guessable.yaml:17): "
	                             "merge them or make them test different things");
	quiz_diag_free(&d);
	quiz_bank_free(&b);
}
END_TEST

struct found {
	char seen[60][60];
	int pct[60][60];
};

static void note_pair(void *ctx, size_t i, size_t j, int pct)
{
	struct found *f = ctx;
	ck_assert_uint_lt(i, j);
	ck_assert_int_eq(f->seen[i][j], 0);   /* each pair once */
	f->seen[i][j] = 1;
	f->pct[i][j] = pct;
}

/* The prefix-filtered join finds exactly the pairs that comparing every
 * pair finds: random prompts over a small vocabulary (so that many pairs
 * are near the threshold), checked against quiz_guess_prompt_overlap. */
START_TEST(similar_pairs_match_every_pair_compared)
{
	static const char *const vocab[] = {"send", "close", "channel", "nil", "select", "mutex",
	                                    "wait", "group", "done", "ctx", "timer", "loop"};
	unsigned seed = 12345;
	for (int round = 0; round < 20; round++) {
		enum { N = 60 };
		char prompts[N][128];
		struct quiz_question qs[N];
		memset(qs, 0, sizeof qs);
		for (int i = 0; i < N; i++) {
			int words = 2 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 9;
			size_t len = 0;
			prompts[i][0] = '\0';
			for (int w = 0; w < words; w++) {
				seed = seed * 1103515245u + 12345u;
				len += (size_t)snprintf(prompts[i] + len, sizeof prompts[i] - len, "%s%s",
				                        w ? " " : "", vocab[(seed >> 16) % 12]);
			}
			qs[i].prompt = prompts[i];
		}
		struct quiz_bank b = {.questions = qs, .count = N};
		static struct found f;
		memset(&f, 0, sizeof f);
		ck_assert_int_eq(quiz_guess_similar_pairs(&b, note_pair, &f), 0);
		int expected = 0;
		for (int i = 0; i < N; i++)
			for (int j = i + 1; j < N; j++) {
				int pct = quiz_guess_prompt_overlap(prompts[i], prompts[j]);
				bool similar = pct >= QUIZ_GUESS_SIMILAR_PCT;
				expected += similar;
				ck_assert_msg(f.seen[i][j] == similar, "'%s' / '%s': %d%%, join %s", prompts[i],
				              prompts[j], pct, f.seen[i][j] ? "found it" : "missed it");
				if (similar)
					ck_assert_int_eq(f.pct[i][j], pct);
			}
		ck_assert_int_gt(expected, 0);
	}
}
END_TEST

/* The shipped banks: the totals that `quiz lint --strict` prints keep the
 * limits, and no question is a give-away. */
START_TEST(shipped_banks_are_not_guessable)
{
	glob_t g;
	ck_assert_int_eq(glob("data/*.yaml", 0, NULL, &g), 0);
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	for (size_t i = 0; i < g.gl_pathc; i++)
		quiz_bank_load_file(&b, g.gl_pathv[i], &d);
	globfree(&g);
	ck_assert_uint_eq(d.count, 0);
	struct quiz_guess_stats st = {0};
	for (size_t i = 0; i < b.count; i++)
		quiz_guess_count(&st, &b.questions[i]);
	ck_assert_uint_gt(st.single, 100);
	ck_assert_msg(st.single_longest * 100 <= st.single * QUIZ_GUESS_LONGEST_MAX_PCT,
	              "right choice longest in %zu of %zu", st.single_longest, st.single);
	ck_assert_uint_eq(st.multi_giveaway, 0);
	ck_assert_msg(st.truefalse_true * 100 >= st.truefalse * QUIZ_GUESS_TRUE_MIN_PCT &&
	              st.truefalse_true * 100 <= st.truefalse * QUIZ_GUESS_TRUE_MAX_PCT,
	              "%zu of %zu true", st.truefalse_true, st.truefalse);
	quiz_diag_free(&d);
	quiz_bank_free(&b);
}
END_TEST

Suite *suite_guess(void)
{
	Suite *s = suite_create("guess");
	TCase *tc = tcase_create("guess");
	tcase_add_test(tc, longest_right_choice_is_counted);
	tcase_add_test(tc, lengths_count_characters);
	tcase_add_test(tc, multi_giveaway_needs_a_long_wrong_choice);
	tcase_add_test(tc, prompt_overlap_ignores_order_and_case);
	tcase_add_test(tc, strict_lint_reports_giveaways_and_duplicates);
	tcase_add_test(tc, similar_pairs_match_every_pair_compared);
	tcase_add_test(tc, shipped_banks_are_not_guessable);
	suite_add_tcase(s, tc);
	return s;
}
