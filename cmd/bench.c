/*
 * bench.c - the 'bench' subcommand: measures on this machine what the
 * documents quote (channel hand-offs, select, spawn, mutexes, atomics, a
 * lock-free stack, woken-task latency, a million blocked tasks, a worker
 * pool) on the runtime, beside the peers that do the same work where they
 * are installed: Go with GOMAXPROCS=1 and 2 (--vs-go), Boost.Fiber, plain
 * pthreads, Concurrency Kit, and the floors (a spin ping-pong, one page
 * touched per task).  A second table holds the figures of the pattern
 * demos, explore, jsonl, the quiz and the html player.
 *
 * Load on a shared machine moves single figures 2-3x, so every row runs in
 * rounds: each round measures every implementation of the row once, in an
 * order that rotates from round to round, and a row prints the median, the
 * min-max spread and the ratios taken from the same rounds.  The runtime's
 * programs and the peers' drivers are the bench/ library; docs/bench.md
 * says how each row is measured.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/go_driver.h"
#include "bench/load.h"
#include "bench/peers.h"
#include "bench/programs.h"
#include "bench/steal.h"
#include "cmd/bench_extra.h"
#include "cmd/cmd.h"
#include "cmd/interrupt.h"
#include "patterns/registry.h"

#define ROUNDS 5
#define MAX_ROWS 64

enum row_kind {
	ROW_NS,           /* a runtime program, ns per op */
	ROW_BLOCKED_S,    /* blocked tasks in a child: seconds */
	ROW_BLOCKED_RSS,  /* blocked tasks in a child: peak RSS growth, MiB */
	ROW_WORKERPOOL,   /* seconds for n jobs */
	ROW_RUN_MS,       /* chanlab run PATTERN end to end */
	ROW_EXPLORE,      /* schedules per second */
	ROW_JSONL,        /* seconds for a million events */
	ROW_QUIZ,         /* ms to load 1,000 questions */
	ROW_HTML,         /* ms until the html player is interactive */
};

/* Who measured a figure: chanlab first, then the peers in --json's order. */
enum impl {
	IMPL_CHANLAB,
	IMPL_GO,          /* Go, GOMAXPROCS = the row's processors (2 by default) */
	IMPL_GO1,         /* Go, GOMAXPROCS=1 */
	IMPL_BOOST,
	IMPL_PTHREAD,
	IMPL_FLOOR,
	IMPL_FLOOR_GUARDED, /* the blocked rows' floor with a guard page per task, as chanlab's stacks */
	IMPL_CK,          /* Concurrency Kit's stack (the stack rows) */
	NIMPL
};

static const char *const impl_key[NIMPL] = {
	[IMPL_CHANLAB] = "chanlab", [IMPL_GO] = "go",          [IMPL_GO1] = "go1",
	[IMPL_BOOST] = "boost_fiber", [IMPL_PTHREAD] = "pthread", [IMPL_FLOOR] = "floor",
	[IMPL_FLOOR_GUARDED] = "floor_guarded", [IMPL_CK] = "ck",
};

/* Which peers have a form of a row (bit per impl). */
#define PEER(i) (1u << (i))
#define PEERS_GO (PEER(IMPL_GO) | PEER(IMPL_GO1))
#define PEERS_FLOORS (PEER(IMPL_FLOOR) | PEER(IMPL_FLOOR_GUARDED))   /* the blocked rows' */

/* What a row is: its table entry. */
struct row_spec {
	const char *name;
	const char *unit;
	enum row_kind kind;
	enum bench_prog prog;
	long n;                   /* blocked: tasks; worker pool: jobs */
	const char *go_bench;     /* Go benchmark (BenchmarkNAME) for ROW_NS */
	const char *go_share;     /* Go benchmark reporting the row's share (cross, held) */
	const char *share_unit;   /* its b.ReportMetric unit */
	unsigned peers;           /* PEER(IMPL_...) bits */
	int procs;                /* 0: --procs; else this many processors (par) */
	bool det;                 /* always under det (one OS thread) */
	bool par_only;            /* meaningless under det: a dash there */
	bool slow;                /* too long for --quick: a dash there */
	bool has_claim;
	double claim;             /* the documents' figure, in unit */
	const char *claim_text;
	const char *target;       /* what chanlab aims at (issue 11) */
	const char *pattern;      /* run_ms and explore rows: PATTERN[:VARIANT] */
	bool race;                /* explore rows: the race detector on */
	bool all_cpus;            /* explore rows: one worker process per CPU (--parallel) */
};

/* A row's state while and after it is measured. */
struct row {
	struct row_spec s;
	char name_buf[64];
	bool selected, measured, failed;
	double v[NIMPL][ROUNDS];  /* one sample per round and implementation */
	int nv[NIMPL];
	double median[NIMPL];
	double min, max;          /* chanlab's spread */
	/* chanlab's extra measurements, per round (medians printed) */
	double held[ROUNDS], cross[ROUNDS], overlap[ROUNDS], kib[ROUNDS], mib[ROUNDS];
	int nheld, ncross, noverlap, nkib;
	double go_share[ROUNDS];  /* Go's share (spec.go_share), one per round */
	int ngo_share;
	double impl_kib[NIMPL];   /* blocked rows: KiB per task of each peer */
	double impl_mib[NIMPL][ROUNDS];
	uint64_t parks_wakes, ops;
	bool has_parks;
	int load;                 /* busy threads (--load) while the row was measured */
	double steal;             /* share of CPU time the host took meanwhile; < 0 unknown */
	char note[400];
};

