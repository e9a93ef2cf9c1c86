/*
 * bench.c - the 'bench' subcommand: measures on this machine what the
 * documents quote (channel hand-offs, select, spawn, mutexes, atomics, a
 * lock-free stack beside a mutex stack and Concurrency Kit's, a million
 * blocked tasks, a worker pool) on the runtime, prints each figure beside
 * the documents' claim and, with --vs-go, beside Go's figure for the same
 * work (bench/go/, built and run in the same invocation) and the ratio; a
 * second table holds the figures of the pattern demos and the quiz (run end
 * to end, explore, jsonl rendering, loading 1,000 questions).  Every figure
 * is a median of 5 (--quick: fewer, shorter).  docs/bench.md says how each
 * is measured.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/bench_extra.h"
#include "cmd/bench_go.h"
#include "cmd/bench_rt.h"
#include "cmd/cmd.h"
#include "cmd/interrupt.h"
#include "patterns/registry.h"

#define SAMPLES 5
#define MAX_ROWS 48

enum row_kind {
	ROW_NS,           /* a runtime program, ns per op */
	ROW_CK,           /* ck_stack on pthreads, ns per op */
	ROW_BLOCKED_S,    /* blocked tasks in a child: seconds */
	ROW_BLOCKED_RSS,  /* blocked tasks in a child: peak RSS growth, MiB */
	ROW_WORKERPOOL,   /* seconds for n jobs */
	ROW_RUN_MS,       /* chanlab run PATTERN end to end */
	ROW_EXPLORE,      /* schedules per second */
	ROW_JSONL,        /* seconds for a million events */
	ROW_QUIZ,         /* ms to load 1,000 questions */
};

struct row {
	const char *name;
	const char *unit;
	enum row_kind kind;
	enum cmd_bench_prog prog;
	long n;                   /* blocked: tasks; worker pool: jobs */
	const char *go_bench;     /* Go benchmark (BenchmarkNAME) for ROW_NS */
	bool has_claim;
	double claim;             /* the documents' figure, in unit */
	const char *claim_text;   /* as the documents say it */
	const char *target;       /* what chanlab aims at (issue 4, 5, 7) */
	char name_buf[64];        /* run_ms_PATTERN */
	const char *pattern;

	/* results */
	bool selected, measured, failed;
	double value;
	bool has_go;
	double go;
	bool has_parks;
	double parks_per_1k;
	bool has_kib;
	double kib, go_kib;       /* blocked rows: peak RSS growth per task */
	bool has_vs_ck;
	double vs_ck;             /* stack_lockfree / stack_ck */
	bool has_overlap;
	double overlap;           /* contended rows: share of the time all tasks ran at once */
	char note[240];
};

static const struct row core_rows[] = {
	{"pingpong", "ns/op", ROW_NS, CMD_BENCH_PINGPONG, 0, "PingPong", true, 235, "~235 ns (Go)", "ratio <= 1.0"},
	{"spsc", "ns/op", ROW_NS, CMD_BENCH_SPSC, 0, "SPSC", true, 30, "~30 ns (Go)", "ratio <= 1.0"},
	{"mpmc4x4", "ns/op", ROW_NS, CMD_BENCH_MPMC4X4, 0, "MPMC4x4", true, 55, "~55 ns (Go)", "ratio <= 1.2"},
	{"select2", "ns/op", ROW_NS, CMD_BENCH_SELECT2, 0, "Select2", true, 50, "~50 ns (Go)", "ratio <= 1.0"},
	{"spawn_join", "ns/op", ROW_NS, CMD_BENCH_SPAWN_JOIN, 0, "SpawnJoin", true, 300, "~300 ns (Go)", "ratio <= 1.0"},
	{"mutex_uncontended", "ns/op", ROW_NS, CMD_BENCH_MUTEX_UNCONTENDED, 0, "Mutex", true, 5, "~5 ns (Go)", ""},
	{"mutex_contended", "ns/op", ROW_NS, CMD_BENCH_MUTEX_CONTENDED, 0, "MutexContended", false, 0, "", "ratio <= 1.2"},
	{"atomic_add", "ns/op", ROW_NS, CMD_BENCH_ATOMIC_ADD, 0, "AtomicAdd", true, 2.2, "~2.2 ns (Go)", ""},
	{"stack_lockfree", "ns/op", ROW_NS, CMD_BENCH_STACK_LOCKFREE, 0, "StackLockfree", true, 38, "~38 ns (Go Treiber)", "<= 1.1x stack_ck"},
	{"stack_mutex", "ns/op", ROW_NS, CMD_BENCH_STACK_MUTEX, 0, "StackMutex", false, 0, "", ""},
	{"stack_ck", "ns/op", ROW_CK, CMD_BENCH_STACK_CK, 0, NULL, true, 33, "27-39 ns (ck_stack)", ""},
	{"blocked_100k_s", "s", ROW_BLOCKED_S, CMD_BENCH_BLOCKED, 100000, NULL, true, 0.38, "0.38 s (Go)", "linear to 1M"},
	{"blocked_1m_s", "s", ROW_BLOCKED_S, CMD_BENCH_BLOCKED, 1000000, NULL, true, 9.4, "9.4 s (Go)", "<= 2 s"},
	{"blocked_1m_rss_mib", "MiB", ROW_BLOCKED_RSS, CMD_BENCH_BLOCKED, 1000000, NULL, true, 2479.6, "2.6 GB (Go)", "<= 4.5 KiB/task"},
	{"workerpool_1m_jobs_s", "s", ROW_WORKERPOOL, CMD_BENCH_WORKERPOOL, 1000000, NULL, false, 0, "", "ratio <= 1.0"},
};
#define NCORE ((int)(sizeof core_rows / sizeof core_rows[0]))

