/*
 * test_guess_index.c - the word index behind quiz_guess_similar_pairs
 * (quiz/guess.c: words interned in a hash table, ranked by counting sorts)
 * finds exactly the pairs that comparing every pair's text finds, over a
 * vocabulary large enough to grow the table several times, with words that
 * differ only in case, words repeated within a question, and words spread
 * over the prompt, the code and the choices.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/bank.h"
#include "quiz/guess.h"

enum { NQ = 90, NGROUPS = 30, NWORDS = 24, VOCAB = 5000 };

struct found {
	char seen[NQ][NQ];
	int pct[NQ][NQ];
};

static void note_pair(void *ctx, size_t i, size_t j, int pct)
{
	struct found *f = ctx;
	ck_assert_uint_lt(i, j);
	ck_assert_int_eq(f->seen[i][j], 0);   /* each pair once */
	f->seen[i][j] = 1;
	f->pct[i][j] = pct;
}

static unsigned next(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

/* Word w of the vocabulary, in one of three spellings of its case. */
static void word(char *buf, size_t size, unsigned w, unsigned spelling)
{
	static const char *const forms[] = {"chan%ux", "Chan%uX", "CHAN%uX"};
	snprintf(buf, size, forms[spelling % 3], w);
}

START_TEST(index_matches_every_pair_compared)
{
	static char prompt[NQ][512], code[NQ][256], texts[NQ][2][256], all[NQ][1100];
	static struct quiz_question qs[NQ];
	static struct quiz_choice choices[NQ][2];
	static struct found f;
	unsigned seed = 777;
	/* groups of three questions share a base of words; each member changes
	 * a few, so many pairs sit near the threshold (and some 700 distinct
	 * words grow the table from its first 1,024 slots) */
	unsigned base[NGROUPS][NWORDS];
	for (int g = 0; g < NGROUPS; g++)
		for (int w = 0; w < NWORDS; w++)
			base[g][w] = next(&seed) % VOCAB;
	memset(qs, 0, sizeof qs);
	memset(&f, 0, sizeof f);
	for (int i = 0; i < NQ; i++) {
		unsigned words[NWORDS + 8];
		int n = 0;
		const unsigned *b = base[i % NGROUPS];
		for (int w = 0; w < NWORDS; w++) {
			unsigned r = next(&seed) % 16;
			if (r == 0)
				continue;                              /* dropped */
			words[n++] = r == 1 ? next(&seed) % VOCAB : b[w];  /* replaced or kept */
		}
		if (i % 5 == 0)
			words[n++] = words[0];                     /* a word twice */
		for (int k = 0; k < (int)(next(&seed) % 4); k++)
			words[n++] = next(&seed) % VOCAB;          /* new words */
		/* the words go to the prompt, the code and two choices in turn */
		char *parts[4] = {prompt[i], code[i], texts[i][0], texts[i][1]};
		size_t sizes[4] = {sizeof prompt[i], sizeof code[i], sizeof texts[i][0],
		                   sizeof texts[i][1]};
		size_t len[4] = {0};
		for (int w = 0; w < n; w++) {
			int p = w % 4;
			char wbuf[32];
			word(wbuf, sizeof wbuf, words[w], next(&seed));
			len[p] += (size_t)snprintf(parts[p] + len[p], sizes[p] - len[p], "%s%s",
			                           len[p] ? (w % 3 ? ", " : "? ") : "", wbuf);
		}
		qs[i].prompt = prompt[i];
		qs[i].code = i % 7 ? code[i] : NULL;
		choices[i][0] = (struct quiz_choice){.text = texts[i][0], .correct = true};
		choices[i][1] = (struct quiz_choice){.text = texts[i][1]};
		qs[i].choices = choices[i];
		qs[i].nchoices = 2;
		snprintf(all[i], sizeof all[i], "%s %s %s %s", prompt[i], qs[i].code ? code[i] : "",
		         texts[i][0], texts[i][1]);
	}
	struct quiz_bank bank = {.questions = qs, .count = NQ};
	ck_assert_int_eq(quiz_guess_similar_pairs(&bank, note_pair, &f), 0);
	int expected = 0;
	for (int i = 0; i < NQ; i++)
		for (int j = i + 1; j < NQ; j++) {
			int pct = quiz_guess_prompt_overlap(all[i], all[j]);
			bool similar = pct >= QUIZ_GUESS_SIMILAR_PCT;
			expected += similar;
			ck_assert_msg(f.seen[i][j] == similar, "questions %d and %d: %d%%, join %s", i, j,
			              pct, f.seen[i][j] ? "found them" : "missed them");
			if (similar)
				ck_assert_int_eq(f.pct[i][j], pct);
		}
	ck_assert_int_gt(expected, 10);
	ck_assert_int_lt(expected, NQ * (NQ - 1) / 2);
}
END_TEST

/* Questions without any word (no prompt, no choices) and an empty bank. */
START_TEST(index_of_no_words)
{
	static struct found f;
	memset(&f, 0, sizeof f);
	struct quiz_question qs[3] = {{.prompt = NULL}, {.prompt = "?? !!"}, {.prompt = ""}};
	struct quiz_bank bank = {.questions = qs, .count = 3};
	ck_assert_int_eq(quiz_guess_similar_pairs(&bank, note_pair, &f), 0);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			ck_assert_int_eq(f.seen[i][j], 0);
	struct quiz_bank empty = {0};
	ck_assert_int_eq(quiz_guess_similar_pairs(&empty, note_pair, &f), 0);
}
END_TEST

Suite *suite_guess_index(void)
{
	Suite *s = suite_create("guess_index");
	TCase *tc = tcase_create("index");
	tcase_add_test(tc, index_matches_every_pair_compared);
	tcase_add_test(tc, index_of_no_words);
	suite_add_tcase(s, tc);
	return s;
}
