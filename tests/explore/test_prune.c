/*
 * test_prune.c - sleep-set pruning of exhaustive exploration
 * (explore/explore.h, opt.prune) is sound: for small programs of atomics
 * (CAS loops), shared memory (cl_shared, cl_rd, cl_wr), channels and draws
 * from cl_rand, the search with pruning ends in exactly the set of outcomes
 * and final states the search without it ends in, at bounds 0, 1 and 2,
 * with the programs' variables at another address in every run (as memory
 * a pattern allocates is); pruning still removes schedules where tasks
 * touch only their own variables (atomics included), and a lost update
 * between such steps is still found.  The broken core patterns' mistakes
 * are still found (test_exhaustive.c runs them with pruning on, the
 * default), and lock-free-stack aba's outcomes are the same both ways.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "tests/explore/judge.h"
#include "tests/testlib.h"

/* Options for an exhaustive search of a small test program with <= k
 * preemptions: one latency seed, no race detector, no shrinking, up to runs
 * schedules, every run judged unless stop. */
static void exhaustive_opts(struct ex_options *opt, int k, bool prune, long runs, bool stop)
{
	ex_options_init(opt);
	opt->strategy = EX_EXHAUSTIVE;
	opt->preemptions = k;
	opt->latency_seeds = 1;
	opt->runs = runs;
	opt->race = false;
	opt->shrink = false;
	opt->prune = prune;
	opt->stop_at_first = stop;
}

/* ---- tasks that touch only their own variables, and one shared counter ------------- */

enum { MAX_WORKERS = 4 };

struct own {
	int workers, steps;
	bool racy;                        /* also counter++ (a read, then a write) */
	cl_waitgroup *wg;
	cl_shared(int) mine[MAX_WORKERS];
	cl_shared(int) counter;
	int done;                         /* main's reading of counter at the end */
};

struct own_arg {
	struct own *o;
	int id;
};

static struct own_arg own_args[MAX_WORKERS];

static void own_worker(void *arg)
{
	struct own_arg *a = arg;
	struct own *o = a->o;
	for (int i = 0; i < o->steps; i++)
		cl_wr(o->mine[a->id], cl_rd(o->mine[a->id]) + 1);
	if (o->racy)
		cl_wr(o->counter, cl_rd(o->counter) + 1);
	cl_wg_done(o->wg);
}

static void own_main(void *arg)
{
	struct own *o = arg;
	o->wg = cl_wg_new("wg");
	cl_wg_add(o->wg, o->workers);
	for (int w = 0; w < o->workers; w++) {
		own_args[w] = (struct own_arg){o, w};
		cl_go(own_worker, &own_args[w], "worker-%d", w);
	}
	cl_wg_wait(o->wg);
	o->done = cl_rd(o->counter);
}

static void own_reset(void *arg)
{
	struct own *o = arg;
	for (int w = 0; w < MAX_WORKERS; w++)
		o->mine[w] = 0;
	o->counter = 0;
	o->done = -1;
}

/* The promise: every increment of counter counted (racy), and the run ok. */
static enum ex_judgement own_judge(void *ctx, const struct cl_result *res, struct ex_failure *key)
{
	const struct own *o = ctx;
	if (res->outcome != CL_OUTCOME_OK) {
		key->outcome = res->outcome;
		snprintf(key->kind, sizeof key->kind, "outcome");
		return EX_BROKEN;
	}
	if (o->racy && o->done != o->workers) {
		snprintf(key->kind, sizeof key->kind, "invariant");
		snprintf(key->name, sizeof key->name, "counter");
		return EX_BROKEN;
	}
	return EX_KEPT;
}

static void own_explore(struct own *o, int k, bool prune, bool stop, struct ex_result *r)
{
	struct ex_program prog = {own_main, o, own_reset, "own"};
	struct ex_options opt;
	exhaustive_opts(&opt, k, prune, 2000000, stop);
	ck_assert_int_eq(ex_explore(&prog, own_judge, o, &opt, r), 0);
}

