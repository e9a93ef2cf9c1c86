/*
 * pattern.h - what a pattern file includes: the runtime (chanlab.h), the
 * registry (registry.h), and the few helpers a pattern needs to read its
 * parameters, model work, own memory and report what it checks.
 *
 * A pattern never prints and never knows how its trace is shown: it speaks
 * through cl_note() and the run context.
 */
#ifndef CHANLAB_PATTERNS_PATTERN_H
#define CHANLAB_PATTERNS_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "patterns/registry.h"
#include "runtime/chanlab.h"

/* The value of parameter NAME (a choice parameter: the index of its value).
 * Aborts with "chanlab: BUG:" if the pattern did not declare NAME. */
long pattern_param(struct pattern_run *run, const char *name);

/* Records that invariant NAME failed, with a message in plain words, and
 * notes it in the trace.  The first failure of a run is kept; the run goes
 * on (like a test's t.Errorf), and the verdict says "invariant". */
void pattern_fail(struct pattern_run *run, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Metrics: a named number the pattern measures.  A metric fails (verdict
 * "metric") when it has a limit and its value goes over it.  The name
 * "peak_tasks" is measured by the runtime (the most tasks alive at once):
 * a pattern only declares its limit. */
void pattern_metric(struct pattern_run *run, const char *name, int64_t value);
void pattern_metric_add(struct pattern_run *run, const char *name, int64_t delta);
void pattern_metric_max(struct pattern_run *run, const char *name, int64_t value);
void pattern_limit(struct pattern_run *run, const char *name, int64_t limit, const char *unit);
/* What metric NAME means, for the verdict of a run where it fails: a
 * sentence template (a string literal) with {value} and {limit}, e.g. "the
 * fast subscribers waited {value} for a message; a slow subscriber must not
 * hold them up beyond {limit}".  Set it beside pattern_limit. */
void pattern_metric_meaning(struct pattern_run *run, const char *name, const char *sentence);

/* Zeroed memory owned by the run: freed when the run is reset or freed, so
 * tasks never free what they got here (like Go's garbage collector). */
void *pattern_alloc(struct pattern_run *run, size_t size);

/* A simulated duration with a long tail, drawn from the run's seed: nine
 * times in ten uniform in [0, 2*typical), else uniform in [2*typical,
 * 10*typical).  Patterns sleep it to model work and latency. */
cl_time pattern_latency(cl_time typical);

/* For figures: add one, or a histogram with buckets starting at lo[0..n-1]. */
void pattern_figure(struct pattern_run *run, const char *name, double value, const char *unit);
struct pattern_histogram *pattern_histogram(struct pattern_run *run, const char *title,
                                            const char *unit, const int64_t *lo, int n);
void pattern_histogram_add(struct pattern_histogram *h, int64_t value);

/* Time in whole milliseconds, for notes and metrics. */
#define PATTERN_MS(t) ((long long)((t) / CL_MS))

/*
 * Patterns run on the runtime's virtual clock and scheduler: a libc sleep
 * or thread would step outside it.  Using one is a compile error with a name
 * that says what to use instead.
 */
#define sleep(s) use_cl_sleep_not_libc_sleep(s)
#define usleep(s) use_cl_sleep_not_libc_usleep(s)
#define nanosleep(a, b) use_cl_sleep_not_libc_nanosleep(a, b)
#define rand() use_cl_rand_not_libc_rand()
#define pthread_create(a, b, c, d) use_cl_go_not_pthread_create(a, b, c, d)

#endif
