/*
 * clirun.h - running the chanlab binary under test (CHANLAB_BIN) from the
 * CLI suites, and finding the golden traces of a variant.
 */
#ifndef CHANLAB_TESTS_CLI_CLIRUN_H
#define CHANLAB_TESTS_CLI_CLIRUN_H

#include <stdbool.h>
#include <stdint.h>

#include "patterns/registry.h"

#define GOLDEN_DIR "tests/golden"

/* Runs "chanlab ARGS" through sh with NO_COLOR=1 and COLUMNS unset; ARGS is
 * a printf format and may redirect (e.g. "2>&1 >/dev/null" captures
 * stderr).  Returns stdout (malloc'd, never NULL) and the exit status. */
char *cli_run(int *status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The seed of the golden trace tests/golden/PATTERN-VARIANT-seedN.txt, or 0
 * if there is none. */
uint64_t golden_seed(const char *pattern, const char *variant);

/* The exit code `chanlab run` gives for a declared outcome ("deadlock": 3). */
int outcome_exit(const char *outcome);

/* Runs fn for every variant of every registered pattern that det can run
 * (par-only patterns have no golden and no replay: their own tests cover them). */
void for_each_variant(void (*fn)(const struct pattern *p, const struct pattern_variant *v, void *ctx),
                      void *ctx);

#endif