/* Two and three workers of private steps: strictly fewer schedules with
 * pruning, both complete, none broken, and pruning counted.  (With one
 * preemption nothing is pruned: a task sleeps only in the subtree of the
 * preemption that stopped it, and a second switch there would be another
 * preemption; the end of each task, a WaitGroup Done, conflicts with every
 * step.) */
START_TEST(private_steps_prune)
{
	/* Three workers with three preemptions: 52,997 schedules, release only. */
	bool heavy = !test_heavy_skipped("private_steps_prune, 3 workers, K=3");
	for (int workers = 2; workers <= 3; workers++)
		for (int k = 2; k <= (workers == 3 && !heavy ? 2 : 3); k++) {
			struct own o = {.workers = workers, .steps = 3};
			struct ex_result full, pruned;
			own_explore(&o, k, false, true, &full);
			own_explore(&o, k, true, true, &pruned);
			printf("own %d workers, K=%d: %ld schedules without pruning, %ld with "
			       "(%ld branches pruned)\n", workers, k, full.runs, pruned.runs, pruned.pruned);
			ck_assert(full.complete && pruned.complete);
			ck_assert_int_eq(full.broken + pruned.broken, 0);
			ck_assert_int_eq(full.pruned, 0);
			ck_assert_int_gt(pruned.pruned, 0);
			ck_assert_int_lt(pruned.runs, full.runs);
			ck_assert_int_ge(pruned.runs, 1);
			ex_result_free(&full);
			ex_result_free(&pruned);
		}
}
END_TEST

/* The lost update on counter, between private steps: found at the bounds
 * where the search without pruning finds it, and
 * over the whole tree with pruning every schedule is still judged once: the
 * broken ones are a non-empty subset. */
START_TEST(lost_update_still_found)
{
	for (int k = 2; k <= 3; k++) {
		struct own o = {.workers = 2, .steps = 2, .racy = true};
		struct ex_result full, pruned;
		own_explore(&o, k, false, true, &full);
		own_explore(&o, k, true, true, &pruned);
		ck_assert_msg(full.first.set, "K=%d: no lost update without pruning", k);
		ck_assert_msg(pruned.first.set, "K=%d: pruning lost the lost update", k);
		ck_assert_str_eq(pruned.first.failure.name, "counter");
		ex_result_free(&full);
		ex_result_free(&pruned);
		own_explore(&o, k, false, false, &full);
		own_explore(&o, k, true, false, &pruned);
		ck_assert_int_gt(pruned.broken, 0);
		ck_assert_int_le(pruned.broken, full.broken);
		ck_assert_int_lt(pruned.runs, full.runs);
		ex_result_free(&full);
		ex_result_free(&pruned);
	}
}
END_TEST

/* ---- the same ends with and without pruning ------------------------------------------ */

/* Every distinct end of the runs of one search: the outcome and the final
 * state the program wrote, as one string each. */
struct ends {
	char **s;
	size_t n, cap;
};

static void ends_add(struct ends *e, const char *sig)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->s[i], sig) == 0)
			return;
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 64;
		e->s = realloc(e->s, e->cap * sizeof *e->s);
		ck_assert_ptr_nonnull(e->s);
	}
	e->s[e->n] = strdup(sig);
	ck_assert_ptr_nonnull(e->s[e->n]);
	e->n++;
}

static bool ends_has(const struct ends *e, const char *sig)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->s[i], sig) == 0)
			return true;
	return false;
}

static void ends_free(struct ends *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->s[i]);
	free(e->s);
	memset(e, 0, sizeof *e);
}

/* The programs: tasks 1..workers (spawned by main) do one kind of work on
 * the world's variables and log what they saw; main waits for them
 * (receiving from the channel first, for CHAN) and writes the final state. */
enum tiny_kind {
	TINY_CAS,     /* a CAS-loop increment of count, an atomic store to a word of their own,
	                 then load-then-store of lossy (an update can be lost) */
	TINY_MEM,     /* cl_rd/cl_wr: a private counter, then x read, a yield, x written */
	TINY_CHAN,    /* x read and written, then their id sent on a channel of capacity 1 */
	TINY_RAND,    /* a private write, a draw from cl_rand, another write, another draw */
	TINY_OWN,     /* atomics on words of their own only: everything commutes */
};

