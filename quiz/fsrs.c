/*
 * fsrs.c - the FSRS-6 scheduler (see fsrs.h).  The formulas and the
 * learning-step state machine follow py-fsrs 6 (open-spaced-repetition),
 * without fuzz; the tests check its reference values to 4 decimals.
 */
#include <math.h>
#include <string.h>

#include "quiz/fsrs.h"

static const double fsrs6_default_w[QUIZ_FSRS_NW] = {
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722,
	0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425,
	0.0912, 0.0658, 0.1542,
};

#define STABILITY_MIN 0.001
#define MINUTE 60
#define DAY 86400

/* Learning steps in seconds (py-fsrs defaults). */
static const int learning_steps[] = {1 * MINUTE, 10 * MINUTE};
static const int relearning_steps[] = {10 * MINUTE};
#define NLEARN ((int)(sizeof learning_steps / sizeof learning_steps[0]))
#define NRELEARN ((int)(sizeof relearning_steps / sizeof relearning_steps[0]))

void quiz_fsrs_init(struct quiz_fsrs *f, double retention)
{
	memcpy(f->w, fsrs6_default_w, sizeof f->w);
	f->retention = retention > 0 && retention < 1 ? retention : 0.9;
	f->max_interval = 36500;
}

void quiz_card_init(struct quiz_card *c)
{
	memset(c, 0, sizeof *c);
	c->state = QUIZ_CARD_NEW;
}

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static double clamp_stability(double s)
{
	return s < STABILITY_MIN ? STABILITY_MIN : s;
}

double quiz_fsrs_init_stability(const struct quiz_fsrs *f, int rating)
{
	return clamp_stability(f->w[rating - 1]);
}

double quiz_fsrs_init_difficulty(const struct quiz_fsrs *f, int rating, int clamped)
{
	double d = f->w[4] - exp(f->w[5] * (rating - 1)) + 1;
	return clamped ? clamp(d, 1, 10) : d;
}

/* The curve's factor: chosen so that R(S, S) = 0.9 for any decay. */
static double curve_factor(const struct quiz_fsrs *f)
{
	return pow(0.9, -1.0 / f->w[20]) - 1;
}

double quiz_fsrs_retrievability(const struct quiz_fsrs *f, double elapsed_days, double s)
{
	if (elapsed_days < 0)
		elapsed_days = 0;
	return pow(1 + curve_factor(f) * elapsed_days / s, -f->w[20]);
}

double quiz_fsrs_next_difficulty(const struct quiz_fsrs *f, double d, int rating)
{
	double delta = -f->w[6] * (rating - 3);
	double damped = d + delta * (10 - d) / 9;           /* linear damping */
	double easy0 = quiz_fsrs_init_difficulty(f, QUIZ_EASY, 0);  /* unclamped, ~ -4.77 */
	double next = f->w[7] * easy0 + (1 - f->w[7]) * damped;    /* mean reversion */
	return clamp(next, 1, 10);
}

double quiz_fsrs_recall_stability(const struct quiz_fsrs *f, double d, double s, double r,
                                  int rating)
{
	double hard = rating == QUIZ_HARD ? f->w[15] : 1;
	double easy = rating == QUIZ_EASY ? f->w[16] : 1;
	double inc = exp(f->w[8]) * (11 - d) * pow(s, -f->w[9]) *
	             (exp((1 - r) * f->w[10]) - 1) * hard * easy;
	return clamp_stability(s * (1 + inc));
}

double quiz_fsrs_forget_stability(const struct quiz_fsrs *f, double d, double s, double r)
{
	double long_term = f->w[11] * pow(d, -f->w[12]) * (pow(s + 1, f->w[13]) - 1) *
	                   exp((1 - r) * f->w[14]);
	double short_term = s / exp(f->w[17] * f->w[18]);
	return clamp_stability(long_term < short_term ? long_term : short_term);
}

