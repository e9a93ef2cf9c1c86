/*
 * testlib.h - helpers shared by the test suites.
 */
#ifndef CHANLAB_TESTLIB_H
#define CHANLAB_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>

/* n scaled by CHANLAB_TEST_SCALE (sanitizer builds set it below 1 so long
 * soak loops stay short); never less than min. */
long test_scaled(long n, long min);

/* True in the scaled-down builds (debug, sanitizers, valgrind:
 * CHANLAB_TEST_SCALE < 1). */
bool test_scaled_down(void);

/* True, after a one-line notice naming the test, in the scaled-down
 * builds (debug, sanitizers, valgrind: CHANLAB_TEST_SCALE < 1).  Heavy
 * checks -- long explores, Go builds, browsers, whole-pack verification --
 * call it first and return, so .ci/run stays under its 30-minute budget. */
bool test_heavy_skipped(const char *name);

/* The libcheck tag of test cases that time real threads or real programs
 * (Go originals, par-only patterns): make check runs them alone after the
 * suites that run side by side, so the others' load does not move them. */
#define TAG_SERIAL "serial"

/* Reads a whole file into a malloc'd NUL-terminated buffer; NULL on error. */
char *test_read_file(const char *path, size_t *size);

/* Path of the chanlab binary under test (CHANLAB_BIN, else ./chanlab). */
const char *test_chanlab_bin(void);

/* Runs a shell command, captures its stdout into a malloc'd buffer and its
 * exit status into *status (-1 if it did not exit normally). */
char *test_run_capture(const char *command, int *status);

#endif
