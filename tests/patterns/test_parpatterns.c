/*
 * test_parpatterns.c - the par-only patterns (gmp, syscall-handoff,
 * starvation, false-sharing).  Par runs are not deterministic, so these
 * tests assert properties -- the events a run must contain, the outcome,
 * the direction of a metric -- never a golden trace.  Checks that depend
 * on timing or on two CPUs running at once are heavy (release builds only,
 * test_heavy_skipped) and need two CPUs; a metric's direction is the median
 * of 5 runs.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns/registry.h"
#include "tests/testlib.h"

/* ---- running a variant under par and keeping what the tests look at ---------- */

struct seen {
	int steals, steal_tasks, handoffs, syscall_enters;
	int bad_steal;             /* a steal whose thief or victim is out of range, or itself */
	int bad_proc;              /* an event with proc out of 0..procs */
	unsigned procs_used;       /* bit i: some task event ran on processor i */
	int procs;
	int64_t writer_note_seq, first_handoff_seq, first_exit_seq;
};

static void on_event(void *ctx, const struct cl_event *ev)
{
	struct seen *s = ctx;
	if (ev->proc < 0 || ev->proc > s->procs)
		s->bad_proc++;
	if (ev->proc > 0 && ev->proc <= 32)
		s->procs_used |= 1u << (ev->proc - 1);
	switch (ev->kind) {
	case CL_EV_STEAL:
		s->steals++;
		s->steal_tasks += ev->count;
		if (ev->proc < 1 || ev->arg < 1 || ev->arg > s->procs || ev->arg == ev->proc ||
		    ev->count < 1 || ev->task < 1)
			s->bad_steal++;
		break;
	case CL_EV_HANDOFF:
		s->handoffs++;
		if (!s->first_handoff_seq)
			s->first_handoff_seq = (int64_t)ev->seq;
		break;
	case CL_EV_SYNC:
		if (strcmp(ev->text, "syscall enter") == 0)
			s->syscall_enters++;
		if (strcmp(ev->text, "syscall exit") == 0 && !s->first_exit_seq)
			s->first_exit_seq = (int64_t)ev->seq;
		break;
	case CL_EV_NOTE:
		if (strncmp(ev->text, "writer writes", 13) == 0)
			s->writer_note_seq = (int64_t)ev->seq;
		break;
	default:
		break;
	}
}

static const struct pattern *par_pattern(const char *name)
{
	const struct pattern *p = pattern_find(name);
	ck_assert_msg(p != NULL, "no pattern %s", name);
	ck_assert_int_eq(p->sched, PATTERN_SCHED_PAR);
	return p;
}

/* Runs variant of pattern under par on procs processors with params
 * ("name=value" pairs, NULL-terminated); returns the verdict, the events
 * seen in *s (may be NULL), and the values of the nmetrics metrics named in
 * names[] in values[] (each must be measured).  *kept: whether the
 * variant's promise held. */
static enum pattern_verdict run_par_metrics(const char *pattern, const char *variant, int procs,
                                            const char *const *params, struct seen *s,
                                            const char *const *names, int64_t *values,
                                            int nmetrics, bool *kept)
{
	const struct pattern *p = par_pattern(pattern);
	const struct pattern_variant *v = pattern_variant_find(p, variant);
	ck_assert_msg(v != NULL, "no variant %s:%s", pattern, variant);
	struct pattern_run *run = pattern_run_new(p, v);
	for (int i = 0; params && params[i]; i += 2) {
		char err[200];
		ck_assert_msg(pattern_run_set(run, params[i], params[i + 1], err, sizeof err) == 0, "%s",
		              err);
	}
	struct seen local;
	if (!s)
		s = &local;
	memset(s, 0, sizeof *s);
	s->procs = procs;
	struct cl_sink sink = {on_event, NULL, s};
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.sched = CL_SCHED_PAR;
	cfg.procs = procs;
	cfg.sinks = &sink;
	cfg.nsinks = 1;
	struct cl_result res;
	pattern_run_reset(run);
	ck_assert_int_eq(cl_run(pattern_entry, run, &cfg, &res), 0);
	ck_assert_int_eq(res.procs, procs);
	enum pattern_verdict verdict = pattern_verdict(run, &res);
	if (kept)
		*kept = pattern_promise_kept(run, &res);
	for (int m = 0; m < nmetrics; m++) {
		bool found = false;
		for (int i = 0; i < run->nmetrics; i++)
			if (strcmp(run->metrics[i].name, names[m]) == 0 && run->metrics[i].has_value) {
				values[m] = run->metrics[i].value;
				found = true;
			}
		ck_assert_msg(found, "%s:%s measured no %s", pattern, variant, names[m]);
	}
	ck_assert_int_eq(s->bad_proc, 0);
	cl_result_free(&res);
	pattern_run_free(run);
	return verdict;
}

