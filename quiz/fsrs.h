/*
 * fsrs.h - the FSRS-6 spaced-repetition scheduler: from a card's memory state
 * (stability, difficulty) and a rating, the next state and due time.
 *
 * Published FSRS-6 default parameters, desired retention 0.9 unless the
 * caller says otherwise, no fuzz.  Learning steps follow py-fsrs: 1 and 10
 * minutes for a new card, 10 minutes after a lapse.  Times are Unix seconds;
 * the elapsed time used for retrievability is whole days, as in py-fsrs.
 * Pure functions: no I/O, no global state.
 */
#ifndef CHANLAB_QUIZ_FSRS_H
#define CHANLAB_QUIZ_FSRS_H

#include <stdint.h>

enum quiz_rating {
	QUIZ_AGAIN = 1,
	QUIZ_HARD = 2,
	QUIZ_GOOD = 3,
	QUIZ_EASY = 4,
};

enum quiz_card_state {
	QUIZ_CARD_NEW = 0,        /* never reviewed */
	QUIZ_CARD_LEARNING = 1,   /* in the learning steps */
	QUIZ_CARD_REVIEW = 2,     /* scheduled in days */
	QUIZ_CARD_RELEARNING = 3, /* lapsed; in the relearning steps */
};

#define QUIZ_FSRS_NW 21

struct quiz_fsrs {
	double w[QUIZ_FSRS_NW];   /* w0..w20 */
	double retention;         /* desired retention, (0, 1) */
	int max_interval;         /* days */
};

struct quiz_card {
	double stability;         /* days until R falls to 0.9; 0 when new */
	double difficulty;        /* 1..10; 0 when new */
	int64_t due;              /* Unix seconds; 0 when new */
	int64_t last_review;      /* Unix seconds; 0 when new */
	int reps;                 /* reviews so far */
	int lapses;               /* times a review card was forgotten */
	int state;                /* enum quiz_card_state */
	int step;                 /* index in the (re)learning steps */
};

/* Default FSRS-6 parameters with this desired retention (0.9 if r <= 0 or r >= 1). */
void quiz_fsrs_init(struct quiz_fsrs *f, double retention);

/* A new card: every field zero, state NEW. */
void quiz_card_init(struct quiz_card *c);

/* --- the formulas (exposed for the tests) --------------------------------- */

double quiz_fsrs_init_stability(const struct quiz_fsrs *f, int rating);
/* D0(G) = w4 - e^(w5 (G-1)) + 1, clamped to [1, 10] when clamp is set. */
double quiz_fsrs_init_difficulty(const struct quiz_fsrs *f, int rating, int clamp);
/* R(t, S) = (1 + factor t / S)^-w20 with factor = 0.9^(-1/w20) - 1. */
double quiz_fsrs_retrievability(const struct quiz_fsrs *f, double elapsed_days, double s);
/* Linear damping, then mean reversion towards the unclamped D0(easy). */
double quiz_fsrs_next_difficulty(const struct quiz_fsrs *f, double d, int rating);
/* Stability after a successful review (hard, good, easy). */
double quiz_fsrs_recall_stability(const struct quiz_fsrs *f, double d, double s, double r,
                                  int rating);
/* Stability after a lapse (again). */
double quiz_fsrs_forget_stability(const struct quiz_fsrs *f, double d, double s, double r);
/* Stability after a same-day review. */
double quiz_fsrs_short_term_stability(const struct quiz_fsrs *f, double s, int rating);
/* Days until R falls to the desired retention, rounded, in [1, max_interval]. */
int quiz_fsrs_interval(const struct quiz_fsrs *f, double s);

/*
 * Applies one review with rating (1..4) at time now to c: the new memory
 * state, state, step, due, reps, lapses, last_review.  A rating outside 1..4
 * leaves c alone and returns -1; otherwise 0.
 */
int quiz_fsrs_review(const struct quiz_fsrs *f, struct quiz_card *c, int rating, int64_t now);

#endif