struct opts {
	bool vs_go, json, quick;
	int procs;
	int sched;                /* -1: par when available, else det */
	const char *only;
};

struct state {
	struct opts o;
	struct row rows[MAX_ROWS];
	int nrows;
	struct cmd_bench_env env;
	bool par;
	char sched_note[200];
	char self[PATH_MAX];
	bool go_ok;
	char go_note[240];
	struct cmd_bench_go go;
	bool tty;
	int done, total;
	/* shared measurements: the 1M blocked children, Go's million */
	bool blocked_cached[2];
	struct cmd_bench_sample blocked[2];
	double blocked_parks[2];
	int blocked_rc[2];
	char blocked_err[2][200];
};

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: chanlab bench [--vs-go] [--json] [--procs N] [--sched det|par] [--quick]\n"
	        "                     [--only NAME,...]\n"
	        "\n"
	        "Measures on this machine what the documents quote: channel hand-offs, select,\n"
	        "spawn+join, mutexes, atomic add, a lock-free stack beside a mutex stack and\n"
	        "Concurrency Kit's, 100,000 and 1,000,000 blocked tasks (time and peak RSS), a\n"
	        "worker pool over 1,000,000 jobs; then run, explore, jsonl and quiz figures.\n"
	        "Each figure is the median of 5, printed beside the documents' claim.\n"
	        "\n"
	        "options:\n"
	        "  --vs-go            also build and run the Go counterparts (bench/go, needs go on\n"
	        "                     PATH) with GOMAXPROCS=N, and print the ratio chanlab/Go\n"
	        "  --json             one JSON array, a row per figure: name, unit, chanlab, go,\n"
	        "                     ratio, claim (and parks_per_1k for the runtime's rows)\n"
	        "  --procs N          processors for the par scheduler and tasks for the\n"
	        "                     contended rows (default 2)\n"
	        "  --sched det|par    the scheduler (default par, or det when this build has no\n"
	        "                     par scheduler; det runs every task on one OS thread)\n"
	        "  --quick            fewer and shorter samples (a smoke test, not a figure)\n"
	        "  --only LIST        only these figures (comma-separated names; 'core' and\n"
	        "                     'extra' name each table)\n"
	        "\n"
	        "figures: ");
	for (int i = 0; i < NCORE; i++)
		fprintf(out, "%s, ", core_rows[i].name);
	fprintf(out, "\n         run_ms_PATTERN (each pattern), explore_worker_pool_per_s,\n"
	             "         jsonl_1m_events_s, quiz_load_1000_ms\n"
	             "\n"
	             "exit: 0 measured, 1 a figure could not be measured, 64 usage\n");
}

/* ---- progress ---------------------------------------------------------------------- */