static const struct row_spec core_rows[] = {
	{.name = "pingpong", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_PINGPONG,
	 .go_bench = "PingPong", .peers = PEER(IMPL_GO1) | PEER(IMPL_BOOST) | PEER(IMPL_PTHREAD),
	 .procs = 1, .has_claim = true, .claim = 235, .claim_text = "~235 ns (Go)",
	 .target = "<= 1.0x best peer"},
	{.name = "pingpong_2p", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_PINGPONG_CROSS,
	 .go_bench = "PingPongCross", .go_share = "PingPongThreads", .share_unit = "crossed",
	 .peers = PEER(IMPL_GO) | PEER(IMPL_PTHREAD) | PEER(IMPL_FLOOR),
	 .procs = 2, .par_only = true, .target = "<= 1.0x Go (2 procs)"},
	{.name = "spsc", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_SPSC, .go_bench = "SPSC",
	 .peers = PEERS_GO | PEER(IMPL_BOOST) | PEER(IMPL_PTHREAD), .has_claim = true, .claim = 30,
	 .claim_text = "~30 ns (Go)", .target = "ratio <= 1.0"},
	{.name = "spsc_1p", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_SPSC, .go_bench = "SPSC",
	 .peers = PEER(IMPL_GO1) | PEER(IMPL_BOOST), .procs = 1, .target = "<= 1.0x best peer"},
	{.name = "mpmc4x4", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_MPMC4X4,
	 .go_bench = "MPMC4x4", .peers = PEERS_GO | PEER(IMPL_BOOST) | PEER(IMPL_PTHREAD),
	 .has_claim = true, .claim = 55, .claim_text = "~55 ns (Go)", .target = "ratio <= 1.2"},
	{.name = "select2", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_SELECT2,
	 .go_bench = "Select2", .peers = PEERS_GO, .has_claim = true, .claim = 50,
	 .claim_text = "~50 ns (Go)", .target = "ratio <= 1.0"},
	{.name = "select2_1p", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_SELECT2,
	 .go_bench = "Select2", .peers = PEER(IMPL_GO1), .procs = 1, .target = "ratio <= 1.0"},
	{.name = "spawn_join", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_SPAWN_JOIN,
	 .go_bench = "SpawnJoin", .peers = PEERS_GO | PEER(IMPL_BOOST) | PEER(IMPL_PTHREAD),
	 .has_claim = true, .claim = 300, .claim_text = "~300 ns (Go)",
	 .target = "<= 0.4x Boost.Fiber"},
	{.name = "spawn_join_1p", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_SPAWN_JOIN,
	 .go_bench = "SpawnJoin", .peers = PEER(IMPL_GO1) | PEER(IMPL_BOOST), .procs = 1,
	 .target = "<= 0.4x Boost.Fiber"},
	{.name = "det_spawn_join", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_SPAWN_JOIN,
	 .go_bench = "SpawnJoin", .peers = PEER(IMPL_GO1) | PEER(IMPL_BOOST), .det = true,
	 .target = "<= 0.4x Boost.Fiber"},
	{.name = "det_switch", .unit = "ns/switch", .kind = ROW_NS, .prog = BENCH_SWITCH,
	 .go_bench = "Gosched", .peers = PEER(IMPL_GO1), .det = true, .target = ""},
	{.name = "wake_latency", .unit = "ns", .kind = ROW_NS, .prog = BENCH_WAKE_LATENCY,
	 .procs = 2, .par_only = true, .target = "<= 50000 ns"},
	{.name = "mutex_uncontended", .unit = "ns/op", .kind = ROW_NS,
	 .prog = BENCH_MUTEX_UNCONTENDED, .go_bench = "Mutex", .peers = PEERS_GO, .has_claim = true,
	 .claim = 5, .claim_text = "~5 ns (Go)", .target = ""},
	{.name = "mutex_contended", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_MUTEX_CONTENDED,
	 .go_bench = "MutexContended", .go_share = "MutexContendedHeld", .share_unit = "held",
	 .peers = PEERS_GO | PEER(IMPL_PTHREAD),
	 .target = "ratio <= 1.2"},
	{.name = "atomic_add", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_ATOMIC_ADD,
	 .go_bench = "AtomicAdd", .peers = PEERS_GO, .has_claim = true, .claim = 2.2,
	 .claim_text = "~2.2 ns (Go)", .target = ""},
	{.name = "stack_lockfree", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_STACK_LOCKFREE,
	 .go_bench = "StackLockfree", .peers = PEERS_GO | PEER(IMPL_CK), .has_claim = true,
	 .claim = 38, .claim_text = "~38 ns (Go Treiber)", .target = "<= 1.1x ck"},
	{.name = "stack_mutex", .unit = "ns/op", .kind = ROW_NS, .prog = BENCH_STACK_MUTEX,
	 .go_bench = "StackMutex", .peers = PEERS_GO | PEER(IMPL_CK), .target = ""},
	{.name = "blocked_100k_s", .unit = "s", .kind = ROW_BLOCKED_S, .prog = BENCH_BLOCKED,
	 .n = 100000, .peers = PEERS_GO | PEER(IMPL_BOOST) | PEERS_FLOORS, .has_claim = true,
	 .claim = 0.38, .claim_text = "0.38 s (Go)", .target = "<= 1.5x floor"},
	{.name = "blocked_1m_s", .unit = "s", .kind = ROW_BLOCKED_S, .prog = BENCH_BLOCKED,
	 .n = 1000000, .peers = PEER(IMPL_GO) | PEER(IMPL_BOOST) | PEERS_FLOORS, .slow = true,
	 .has_claim = true, .claim = 9.4, .claim_text = "9.4 s (Go)", .target = "<= 1.5x floor"},
	{.name = "blocked_1m_rss_mib", .unit = "MiB", .kind = ROW_BLOCKED_RSS, .prog = BENCH_BLOCKED,
	 .n = 1000000, .peers = PEER(IMPL_GO) | PEER(IMPL_BOOST) | PEERS_FLOORS, .slow = true,
	 .has_claim = true, .claim = 2479.6, .claim_text = "2.6 GB (Go)", .target = "<= 4.5 KiB/task"},
	{.name = "workerpool_1m_jobs_s", .unit = "s", .kind = ROW_WORKERPOOL,
	 .prog = BENCH_WORKERPOOL, .n = 1000000, .peers = PEERS_GO, .target = "ratio <= 1.0"},
};
#define NCORE ((int)(sizeof core_rows / sizeof core_rows[0]))

static const struct row_spec extra_rows[] = {
	{.name = "explore_worker_pool_per_s", .unit = "schedules/s", .kind = ROW_EXPLORE,
	 .pattern = "worker-pool", .target = ">= 150000/s"},
	{.name = "explore_worker_pool_race_per_s", .unit = "schedules/s", .kind = ROW_EXPLORE,
	 .pattern = "worker-pool", .race = true, .target = ">= 50000/s"},
	{.name = "explore_worker_pool_all_cpus_per_s", .unit = "schedules/s", .kind = ROW_EXPLORE,
	 .pattern = "worker-pool", .all_cpus = true, .target = ">= 150000/s, all CPUs"},
	{.name = "explore_worker_pool_race_all_cpus_per_s", .unit = "schedules/s",
	 .kind = ROW_EXPLORE, .pattern = "worker-pool", .race = true, .all_cpus = true,
	 .target = ">= 50000/s, all CPUs"},
	{.name = "explore_lock_free_stack_mutex_per_s", .unit = "schedules/s", .kind = ROW_EXPLORE,
	 .pattern = "lock-free-stack:mutex", .target = ""},
	{.name = "explore_lock_free_stack_mutex_race_per_s", .unit = "schedules/s",
	 .kind = ROW_EXPLORE, .pattern = "lock-free-stack:mutex", .race = true,
	 .target = ">= 1/3 of off"},
	{.name = "jsonl_1m_events_s", .unit = "s", .kind = ROW_JSONL, .n = 1000000,
	 .target = "<= 1 s"},
	{.name = "quiz_load_1000_ms", .unit = "ms", .kind = ROW_QUIZ, .n = 1000, .target = "<= 20 ms"},
	{.name = "html_ready_ms", .unit = "ms", .kind = ROW_HTML, .n = 600, .target = "<= 1000 ms"},
};
#define NEXTRA ((int)(sizeof extra_rows / sizeof extra_rows[0]))

struct opts {
	bool vs_go, json, quick;
	int procs;
	int load;                 /* --load: busy threads during the first table's rows */
	int sched;                /* -1: par when available, else det */
	const char *only;
};

