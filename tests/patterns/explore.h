/*
 * explore.h - what the pattern suites share: run a variant under many
 * schedules and check the promise it declares, as `chanlab explore` does.
 */
#ifndef CHANLAB_TESTS_PATTERNS_EXPLORE_H
#define CHANLAB_TESTS_PATTERNS_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>

#include "patterns/registry.h"

struct explore_result {
	long runs;                    /* schedules run */
	long kept;                    /* schedules that showed the declared outcome */
	uint64_t first_broken_seed;   /* 0: none broke the promise */
	char first_broken[512];       /* what happened there */
	uint64_t first_kept_seed;     /* 0: none kept it */
};

/* Runs n schedules (seeds 1..n) of PATTERN:VARIANT with the parameters given
 * as "name", "value" pairs ending in NULL.  With stop_when_kept, stops at the
 * first schedule that shows the declared outcome (for broken variants). */
void explore(const char *pattern, const char *variant, enum cl_strategy strategy, int depth,
             long n, const char *const *params, bool stop_when_kept, struct explore_result *out);

/* A correct variant: n_random random and n_pct PCT (depth 3) schedules, all
 * keeping the promise (counts scaled by CHANLAB_TEST_SCALE). */
void check_correct(const char *pattern, const char *variant, const char *const *params);

/* A broken variant shows its declared outcome within n schedules (random,
 * then PCT depth 3 if random did not find it). */
void check_broken(const char *pattern, const char *variant, const char *const *params);

#endif
