/*
 * test_session.c - choosing a session's questions: modes over card states,
 * seeded and load-order-independent exam papers, choice order, reading a
 * typed answer, and the in-session queue that brings wrong answers back.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/session.h"

static const char bank_one[] =
	"bank: s\n"
	"questions:\n"
	"  - id: s.one\n"
	"    level: junior\n"
	"    topics: [channels]\n"
	"    type: single\n"
	"    prompt: One?\n"
	"    choices:\n"
	"      - text: right\n"
	"        correct: true\n"
	"      - text: wrong 1\n"
	"      - text: wrong 2\n"
	"      - text: wrong 3\n"
	"      - text: wrong 4\n"
	"    explanation: x\n"
	"  - id: s.two\n"
	"    level: middle\n"
	"    topics: [select]\n"
	"    type: multi\n"
	"    shuffle: false\n"
	"    prompt: Two?\n"
	"    choices:\n"
	"      - text: right a\n"
	"        correct: true\n"
	"      - text: wrong\n"
	"      - text: right c\n"
	"        correct: true\n"
	"    explanation: x\n"
	"  - id: s.three\n"
	"    level: senior\n"
	"    topics: [channels, sync]\n"
	"    type: truefalse\n"
	"    prompt: Three?\n"
	"    answer: false\n"
	"    explanation: x\n";

static const char bank_two[] =
	"bank: t\n"
	"questions:\n"
	"  - id: t.four\n"
	"    level: junior\n"
	"    topics: [sync]\n"
	"    type: short\n"
	"    prompt: Four?\n"
	"    answer: four\n"
	"    explanation: x\n"
	"  - id: t.five\n"
	"    level: junior\n"
	"    topics: [channels]\n"
	"    type: truefalse\n"
	"    prompt: Five?\n"
	"    answer: true\n"
	"    explanation: x\n"
	"  - id: t.six\n"
	"    level: staff\n"
	"    topics: [design]\n"
	"    type: short\n"
	"    prompt: Six?\n"
	"    answer: six\n"
	"    explanation: x\n";

static void load(struct quiz_bank *b, bool reversed)
{
	struct quiz_diag d;
	quiz_bank_init(b);
	quiz_diag_init(&d);
	const char *first = reversed ? bank_two : bank_one;
	const char *second = reversed ? bank_one : bank_two;
	ck_assert_int_eq(quiz_bank_load_mem(b, "first", first, strlen(first), &d), 0);
	ck_assert_int_eq(quiz_bank_load_mem(b, "second", second, strlen(second), &d), 0);
	ck_assert_uint_eq(d.count, 0);
	quiz_diag_free(&d);
}

static const struct quiz_question *find(const struct quiz_bank *b, const char *id)
{
	const struct quiz_question *q = quiz_bank_find(b, id);
	ck_assert_ptr_nonnull(q);
	return q;
}

static void ids(const struct quiz_question **qs, size_t n, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strncat(buf, qs[i]->id, size - strlen(buf) - 1);
		strncat(buf, " ", size - strlen(buf) - 1);
	}
}

static size_t words(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == ' ';
	return n;
}

static char *paper(bool reversed, uint64_t seed, size_t count, const struct quiz_filter *f)
{
	struct quiz_bank b;
	load(&b, reversed);
	const struct quiz_question **qs;
	size_t n;
	ck_assert_int_eq(quiz_session_select(&b, f, QUIZ_MODE_EXAM, seed, count, 0, NULL, NULL,
	                                     &qs, &n), 0);
	char *buf = malloc(512);
	ids(qs, n, buf, 512);
	free(qs);
	quiz_bank_free(&b);
	return buf;
}

/* An exam paper depends only on seed, filter and bank: not on load order. */
START_TEST(test_exam_paper)
{
	struct quiz_filter all;
	quiz_filter_init(&all);
	char *a = paper(false, 42, 4, &all);
	char *b = paper(true, 42, 4, &all);
	char *c = paper(false, 43, 4, &all);
	char *whole = paper(false, 42, 0, &all);
	ck_assert_str_eq(a, b);
	ck_assert_str_ne(a, c);
	ck_assert_uint_eq(words(a), 4);
	ck_assert_uint_eq(words(whole), 6);
	free(a);
	free(b);
	free(c);
	free(whole);

	/* Filters apply before the draw. */
	struct quiz_filter f;
	quiz_filter_init(&f);
	f.level = QUIZ_JUNIOR;
	char *j = paper(false, 1, 0, &f);
	ck_assert_ptr_nonnull(strstr(j, "s.one "));
	ck_assert_ptr_nonnull(strstr(j, "t.four "));
	ck_assert_ptr_nonnull(strstr(j, "t.five "));
	ck_assert_ptr_null(strstr(j, "s.two"));
	free(j);
}
END_TEST

