/*
 * test_fsrs.c - the FSRS-6 scheduler against reference values (py-fsrs 6,
 * default parameters) to 4 decimals, and its learning-step state machine.
 */
#include <check.h>
#include <math.h>

#include "quiz/fsrs.h"

#define DAY 86400
#define EPS 0.00005

static struct quiz_fsrs fsrs(double retention)
{
	struct quiz_fsrs f;
	quiz_fsrs_init(&f, retention);
	return f;
}

/* Initial difficulty D0(G) for ratings 1..4; easy is clamped to 1.0. */
START_TEST(test_initial_difficulty)
{
	struct quiz_fsrs f = fsrs(0.9);
	const double want[] = {6.4133, 5.1122, 2.1181, 1.0};
	for (int g = 1; g <= 4; g++)
		ck_assert_double_eq_tol(quiz_fsrs_init_difficulty(&f, g, 1), want[g - 1], EPS);
	/* Unclamped easy (used by mean reversion) is about -4.77. */
	ck_assert_double_eq_tol(quiz_fsrs_init_difficulty(&f, 4, 0), -4.7717, 0.0001);
}
END_TEST

/* Initial stability is w0..w3. */
START_TEST(test_initial_stability)
{
	struct quiz_fsrs f = fsrs(0.9);
	const double want[] = {0.212, 1.2931, 2.3065, 8.2956};
	for (int g = 1; g <= 4; g++)
		ck_assert_double_eq_tol(quiz_fsrs_init_stability(&f, g), want[g - 1], EPS);
}
END_TEST

/* R(S, S) = 0.9 whatever the decay. */
START_TEST(test_retrievability)
{
	struct quiz_fsrs f = fsrs(0.9);
	ck_assert_double_eq_tol(quiz_fsrs_retrievability(&f, 10, 10), 0.9, 1e-9);
	ck_assert_double_eq_tol(quiz_fsrs_retrievability(&f, 0, 10), 1.0, 1e-9);
}
END_TEST

/* A review card S=10, D=5 reviewed after 10 days (R = 0.9). */
START_TEST(test_review_after_ten_days)
{
	struct quiz_fsrs f = fsrs(0.9);
	const double want_s[] = {1.3920, 23.2469, 32.0267, 51.2539};
	const double want_d[] = {8.3418, 6.6660, 4.9902, 3.3145};
	for (int g = 1; g <= 4; g++) {
		struct quiz_card c;
		quiz_card_init(&c);
		c.state = QUIZ_CARD_REVIEW;
		c.stability = 10;
		c.difficulty = 5;
		c.reps = 3;
		c.last_review = 1000000;
		ck_assert_int_eq(quiz_fsrs_review(&f, &c, g, 1000000 + 10 * DAY), 0);
		ck_assert_double_eq_tol(c.stability, want_s[g - 1], EPS);
		ck_assert_double_eq_tol(c.difficulty, want_d[g - 1], EPS);
		ck_assert_int_eq(c.reps, 4);
		ck_assert_int_eq(c.lapses, g == 1 ? 1 : 0);
		ck_assert_int_eq(c.state, g == 1 ? QUIZ_CARD_RELEARNING : QUIZ_CARD_REVIEW);
	}
}
END_TEST

/* The interval is S at retention 0.9, and 19 days for S=10 at 0.85. */
START_TEST(test_interval)
{
	struct quiz_fsrs f = fsrs(0.9);
	ck_assert_int_eq(quiz_fsrs_interval(&f, 10), 10);
	struct quiz_fsrs g = fsrs(0.85);
	ck_assert_int_eq(quiz_fsrs_interval(&g, 10), 19);
	ck_assert_int_eq(quiz_fsrs_interval(&g, 0.01), 1);
}
END_TEST

/* A new card: again stays in learning 1 minute; good steps to 10 minutes;
 * a second good graduates it to a review in days; easy graduates at once. */
START_TEST(test_learning_steps)
{
	struct quiz_fsrs f = fsrs(0.9);
	struct quiz_card c;
	int64_t t = 1700000000;
	quiz_card_init(&c);
	quiz_fsrs_review(&f, &c, QUIZ_AGAIN, t);
	ck_assert_int_eq(c.state, QUIZ_CARD_LEARNING);
	ck_assert_int_eq(c.due - t, 60);
	ck_assert_double_eq_tol(c.difficulty, 6.4133, EPS);
	quiz_fsrs_review(&f, &c, QUIZ_GOOD, t + 60);
	ck_assert_int_eq(c.state, QUIZ_CARD_LEARNING);
	ck_assert_int_eq(c.due - (t + 60), 600);
	quiz_fsrs_review(&f, &c, QUIZ_GOOD, t + 660);
	ck_assert_int_eq(c.state, QUIZ_CARD_REVIEW);
	ck_assert_int_ge(c.due - (t + 660), DAY);
	ck_assert_int_eq(c.reps, 3);

	quiz_card_init(&c);
	quiz_fsrs_review(&f, &c, QUIZ_EASY, t);
	ck_assert_int_eq(c.state, QUIZ_CARD_REVIEW);
	ck_assert_int_eq(c.due - t, 8 * DAY); /* S0(easy) = 8.2956 */

	/* A rating outside 1..4 is refused and changes nothing. */
	struct quiz_card before = c;
	ck_assert_int_eq(quiz_fsrs_review(&f, &c, 5, t), -1);
	ck_assert_int_eq(c.reps, before.reps);
}
END_TEST

/* A same-day review uses the short-term formula; good never lowers S. */
START_TEST(test_short_term)
{
	struct quiz_fsrs f = fsrs(0.9);
	ck_assert_double_ge(quiz_fsrs_short_term_stability(&f, 10, QUIZ_GOOD), 10);
	ck_assert_double_lt(quiz_fsrs_short_term_stability(&f, 10, QUIZ_AGAIN), 10);
	double want = 2.3065 * exp(0.5425 * 0.0912) * pow(2.3065, -0.0658);
	ck_assert_double_eq_tol(quiz_fsrs_short_term_stability(&f, 2.3065, QUIZ_GOOD),
	                        want > 2.3065 ? want : 2.3065, 1e-9);
}
END_TEST

Suite *suite_quiz_fsrs(void)
{
	Suite *s = suite_create("quiz_fsrs");
	TCase *tc = tcase_create("fsrs");
	tcase_add_test(tc, test_initial_difficulty);
	tcase_add_test(tc, test_initial_stability);
	tcase_add_test(tc, test_retrievability);
	tcase_add_test(tc, test_review_after_ten_days);
	tcase_add_test(tc, test_interval);
	tcase_add_test(tc, test_learning_steps);
	tcase_add_test(tc, test_short_term);
	suite_add_tcase(s, tc);
	return s;
}