struct state {
	struct opts o;
	struct row rows[MAX_ROWS];
	int nrows;
	bool par;
	char sched_note[200];
	char self[PATH_MAX];
	char tmp[PATH_MAX];       /* the bench's temporary folder, removed at the end */
	bool go_ok;
	char go_note[400];
	struct bench_go go;
	bool boost_ok;
	char boost_path[PATH_MAX];
	char boost_note[200];
	bool tty;
	int done, total;
	double load_start[3], load_end[3];
	int nload_start, nload_end;
	struct bench_cpu_time cpu_start, cpu_end;   /* for the host's steal share */
};

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: chanlab bench [--vs-go] [--json] [--procs N] [--sched det|par] [--quick]\n"
	        "                     [--only NAME,...] [--load N]\n"
	        "\n"
	        "Measures on this machine what the documents quote: channel hand-offs on one and\n"
	        "on two processors, select, spawn+join, a task switch, woken-task latency,\n"
	        "mutexes, atomic add, a lock-free stack, 100,000 and 1,000,000 blocked tasks\n"
	        "(time and peak RSS), a worker pool over 1,000,000 jobs; then run, explore,\n"
	        "jsonl, quiz and html player figures.  Each row runs in %d rounds; a round\n"
	        "measures chanlab and every installed peer once, in a rotating order: Go\n"
	        "(GOMAXPROCS=1 and 2, with --vs-go), Boost.Fiber, pthreads, Concurrency Kit and\n"
	        "the floors.  A row prints the median, the min-max spread, the ratio to Go and\n"
	        "to the best peer; a missing peer is a dash.\n"
	        "\n"
	        "options:\n"
	        "  --vs-go            also build and run the Go counterparts (bench/go, needs\n"
	        "                     go on PATH) with GOMAXPROCS=1 and N\n"
	        "  --json             one JSON array, a row per figure: name, unit, chanlab\n"
	        "                     (median), min, max, rounds, go, ratio, peers, peer_ratios,\n"
	        "                     best_peer, ratio_best, claim, steal (the share of CPU\n"
	        "                     time the host gave other guests meanwhile)\n"
	        "  --procs N          processors for the par scheduler and tasks for the\n"
	        "                     contended rows (default 2)\n"
	        "  --sched det|par    the scheduler (default par, or det when this build has no\n"
	        "                     par scheduler; det runs every task on one OS thread)\n"
	        "  --quick            shorter samples, no million-task rows (a smoke test, not a\n"
	        "                     figure; under a minute)\n"
	        "  --only LIST        only these figures (comma-separated names; 'core' and\n"
	        "                     'extra' name each table)\n"
	        "  --load N           keep N busy threads running while each row of the first\n"
	        "                     table is measured, for chanlab and every peer alike: the\n"
	        "                     figures of a machine whose cores are not free (default 0,\n"
	        "                     at most 64; --json gives each row's 'load')\n"
	        "\n",
	        ROUNDS);
	char names[4096];
	size_t len = 0;
	for (int i = 0; i < NCORE; i++)
		len += (size_t)snprintf(names + len, sizeof names - len, "%s, ", core_rows[i].name);
	len += (size_t)snprintf(names + len, sizeof names - len, "run_ms_PATTERN (one per pattern)");
	for (int i = 0; i < NEXTRA && len < sizeof names; i++)
		len += (size_t)snprintf(names + len, sizeof names - len, ", %s", extra_rows[i].name);
	cmd_print_list(out, "figures: ", names);
	fprintf(out, "\nexit: 0 measured, 1 a figure could not be measured, 64 usage, "
	             "130 interrupted\n");
}

/* ---- progress ---------------------------------------------------------------------- */

