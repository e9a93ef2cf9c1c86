/*
 * lessons.h - checks the lifecycle patterns' suites share (issue 15): how
 * often a broken variant's mistake shows over many seeds, and that each
 * broken variant carries its lesson and exactly one MISTAKE marker in its C
 * source and in its Go original.
 */
#ifndef CHANLAB_TESTS_PATTERNS_LESSONS_H
#define CHANLAB_TESTS_PATTERNS_LESSONS_H

/* PATTERN:VARIANT (random strategy, parameters as "name", "value" pairs
 * ending in NULL) shows its declared outcome on at least min_pct and at
 * most max_pct percent of seeds 1..200 (scaled by CHANLAB_TEST_SCALE). */
void check_share(const char *pattern, const char *variant, const char *const *params,
                 int min_pct, int max_pct);

/* Every broken variant of PATTERN has a lesson, one
 * "MISTAKE(variant):" marker in the C source and one "// MISTAKE(variant):"
 * in the Go original (both as embedded in the binary). */
void check_lessons(const char *pattern);

#endif