enum { TINY_MAX = 3, TINY_LOG = 16 };

struct world {
	cl_atomic64 count, lossy;
	cl_atomic64 mine[TINY_MAX];
	cl_shared(int) x;
	cl_shared(int) own[TINY_MAX];
	cl_chan *ch;
	cl_waitgroup *wg;
	int log[TINY_MAX][TINY_LOG];      /* each worker's own log; main reads it after wg */
	int nlog[TINY_MAX];
	int recv[TINY_MAX];
};

struct tiny {
	enum tiny_kind kind;
	int workers, rounds;
	struct world *w;                  /* moved through the arena by every reset */
	unsigned moves;
	_Alignas(64) unsigned char arena[64 * 32];
	char final[512];
	struct ends *ends;                /* the judge's */
	struct tiny_arg { struct tiny *t; int id; } args[TINY_MAX];
};

static void note(struct world *w, int id, int v)
{
	if (w->nlog[id] < TINY_LOG)
		w->log[id][w->nlog[id]++] = v;
}

static void tiny_worker(void *arg)
{
	struct tiny_arg *a = arg;
	struct tiny *t = a->t;
	struct world *w = t->w;
	int id = a->id;
	for (int r = 0; r < t->rounds; r++) {
		switch (t->kind) {
		case TINY_CAS:
			for (;;) {
				int64_t v = cl_atomic_load(&w->count);
				note(w, id, (int)v);
				if (cl_atomic_cas(&w->count, v, v + 1))
					break;
			}
			cl_atomic_store(&w->mine[id], r + 1);
			break;
		case TINY_MEM: {
			cl_wr(w->own[id], cl_rd(w->own[id]) + 1);
			int v = cl_rd(w->x);
			note(w, id, v);
			cl_yield();
			cl_wr(w->x, v * 3 + id + 1);
			break;
		}
		case TINY_CHAN: {
			int v = cl_rd(w->x);
			note(w, id, v);
			cl_wr(w->x, v * 3 + id + 1);
			cl_send(w->ch, &id);
			break;
		}
		case TINY_RAND:
			cl_wr(w->own[id], 1);
			note(w, id, (int)cl_rand_below(1000));
			cl_wr(w->own[id], 2);
			note(w, id, (int)cl_rand_below(1000));
			break;
		case TINY_OWN:
			cl_atomic_store(&w->mine[id], cl_atomic_load(&w->mine[id]) + 1);
			cl_atomic_add(&w->mine[id], 1);
			break;
		}
	}
	if (t->kind == TINY_CAS) {
		int64_t v = cl_atomic_load(&w->lossy);
		note(w, id, (int)v);
		cl_atomic_store(&w->lossy, v + 1);
	}
	cl_wg_done(w->wg);
}

static void tiny_main(void *arg)
{
	struct tiny *t = arg;
	struct world *w = t->w;
	w->wg = cl_wg_new("wg");
	w->ch = cl_make("ch", int, 1);
	cl_wg_add(w->wg, t->workers);
	for (int i = 0; i < t->workers; i++) {
		t->args[i] = (struct tiny_arg){t, i};
		cl_go(tiny_worker, &t->args[i], "worker-%d", i);
	}
	if (t->kind == TINY_CHAN)
		for (int i = 0; i < t->workers * t->rounds && i < TINY_MAX; i++)
			cl_recv(w->ch, &w->recv[i]);
	cl_wg_wait(w->wg);
	size_t off = (size_t)snprintf(t->final, sizeof t->final, "count=%ld lossy=%ld x=%d",
	                              (long)w->count.v, (long)w->lossy.v, w->x);
	for (int i = 0; i < t->workers && off < sizeof t->final; i++) {
		off += (size_t)snprintf(t->final + off, sizeof t->final - off, " w%d{mine=%ld own=%d "
		                        "recv=%d log=", i, (long)w->mine[i].v, w->own[i], w->recv[i]);
		for (int k = 0; k < w->nlog[i] && off < sizeof t->final; k++)
			off += (size_t)snprintf(t->final + off, sizeof t->final - off, "%d,", w->log[i][k]);
		if (off < sizeof t->final)
			off += (size_t)snprintf(t->final + off, sizeof t->final - off, "}");
	}
}