static void progress(struct state *st, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void progress(struct state *st, const char *name, const char *fmt, ...)
{
	if (!st->tty)
		return;
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (st->done < st->total)
		fprintf(stderr, "\r\033[Kbench: [%d/%d] %s %s", st->done + 1, st->total, name, what);
	else
		fprintf(stderr, "\r\033[Kbench: %s %s", name, what);
	fflush(stderr);
}

static void progress_clear(struct state *st)
{
	if (st->tty) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

/* ---- the rows ---------------------------------------------------------------------- */

static void build_rows(struct state *st)
{
	for (int i = 0; i < NCORE; i++)
		st->rows[st->nrows++] = core_rows[i];
	const struct pattern *const *all = pattern_all();
	for (int i = 0; all[i] && st->nrows < MAX_ROWS - 6; i++) {
		if (all[i]->sched != PATTERN_SCHED_ANY)
			continue;   /* par only: real time by design, no det run to time */
		struct row *r = &st->rows[st->nrows++];
		memset(r, 0, sizeof *r);
		snprintf(r->name_buf, sizeof r->name_buf, "run_ms_%s", all[i]->name);
		for (char *c = r->name_buf; *c; c++)
			if (*c == '-')
				*c = '_';
		r->name = r->name_buf;
		r->unit = "ms";
		r->kind = ROW_RUN_MS;
		r->pattern = all[i]->name;
		r->target = "<= 10 ms";
	}
	st->rows[st->nrows++] = (struct row){.name = "explore_worker_pool_per_s", .unit = "schedules/s",
	                                     .kind = ROW_EXPLORE, .target = ">= 5000/s"};
	/* The race detector's cost (issue 12): explore with it on beside off,
	 * on worker-pool and on a variant whose every other decision is a
	 * shared access (lock-free-stack's mutex form).  .n = 1: detector on. */
	st->rows[st->nrows++] = (struct row){.name = "explore_worker_pool_race_per_s",
	                                     .unit = "schedules/s", .kind = ROW_EXPLORE, .n = 1,
	                                     .pattern = "worker-pool", .target = ">= 1/3 of off"};
	st->rows[st->nrows++] = (struct row){.name = "explore_lock_free_stack_mutex_per_s",
	                                     .unit = "schedules/s", .kind = ROW_EXPLORE,
	                                     .pattern = "lock-free-stack:mutex", .target = ""};
	st->rows[st->nrows++] = (struct row){.name = "explore_lock_free_stack_mutex_race_per_s",
	                                     .unit = "schedules/s", .kind = ROW_EXPLORE, .n = 1,
	                                     .pattern = "lock-free-stack:mutex",
	                                     .target = ">= 1/3 of off"};
	st->rows[st->nrows++] = (struct row){.name = "jsonl_1m_events_s", .unit = "s", .kind = ROW_JSONL,
	                                     .n = 1000000, .target = "<= 1 s"};
	st->rows[st->nrows++] = (struct row){.name = "quiz_load_1000_ms", .unit = "ms", .kind = ROW_QUIZ,
	                                     .n = 1000, .target = "<= 20 ms"};
}

static bool is_core(const struct row *r)
{
	return r->kind <= ROW_WORKERPOOL;
}

static bool runs_on_runtime(const struct row *r)
{
	return r->kind == ROW_NS || r->kind == ROW_BLOCKED_S || r->kind == ROW_BLOCKED_RSS ||
	       r->kind == ROW_WORKERPOOL;
}

/* Marks the rows --only names; 64 after one line on stderr for a bad name. */
static int select_rows(struct state *st)
{
	for (int i = 0; i < st->nrows; i++)
		st->rows[i].selected = !st->o.only;
	if (!st->o.only)
		return 0;
	char *list = strdup(st->o.only);
	if (!list)
		return cmd_fail(CL_EXIT_ERROR, "bench: out of memory");
	int rc = 0, any = 0;
	for (char *save = NULL, *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		bool found = false;
		for (int i = 0; i < st->nrows; i++) {
			struct row *r = &st->rows[i];
			if (strcmp(w, r->name) == 0 || (strcmp(w, "core") == 0 && is_core(r)) ||
			    (strcmp(w, "extra") == 0 && !is_core(r))) {
				r->selected = found = true;
				any++;
			}
		}
		if (!found) {
			rc = cmd_fail(CL_EXIT_USAGE,
			              "bench: unknown figure '%s' for --only (see 'chanlab bench --help' for the names)",
			              w);
			break;
		}
	}
	free(list);
	if (!rc && !any)
		rc = cmd_fail(CL_EXIT_USAGE, "bench: --only names no figure");
	return rc;
}

/* ---- measuring the runtime's rows ----------------------------------------------------------- */

static int fail_row(struct row *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail_row(struct row *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->note, sizeof r->note, fmt, ap);
	va_end(ap);
	r->failed = true;
	return -1;
}

/* ns/op rows: grows n until a run lasts about target seconds. */
static long calibrate(struct state *st, struct row *r)
{
	double target = st->o.quick ? 0.02 : 0.2;
	long n = 1000;
	char err[240];
	struct cmd_bench_sample s;
	progress(st, r->name, "(calibrating)");
	for (int tries = 0;; tries++) {
		if (cmd_bench_rt_run(r->prog, n, &st->env, &s, err, sizeof err) != 0)
			return fail_row(r, "%s", err);
		double secs = s.ns / 1e9;
		if (secs >= target / 4 || tries > 20 || n > (1L << 40))
			break;
		double grow = secs > 0 ? target / secs : 100;
		n = (long)((double)n * (grow > 100 ? 100 : grow < 2 ? 2 : grow));
	}
	if (s.ns > 0)
		n = (long)((double)n * target * 1e9 / s.ns);
	if (n < 4 * st->env.threads)
		n = 4 * st->env.threads;
	return n;
}

/* Measures the rows g[0..k-1] (ns/op) with their samples interleaved, so
 * rows compared with each other (stack_lockfree and stack_ck) see the same
 * machine; the median of each, and ratios[i] = g[0] / g[1] per sample. */
static void measure_ns_group(struct state *st, struct row **g, int k, double *ratio)
{
	int samples = st->o.quick ? 3 : SAMPLES;
	long n[2];
	double v[2][SAMPLES], ov[2][SAMPLES], ratios[SAMPLES];
	uint64_t ops[2] = {0, 0}, pw[2] = {0, 0};
	bool has_overlap[2] = {false, false};
	char err[240];
	for (int j = 0; j < k; j++)
		if ((n[j] = calibrate(st, g[j])) < 0)
			goto alone;
	for (int i = 0; i < samples; i++) {
		for (int j = 0; j < k; j++) {
			struct cmd_bench_sample s;
			progress(st, g[j]->name, "(sample %d/%d)", i + 1, samples);
			if (cmd_bench_rt_run(g[j]->prog, n[j], &st->env, &s, err, sizeof err) != 0) {
				fail_row(g[j], "%s", err);
				goto alone;
			}
			v[j][i] = s.ops ? s.ns / (double)s.ops : 0;
			ov[j][i] = s.overlap;
			/* under det the tasks interleave on one thread: no overlap to speak of */
			has_overlap[j] = s.overlap >= 0 && (st->par || g[j]->kind == ROW_CK);
			ops[j] += s.ops;
			pw[j] += s.parks + s.wakes;
		}
		if (k == 2)
			ratios[i] = v[1][i] > 0 ? v[0][i] / v[1][i] : 0;
	}
	for (int j = 0; j < k; j++) {
		struct row *r = g[j];
		r->value = cmd_bench_median(v[j], samples);
		r->measured = true;
		if (has_overlap[j]) {
			r->has_overlap = true;
			r->overlap = cmd_bench_median(ov[j], samples);
		}
		if (r->kind == ROW_NS && st->par) {
			r->has_parks = true;
			r->parks_per_1k = ops[j] ? (double)pw[j] * 1000.0 / (double)ops[j] : 0;
		}
	}
	if (k == 2 && ratio)
		*ratio = cmd_bench_median(ratios, samples);
	return;
alone:
	/* one row of a pair failed: measure the other on its own */
	for (int j = 0; k > 1 && j < k; j++)
		if (!g[j]->failed)
			measure_ns_group(st, &g[j], 1, NULL);
}

static void measure_ns(struct state *st, struct row *r)
{
	measure_ns_group(st, &r, 1, NULL);
}

/* The blocked-task children: index 0 for 100,000, 1 for 1,000,000. */
static int blocked(struct state *st, struct row *r, int k)
{
	if (!st->blocked_cached[k]) {
		int samples = st->o.quick ? 1 : SAMPLES;
		double secs[SAMPLES], kib[SAMPLES], mib[SAMPLES];
		uint64_t pw = 0, ops = 0;
		st->blocked_rc[k] = 0;
		for (int i = 0; i < samples; i++) {
			struct cmd_bench_sample s;
			progress(st, r->name, "(%ld tasks, child %d/%d)", r->n, i + 1, samples);
			if (cmd_bench_rt_run_child(CMD_BENCH_BLOCKED, r->n, &st->env, &s, st->blocked_err[k],
			                           sizeof st->blocked_err[k]) != 0) {
				st->blocked_rc[k] = -1;
				break;
			}
			secs[i] = s.ns / 1e9;
			kib[i] = s.kib_per_task;
			mib[i] = s.rss_mib;
			pw += s.parks + s.wakes;
			ops += s.ops;
		}
		if (!st->blocked_rc[k]) {
			st->blocked[k].ns = cmd_bench_median(secs, samples);
			st->blocked[k].kib_per_task = cmd_bench_median(kib, samples);
			st->blocked[k].rss_mib = cmd_bench_median(mib, samples);
			st->blocked_parks[k] = ops ? (double)pw * 1000.0 / (double)ops : 0;
		}
		st->blocked_cached[k] = true;
	}
	if (st->blocked_rc[k])
		return fail_row(r, "%s", st->blocked_err[k]);
	return 0;
}

static void measure_blocked(struct state *st, struct row *r)
{
	int k = r->n >= 1000000 ? 1 : 0;
	if (blocked(st, r, k) != 0)
		return;
	r->measured = true;
	r->has_kib = true;
	r->kib = st->blocked[k].kib_per_task;
	if (st->par) {
		r->has_parks = true;
		r->parks_per_1k = st->blocked_parks[k];
	}
	r->value = r->kind == ROW_BLOCKED_S ? st->blocked[k].ns : st->blocked[k].rss_mib;
}

static void measure_workerpool(struct state *st, struct row *r)
{
	int samples = st->o.quick ? 1 : SAMPLES;
	double v[SAMPLES];
	uint64_t pw = 0, ops = 0;
	char err[240];
	for (int i = 0; i < samples; i++) {
		struct cmd_bench_sample s;
		progress(st, r->name, "(sample %d/%d)", i + 1, samples);
		if (cmd_bench_rt_run(CMD_BENCH_WORKERPOOL, r->n, &st->env, &s, err, sizeof err) != 0) {
			fail_row(r, "%s", err);
			return;
		}
		v[i] = s.ns / 1e9;
		pw += s.parks + s.wakes;
		ops += s.ops;
	}
	r->value = cmd_bench_median(v, samples);
	r->measured = true;
	if (st->par) {
		r->has_parks = true;
		r->parks_per_1k = ops ? (double)pw * 1000.0 / (double)ops : 0;
	}
}

static void measure_extra(struct state *st, struct row *r)
{
	char err[240] = "";
	int samples = st->o.quick ? 1 : SAMPLES;
	int rc = 0;
	progress(st, r->name, "(%d samples)", samples);
	switch (r->kind) {
	case ROW_RUN_MS: {
		int status = 0;
		rc = cmd_bench_run_ms(st->self, r->pattern, samples, &r->value, &status, err, sizeof err);
		if (!rc && status != 0)
			snprintf(r->note, sizeof r->note, "chanlab run %s exited %d", r->pattern, status);
		break;
	}
	case ROW_EXPLORE: {
		/* .pattern is "PATTERN[:VARIANT]" (default worker-pool, correct). */
		char name[64] = "worker-pool";
		const char *variant = "correct";
		if (r->pattern)
			snprintf(name, sizeof name, "%s", r->pattern);
		char *colon = strchr(name, ':');
		if (colon) {
			*colon = '\0';
			variant = colon + 1;
		}
		rc = cmd_bench_explore_rate_of(name, variant, r->n != 0, samples,
		                               st->o.quick ? 0.05 : 0.3, &r->value, err, sizeof err);
		break;
	}
	case ROW_JSONL:
		rc = cmd_bench_jsonl(st->o.quick ? 100000 : r->n, samples, &r->value, err, sizeof err);
		if (!rc && st->o.quick) {
			r->value *= 10;   /* scaled to a million */
			snprintf(r->note, sizeof r->note, "quick: 100,000 events, scaled x10");
		}
		break;
	case ROW_QUIZ:
		rc = cmd_bench_quiz_load((int)r->n, samples, &r->value, err, sizeof err);
		break;
	default:
		break;
	}
	if (rc)
		fail_row(r, "%s", err);
	else
		r->measured = true;
	/* A detector-on row says how it compares with the same explore off. */
	for (int i = 0; !rc && r->kind == ROW_EXPLORE && r->n && i < st->nrows; i++) {
		const struct row *off = &st->rows[i];
		bool same = off->pattern && strcmp(off->pattern, r->pattern) == 0;
		if (strcmp(r->pattern, "worker-pool") == 0 && !off->pattern)
			same = true;   /* the plain explore row is worker-pool's */
		if (off->kind == ROW_EXPLORE && !off->n && same && off->measured && off->value > 0)
			snprintf(r->note, sizeof r->note, "%.2f of the rate with the detector off",
			         r->value / off->value);
	}
}

/* ---- Go ----------------------------------------------------------------------------------------- */

static void measure_go(struct state *st)
{
	bool any = false;
	for (int i = 0; i < st->nrows; i++)
		if (st->rows[i].selected && is_core(&st->rows[i]) && st->rows[i].kind != ROW_CK)
			any = true;
	if (!any)
		return;
	progress(st, "Go", "(building bench/go)");
	if (cmd_bench_go_open(&st->go, st->self, st->o.procs, st->o.quick, st->go_note,
	                      sizeof st->go_note) != 0)
		return;
	st->go_ok = true;
	const char *names[MAX_ROWS];
	double ns[MAX_ROWS];
	int idx[MAX_ROWS], n = 0;
	for (int i = 0; i < st->nrows; i++) {
		struct row *r = &st->rows[i];
		if (cmd_interrupted())
			break;
		if (r->selected && r->kind == ROW_NS && r->go_bench) {
			idx[n] = i;
			names[n++] = r->go_bench;
		}
	}
	if (n && !cmd_interrupted()) {
		progress(st, "Go", "(go test -bench, %d benchmarks, -count %d)", n, SAMPLES);
		if (cmd_bench_go_tests(&st->go, names, ns, n, SAMPLES) != 0)
			snprintf(st->go_note, sizeof st->go_note, "the Go benchmarks failed to run");
		else
			for (int k = 0; k < n; k++)
				if (ns[k] > 0) {
					st->rows[idx[k]].has_go = true;
					st->rows[idx[k]].go = ns[k];
				}
	}
	for (int size = 0; size < 2; size++) {
		long tasks = size ? 1000000 : 100000;
		bool want = false;
		for (int i = 0; i < st->nrows; i++) {
			struct row *r = &st->rows[i];
			want |= r->selected && (r->kind == ROW_BLOCKED_S || r->kind == ROW_BLOCKED_RSS) &&
			        r->n == tasks;
		}
		if (!want || cmd_interrupted())
			continue;
		int count = st->o.quick ? 1 : SAMPLES;
		progress(st, "Go", "(million %ld, %d runs)", tasks, count);
		double secs, kib, mib;
		if (cmd_bench_go_million(&st->go, tasks, count, &secs, &kib, &mib) != 0)
			continue;
		for (int i = 0; i < st->nrows; i++) {
			struct row *r = &st->rows[i];
			if (!r->selected || r->n != tasks ||
			    (r->kind != ROW_BLOCKED_S && r->kind != ROW_BLOCKED_RSS))
				continue;
			r->has_go = true;
			r->go = r->kind == ROW_BLOCKED_S ? secs : mib;
			r->go_kib = kib;
		}
	}
	for (int i = 0; i < st->nrows; i++) {
		struct row *r = &st->rows[i];
		if (!r->selected || r->kind != ROW_WORKERPOOL || cmd_interrupted())
			continue;
		int count = st->o.quick ? 1 : SAMPLES;
		progress(st, "Go", "(workerpool %ld jobs, %d runs)", r->n, count);
		double secs;
		if (cmd_bench_go_workerpool(&st->go, r->n, count, &secs) == 0) {
			r->has_go = true;
			r->go = secs;
		}
	}
	cmd_bench_go_close(&st->go);
}

/* ---- output ---------------------------------------------------------------------------------- */

static void json_num(FILE *out, bool has, double v)
{
	if (has && isfinite(v))
		fprintf(out, "%.6g", v);
	else
		fputs("null", out);
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static bool has_ratio(const struct row *r)
{
	return r->measured && r->has_go && r->go > 0;
}

static void print_json(struct state *st, FILE *out)
{
	fputs("[\n", out);
	bool first = true;
	for (int i = 0; i < st->nrows; i++) {
		struct row *r = &st->rows[i];
		if (!r->selected)
			continue;
		fprintf(out, "%s  {\"name\": ", first ? "" : ",\n");
		first = false;
		json_str(out, r->name);
		fputs(", \"unit\": ", out);
		json_str(out, r->unit);
		fputs(", \"chanlab\": ", out);
		json_num(out, r->measured, r->value);
		fputs(", \"go\": ", out);
		json_num(out, r->measured && r->has_go, r->go);
		fputs(", \"ratio\": ", out);
		json_num(out, has_ratio(r), has_ratio(r) ? r->value / r->go : 0);
		fputs(", \"claim\": ", out);
		json_num(out, r->has_claim, r->claim);
		if (runs_on_runtime(r)) {
			fputs(", \"parks_per_1k\": ", out);
			json_num(out, r->has_parks, r->parks_per_1k);
			fprintf(out, ", \"sched\": \"%s\", \"procs\": %d", st->par ? "par" : "det",
			        st->par ? st->o.procs : 1);
		}
		if (r->has_kib) {
			fputs(", \"kib_per_task\": ", out);
			json_num(out, true, r->kib);
			fputs(", \"go_kib_per_task\": ", out);
			json_num(out, r->has_go, r->go_kib);
		}
		if (r->has_vs_ck) {
			fputs(", \"vs_ck\": ", out);
			json_num(out, true, r->vs_ck);
		}
		if (r->has_overlap) {
			fputs(", \"overlap\": ", out);
			json_num(out, true, r->overlap);
		}
		if (*r->note) {
			fputs(", \"note\": ", out);
			json_str(out, r->note);
		}
		fputc('}', out);
	}
	fputs("\n]\n", out);
}

/* A value in its unit, in 10 columns. */
static void cell(FILE *out, bool has, double v, const char *unit)
{
	if (!has || !isfinite(v)) {
		fprintf(out, "%10s", "-");
		return;
	}
	if (strcmp(unit, "s") == 0)
		fprintf(out, "%10.3f", v);
	else if (strcmp(unit, "schedules/s") == 0)
		fprintf(out, "%10.0f", v);
	else if (v >= 100)
		fprintf(out, "%10.1f", v);
	else
		fprintf(out, "%10.2f", v);
}

static void print_table(struct state *st, FILE *out)
{
	const char *sched = st->par ? "par" : "det";
	fprintf(out, "chanlab bench: %s scheduler", sched);
	if (st->par)
		fprintf(out, ", procs=%d", st->o.procs);
	else
		fprintf(out, " (one OS thread; %s)", st->sched_note);
	fprintf(out, "; %d tasks on the contended rows; median of %d%s\n", st->env.threads,
	        st->o.quick ? 3 : SAMPLES, st->o.quick ? " (--quick: short samples)" : "");
	if (st->o.vs_go) {
		if (st->go_ok)
			fprintf(out, "Go: %s, GOMAXPROCS=%d, bench/go built and run in this invocation%s%s\n",
			        st->go.version[0] ? st->go.version : "go", st->o.procs,
			        st->go_note[0] ? "; " : "", st->go_note);
		else
			fprintf(out, "Go: no figures (%s)\n", st->go_note);
	}
	for (int table = 0; table < 2; table++) {
		bool any = false;
		for (int i = 0; i < st->nrows; i++)
			any |= st->rows[i].selected && is_core(&st->rows[i]) == (table == 0);
		if (!any)
			continue;
		fprintf(out, "\n%-26s %10s %-11s %10s %7s  %-20s %9s  %s\n",
		        table == 0 ? "figure" : "further figure", "chanlab", "unit",
		        table == 0 ? "Go" : "", table == 0 ? "ratio" : "",
		        table == 0 ? "claim" : "", table == 0 ? "parks/1k" : "", "target");
		for (int i = 0; i < st->nrows; i++) {
			struct row *r = &st->rows[i];
			if (!r->selected || is_core(r) != (table == 0))
				continue;
			fprintf(out, "%-26s ", r->name);
			cell(out, r->measured, r->value, r->unit);
			fprintf(out, " %-11s ", r->unit);
			if (table == 0)
				cell(out, r->measured && r->has_go, r->go, r->unit);
			else
				fprintf(out, "%10s", "");
			if (has_ratio(r))
				fprintf(out, " %6.2fx", r->value / r->go);
			else
				fprintf(out, " %7s", table == 0 ? "-" : "");
			fprintf(out, "  %-20s ", r->claim_text ? r->claim_text : "");
			if (r->has_parks)
				fprintf(out, "%9.2f", r->parks_per_1k);
			else
				fprintf(out, "%9s", table == 0 && runs_on_runtime(r) ? "-" : "");
			fprintf(out, "  %s\n", r->target ? r->target : "");
		}
	}
	bool notes = false;
	for (int i = 0; i < st->nrows; i++) {
		struct row *r = &st->rows[i];
		if (!r->selected || (!*r->note && !r->has_kib && !r->has_vs_ck && !r->has_overlap))
			continue;
		if (!notes)
			fputs("\nnotes:\n", out);
		notes = true;
		fprintf(out, "  %s:", r->name);
		if (r->has_kib && r->kind == ROW_BLOCKED_S) {
			fprintf(out, " %.2f KiB peak RSS per task", r->kib);
			if (r->has_go)
				fprintf(out, " (Go %.2f KiB per goroutine)", r->go_kib);
		}
		if (r->has_kib && r->kind == ROW_BLOCKED_RSS)
			fprintf(out, " peak RSS growth of the child, %.2f KiB per task", r->kib);
		if (r->has_vs_ck)
			fprintf(out, " %.2fx stack_ck, median of the sample-by-sample ratios (target <= 1.1x);", r->vs_ck);
		if (r->has_overlap)
			fprintf(out, " the %d %s' spans (first to last operation) overlapped for %.0f%% of the whole%s",
			        st->env.threads, r->kind == ROW_CK ? "threads" : "tasks", r->overlap * 100,
			        r->overlap < 0.5 ? " (largely one after the other: little contention measured)"
			                         : "");
		if (*r->note)
			fprintf(out, "%s%s", (r->has_kib || r->has_overlap) ? "; " : " ", r->note);
		fputc('\n', out);
	}
	if (!st->par)
		fprintf(out, "\nparks/1k: processor parks + wakes per 1,000 operations, par only.\n");
	else
		fprintf(out, "\nparks/1k: processor parks + wakes per 1,000 operations (about 0 on the "
		             "steady rows).\n");
}

/* ---- the command ---------------------------------------------------------------------------------- */

static int parse_int(const char *s, int min, int max, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	o->procs = 2;
	o->sched = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		size_t len = strcspn(a, "=");
		if (a[len] == '=')
			val = a + len + 1;
		if (strcmp(a, "--vs-go") == 0)
			o->vs_go = true;
		else if (strcmp(a, "--json") == 0)
			o->json = true;
		else if (strcmp(a, "--quick") == 0)
			o->quick = true;
		else if (strncmp(a, "--procs", len) == 0 && len == 7) {
			if (!val && i + 1 < argc)
				val = argv[++i];
			if (!val || parse_int(val, 1, 256, &o->procs) != 0)
				return cmd_fail(CL_EXIT_USAGE, "bench: bad value '%s' for --procs (valid: 1 to 256)",
				                val ? val : "");
		} else if (strncmp(a, "--sched", len) == 0 && len == 7) {
			if (!val && i + 1 < argc)
				val = argv[++i];
			if (val && strcmp(val, "det") == 0)
				o->sched = CL_SCHED_DET;
			else if (val && strcmp(val, "par") == 0)
				o->sched = CL_SCHED_PAR;
			else
				return cmd_fail(CL_EXIT_USAGE, "bench: bad value '%s' for --sched (valid: det, par)",
				                val ? val : "");
		} else if (strncmp(a, "--only", len) == 0 && len == 6) {
			if (!val && i + 1 < argc)
				val = argv[++i];
			if (!val || !*val)
				return cmd_fail(CL_EXIT_USAGE, "bench: --only needs a list of figure names");
			o->only = val;
		} else {
			return cmd_fail(CL_EXIT_USAGE, "bench: unknown option '%s' (try 'chanlab bench --help')", a);
		}
	}
	return 0;
}

int cmd_bench(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (cmd_is_help(argv[i])) {
			usage(stdout);
			return CL_EXIT_OK;
		}
	struct state *st = calloc(1, sizeof *st);
	if (!st)
		return cmd_fail(CL_EXIT_ERROR, "bench: out of memory");
	int rc = parse_opts(argc, argv, &st->o);
	if (!rc) {
		build_rows(st);
		rc = select_rows(st);
	}
	if (rc) {
		free(st);
		return rc;
	}
	st->tty = isatty(STDERR_FILENO) != 0;
	ssize_t len = readlink("/proc/self/exe", st->self, sizeof st->self - 1);
	if (len > 0)
		st->self[len] = '\0';
	else
		snprintf(st->self, sizeof st->self, "%s", argv[0]);

	if (st->o.sched == CL_SCHED_DET) {
		snprintf(st->sched_note, sizeof st->sched_note, "--sched det");
	} else {
		st->par = cmd_bench_par_available(st->o.procs, st->sched_note, sizeof st->sched_note);
		if (!st->par && st->o.sched == CL_SCHED_PAR) {
			int code = cmd_fail(CL_EXIT_ERROR, "bench: --sched par: %s", st->sched_note);
			free(st);
			return code;
		}
	}
	st->env = (struct cmd_bench_env){st->par ? CL_SCHED_PAR : CL_SCHED_DET, st->o.procs, st->o.procs};
	for (int i = 0; i < st->nrows; i++)
		st->total += st->rows[i].selected;

	/* Ctrl-C: no more rows; the Go programs' temporary folder is removed
	 * (measure_go always closes it), the figures so far are printed, and
	 * the exit status is 130. */
	cmd_interrupt_install();
	struct row *ck_row = NULL;
	for (int i = 0; i < st->nrows; i++)
		if (st->rows[i].kind == ROW_CK)
			ck_row = &st->rows[i];
	for (int i = 0; i < st->nrows; i++) {
		struct row *r = &st->rows[i];
		if (!r->selected || cmd_interrupted())
			continue;
		switch (r->kind) {
		case ROW_NS:
			if (r->prog == CMD_BENCH_STACK_LOCKFREE && ck_row && ck_row->selected &&
			    cmd_bench_have_ck()) {
				/* interleaved with stack_ck, sample by sample */
				struct row *pair[2] = {r, ck_row};
				double ratio = 0;
				measure_ns_group(st, pair, 2, &ratio);
				if (r->measured && ck_row->measured) {
					r->has_vs_ck = true;
					r->vs_ck = ratio;
				}
				break;
			}
			measure_ns(st, r);
			break;
		case ROW_CK:
			if (!cmd_bench_have_ck()) {
				snprintf(r->note, sizeof r->note, "%s", cmd_bench_no_ck_reason());
				break;
			}
			if (!r->measured && !r->failed)
				measure_ns(st, r);
			break;
		case ROW_BLOCKED_S:
		case ROW_BLOCKED_RSS:
			measure_blocked(st, r);
			break;
		case ROW_WORKERPOOL:
			measure_workerpool(st, r);
			break;
		default:
			measure_extra(st, r);
			break;
		}
		st->done++;
	}
	if (st->o.vs_go && !cmd_interrupted())
		measure_go(st);
	progress_clear(st);

	if (st->o.json)
		print_json(st, stdout);
	else
		print_table(st, stdout);
	rc = CL_EXIT_OK;
	for (int i = 0; i < st->nrows && !cmd_interrupted(); i++)
		if (st->rows[i].selected && st->rows[i].failed) {
			cmd_fail(CL_EXIT_ERROR, "bench: %s: %s", st->rows[i].name, st->rows[i].note);
			rc = CL_EXIT_ERROR;
		}
	if (fflush(stdout) != 0 && rc == CL_EXIT_OK)
		rc = cmd_fail(CL_EXIT_ERROR, "bench: cannot write the figures");
	free(st);
	return cmd_interrupted() ? CL_EXIT_INTERRUPTED : rc;
}
