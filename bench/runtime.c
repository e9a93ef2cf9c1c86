/*
 * runtime.c - `make bench`: what the runtime's operations cost under the
 * det scheduler on one OS thread, beside Go's cost for the same work when
 * `go` is installed (bench/go/, run in the same invocation).
 *
 * Each figure is the median of five runs.  The blocked-task figures run in
 * a child process so its peak RSS is the figure's own.
 *
 * Usage: bench-runtime [--no-go] [--quick]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime/chanlab.h"

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static long iterations = 2000000;

/* ---- the programs measured ------------------------------------------------------- */

struct bench_arg {
	long n;
	double ns;        /* measured inside the run, excluding setup */
};

static void yielder(void *arg)
{
	long n = *(long *)arg;
	for (long i = 0; i < n; i++)
		cl_yield();
}

/* Two tasks yielding to each other: with two runnable tasks the random
 * strategy switches on about half the yields, so we count switches. */
static void switch_main(void *arg)
{
	struct bench_arg *b = arg;
	cl_go(yielder, &b->n, "yielder");
	double t0 = now_ns();
	for (long i = 0; i < b->n; i++)
		cl_yield();
	b->ns = now_ns() - t0;
}

static void pong(void *arg)
{
	cl_chan **ch = arg;
	int v;
	while (cl_recv(ch[0], &v))
		cl_send(ch[1], &v);
}

static void pingpong_main(void *arg)
{
	struct bench_arg *b = arg;
	cl_chan *ch[2] = {cl_make("ping", int, 0), cl_make("pong", int, 0)};
	cl_go(pong, ch, "pong");
	double t0 = now_ns();
	for (long i = 0; i < b->n; i++) {
		int v = (int)i;
		cl_send(ch[0], &v);
		cl_recv(ch[1], &v);
	}
	b->ns = now_ns() - t0;
	cl_close(ch[0]);
}

static void spsc_consumer(void *arg)
{
	cl_chan **ch = arg;
	int v;
	while (cl_recv(ch[0], &v)) {
	}
	cl_close(ch[1]);
}

static void spsc_main(void *arg)
{
	struct bench_arg *b = arg;
	cl_chan *ch[2] = {cl_make("items", int, 128), cl_chan_make("done", 0, 0)};
	cl_go(spsc_consumer, ch, "consumer");
	double t0 = now_ns();
	for (long i = 0; i < b->n; i++) {
		int v = (int)i;
		cl_send(ch[0], &v);
	}
	cl_close(ch[0]);
	cl_recv(ch[1], NULL);
	b->ns = now_ns() - t0;
}

static void select_main(void *arg)
{
	struct bench_arg *b = arg;
	cl_chan *a = cl_make("a", int, 1), *c = cl_make("c", int, 1);
	int v = 0;
	struct cl_case cases[2] = {CL_RECV_CASE(a, &v), CL_RECV_CASE(c, &v)};
	double t0 = now_ns();
	for (long i = 0; i < b->n; i++) {
		cl_send(i & 1 ? c : a, &v);
		cl_select(cases, 2);
	}
	b->ns = now_ns() - t0;
}

static void nothing(void *arg)
{
	(void)arg;
}

static void spawn_main(void *arg)
{
	struct bench_arg *b = arg;
	double t0 = now_ns();
	for (long i = 0; i < b->n; i++) {
		cl_go(nothing, NULL, "t");
		cl_yield();
	}
	b->ns = now_ns() - t0;
}

static void mutex_main(void *arg)
{
	struct bench_arg *b = arg;
	cl_mutex *mu = cl_mutex_new("mu");
	double t0 = now_ns();
	for (long i = 0; i < b->n; i++) {
		cl_lock(mu);
		cl_unlock(mu);
	}
	b->ns = now_ns() - t0;
}

static void gate_waiter(void *arg)
{
	cl_recv(arg, NULL);
}