/* Each run's world sits somewhere else in the arena, as a pattern's
 * pattern_alloc'd memory can: pruning must not compare the addresses of
 * one run with those of another. */
static void tiny_reset(void *arg)
{
	struct tiny *t = arg;
	size_t slots = (sizeof t->arena - sizeof *t->w) / 64;
	t->w = (struct world *)(t->arena + 64 * (t->moves++ % slots));
	memset(t->w, 0, sizeof *t->w);
	t->final[0] = '\0';
}

static enum ex_judgement tiny_judge(void *ctx, const struct cl_result *res, struct ex_failure *key)
{
	struct tiny *t = ctx;
	(void)key;
	char sig[600];
	snprintf(sig, sizeof sig, "%s %s", cl_outcome_name(res->outcome), t->final);
	ends_add(t->ends, sig);
	return EX_KEPT;
}

/* Explores t exhaustively with <= k preemptions, every run judged, its
 * ends into e. */
static void tiny_explore(struct tiny *t, int k, bool prune, struct ends *e, struct ex_result *r)
{
	struct ex_program prog = {tiny_main, t, tiny_reset, "tiny"};
	struct ex_options opt;
	exhaustive_opts(&opt, k, prune, 1000000, false);
	t->ends = e;
	ck_assert_int_eq(ex_explore(&prog, tiny_judge, t, &opt, r), 0);
	ck_assert_msg(r->complete, "not complete");
}

static const char *const kind_names[] = {"cas", "mem", "chan", "rand", "own"};

/* Both searches of kind with workers x rounds at bound k: the same ends.
 * Returns the schedules run with pruning and without, and the pruned count. */
static void same_ends(enum tiny_kind kind, int workers, int rounds, int k, long *runs_pruned,
                      long *runs_full, long *pruned)
{
	/* Its arena is 64-byte aligned: calloc promises only 16. */
	struct tiny *t = aligned_alloc(_Alignof(struct tiny), sizeof *t);
	ck_assert_ptr_nonnull(t);
	*t = (struct tiny){.kind = kind, .workers = workers, .rounds = rounds};
	struct ends full = {0}, with = {0};
	struct ex_result rf, rp;
	tiny_explore(t, k, false, &full, &rf);
	tiny_explore(t, k, true, &with, &rp);
	printf("%s %dx%d K=%d: %ld schedules, %zu ends without pruning; %ld schedules (%ld branches "
	       "pruned), %zu ends with\n", kind_names[kind], workers, rounds, k, rf.runs, full.n,
	       rp.runs, rp.pruned, with.n);
	for (size_t i = 0; i < full.n; i++)
		ck_assert_msg(ends_has(&with, full.s[i]), "%s %dx%d K=%d: pruning lost the end \"%s\"",
		              kind_names[kind], workers, rounds, k, full.s[i]);
	for (size_t i = 0; i < with.n; i++)
		ck_assert_msg(ends_has(&full, with.s[i]), "%s %dx%d K=%d: an end only with pruning: "
		              "\"%s\"", kind_names[kind], workers, rounds, k, with.s[i]);
	ck_assert_int_eq(rf.pruned, 0);
	ck_assert_int_le(rp.runs, rf.runs);
	*runs_pruned = rp.runs;
	*runs_full = rf.runs;
	*pruned = rp.pruned;
	ex_result_free(&rf);
	ex_result_free(&rp);
	ends_free(&full);
	ends_free(&with);
	free(t);
}

