/*
 * bench_go.h - `chanlab bench --vs-go`: finds `go` and bench/go/ (our Go
 * counterparts of each row), builds them once into a temporary directory,
 * and runs them with GOMAXPROCS=N: `go test -bench` for the ns/op rows, the
 * million program for the blocked rows, the workerpool program for the
 * worker-pool row.  Every figure is a median.
 */
#ifndef CHANLAB_CMD_BENCH_GO_H
#define CHANLAB_CMD_BENCH_GO_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

struct cmd_bench_go {
	char dir[PATH_MAX];          /* bench/go */
	char tmp[PATH_MAX];          /* where the binaries were built */
	char version[64];            /* "go1.19.8" */
	int procs;                   /* GOMAXPROCS */
	bool quick;                  /* shorter -benchtime */
};

/* Finds go on PATH and bench/go (CHANLAB_BENCH_GO, ./bench/go, or beside the
 * binary self_exe), and builds the counterparts.  Returns 0, or -1 with why
 * (one line) when Go's figures cannot be had. */
int cmd_bench_go_open(struct cmd_bench_go *g, const char *self_exe, int procs, bool quick,
                      char *why, size_t whysize);

/* Runs the Go benchmarks names[0..n-1] ("PingPong" for BenchmarkPingPong)
 * with -count count and stores each one's median ns/op in ns[i] (-1 when it
 * gave none).  Returns 0, or -1 when the test binary could not run. */
int cmd_bench_go_tests(const struct cmd_bench_go *g, const char *const *names, double *ns, int n,
                       int count);

/* Runs `million N` count times: medians of its seconds, peak RSS growth per
 * goroutine (KiB) and peak RSS growth (MiB).  0 or -1. */
int cmd_bench_go_million(const struct cmd_bench_go *g, long n, int count, double *secs,
                         double *kib_per_task, double *rss_mib);

/* Runs `workerpool N 8` count times: median seconds.  0 or -1. */
int cmd_bench_go_workerpool(const struct cmd_bench_go *g, long n, int count, double *secs);

/* Removes the temporary directory. */
void cmd_bench_go_close(struct cmd_bench_go *g);

/* Median of v[0..n-1] (sorts v); -1 when n == 0. */
double cmd_bench_median(double *v, int n);

#endif