/* One line per row and round on stderr (rewritten in place on a terminal). */
static void progress(struct state *st, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void progress(struct state *st, const char *name, const char *fmt, ...)
{
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%sbench: [%d/%d] %s %s%s", st->tty ? "\r\033[K" : "",
	        st->done < st->total ? st->done + 1 : st->total, st->total, name, what,
	        st->tty ? "" : "\n");
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

static void add_row(struct state *st, const struct row_spec *spec)
{
	if (st->nrows >= MAX_ROWS)
		return;
	struct row *r = &st->rows[st->nrows++];
	memset(r, 0, sizeof *r);
	r->s = *spec;
	r->steal = -1;
}

static void build_rows(struct state *st)
{
	for (int i = 0; i < NCORE; i++)
		add_row(st, &core_rows[i]);
	const struct pattern *const *all = pattern_all();
	for (int i = 0; all[i] && st->nrows < MAX_ROWS - NEXTRA; i++) {
		if (all[i]->sched != PATTERN_SCHED_ANY)
			continue;   /* par only: real time by design, no det run to time */
		add_row(st, &(struct row_spec){.unit = "ms", .kind = ROW_RUN_MS,
		                               .pattern = all[i]->name, .target = "<= 10 ms"});
		struct row *r = &st->rows[st->nrows - 1];
		snprintf(r->name_buf, sizeof r->name_buf, "run_ms_%s", all[i]->name);
		for (char *c = r->name_buf; *c; c++)
			if (*c == '-')
				*c = '_';
		r->s.name = r->name_buf;
	}
	for (int i = 0; i < NEXTRA; i++)
		add_row(st, &extra_rows[i]);
}

static bool is_core(const struct row *r)
{
	return r->s.kind <= ROW_WORKERPOOL;
}

static bool higher_is_better(const struct row *r)
{
	return r->s.kind == ROW_EXPLORE;
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
			if (strcmp(w, r->s.name) == 0 || (strcmp(w, "core") == 0 && is_core(r)) ||
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

static void add_note(struct row *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_note(struct row *r, const char *fmt, ...)
{
	size_t len = strlen(r->note);
	if (len && len + 2 < sizeof r->note) {
		memcpy(r->note + len, "; ", 3);
		len += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->note + len, sizeof r->note - len, fmt, ap);
	va_end(ap);
}

/* ---- one sample ------------------------------------------------------------------------ */

/* The scheduler and processors row r runs chanlab with. */
static struct bench_env env_of(const struct state *st, const struct row *r)
{
	struct bench_env env = {st->par ? CL_SCHED_PAR : CL_SCHED_DET, st->o.procs, st->o.procs};
	if (r->s.det)
		env.sched = CL_SCHED_DET;
	else if (r->s.procs && st->par)
		env.procs = r->s.procs;
	if (env.sched == CL_SCHED_DET)
		env.procs = 1;
	return env;
}

/* The tasks (blocked rows) or jobs (worker pool) of a sample: --quick runs a
 * tenth of them and scales the figure back (see scale_of). */
static long row_n(const struct state *st, const struct row *r)
{
	return st->o.quick && r->s.n >= 100000 ? r->s.n / 10 : r->s.n;
}

static double scale_of(const struct state *st, const struct row *r)
{
	return (double)r->s.n / (double)row_n(st, r);
}

/* Go's processors for impl on row r. */
static int go_procs(const struct state *st, const struct row *r, enum impl impl)
{
	if (impl == IMPL_GO1)
		return 1;
	return r->s.procs ? r->s.procs : st->o.procs;
}

/* One sample of row r by impl, n operations where the row takes a count:
 * the figure in r's unit in *value, the sample in *s.  0, BENCH_PEER_NONE
 * (this impl has no form of the row), or -1 with err. */
static int sample(struct state *st, struct row *r, enum impl impl, long n, double *value,
                  struct bench_sample *s, char *err, size_t errsize)
{
	memset(s, 0, sizeof *s);
	s->overlap = s->held = s->cross = -1;
	enum bench_prog prog = r->s.prog;
	struct bench_env env = env_of(st, r);
	int rc = 0;
	switch (impl) {
	case IMPL_CHANLAB:
		if (r->s.kind == ROW_BLOCKED_S || r->s.kind == ROW_BLOCKED_RSS)
			rc = bench_rt_run_child(prog, row_n(st, r), &env, s, err, errsize);
		else
			rc = bench_rt_run(prog, r->s.kind == ROW_WORKERPOOL ? row_n(st, r) : n, &env, s,
			                  err, errsize);
		break;
	case IMPL_GO:
	case IMPL_GO1: {
		int procs = go_procs(st, r, impl);
		if (r->s.kind == ROW_NS) {
			double ns;
			if (bench_go_test(&st->go, r->s.go_bench, procs, &ns) != 0) {
				snprintf(err, errsize, "Go's Benchmark%s failed", r->s.go_bench);
				return -1;
			}
			*value = ns;
			return 0;
		}
		if (r->s.kind == ROW_WORKERPOOL) {
			double secs;
			if (bench_go_workerpool(&st->go, row_n(st, r), procs, &secs) != 0) {
				snprintf(err, errsize, "Go's workerpool failed");
				return -1;
			}
			*value = secs * scale_of(st, r);
			return 0;
		}
		double secs, kib, mib;
		if (bench_go_million(&st->go, row_n(st, r), procs, &secs, &kib, &mib) != 0) {
			snprintf(err, errsize, "Go's million %ld failed", row_n(st, r));
			return -1;
		}
		s->kib_per_task = kib;
		s->rss_mib = mib * scale_of(st, r);
		*value = (r->s.kind == ROW_BLOCKED_S ? secs : mib) * scale_of(st, r);
		return 0;
	}
	case IMPL_BOOST:
		rc = bench_boost_run(st->boost_path, prog, r->s.n ? row_n(st, r) : n, s, err, errsize);
		break;
	case IMPL_PTHREAD:
		rc = bench_pthread_run(prog, n, st->o.procs, s, err, errsize);
		break;
	case IMPL_FLOOR:
		rc = bench_floor_run(prog, r->s.n ? row_n(st, r) : n, 0, s, err, errsize);
		break;
	case IMPL_FLOOR_GUARDED:
		rc = bench_floor_guarded_run(prog, row_n(st, r), 0, s, err, errsize);
		break;
	case IMPL_CK:
		if (!bench_have_ck())
			return BENCH_PEER_NONE;
		rc = bench_rt_run(BENCH_STACK_CK, n, &env, s, err, errsize);
		break;
	default:
		return BENCH_PEER_NONE;
	}
	if (rc)
		return rc;
	switch (r->s.kind) {
	case ROW_BLOCKED_S:
	case ROW_WORKERPOOL:
		*value = s->ns / 1e9 * scale_of(st, r);
		break;
	case ROW_BLOCKED_RSS:
		*value = s->rss_mib * scale_of(st, r);
		break;
	default:
		*value = s->ops ? s->ns / (double)s->ops : 0;
		break;
	}
	return 0;
}

/* ns/op rows: grows n until a sample of impl lasts about the target. */
static long calibrate(struct state *st, struct row *r, enum impl impl, char *err, size_t errsize)
{
	double target = st->o.quick ? 0.02 : 0.15;
	long n = impl == IMPL_PTHREAD && r->s.prog == BENCH_SPAWN_JOIN ? 100 : 1000;
	if (r->s.prog == BENCH_WAKE_LATENCY)
		n = 10;
	struct bench_sample s;
	double v;
	for (int tries = 0;; tries++) {
		int rc = sample(st, r, impl, n, &v, &s, err, errsize);
		if (rc)
			return rc > 0 ? 0 : -1;
		double secs = s.ns / 1e9;
		if (secs >= target / 4 || tries > 20 || n > (1L << 40))
			break;
		double grow = secs > 0 ? target / secs : 100;
		n = (long)((double)n * (grow > 100 ? 100 : grow < 2 ? 2 : grow));
	}
	if (s.ns > 0 && r->s.prog != BENCH_WAKE_LATENCY)
		n = (long)((double)n * target * 1e9 / s.ns);
	if (n < 4 * st->o.procs)
		n = 4 * st->o.procs;
	return n;
}

/* Is impl a peer this run can measure on row r? */
static bool impl_available(struct state *st, const struct row *r, enum impl impl)
{
	if (impl == IMPL_CHANLAB)
		return true;
	if (!(r->s.peers & PEER(impl)))
		return false;
	switch (impl) {
	case IMPL_GO:
	case IMPL_GO1:
		return st->go_ok;
	case IMPL_BOOST:
		return st->boost_ok;
	case IMPL_CK:
		return bench_have_ck();
	default:
		return true;
	}
}

static double median_of(const double *v, int n)
{
	double tmp[ROUNDS];
	memcpy(tmp, v, (size_t)n * sizeof *v);
	return bench_median(tmp, n);
}

static void measure_core_rounds(struct state *st, struct row *r);

/* A core row, with --load's busy threads running for the whole of it
 * (calibration included), whichever implementation is measured. */
static void measure_core(struct state *st, struct row *r)
{
	struct bench_load *load = NULL;
	if (st->o.load > 0) {
		char err[200];
		load = bench_load_start(st->o.load, err, sizeof err);
		if (!load) {
			r->failed = true;
			add_note(r, "%s", err);
			return;
		}
	}
	measure_core_rounds(st, r);
	bench_load_stop(load);
	if (load && r->measured) {
		r->load = st->o.load;
		add_note(r, "measured beside %d busy thread%s (--load)", st->o.load,
		         st->o.load == 1 ? "" : "s");
	}
}

/* The core rows: every available implementation once per round, starting
 * one further along the list each round. */
static void measure_core_rounds(struct state *st, struct row *r)
{
	char err[300];
	if (r->s.par_only && !st->par) {
		add_note(r, "par only (this run is det)");
		return;
	}
	if (r->s.slow && st->o.quick) {
		add_note(r, "not in --quick (a million tasks)");
		return;
	}
	/* blocked_1m_rss_mib comes from blocked_1m_s's children when that row ran */
	if (r->s.kind == ROW_BLOCKED_RSS) {
		for (int i = 0; i < st->nrows; i++) {
			struct row *t = &st->rows[i];
			if (t->s.kind != ROW_BLOCKED_S || t->s.n != r->s.n || !t->measured)
				continue;
			for (int k = 0; k < NIMPL; k++) {
				r->nv[k] = t->nv[k];
				memcpy(r->v[k], t->impl_mib[k], sizeof r->v[k]);
			}
			r->nkib = t->nkib;
			memcpy(r->kib, t->kib, sizeof r->kib);
			memcpy(r->impl_kib, t->impl_kib, sizeof r->impl_kib);
			r->has_parks = t->has_parks;
			r->parks_wakes = t->parks_wakes;
			r->ops = t->ops;
			r->steal = t->steal;
			r->measured = true;
			add_note(r, "the same children as %s", t->s.name);
			return;
		}
	}
	enum impl impls[NIMPL];
	long n[NIMPL];
	int k = 0;
	for (int i = 0; i < NIMPL; i++) {
		if (!impl_available(st, r, (enum impl)i))
			continue;
		n[k] = 0;
		if (r->s.kind == ROW_NS && i != IMPL_GO && i != IMPL_GO1) {
			progress(st, r->s.name, "(calibrating %s)", impl_key[i]);
			n[k] = calibrate(st, r, (enum impl)i, err, sizeof err);
			if (n[k] < 0) {
				if (i == IMPL_CHANLAB) {
					r->failed = true;
					add_note(r, "%s", err);
					return;
				}
				add_note(r, "%s: %s", impl_key[i], err);
				continue;
			}
			if (n[k] == 0)
				continue;   /* no form of this row */
		}
		impls[k++] = (enum impl)i;
	}
	double kib_sum[NIMPL] = {0};
	for (int round = 0; round < ROUNDS && !cmd_interrupted(); round++) {
		progress(st, r->s.name, "round %d/%d", round + 1, ROUNDS);
		for (int j = 0; j < k && !cmd_interrupted(); j++) {
			int at = (round + j) % k;
			enum impl impl = impls[at];
			if (impl == IMPL_CHANLAB && r->failed)
				continue;
			double v;
			struct bench_sample s;
			err[0] = '\0';
			int rc = sample(st, r, impl, n[at], &v, &s, err, sizeof err);
			if (rc) {
				if (impl == IMPL_CHANLAB) {
					r->failed = true;
					add_note(r, "%s", err);
				} else if ((rc < 0 || *err) && r->nv[impl] == 0 &&
				           !strstr(r->note, impl_key[impl])) {
					add_note(r, "%s: %s", impl_key[impl], err);   /* a failure, or why none */
				}
				continue;
			}
			r->v[impl][r->nv[impl]] = v;
			bool go = impl == IMPL_GO || impl == IMPL_GO1;   /* sample scaled Go's already */
			r->impl_mib[impl][r->nv[impl]] = s.rss_mib * (go ? 1 : scale_of(st, r));
			r->nv[impl]++;
			kib_sum[impl] += s.kib_per_task;
			double share;
			if (impl == IMPL_GO && r->s.go_share &&
			    bench_go_metric(&st->go, r->s.go_share, go_procs(st, r, impl), r->s.share_unit,
			                    &share) == 0)
				r->go_share[r->ngo_share++] = share;
			if (impl != IMPL_CHANLAB)
				continue;
			if (s.held >= 0)
				r->held[r->nheld++] = s.held;
			if (s.cross >= 0)
				r->cross[r->ncross++] = s.cross;
			if (s.overlap >= 0 && st->par)
				r->overlap[r->noverlap++] = s.overlap;
			if (r->s.kind == ROW_BLOCKED_S || r->s.kind == ROW_BLOCKED_RSS)
				r->kib[r->nkib++] = s.kib_per_task;
			if (env_of(st, r).sched == CL_SCHED_PAR) {
				r->has_parks = true;
				r->parks_wakes += s.parks + s.wakes;
				r->ops += s.ops;
			}
		}
	}
	for (int i = 0; i < NIMPL; i++)
		if (r->nv[i])
			r->impl_kib[i] = kib_sum[i] / r->nv[i];
	r->measured = !r->failed && r->nv[IMPL_CHANLAB] > 0;
	if (r->measured && row_n(st, r) != r->s.n)
		add_note(r, "quick: %ld, scaled x%.0f", row_n(st, r), scale_of(st, r));
}

/* The second table: chanlab alone, one sample per round. */
static int extra_sample(struct state *st, struct row *r, double *value, char *err, size_t errsize)
{
	switch (r->s.kind) {
	case ROW_RUN_MS: {
		int status = 0;
		int rc = bench_run_ms(st->self, r->s.pattern, 1, value, &status, err, errsize);
		if (!rc && status != 0 && !*r->note)
			add_note(r, "chanlab run %s exited %d", r->s.pattern, status);
		return rc;
	}
	case ROW_EXPLORE: {
		/* .pattern is "PATTERN[:VARIANT]" (variant correct by default) */
		char name[64];
		const char *variant = "correct";
		snprintf(name, sizeof name, "%s", r->s.pattern);
		char *colon = strchr(name, ':');
		if (colon) {
			*colon = '\0';
			variant = colon + 1;
		}
		int processes = r->s.all_cpus ? cl_available_cpus() : 1;
		return bench_explore_rate_of(name, variant, r->s.race, processes, 1,
		                             st->o.quick ? 0.05 : 0.3, value, err, errsize);
	}
	case ROW_JSONL: {
		long events = st->o.quick ? 100000 : r->s.n;
		int rc = bench_jsonl(events, 1, value, err, errsize);
		if (!rc && events != r->s.n) {
			*value *= (double)r->s.n / (double)events;   /* scaled to a million */
			if (!*r->note)
				add_note(r, "quick: %ld events, scaled to %ld", events, r->s.n);
		}
		return rc;
	}
	case ROW_QUIZ:
		return bench_quiz_load((int)r->s.n, 1, value, err, errsize);
	case ROW_HTML:
		return bench_html_ready(st->self, st->tmp, (int)r->s.n, value, err, errsize);
	default:
		return -1;
	}
}

static void measure_extra(struct state *st, struct row *r)
{
	char err[300] = "";
	for (int round = 0; round < ROUNDS && !cmd_interrupted(); round++) {
		progress(st, r->s.name, "round %d/%d", round + 1, ROUNDS);
		double v;
		int rc = extra_sample(st, r, &v, err, sizeof err);
		if (rc > 0) {   /* the tool it needs is missing: a dash and a note */
			add_note(r, "%s", err);
			return;
		}
		if (rc) {
			r->failed = true;
			add_note(r, "%s", err);
			return;
		}
		r->v[IMPL_CHANLAB][r->nv[IMPL_CHANLAB]++] = v;
	}
	r->measured = r->nv[IMPL_CHANLAB] > 0;
}

/* Medians, chanlab's spread, and the notes the measurements earned. */
static void summarize(struct state *st, struct row *r)
{
	for (int i = 0; i < NIMPL; i++)
		r->median[i] = r->nv[i] ? median_of(r->v[i], r->nv[i]) : NAN;
	int n = r->nv[IMPL_CHANLAB];
	if (n) {
		r->min = r->max = r->v[IMPL_CHANLAB][0];
		for (int i = 1; i < n; i++) {
			r->min = fmin(r->min, r->v[IMPL_CHANLAB][i]);
			r->max = fmax(r->max, r->v[IMPL_CHANLAB][i]);
		}
	}
	if (r->nheld)
		add_note(r, "%.1f%% of chanlab's Lock calls found the mutex held (median of %d rounds)",
		         100 * median_of(r->held, r->nheld), r->nheld);
	if (r->nheld && median_of(r->held, r->nheld) < 0.9)
		add_note(r, "below 90%%: the lockers mostly ran one after the other, so the row "
		            "measured little contention");
	if (r->ncross)
		add_note(r, "%.1f%% of chanlab's hand-offs crossed OS threads%s",
		         100 * median_of(r->cross, r->ncross),
		         median_of(r->cross, r->ncross) < 0.9
		                 ? " (below 90%: the pair mostly ran on one processor, not a cross-core "
		                   "hand-off)"
		                 : "");
	if (r->ngo_share)
		add_note(r, "Go: %.1f%% %s (Benchmark%s, GOMAXPROCS=%d)",
		         100 * median_of(r->go_share, r->ngo_share),
		         strcmp(r->s.share_unit, "held") == 0 ? "of Lock calls found the mutex held"
		                                             : "of hand-offs crossed OS threads",
		         r->s.go_share, go_procs(st, r, IMPL_GO));
	if (r->ngo_share && (r->nheld || r->ncross)) {
		double mine = r->nheld ? median_of(r->held, r->nheld) : median_of(r->cross, r->ncross);
		double go = median_of(r->go_share, r->ngo_share);
		if (fabs(mine - go) > 0.3)
			add_note(r, "not comparable with Go: the shares differ by %.0f points, so the two "
			            "did different work (%s)",
			         100 * fabs(mine - go),
			         r->nheld ? "one side's lockers ran one after the other"
			                  : "one side's pair ran on one thread");
	}
	if (r->noverlap)
		add_note(r, "the %d tasks' spans overlapped for %.0f%% of the whole", st->o.procs,
		         100 * median_of(r->overlap, r->noverlap));
	if (r->nkib) {
		add_note(r, "%.2f KiB per task, peak RSS and page tables (VmHWM + VmPTE)", median_of(r->kib, r->nkib));
		for (int i = 1; i < NIMPL; i++)
			if (r->nv[i])
				add_note(r, "%s %.2f KiB", impl_key[i], r->impl_kib[i]);
	}
	if (st->o.vs_go && !st->go_ok && (r->s.peers & PEERS_GO))
		add_note(r, "Go: no figures (%s)", st->go_note);
	if (r->s.det && r->measured)
		add_note(r, "det scheduler, one OS thread");
	if (r->s.prog == BENCH_SWITCH && r->measured)
		add_note(r, "per real switch (a yield after which the other task ran)");
	if (r->s.kind == ROW_EXPLORE && r->s.all_cpus && r->measured)
		add_note(r, "%d worker processes (explore --parallel)", cl_available_cpus());
	if (r->s.kind == ROW_EXPLORE && r->s.race && r->measured) {
		for (int i = 0; i < st->nrows; i++) {
			struct row *off = &st->rows[i];
			if (off->s.kind == ROW_EXPLORE && !off->s.race && off->measured &&
			    off->s.all_cpus == r->s.all_cpus && strcmp(off->s.pattern, r->s.pattern) == 0)
				add_note(r, "%.2f of the rate with the detector off",
				         r->median[IMPL_CHANLAB] / off->median[IMPL_CHANLAB]);
		}
	}
}

/* ---- ratios ------------------------------------------------------------------------------ */

/* Go's column for row r: Go with the row's number of processors. */
static enum impl go_impl(const struct state *st, const struct row *r)
{
	return go_procs(st, r, IMPL_GO) == 1 && !(r->s.peers & PEER(IMPL_GO)) ? IMPL_GO1
	       : r->s.det                                                      ? IMPL_GO1
	                                                                       : IMPL_GO;
}

static bool has(const struct row *r, enum impl i)
{
	return r->measured && r->nv[i] > 0 && isfinite(r->median[i]) && r->median[i] > 0;
}

/* The best peer of r (not chanlab), or -1. */
static int best_peer(const struct row *r)
{
	int best = -1;
	for (int i = 1; i < NIMPL; i++) {
		if (!has(r, (enum impl)i))
			continue;
		if (best < 0 || (higher_is_better(r) ? r->median[i] > r->median[best]
		                                     : r->median[i] < r->median[best]))
			best = i;
	}
	return best;
}

/* chanlab / impl, the median of the per-round ratios (the same rounds). */
static double ratio_to(const struct row *r, enum impl impl)
{
	double q[ROUNDS];
	int n = r->nv[IMPL_CHANLAB] < r->nv[impl] ? r->nv[IMPL_CHANLAB] : r->nv[impl];
	for (int i = 0; i < n; i++)
		q[i] = r->v[impl][i] > 0 ? r->v[IMPL_CHANLAB][i] / r->v[impl][i] : NAN;
	return n ? bench_median(q, n) : NAN;
}

/* ---- output ---------------------------------------------------------------------------------- */

static void json_num(FILE *out, bool have, double v)
{
	if (have && isfinite(v))
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
		json_str(out, r->s.name);
		fputs(", \"unit\": ", out);
		json_str(out, r->s.unit);
		fputs(", \"chanlab\": ", out);
		json_num(out, has(r, IMPL_CHANLAB), r->median[IMPL_CHANLAB]);
		fputs(", \"min\": ", out);
		json_num(out, has(r, IMPL_CHANLAB), r->min);
		fputs(", \"max\": ", out);
		json_num(out, has(r, IMPL_CHANLAB), r->max);
		fprintf(out, ", \"rounds\": %d", r->nv[IMPL_CHANLAB]);
		enum impl g = go_impl(st, r);
		fputs(", \"go\": ", out);
		json_num(out, has(r, g), r->median[g]);
		fputs(", \"ratio\": ", out);
		json_num(out, has(r, g), ratio_to(r, g));
		if (is_core(r)) {
			fputs(", \"peers\": {", out);
			for (int k = 1; k < NIMPL; k++) {
				fprintf(out, "%s\"%s\": ", k > 1 ? ", " : "", impl_key[k]);
				json_num(out, has(r, (enum impl)k), r->median[k]);
			}
			fputc('}', out);
			/* chanlab over each peer, as ratio and ratio_best are */
			fputs(", \"peer_ratios\": {", out);
			for (int k = 1; k < NIMPL; k++) {
				fprintf(out, "%s\"%s\": ", k > 1 ? ", " : "", impl_key[k]);
				json_num(out, has(r, (enum impl)k) && has(r, IMPL_CHANLAB),
				         ratio_to(r, (enum impl)k));
			}
			fputc('}', out);
			int b = best_peer(r);
			fputs(", \"best_peer\": ", out);
			if (b >= 0)
				json_str(out, impl_key[b]);
			else
				fputs("null", out);
			fputs(", \"ratio_best\": ", out);
			json_num(out, b >= 0, b >= 0 ? ratio_to(r, (enum impl)b) : 0);
		}
		fputs(", \"claim\": ", out);
		json_num(out, r->s.has_claim, r->s.claim);
		if (is_core(r)) {
			struct bench_env env = env_of(st, r);
			fputs(", \"parks_per_1k\": ", out);
			json_num(out, r->has_parks && r->ops, (double)r->parks_wakes * 1000.0 / (double)r->ops);
			fprintf(out, ", \"sched\": \"%s\", \"procs\": %d",
			        env.sched == CL_SCHED_PAR ? "par" : "det", env.procs);
		}
		fprintf(out, ", \"load\": %d", r->load);
		fputs(", \"steal\": ", out);
		json_num(out, r->steal >= 0, r->steal);
		if (r->nheld) {
			fputs(", \"held\": ", out);
			json_num(out, true, median_of(r->held, r->nheld));
		}
		if (r->ncross) {
			fputs(", \"cross\": ", out);
			json_num(out, true, median_of(r->cross, r->ncross));
		}
		if (r->nkib) {
			fputs(", \"kib_per_task\": ", out);
			json_num(out, true, median_of(r->kib, r->nkib));
		}
		if (*r->note) {
			fputs(", \"note\": ", out);
			json_str(out, r->note);
		}
		fputc('}', out);
	}
	fputs("\n]\n", out);
}

/* A value in its unit, width w. */
static void cell(FILE *out, int w, bool have, double v, const char *unit)
{
	if (!have || !isfinite(v))
		fprintf(out, "%*s", w, "-");
	else if (strcmp(unit, "s") == 0)
		fprintf(out, "%*.3f", w, v);
	else if (strcmp(unit, "schedules/s") == 0 || v >= 10000)
		fprintf(out, "%*.0f", w, v);
	else if (v >= 100)
		fprintf(out, "%*.1f", w, v);
	else
		fprintf(out, "%*.2f", w, v);
}

static void spread_cell(FILE *out, const struct row *r)
{
	char a[32], b[32];
	if (!has(r, IMPL_CHANLAB)) {
		fprintf(out, " %-17s", "-");
		return;
	}
	const char *fmt = strcmp(r->s.unit, "s") == 0 ? "%.3f" : r->max >= 10000 ? "%.0f"
	                                                   : r->max >= 100    ? "%.1f"
	                                                                      : "%.2f";
	snprintf(a, sizeof a, fmt, r->min);
	snprintf(b, sizeof b, fmt, r->max);
	char both[70];
	snprintf(both, sizeof both, "%s-%s", a, b);
	fprintf(out, " %-17s", both);
}

/* The host's share of CPU time over the run and the row it hit hardest:
 * on a shared virtual machine, what moves absolute figures between runs
 * while the guest's load average reads zero. */
static void print_steal(const struct state *st, FILE *out)
{
	double whole = bench_steal_share(&st->cpu_start, &st->cpu_end);
	if (whole < 0)
		return;
	const struct row *worst = NULL;
	for (int i = 0; i < st->nrows; i++) {
		const struct row *r = &st->rows[i];
		if (r->measured && r->steal >= 0 && (!worst || r->steal > worst->steal))
			worst = r;
	}
	fprintf(out, "host steal: %.1f%% of CPU time went to other guests", whole * 100);
	if (worst && worst->steal >= 0.005)
		fprintf(out, " (most during %s: %.1f%%)", worst->s.name, worst->steal * 100);
	fputs("; absolute figures move with it, same-round ratios much less\n", out);
}

static void print_table(struct state *st, FILE *out)
{
	fprintf(out, "chanlab bench: %s scheduler", st->par ? "par" : "det");
	if (st->par)
		fprintf(out, ", procs=%d", st->o.procs);
	else
		fprintf(out, " (one OS thread; %s)", st->sched_note);
	fprintf(out, "; %d tasks on the contended rows; median of %d rounds%s\n", st->o.procs,
	        ROUNDS, st->o.quick ? " (--quick: short samples)" : "");
	if (st->o.load > 0)
		fprintf(out, "--load %d: %d busy thread%s ran beside every row of the first table\n",
		        st->o.load, st->o.load, st->o.load == 1 ? "" : "s");
	fprintf(out, "load average: ");
	if (st->nload_start > 0)
		fprintf(out, "%.2f at the start", st->load_start[0]);
	if (st->nload_end > 0)
		fprintf(out, ", %.2f at the end (1-minute)", st->load_end[0]);
	fputc('\n', out);
	print_steal(st, out);
	if (st->o.vs_go) {
		if (st->go_ok)
			fprintf(out, "Go: %s, GOMAXPROCS=1 and %d, bench/go built and run in this invocation\n",
			        st->go.version[0] ? st->go.version : "go", st->o.procs);
		else
			fprintf(out, "Go: no figures (%s)\n", st->go_note);
	} else {
		fprintf(out, "Go: not measured (add --vs-go)\n");
	}
	fprintf(out, "Boost.Fiber: %s\n", st->boost_ok ? st->boost_path : st->boost_note);
	if (!bench_have_ck())
		fprintf(out, "ck: %s\n", bench_no_ck_reason());
	for (int table = 0; table < 2; table++) {
		bool any = false;
		for (int i = 0; i < st->nrows; i++)
			any |= st->rows[i].selected && is_core(&st->rows[i]) == (table == 0);
		if (!any)
			continue;
		if (table == 0)
			fprintf(out, "\n%-21s %9s %-17s %-9s %9s %6s  %-11s %9s %6s  %8s  %s\n", "figure",
			        "chanlab", " spread", "unit", "Go", "xGo", "best peer", "", "xbest",
			        "parks/1k", "target");
		else
			fprintf(out, "\n%-34s %9s %-17s %-12s %s\n", "further figure", "chanlab", " spread",
			        "unit", "target");
		for (int i = 0; i < st->nrows; i++) {
			struct row *r = &st->rows[i];
			if (!r->selected || is_core(r) != (table == 0))
				continue;
			if (table == 1) {
				fprintf(out, "%-34s ", r->s.name);
				cell(out, 9, has(r, IMPL_CHANLAB), r->median[IMPL_CHANLAB], r->s.unit);
				spread_cell(out, r);
				fprintf(out, " %-12s %s\n", r->s.unit, r->s.target ? r->s.target : "");
				continue;
			}
			fprintf(out, "%-21s ", r->s.name);
			cell(out, 9, has(r, IMPL_CHANLAB), r->median[IMPL_CHANLAB], r->s.unit);
			spread_cell(out, r);
			fprintf(out, " %-9s ", r->s.unit);
			enum impl g = go_impl(st, r);
			cell(out, 9, has(r, g), r->median[g], r->s.unit);
			if (has(r, g) && has(r, IMPL_CHANLAB))
				fprintf(out, " %5.2fx", ratio_to(r, g));
			else
				fprintf(out, " %6s", "-");
			int b = best_peer(r);
			fprintf(out, "  %-11s ", b >= 0 ? impl_key[b] : "-");
			cell(out, 9, b >= 0, b >= 0 ? r->median[b] : 0, r->s.unit);
			if (b >= 0 && has(r, IMPL_CHANLAB))
				fprintf(out, " %5.2fx", ratio_to(r, (enum impl)b));
			else
				fprintf(out, " %6s", "-");
			if (r->has_parks && r->ops)
				fprintf(out, "  %8.2f", (double)r->parks_wakes * 1000.0 / (double)r->ops);
			else
				fprintf(out, "  %8s", "-");
			fprintf(out, "  %s\n", r->s.target ? r->s.target : "");
		}
	}
	fprintf(out, "\npeers (median of the same rounds, then chanlab's ratio to it; '-' not "
	             "installed or\nno such form):\n");
	for (int i = 0; i < st->nrows; i++) {
		struct row *r = &st->rows[i];
		if (!r->selected || !is_core(r) || !has(r, IMPL_CHANLAB))
			continue;
		fprintf(out, "  %-21s", r->s.name);
		for (int k = 1; k < NIMPL; k++) {
			if (!(r->s.peers & PEER(k)))
				continue;
			fprintf(out, " %s ", impl_key[k]);
			if (has(r, (enum impl)k)) {
				cell(out, 1, true, r->median[k], r->s.unit);
				fprintf(out, " (%.2fx)", ratio_to(r, (enum impl)k));
			} else {
				fputc('-', out);
			}
		}
		fputc('\n', out);
	}
	bool notes = false;
	for (int i = 0; i < st->nrows; i++) {
		struct row *r = &st->rows[i];
		if (!r->selected || !*r->note)
			continue;
		if (!notes)
			fputs("\nnotes:\n", out);
		notes = true;
		fprintf(out, "  %s: %s\n", r->s.name, r->note);
	}
	fprintf(out, "\nspread: min-max of chanlab's rounds; xGo and xbest: the median of the "
	             "per-round ratios;\nparks/1k: processor parks + wakes per 1,000 operations "
	             "(par only).\n");
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

/* The options, with the parser every command shares (cmd_opt_value). */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	o->procs = 2;
	o->sched = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool missing = false;
		if (strcmp(a, "--vs-go") == 0)
			o->vs_go = true;
		else if (strcmp(a, "--json") == 0)
			o->json = true;
		else if (strcmp(a, "--quick") == 0)
			o->quick = true;
		else if ((v = cmd_opt_value(argc, argv, &i, "--procs", &missing)) || missing) {
			if (missing || parse_int(v, 1, 256, &o->procs) != 0)
				return cmd_fail(CL_EXIT_USAGE, "bench: bad value '%s' for --procs (valid: 1 to 256)",
				                v ? v : "");
		} else if ((v = cmd_opt_value(argc, argv, &i, "--sched", &missing)) || missing) {
			if (v && strcmp(v, "det") == 0)
				o->sched = CL_SCHED_DET;
			else if (v && strcmp(v, "par") == 0)
				o->sched = CL_SCHED_PAR;
			else
				return cmd_fail(CL_EXIT_USAGE, "bench: bad value '%s' for --sched (valid: det, par)",
				                v ? v : "");
		} else if ((v = cmd_opt_value(argc, argv, &i, "--load", &missing)) || missing) {
			if (missing || parse_int(v, 0, 64, &o->load) != 0)
				return cmd_fail(CL_EXIT_USAGE, "bench: bad value '%s' for --load (valid: 0 to 64)",
				                v ? v : "");
		} else if ((v = cmd_opt_value(argc, argv, &i, "--only", &missing)) || missing) {
			if (missing || !*v)
				return cmd_fail(CL_EXIT_USAGE, "bench: --only needs a list of figure names");
			o->only = v;
		} else {
			return cmd_fail(CL_EXIT_USAGE, "bench: unknown option '%s' (try 'chanlab bench --help')", a);
		}
	}
	return 0;
}

/* The bench's temporary folder under $TMPDIR (default /tmp): the html
 * player's page and, without a cache folder, the Go binaries. */
static int make_tmp(struct state *st)
{
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	snprintf(st->tmp, sizeof st->tmp, "%s/chanlab-bench-XXXXXX", base);
	if (!mkdtemp(st->tmp)) {
		int e = errno;
		st->tmp[0] = '\0';
		return cmd_fail(CL_EXIT_ERROR, "bench: cannot make a temporary folder in %s: %s", base,
		                strerror(e));
	}
	return 0;
}

/* Removes the temporary folder and what is in it (one level of folders:
 * the bench writes nothing deeper except chromium's profile, which
 * bench_html_ready removes itself). */
static void remove_tmp(struct state *st)
{
	if (!st->tmp[0])
		return;
	char cmd[PATH_MAX + 32];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", st->tmp);
	if (!strchr(st->tmp, '\'') && system(cmd) != 0)
		rmdir(st->tmp);
	st->tmp[0] = '\0';
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
	if (!rc)
		rc = make_tmp(st);
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
		st->par = bench_par_available(st->o.procs, st->sched_note, sizeof st->sched_note);
		if (!st->par && st->o.sched == CL_SCHED_PAR) {
			int code = cmd_fail(CL_EXIT_ERROR, "bench: --sched par: %s", st->sched_note);
			remove_tmp(st);
			free(st);
			return code;
		}
	}
	for (int i = 0; i < st->nrows; i++)
		st->total += st->rows[i].selected;

	/* Ctrl-C: no more rounds; the temporary folder is removed, the figures
	 * so far are printed, and the exit status is 130. */
	cmd_interrupt_install();
	st->nload_start = getloadavg(st->load_start, 3);
	bench_cpu_time_now(&st->cpu_start);
	st->boost_ok = bench_boost_find(st->self, st->boost_path, sizeof st->boost_path,
	                                st->boost_note, sizeof st->boost_note);
	if (st->o.vs_go) {
		progress(st, "Go", "(building bench/go)");
		st->go_ok = bench_go_open(&st->go, st->self, st->tmp, st->o.quick, st->go_note,
		                          sizeof st->go_note) == 0;
	}
	for (int i = 0; i < st->nrows && !cmd_interrupted(); i++) {
		struct row *r = &st->rows[i];
		if (!r->selected)
			continue;
		struct bench_cpu_time before, after;
		bench_cpu_time_now(&before);
		if (is_core(r))
			measure_core(st, r);
		else
			measure_extra(st, r);
		bench_cpu_time_now(&after);
		if (r->steal < 0)   /* blocked_1m_rss_mib has blocked_1m_s's */
			r->steal = bench_steal_share(&before, &after);
		summarize(st, r);
		st->done++;
	}
	st->nload_end = getloadavg(st->load_end, 3);
	bench_cpu_time_now(&st->cpu_end);
	if (st->o.vs_go)
		bench_go_close(&st->go);
	remove_tmp(st);
	progress_clear(st);

	if (st->o.json)
		print_json(st, stdout);
	else
		print_table(st, stdout);
	rc = CL_EXIT_OK;
	for (int i = 0; i < st->nrows && !cmd_interrupted(); i++)
		if (st->rows[i].selected && st->rows[i].failed) {
			cmd_fail(CL_EXIT_ERROR, "bench: %s: %s", st->rows[i].s.name, st->rows[i].note);
			rc = CL_EXIT_ERROR;
		}
	bool interrupted = cmd_interrupted();
	free(st);
	return interrupted ? CL_EXIT_INTERRUPTED : rc;
}