double quiz_fsrs_short_term_stability(const struct quiz_fsrs *f, double s, int rating)
{
	double inc = exp(f->w[17] * (rating - 3 + f->w[18])) * pow(s, -f->w[19]);
	if (rating >= QUIZ_GOOD && inc < 1)
		inc = 1;
	return clamp_stability(s * inc);
}

int quiz_fsrs_interval(const struct quiz_fsrs *f, double s)
{
	double days = s / curve_factor(f) * (pow(f->retention, -1.0 / f->w[20]) - 1);
	long n = lround(days);
	if (n < 1)
		n = 1;
	if (n > f->max_interval)
		n = f->max_interval;
	return (int)n;
}

/* New memory state after a review of a card that has one. */
static void update_memory(const struct quiz_fsrs *f, struct quiz_card *c, int rating,
                          int64_t now)
{
	int64_t days = (now - c->last_review) / DAY;
	if (days < 1) {
		c->stability = quiz_fsrs_short_term_stability(f, c->stability, rating);
	} else {
		double r = quiz_fsrs_retrievability(f, (double)days, c->stability);
		c->stability = rating == QUIZ_AGAIN
		                   ? quiz_fsrs_forget_stability(f, c->difficulty, c->stability, r)
		                   : quiz_fsrs_recall_stability(f, c->difficulty, c->stability, r,
		                                                rating);
	}
	c->difficulty = quiz_fsrs_next_difficulty(f, c->difficulty, rating);
}

static int64_t graduate(const struct quiz_fsrs *f, struct quiz_card *c)
{
	c->state = QUIZ_CARD_REVIEW;
	c->step = 0;
	return (int64_t)quiz_fsrs_interval(f, c->stability) * DAY;
}

/* The step machine of the learning and relearning states; returns the delay. */
static int64_t step_delay(const struct quiz_fsrs *f, struct quiz_card *c, int rating,
                          const int *steps, int nsteps)
{
	if (nsteps == 0 || (c->step >= nsteps && rating != QUIZ_AGAIN))
		return graduate(f, c);
	switch (rating) {
	case QUIZ_AGAIN:
		c->step = 0;
		return steps[0];
	case QUIZ_HARD:
		if (c->step == 0 && nsteps == 1)
			return steps[0] * 3 / 2;
		if (c->step == 0)
			return (steps[0] + steps[1]) / 2;
		return steps[c->step];
	case QUIZ_GOOD:
		if (c->step + 1 >= nsteps)
			return graduate(f, c);
		c->step++;
		return steps[c->step];
	default:
		return graduate(f, c);
	}
}

int quiz_fsrs_review(const struct quiz_fsrs *f, struct quiz_card *c, int rating, int64_t now)
{
	if (rating < QUIZ_AGAIN || rating > QUIZ_EASY)
		return -1;
	int64_t delay;
	switch (c->state) {
	case QUIZ_CARD_REVIEW:
		update_memory(f, c, rating, now);
		if (rating == QUIZ_AGAIN) {
			c->lapses++;
			c->state = QUIZ_CARD_RELEARNING;
			c->step = 0;
			delay = step_delay(f, c, rating, relearning_steps, NRELEARN);
		} else {
			delay = (int64_t)quiz_fsrs_interval(f, c->stability) * DAY;
		}
		break;
	case QUIZ_CARD_RELEARNING:
		update_memory(f, c, rating, now);
		delay = step_delay(f, c, rating, relearning_steps, NRELEARN);
		break;
	case QUIZ_CARD_LEARNING:
		update_memory(f, c, rating, now);
		delay = step_delay(f, c, rating, learning_steps, NLEARN);
		break;
	default: /* new */
		c->stability = quiz_fsrs_init_stability(f, rating);
		c->difficulty = quiz_fsrs_init_difficulty(f, rating, 1);
		c->state = QUIZ_CARD_LEARNING;
		c->step = 0;
		delay = step_delay(f, c, rating, learning_steps, NLEARN);
		break;
	}
	c->reps++;
	c->last_review = now;
	c->due = now + delay;
	return 0;
}