START_TEST(same_ends_every_kind)
{
	/* Three workers at K=2 are some thousands of schedules each: release only. */
	bool heavy = !test_heavy_skipped("same_ends_every_kind, 3 workers");
	for (int kind = TINY_CAS; kind <= TINY_OWN; kind++)
		for (int workers = 2; workers <= (heavy ? 3 : 2); workers++)
			for (int k = 0; k <= 2; k++) {
				long rp, rf, pruned;
				same_ends(kind, workers, 1, k, &rp, &rf, &pruned);
				if (kind == TINY_OWN && k == 2) {
					/* Only their own words: pruning has something to cut. */
					ck_assert_int_gt(pruned, 0);
					ck_assert_int_lt(rp, rf);
				}
			}
	/* Two rounds: longer runs, sleepers carried further. */
	long rp, rf, pruned;
	same_ends(TINY_CAS, 2, 2, 2, &rp, &rf, &pruned);
	same_ends(TINY_MEM, 2, 2, 2, &rp, &rf, &pruned);
	ck_assert_int_gt(pruned, 0);
}
END_TEST

/* A pattern variant's ends: its verdict, and the message of the invariant
 * that failed (which value came out twice ...). */
struct pattern_ends {
	struct pattern_prog pp;
	struct ends *ends;
};

static enum ex_judgement pattern_ends_judge(void *ctx, const struct cl_result *res,
                                            struct ex_failure *key)
{
	struct pattern_ends *pe = ctx;
	(void)key;
	char sig[400];
	snprintf(sig, sizeof sig, "%s %s %s", cl_outcome_name(res->outcome), pe->pp.run->fail_name,
	         pe->pp.run->fail_msg);
	ends_add(pe->ends, sig);
	return EX_KEPT;
}

static void pattern_same_ends(const char *pattern, const char *variant, const char *const *params,
                              int k)
{
	struct ends e[2] = {{0}};
	long runs[2];
	for (int prune = 0; prune <= 1; prune++) {
		struct pattern_ends pe = {.ends = &e[prune]};
		pattern_prog_open(&pe.pp, pattern, variant, params);
		struct ex_options opt;
		exhaustive_opts(&opt, k, prune, 1000000, false);
		struct ex_result r;
		ck_assert_int_eq(ex_explore(&pe.pp.prog, pattern_ends_judge, &pe, &opt, &r), 0);
		ck_assert(r.complete);
		runs[prune] = r.runs;
		ex_result_free(&r);
		pattern_prog_close(&pe.pp);
	}
	printf("%s:%s K=%d: %ld schedules without pruning, %ld with, %zu ends\n", pattern, variant, k,
	       runs[0], runs[1], e[0].n);
	ck_assert_int_eq(e[0].n, e[1].n);
	for (size_t i = 0; i < e[0].n; i++)
		ck_assert_msg(ends_has(&e[1], e[0].s[i]), "%s:%s K=%d: pruning lost \"%s\"", pattern,
		              variant, k, e[0].s[i]);
	ck_assert_int_le(runs[1], runs[0]);
	ends_free(&e[0]);
	ends_free(&e[1]);
}

/* The lock-free stack's CAS loops on a pool the pattern allocates: the same
 * ends both ways, and fewer schedules with pruning at K=2. */
START_TEST(lock_free_stack_same_ends)
{
	static const char *const small[] = {"tasks", "2", "rounds", "1", NULL};
	/* K=2 is 7,000 runs in all: release only. */
	int max_k = test_heavy_skipped("lock_free_stack_same_ends, K=2") ? 1 : 2;
	for (int k = 0; k <= max_k; k++) {
		pattern_same_ends("lock-free-stack", "aba", small, k);
		pattern_same_ends("lock-free-stack", "correct", small, k);
	}
}
END_TEST

Suite *suite_prune(void)
{
	Suite *s = suite_create("prune");
	TCase *tc = tcase_create("prune");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, private_steps_prune);
	tcase_add_test(tc, lost_update_still_found);
	tcase_add_test(tc, same_ends_every_kind);
	tcase_add_test(tc, lock_free_stack_same_ends);
	suite_add_tcase(s, tc);
	return s;
}
