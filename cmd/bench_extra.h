/*
 * bench_extra.h - the second table of `chanlab bench`: the figures issues 4
 * and 5 ask for beside the runtime's costs.  `chanlab run` of a pattern end
 * to end (the binary itself, forked and exec'd), explore's schedules per
 * second on worker-pool, the jsonl renderer over a million synthetic events,
 * and loading plus linting a generated bank of 1,000 questions.
 */
#ifndef CHANLAB_BENCH_EXTRA_H
#define CHANLAB_BENCH_EXTRA_H

#include <stdbool.h>
#include <stddef.h>

/* Runs `SELF run PATTERN --quiet --format text` (output to /dev/null)
 * samples times after one warm-up: median wall ms in *ms, the last exit
 * status in *status.  0, or -1 with err. */
int bench_run_ms(const char *self_exe, const char *pattern, int samples, double *ms,
                     int *status, char *err, size_t errsize);

/* Explores worker-pool (variant correct, default parameters) in process
 * through ex_explore (explore/explore.h: random strategy, no shrinking, the
 * race detector off): median schedules per second of samples batches of
 * about batch_s seconds each.  0, or -1 with err. */
int bench_explore_rate(int samples, double batch_s, double *per_s, char *err, size_t errsize);
/* The same for any pattern and variant, with the race detector on or off
 * (ex_options.race, cl_config.race): the detector's cost is the ratio of the
 * two rates), on `processes` worker processes (ex_options.processes; 1: in
 * this one). */
int bench_explore_rate_of(const char *pattern, const char *variant, bool race, int processes,
                          int samples, double batch_s, double *per_s, char *err, size_t errsize);

/* Renders events synthetic events with the jsonl renderer to /dev/null:
 * median seconds of samples runs.  0, or -1 with err. */
int bench_jsonl(long events, int samples, double *secs, char *err, size_t errsize);

/* Loads (quiz_bank_load_mem) and lints (quiz_lint, strict, with the pattern
 * links) a generated bank of questions questions: median ms of samples
 * runs.  0, or -1 with err (also when the generated bank is not clean). */
int bench_quiz_load(int questions, int samples, double *ms, char *err, size_t errsize);

/* Opens a page of `SELF run worker-pool --jobs JOBS --format html` (written
 * once into tmpdir) in headless chromium: the ms the page says it took to
 * become interactive.  0; 1 with err when chromium is not installed; -1
 * with err. */
int bench_html_ready(const char *self_exe, const char *tmpdir, int jobs, double *ms, char *err,
                     size_t errsize);

#endif
