/*
 * go_driver.h - `chanlab bench --vs-go`: finds `go` and bench/go/ (our Go
 * counterparts of each row), builds them once per invocation into the
 * user's cache folder, and runs one sample at a time with GOMAXPROCS=N, so
 * the harness can interleave Go with the other peers round by round:
 * `go test -bench` for the ns/op rows, the million program for the blocked
 * rows, the workerpool program for the worker-pool row.  This is the one
 * Go driver; `make bench` is `chanlab bench --vs-go`.
 */
#ifndef CHANLAB_BENCH_GO_H
#define CHANLAB_BENCH_GO_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

struct bench_go {
	char dir[PATH_MAX];          /* bench/go, or its installed copy */
	char tmp[PATH_MAX];          /* where the binaries were built */
	bool remove;                 /* tmp is inside the bench's temporary folder */
	char version[64];            /* "go1.19.8" */
	bool quick;                  /* shorter -benchtime */
};

/* Finds go on PATH and bench/go (CHANLAB_BENCH_GO, ./bench/go, beside the
 * binary self_exe, or CHANLAB_DATADIR/bench/go once installed), and builds
 * the counterparts into $XDG_CACHE_HOME/chanlab/bench-go (~/.cache when it
 * is unset; without either, into tmp_parent/go).  Returns 0, or -1 with
 * why (one line) when Go's figures cannot be had. */
int bench_go_open(struct bench_go *g, const char *self_exe, const char *tmp_parent, bool quick,
                  char *why, size_t whysize);

/* One run of BenchmarkNAME with GOMAXPROCS=procs: its ns/op.  0 or -1. */
int bench_go_test(const struct bench_go *g, const char *name, int procs, double *ns);

/* One run of BenchmarkNAME with GOMAXPROCS=procs: the metric it reports
 * with b.ReportMetric(v, unit).  0 or -1. */
int bench_go_metric(const struct bench_go *g, const char *name, int procs, const char *unit,
                    double *value);

/* One run of `million N`: its seconds, peak RSS growth per goroutine (KiB)
 * and peak RSS growth (MiB).  0 or -1. */
int bench_go_million(const struct bench_go *g, long n, int procs, double *secs,
                     double *kib_per_task, double *rss_mib);

/* One run of `workerpool N 8`: its seconds.  0 or -1. */
int bench_go_workerpool(const struct bench_go *g, long n, int procs, double *secs);

/* Removes what was built in the temporary folder (the cache stays). */
void bench_go_close(struct bench_go *g);

/* Median of v[0..n-1] (sorts v); -1 when n == 0. */
double bench_median(double *v, int n);

#endif