/* run_par_metrics with one metric (metric_name may be NULL: none). */
static enum pattern_verdict run_par(const char *pattern, const char *variant, int procs,
                                    const char *const *params, struct seen *s,
                                    const char *metric_name, int64_t *metric, bool *kept)
{
	const char *const names[] = {metric_name};
	return run_par_metrics(pattern, variant, procs, params, s, names, metric, metric_name ? 1 : 0,
	                       kept);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The median of 5 runs' metric. */
static int64_t median5(const char *pattern, const char *variant, int procs,
                       const char *const *params, const char *metric)
{
	int64_t v[5];
	for (int i = 0; i < 5; i++)
		run_par(pattern, variant, procs, params, NULL, metric, &v[i], NULL);
	qsort(v, 5, sizeof v[0], cmp_i64);
	return v[2];
}

/* Timing checks need two CPUs and the release build. */
static bool timing_skipped(const char *name)
{
	if (test_heavy_skipped(name))
		return true;
	if (cl_available_cpus() < 2) {
		fprintf(stderr, "%s: notice: fewer than 2 CPUs; par timing not checked\n", name);
		return true;
	}
	return false;
}

/* ---- the registry and the CLI's rules ------------------------------------------ */

/* The four are registered as par only, with the Go original and lessons
 * (the markers are checked for every pattern by test_lesson.c). */
START_TEST(registered_par_only)
{
	static const char *const names[] = {"gmp", "syscall-handoff", "starvation", "false-sharing"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const struct pattern *p = par_pattern(names[i]);
		ck_assert_int_ge(p->nvariants, 3);
		ck_assert_ptr_nonnull(strstr(p->summary, "Par only"));
		for (int v = 1; v < p->nvariants; v++)
			ck_assert_msg(p->variants[v].lesson && strlen(p->variants[v].lesson) > 40,
			              "%s:%s has no lesson", p->name, p->variants[v].name);
	}
}
END_TEST

/* ---- gmp -------------------------------------------------------------------------- */

/* Tasks started by main queue on main's processor; the other steals half of
 * them, and both compute: steal events name a thief, a victim and the tasks
 * taken, and task events carry both processors. */
START_TEST(gmp_steals_and_spreads)
{
	struct seen s;
	int64_t idle = -1;
	bool kept;
	enum pattern_verdict v = run_par("gmp", "correct", 2, NULL, &s, "idle_procs", &idle, &kept);
	ck_assert_int_eq(v, PATTERN_VERDICT_OK);
	ck_assert(kept);
	ck_assert_int_eq(idle, 0);
	ck_assert_int_ge(s.steals, 1);
	ck_assert_int_eq(s.bad_steal, 0);
	ck_assert_int_ge(s.steal_tasks, 2);   /* half of a queue of 7 or so */
	ck_assert_uint_eq(s.procs_used, 3u);  /* P0 and P1 */
}
END_TEST

/* The broken variants leave a processor idle, whatever the timing: one
 * lock around every job, or one task at a time.  On one processor nothing
 * can be idle, so nothing fails. */
START_TEST(gmp_broken_leave_a_processor_idle)
{
	static const char *const broken[] = {"global-lock", "one-at-a-time"};
	static const char *const params[] = {"work", "2", NULL};
	for (int i = 0; i < 2; i++) {
		int64_t idle = -1;
		bool kept;
		enum pattern_verdict v = run_par("gmp", broken[i], 2, params, NULL, "idle_procs", &idle,
		                                 &kept);
		ck_assert_msg(v == PATTERN_VERDICT_METRIC && kept, "gmp:%s: verdict %s", broken[i],
		              pattern_verdict_name(v));
		ck_assert_int_eq(idle, 1);
		v = run_par("gmp", broken[i], 1, params, NULL, "idle_procs", &idle, NULL);
		ck_assert_int_eq(v, PATTERN_VERDICT_OK);
		ck_assert_int_eq(idle, 0);
	}
}
END_TEST

/* ---- syscall-handoff ---------------------------------------------------------------- */

/* Each reader's blocking call hands its processor off (one handoff event
 * each), and the writer runs while they wait: every processor is held by a
 * reader when the writer becomes runnable, so it runs after a hand-off,
 * and it writes before any call returns. */
START_TEST(syscall_handoff_hands_off)
{
	for (int procs = 1; procs <= 2; procs++) {
		struct seen s;
		int64_t wait = -1;
		bool kept;
		enum pattern_verdict v = run_par("syscall-handoff", "correct", procs, NULL, &s,
		                                 "read_wait_ms", &wait, &kept);
		ck_assert_msg(v == PATTERN_VERDICT_OK && kept, "procs %d: verdict %s (wait %lld ms)", procs,
		              pattern_verdict_name(v), (long long)wait);
		ck_assert_int_eq(s.syscall_enters, procs);
		ck_assert_int_eq(s.handoffs, procs);
		ck_assert_int_gt(s.first_handoff_seq, 0);
		ck_assert_int_gt(s.writer_note_seq, s.first_handoff_seq);
		ck_assert_int_gt(s.first_exit_seq, s.writer_note_seq);
	}
}
END_TEST

/* A call that keeps its processor hands nothing off; with every processor
 * in one, the writer runs only after the calls time out. */
START_TEST(syscall_handoff_broken_block_the_writer)
{
	static const char *const broken[] = {"blocks-processor", "busy-poll"};
	static const char *const params[] = {"timeout", "100", NULL};
	for (int i = 0; i < 2; i++)
		for (int procs = 1; procs <= 2; procs++) {
			struct seen s;
			int64_t wait = -1;
			bool kept;
			enum pattern_verdict v = run_par("syscall-handoff", broken[i], procs, params, &s,
			                                 "read_wait_ms", &wait, &kept);
			ck_assert_msg(v == PATTERN_VERDICT_METRIC && kept, "%s procs %d: verdict %s", broken[i],
			              procs, pattern_verdict_name(v));
			ck_assert_int_ge(wait, 100);
			ck_assert_int_eq(s.handoffs, 0);
			ck_assert_int_eq(s.syscall_enters, 0);
		}
}
END_TEST

/* ---- starvation --------------------------------------------------------------------- */

/* The heartbeat waits for the whole work behind a loop that never yields,
 * and about a millisecond behind one that yields: tight-loop / correct and
 * spin-wait / correct are both >= 1.5 (medians of 5), and the broken ones
 * keep their promise. */
START_TEST(starvation_gap_direction)
{
	if (timing_skipped("starvation_gap_direction"))
		return;
	static const char *const params[] = {"work", "150", NULL};
	int64_t correct = median5("starvation", "correct", 2, params, "heartbeat_gap_ms");
	int64_t tight = median5("starvation", "tight-loop", 2, params, "heartbeat_gap_ms");
	int64_t spin = median5("starvation", "spin-wait", 2, params, "heartbeat_gap_ms");
	if (correct < 1)
		correct = 1;
	ck_assert_msg(tight * 10 >= correct * 15, "tight-loop %lld ms vs correct %lld ms",
	              (long long)tight, (long long)correct);
	ck_assert_msg(spin * 10 >= correct * 15, "spin-wait %lld ms vs correct %lld ms", (long long)spin,
	              (long long)correct);
	ck_assert_int_ge(tight, 100);
}
END_TEST

/* On one processor a tight loop holds it for its whole work, whatever the
 * machine does: the heartbeat's gap is at least the work. */
START_TEST(starvation_one_processor)
{
	if (test_heavy_skipped("starvation_one_processor"))
		return;
	static const char *const params[] = {"work", "150", NULL};
	int64_t gap = -1;
	bool kept;
	enum pattern_verdict v = run_par("starvation", "tight-loop", 1, params, NULL, "heartbeat_gap_ms",
	                                 &gap, &kept);
	ck_assert_msg(v == PATTERN_VERDICT_METRIC && kept, "verdict %s", pattern_verdict_name(v));
	ck_assert_int_ge(gap, 140);
}
END_TEST

/* ---- false-sharing ------------------------------------------------------------------ */

/* The fewest samples (chunks timed while another worker ran) a false-sharing
 * run must have for its slowdown to count: a median of 50 chunk times; and
 * the runs tried for 5 that count. */
#define FS_MIN_SAMPLES 50
#define FS_ATTEMPTS 10

/* The median slowdown of 5 runs of variant (2 processors) that each had
 * FS_MIN_SAMPLES samples, of at most FS_ATTEMPTS runs; -1 if fewer than 5
 * had (then *short_runs is how many had too few, and *least the fewest). */
static int64_t fs_median(const char *variant, int *short_runs, int64_t *least)
{
	static const char *const names[] = {"slowdown_pct", "overlap_samples"};
	int64_t v[5];
	int got = 0;
	*short_runs = 0;
	/* Each run at most 20,000,000 increments a worker (under a second alone). */
	static const char *const params[] = {"iters", "20000000", NULL};
	for (int i = 0; i < FS_ATTEMPTS && got < 5 && *short_runs <= FS_ATTEMPTS - 5; i++) {
		int64_t m[2];
		run_par_metrics("false-sharing", variant, 2, params, NULL, names, m, 2, NULL);
		if (m[1] >= FS_MIN_SAMPLES) {
			v[got++] = m[0];
		} else {
			++*short_runs;
			if (m[1] < *least)
				*least = m[1];
		}
	}
	if (got < 5)
		return -1;
	qsort(v, 5, sizeof v[0], cmp_i64);
	return v[2];
}

/* Counters on one line are slower than padded ones: shared / padded >= 1.5
 * and one counter / padded >= 1.5 (medians of 5 runs on 2 processors).
 * The pattern times only chunks during which another worker made progress,
 * i.e. while two CPUs ran the workers at once, and a run gives up after
 * --iters increments a worker; a run counts only if each worker timed
 * FS_MIN_SAMPLES such chunks.  If 6 of 10 runs of a variant do not count,
 * the machine had fewer than 2 CPUs free: then, and only then, the check
 * is skipped with a notice giving the counts. */
START_TEST(false_sharing_direction)
{
	if (timing_skipped("false_sharing_direction"))
		return;
	static const char *const variants[] = {"correct", "shared-line", "one-counter"};
	int64_t median[3], least = INT64_MAX;
	for (int i = 0; i < 3; i++) {
		int short_runs;
		median[i] = fs_median(variants[i], &short_runs, &least);
		if (median[i] < 0) {
			fprintf(stderr, "false_sharing_direction: notice: in %d runs of %s (5 of at most %d "
			        "must count) a worker timed fewer than %d chunks (as few as %lld) while "
			        "another ran: fewer than 2 CPUs were free; not checked\n", short_runs,
			        variants[i], FS_ATTEMPTS, FS_MIN_SAMPLES, (long long)least);
			return;
		}
	}
	int64_t padded = median[0] > 0 ? median[0] : 1;
	ck_assert_msg(median[1] * 10 >= padded * 15, "shared-line %lld%% vs padded %lld%%",
	              (long long)median[1], (long long)padded);
	ck_assert_msg(median[2] * 10 >= padded * 15, "one-counter %lld%% vs padded %lld%%",
	              (long long)median[2], (long long)padded);
}
END_TEST

Suite *suite_parpatterns(void)
{
	Suite *s = suite_create("parpatterns");
	TCase *tc = tcase_create("parpatterns");
	tcase_set_tags(tc, TAG_SERIAL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, registered_par_only);
	tcase_add_test(tc, gmp_steals_and_spreads);
	tcase_add_test(tc, gmp_broken_leave_a_processor_idle);
	tcase_add_test(tc, syscall_handoff_hands_off);
	tcase_add_test(tc, syscall_handoff_broken_block_the_writer);
	tcase_add_test(tc, starvation_gap_direction);
	tcase_add_test(tc, starvation_one_processor);
	tcase_add_test(tc, false_sharing_direction);
	suite_add_tcase(s, tc);
	return s;
}