/* Card states for the mode tests, keyed by id. */
static int fake_progress(const char *qid, struct quiz_progress *p, void *ctx)
{
	(void)ctx;
	if (strcmp(qid, "s.one") == 0)
		*p = (struct quiz_progress){true, 500, 1};    /* due */
	else if (strcmp(qid, "s.two") == 0)
		*p = (struct quiz_progress){true, 5000, 0};   /* not due; last wrong */
	else if (strcmp(qid, "s.three") == 0)
		*p = (struct quiz_progress){true, 100, 0};    /* due first; last wrong */
	else
		*p = (struct quiz_progress){false, 0, -1};    /* new */
	return 0;
}

static char *select_ids(enum quiz_mode mode, size_t count)
{
	struct quiz_bank b;
	load(&b, false);
	struct quiz_filter f;
	quiz_filter_init(&f);
	const struct quiz_question **qs;
	size_t n;
	ck_assert_int_eq(quiz_session_select(&b, &f, mode, 3, count, 1000, fake_progress, NULL,
	                                     &qs, &n), 0);
	char *buf = malloc(512);
	ids(qs, n, buf, 512);
	free(qs);
	quiz_bank_free(&b);
	return buf;
}

/* Default: due cards by due time, then new ones; review: due only;
 * mistakes: last graded answer wrong; cram: everything. */
START_TEST(test_modes)
{
	char *s = select_ids(QUIZ_MODE_DEFAULT, 0);
	ck_assert_msg(strncmp(s, "s.three s.one t.", 16) == 0, "default gave %s", s);
	ck_assert_ptr_null(strstr(s, "s.two"));
	free(s);
	s = select_ids(QUIZ_MODE_DEFAULT, 3);
	ck_assert_msg(strncmp(s, "s.three s.one t.", 16) == 0 && words(s) == 3, "gave %s", s);
	free(s);
	s = select_ids(QUIZ_MODE_REVIEW, 0);
	ck_assert_str_eq(s, "s.three s.one ");
	free(s);
	s = select_ids(QUIZ_MODE_MISTAKES, 0);
	ck_assert_msg(strlen(s) == 14 && strstr(s, "s.two ") && strstr(s, "s.three "), "%s", s);
	free(s);
	s = select_ids(QUIZ_MODE_CRAM, 0);
	ck_assert_uint_eq(strlen(s), strlen("s.one s.two s.three t.four t.five t.six "));
	free(s);
}
END_TEST

/* Choice order: a permutation, the same for the same seed, file order when
 * shuffle is false. */
START_TEST(test_choice_order)
{
	struct quiz_bank b;
	load(&b, false);
	const struct quiz_question *one = find(&b, "s.one"), *two = find(&b, "s.two");
	size_t o1[8], o2[8];
	bool differs = false;
	quiz_choice_order(one, 42, o1);
	quiz_choice_order(one, 42, o2);
	ck_assert(memcmp(o1, o2, sizeof(size_t) * one->nchoices) == 0);
	unsigned seen = 0;
	for (size_t i = 0; i < one->nchoices; i++)
		seen |= 1u << o1[i];
	ck_assert_uint_eq(seen, (1u << one->nchoices) - 1);
	for (uint64_t seed = 0; seed < 20 && !differs; seed++) {
		quiz_choice_order(one, seed, o2);
		differs = memcmp(o1, o2, sizeof(size_t) * one->nchoices) != 0;
	}
	ck_assert(differs);
	quiz_choice_order(two, 42, o1);
	for (size_t i = 0; i < two->nchoices; i++)
		ck_assert_uint_eq(o1[i], i);
	quiz_bank_free(&b);
}
END_TEST

/* Typed answers: letters in any order and case, t/f words; junk is not an
 * answer (-1) rather than a wrong one. */