static void blocked_main(void *arg)
{
	struct bench_arg *b = arg;
	double t0 = now_ns();
	cl_chan *gate = cl_chan_make("gate", 0, 0);
	for (long i = 0; i < b->n; i++)
		cl_go(gate_waiter, gate, "w");
	cl_sleep(CL_MS);   /* every task is parked on the gate now */
	cl_close(gate);
	cl_sleep(CL_MS);   /* and every one has run to its end */
	b->ns = now_ns() - t0;
}

/* ---- measuring ---------------------------------------------------------------------- */

static double run_once(void (*fn)(void *), long n)
{
	struct bench_arg b = {n, 0};
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.max_steps = 0;           /* no limit */
	cfg.livelock_steps = 0;      /* lock and yield loops deliver no messages */
	struct cl_result r;
	if (cl_run(fn, &b, &cfg, &r) != 0 || r.outcome != CL_OUTCOME_OK) {
		fprintf(stderr, "bench: run failed: %s\n", r.report ? r.report : cl_outcome_name(r.outcome));
		exit(1);
	}
	cl_result_free(&r);
	return b.ns;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median5(void (*fn)(void *), long n, double per)
{
	double v[5];
	run_once(fn, n / 10);   /* warm the stack cache */
	for (int i = 0; i < 5; i++)
		v[i] = run_once(fn, n) / per;
	qsort(v, 5, sizeof v[0], cmp_double);
	return v[2];
}

/* Runs the blocked-task program in a child; returns seconds and sets the
 * peak RSS growth per task in KiB. */
static double blocked_in_child(long n, double *kib_per_task)
{
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		long before = ru.ru_maxrss;
		double ns = run_once(blocked_main, n);
		getrusage(RUSAGE_SELF, &ru);
		double out[2] = {ns / 1e9, (double)(ru.ru_maxrss - before) / (double)n};
		if (write(fds[1], out, sizeof out) != (ssize_t)sizeof out)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	double out[2] = {-1, -1};
	if (read(fds[0], out, sizeof out) != (ssize_t)sizeof out)
		out[0] = -1;
	close(fds[0]);
	waitpid(pid, NULL, 0);
	*kib_per_task = out[1];
	return out[0];
}

/* ---- Go's figures ---------------------------------------------------------------------- */

struct go_figure {
	const char *bench;     /* Go benchmark name */
	double value;
};

static struct go_figure go_figs[] = {
	{"BenchmarkPingPong", -1}, {"BenchmarkSPSC", -1}, {"BenchmarkSelect2", -1},
	{"BenchmarkSpawnJoin", -1}, {"BenchmarkMutex", -1}, {"BenchmarkGosched", -1},
};
static double go_blocked[2][2] = {{-1, -1}, {-1, -1}};   /* seconds, KiB per goroutine */

static double go_get(const char *name)
{
	for (size_t i = 0; i < sizeof go_figs / sizeof go_figs[0]; i++)
		if (strcmp(go_figs[i].bench, name) == 0)
			return go_figs[i].value;
	return -1;
}

static void go_measure(bool quick)
{
	fprintf(stderr, "bench: running Go's counterparts (bench/go, GOMAXPROCS=2)...\n");
	FILE *p = popen("cd bench/go && GOMAXPROCS=2 GOFLAGS=-mod=mod go test -run x -bench . "
	                "-count 5 2>&1", "r");
	if (!p)
		return;
	char line[512];
	double vals[sizeof go_figs / sizeof go_figs[0]][5];
	int nv[sizeof go_figs / sizeof go_figs[0]] = {0};
	while (fgets(line, sizeof line, p)) {
		char name[128];
		long n;
		double ns;
		if (sscanf(line, "%127s %ld %lf ns/op", name, &n, &ns) != 3)
			continue;
		char *dash = strrchr(name, '-');
		if (dash)
			*dash = '\0';
		for (size_t i = 0; i < sizeof go_figs / sizeof go_figs[0]; i++)
			if (strcmp(go_figs[i].bench, name) == 0 && nv[i] < 5)
				vals[i][nv[i]++] = ns;
	}
	pclose(p);
	for (size_t i = 0; i < sizeof go_figs / sizeof go_figs[0]; i++) {
		if (!nv[i])
			continue;
		qsort(vals[i], (size_t)nv[i], sizeof(double), cmp_double);
		go_figs[i].value = vals[i][nv[i] / 2];
	}
	long ns[2] = {100000, quick ? 200000 : 1000000};
	for (int k = 0; k < 2; k++) {
		char cmd[256];
		snprintf(cmd, sizeof cmd, "cd bench/go/million && GOMAXPROCS=2 go run . %ld 2>&1", ns[k]);
		p = popen(cmd, "r");
		if (!p)
			continue;
		while (fgets(line, sizeof line, p))
			if (sscanf(line, "seconds=%lf kib_per_goroutine=%lf", &go_blocked[k][0],
			           &go_blocked[k][1]) == 2)
				break;
		pclose(p);
	}
}

/* ---- the table ------------------------------------------------------------------------- */

static void row(const char *name, double ours, const char *unit, double go, const char *target)
{
	printf("%-34s %10.1f %-6s", name, ours, unit);
	if (go > 0)
		printf(" %10.1f %-6s %6.2fx", go, unit, ours / go);
	else
		printf(" %10s %-6s %7s", "-", "", "");
	printf("   %s\n", target);
}

int main(int argc, char **argv)
{
	bool use_go = true, quick = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-go") == 0)
			use_go = false;
		else if (strcmp(argv[i], "--quick") == 0)
			quick = true;
		else {
			fprintf(stderr, "usage: bench-runtime [--no-go] [--quick]\n");
			return 64;
		}
	}
	if (quick)
		iterations /= 10;
	if (use_go && system("command -v go >/dev/null 2>&1") == 0)
		go_measure(quick);

	fprintf(stderr, "bench: measuring chanlab (det scheduler, one thread, median of 5)...\n");
	long n = iterations;
	double sw = median5(switch_main, n, 1.0);
	double pp = median5(pingpong_main, n, (double)n);
	double spsc = median5(spsc_main, n * 4, (double)n * 4);
	double sel = median5(select_main, n, (double)n);
	double sp = median5(spawn_main, n / 2, (double)n / 2);
	double mu = median5(mutex_main, n * 4, (double)n * 4);
	/* switch: each of the 2n yields is a scheduling decision; about half switch. */
	double sw_per = sw / (double)n / 2.0;
	double kib100k, kib1m;
	double t100k = blocked_in_child(100000, &kib100k);
	long big = quick ? 200000 : 1000000;
	double t1m = blocked_in_child(big, &kib1m);

	printf("\n%-34s %17s %17s %8s   %s\n", "figure", "chanlab", "Go 1.19", "ratio", "target");
	row("yield (scheduling decision)", sw_per, "ns", go_get("BenchmarkGosched"), "switch <= 20 ns");
	row("unbuffered ping-pong round trip", pp, "ns", go_get("BenchmarkPingPong"), "<= 120 ns (Go ~235)");
	row("buffered SPSC (cap 128), per item", spsc, "ns", go_get("BenchmarkSPSC"), "");
	row("select over 2 channels", sel, "ns", go_get("BenchmarkSelect2"), "");
	row("spawn + exit", sp, "ns", go_get("BenchmarkSpawnJoin"), "<= 150 ns (Go ~300)");
	row("mutex lock + unlock", mu, "ns", go_get("BenchmarkMutex"), "");
	row("100,000 blocked, then released", t100k, "s", go_blocked[0][0], "<= 0.2 s (Go 0.38)");
	row("  peak RSS per task", kib100k, "KiB", go_blocked[0][1], "");
	row(quick ? "200,000 blocked, then released" : "1,000,000 blocked, then released", t1m, "s",
	    go_blocked[1][0], "<= 2 s (Go 9.4)");
	row("  peak RSS per task", kib1m, "KiB", go_blocked[1][1], "<= 4.5 KiB (Go ~2.6)");
	printf("\nchanlab: det scheduler, virtual time, one OS thread; Go: GOMAXPROCS=2, real time.\n");
	return 0;
}