START_TEST(test_check_answer)
{
	struct quiz_bank b;
	load(&b, false);
	const struct quiz_question *one = find(&b, "s.one"), *two = find(&b, "s.two"),
	                           *three = find(&b, "s.three");
	size_t order[8];
	char canon[32], right[32];

	quiz_choice_order(one, 7, order);
	quiz_right_answer(one, order, right, sizeof right);
	ck_assert_uint_eq(strlen(right), 1);
	ck_assert_int_eq(quiz_check_answer(one, order, right, canon, sizeof canon), 1);
	char upper[4] = {' ', (char)(right[0] - 'a' + 'A'), ' ', '\0'};
	ck_assert_int_eq(quiz_check_answer(one, order, upper, canon, sizeof canon), 1);
	ck_assert_str_eq(canon, right);
	char wrong[2] = {right[0] == 'a' ? 'b' : 'a', '\0'};
	ck_assert_int_eq(quiz_check_answer(one, order, wrong, NULL, 0), 0);
	ck_assert_int_eq(quiz_check_answer(one, order, "a,b", NULL, 0), -1);
	ck_assert_int_eq(quiz_check_answer(one, order, "z", NULL, 0), -1);
	ck_assert_int_eq(quiz_check_answer(one, order, "", NULL, 0), -1);

	quiz_choice_order(two, 7, order);
	ck_assert_int_eq(quiz_check_answer(two, order, "c, a", canon, sizeof canon), 1);
	ck_assert_str_eq(canon, "a,c");
	ck_assert_int_eq(quiz_check_answer(two, order, "ac", NULL, 0), 1);
	ck_assert_int_eq(quiz_check_answer(two, order, "a", NULL, 0), 0);
	ck_assert_int_eq(quiz_check_answer(two, order, "a,b,c", NULL, 0), 0);
	ck_assert_int_eq(quiz_check_answer(two, order, "d", NULL, 0), -1);
	quiz_right_answer(two, order, right, sizeof right);
	ck_assert_str_eq(right, "a,c");

	ck_assert_int_eq(quiz_check_answer(three, NULL, "f", canon, sizeof canon), 1);
	ck_assert_str_eq(canon, "f");
	ck_assert_int_eq(quiz_check_answer(three, NULL, " No ", NULL, 0), 1);
	ck_assert_int_eq(quiz_check_answer(three, NULL, "true", canon, sizeof canon), 0);
	ck_assert_str_eq(canon, "t");
	ck_assert_int_eq(quiz_check_answer(three, NULL, "maybe", NULL, 0), -1);
	quiz_bank_free(&b);
}
END_TEST

/* The queue: a wrong answer comes back QUIZ_RELEARN_GAP questions later, or
 * at the end; entries can be inserted and removed (for :undo). */
START_TEST(test_queue)
{
	struct quiz_question q[6];
	memset(q, 0, sizeof q);
	const struct quiz_question **items = malloc(5 * sizeof *items);
	for (int i = 0; i < 5; i++)
		items[i] = &q[i];
	struct quiz_queue qu;
	quiz_queue_init(&qu, items, 5);
	ck_assert_ptr_eq(quiz_queue_next(&qu), &q[0]);
	ck_assert_int_eq(quiz_queue_again(&qu, &q[0], QUIZ_RELEARN_GAP), 4);
	ck_assert_ptr_eq(quiz_queue_next(&qu), &q[1]);
	ck_assert_ptr_eq(quiz_queue_next(&qu), &q[2]);
	ck_assert_ptr_eq(quiz_queue_next(&qu), &q[3]);
	ck_assert_ptr_eq(quiz_queue_next(&qu), &q[0]);
	ck_assert_int_eq(quiz_queue_again(&qu, &q[5], 10), 6); /* at the end */
	ck_assert_uint_eq(quiz_queue_left(&qu), 2);
	quiz_queue_remove(&qu, 6);
	ck_assert_int_eq(quiz_queue_insert(&qu, qu.pos, &q[5]), 0);
	ck_assert_ptr_eq(quiz_queue_next(&qu), &q[5]);
	ck_assert_ptr_eq(quiz_queue_next(&qu), &q[4]);
	ck_assert_ptr_null(quiz_queue_next(&qu));
	quiz_queue_free(&qu);
}
END_TEST

/* The generator is deterministic and stays in range. */
START_TEST(test_rng)
{
	struct quiz_rng a, b;
	quiz_rng_seed(&a, 99);
	quiz_rng_seed(&b, 99);
	int counts[3] = {0};
	for (int i = 0; i < 3000; i++) {
		ck_assert_uint_eq(quiz_rng_next(&a), quiz_rng_next(&b));
		counts[quiz_rng_below(&a, 3)]++;
		quiz_rng_below(&b, 3);
	}
	for (int i = 0; i < 3; i++)
		ck_assert_int_gt(counts[i], 800);
}
END_TEST

Suite *suite_quiz_session(void)
{
	Suite *s = suite_create("quiz_session");
	TCase *tc = tcase_create("session");
	tcase_add_test(tc, test_exam_paper);
	tcase_add_test(tc, test_modes);
	tcase_add_test(tc, test_choice_order);
	tcase_add_test(tc, test_check_answer);
	tcase_add_test(tc, test_queue);
	tcase_add_test(tc, test_rng);
	suite_add_tcase(s, tc);
	return s;
}
