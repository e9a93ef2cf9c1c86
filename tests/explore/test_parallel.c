/*
 * test_parallel.c - random and PCT exploration on worker processes
 * (ex_options.processes, explore/parallel.c): what it finds is what one
 * process finds (the counts, the first failing and first noted runs, their
 * schedules, the shrunk schedule), whether it stops at the first failure
 * or not; an interrupt leaves a prefix of the seeds run and the schedule of
 * the next one, which replays; a worker that dies is an error, not a
 * result.
 */
#include <check.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "explore/explore.h"
#include "tests/testlib.h"

/* ---- a program whose outcome depends on the seed --------------------------------- */

struct rare {
	pid_t parent;          /* die_in_workers: the test's own process */
	bool die_in_workers;
	bool waited;           /* die_in_workers: the parent saw a worker die */
	cl_chan *never;
};

/* The parent's first run waits until a forked worker has died (leaving it
 * to be reaped), so that the workers surely take blocks: else the parent,
 * itself a worker, could run every seed before a forked one took any.
 * True if one died within 60 s. */
static bool wait_for_a_dead_worker(void)
{
	time_t give_up = time(NULL) + 60;
	while (time(NULL) < give_up) {
		siginfo_t info = {0};
		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0)
			return true;
		sched_yield();
	}
	return false;
}

static void stepper(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++)
		cl_yield();
}

/* Two tasks that interleave (so schedules differ), then a draw: about one
 * seed in 150 panics (what the judge looks for), one in 60 deadlocks (a
 * failure of another kind, noted aside), the rest end well. */
static void rare_main(void *arg)
{
	struct rare *r = arg;
	if (r->die_in_workers && getpid() != r->parent)
		raise(SIGUSR1);
	if (r->die_in_workers && !r->waited) {
		r->waited = true;
		if (!wait_for_a_dead_worker())
			cl_panic("no explore worker died");
	}
	cl_go(stepper, NULL, "a");
	cl_go(stepper, NULL, "b");
	cl_yield();
	uint64_t draw = cl_rand_below(9000);
	if (draw < 60)
		cl_panic("the rare case");
	if (draw < 210) {
		r->never = cl_make("never", int, 0);
		int v;
		cl_recv(r->never, &v);
	}
}

static enum ex_judgement rare_judge(void *ctx, const struct cl_result *res, struct ex_failure *key)
{
	(void)ctx;
	if (res->outcome == CL_OUTCOME_OK)
		return EX_KEPT;
	key->outcome = res->outcome;
	snprintf(key->kind, sizeof key->kind, "%s",
	         res->outcome == CL_OUTCOME_PANIC ? "panic" : "other");
	snprintf(key->panic_msg, sizeof key->panic_msg, "%s", res->panic_msg);
	return res->outcome == CL_OUTCOME_PANIC ? EX_BROKEN : EX_ASIDE;
}

static void expect_same_found(const struct ex_found *a, const struct ex_found *b)
{
	ck_assert_int_eq(a->set, b->set);
	if (!a->set)
		return;
	ck_assert_int_eq(a->index, b->index);
	ck_assert_uint_eq(a->seed, b->seed);
	ck_assert_int_eq(a->strategy, b->strategy);
	ck_assert(ex_failure_same(&a->failure, &b->failure));
	ck_assert_str_eq(a->schedule, b->schedule);
	ck_assert_uint_eq(a->decisions, b->decisions);
	ck_assert_int_eq(a->preemptions, b->preemptions);
}

static void explore_rare(int processes, enum ex_strategy strategy, bool stop_at_first,
                         struct ex_result *r)
{
	struct rare rr = {0};
	struct ex_program prog = {rare_main, &rr, NULL, "rare"};
	struct ex_options opt;
	ex_options_init(&opt);
	opt.strategy = strategy;
	opt.runs = 3000;
	opt.race = false;
	opt.stop_at_first = stop_at_first;
	opt.processes = processes;
	ck_assert_int_eq(ex_explore(&prog, rare_judge, NULL, &opt, r), 0);
}

/* Every processes, strategy and stop rule: the one-process result. */
START_TEST(same_as_one_process)
{
	static const enum ex_strategy strategies[] = {EX_RANDOM, EX_PCT};
	bool later_block = false;
	for (size_t s = 0; s < 2; s++)
		for (int stop = 0; stop < 2; stop++) {
			struct ex_result one;
			explore_rare(1, strategies[s], stop, &one);
			ck_assert_msg(one.first.set && (stop || one.first_aside.set),
			              "the program should fail both ways within 3000 seeds");
			later_block |= one.first.index >= 64;
			printf("parallel: %s, %s: first failure at run %ld, first aside at %ld, %ld runs\n",
			       strategies[s] == EX_PCT ? "pct" : "random", stop ? "stop" : "all",
			       one.first.index, one.first_aside.set ? one.first_aside.index : -1L, one.runs);
			for (int p = 2; p <= 3; p++) {
				struct ex_result many;
				explore_rare(p, strategies[s], stop, &many);
				ck_assert_int_eq(many.runs, one.runs);
				ck_assert_int_eq(many.kept, one.kept);
				ck_assert_int_eq(many.aside, one.aside);
				ck_assert_int_eq(many.broken, one.broken);
				ck_assert_int_eq(many.interrupted, 0);
				ck_assert_int_eq(many.cap_hit, one.cap_hit);
				expect_same_found(&many.first, &one.first);
				expect_same_found(&many.first_aside, &one.first_aside);
				ck_assert_ptr_nonnull(many.shrunk);
				ck_assert_str_eq(many.shrunk, one.shrunk);
				ex_result_free(&many);
			}
			if (!stop)
				ck_assert_int_eq(one.runs, 3000);
			ex_result_free(&one);
		}
	/* Otherwise the merge past the first block would go untested. */
	ck_assert_msg(later_block, "no first failure beyond the first blocks");
}
END_TEST

/* Raises the flag once `after` runs are done (from the parent's progress). */
struct raise_after {
	volatile int flag;
	long after;
};

static void raise_flag(void *ctx, const struct ex_progress *p)
{
	struct raise_after *ra = ctx;
	if (p->done >= ra->after)
		ra->flag = 1;
}

START_TEST(interrupt_keeps_a_prefix)
{
	struct rare rr = {0};
	struct ex_program prog = {rare_main, &rr, NULL, "rare"};
	struct raise_after ra;
	struct ex_options opt;
	struct ex_result r;
	/* The prefix may be empty: a forked worker that took the first block
	 * (its first runs copy every page they write, slow under ASan) can be
	 * stopped before it finishes one run while the parent has done 200.
	 * That keeps the promise, but leaves nothing to count: try again. */
	for (int attempt = 0;; attempt++) {
		ra = (struct raise_after){.after = 200};
		ex_options_init(&opt);
		opt.runs = 100000000;
		opt.seed = 7;
		opt.race = false;
		opt.stop_at_first = false;
		opt.processes = 2;
		opt.interrupt = &ra.flag;
		opt.progress = raise_flag;
		opt.progress_ctx = &ra;
		ck_assert_int_eq(ex_explore(&prog, rare_judge, NULL, &opt, &r), 0);
		ck_assert(r.interrupted);
		if (r.runs > 0 || attempt == 4)
			break;
		ck_assert_int_eq(r.kept + r.aside + r.broken, 0);
		ex_result_free(&r);
	}
	ck_assert_msg(r.runs > 0, "five interrupted explores all kept an empty prefix");
	ck_assert_int_lt(r.runs, opt.runs);
	ck_assert_int_eq(r.kept + r.aside + r.broken, r.runs);
	/* The seeds run are 7 .. 7+runs-1, and the one it was on is the next. */
	ck_assert_uint_eq(r.current_seed, opt.seed + (uint64_t)r.runs);
	ck_assert_ptr_nonnull(r.current);

	struct cl_config cfg;
	ex_config(&opt, r.current_seed, EX_RANDOM, &cfg);
	cfg.interrupt = NULL;
	struct cl_result res;
	ck_assert_int_eq(ex_replay(&prog, r.current, ex_schedule_hash("rare", r.current_seed,
	                                                               EX_RANDOM, 0), &cfg, &res), 0);
	ck_assert_int_eq(res.schedule_refused, 0);
	cl_result_free(&res);

	/* Counted like one process counts the same seeds. */
	struct ex_result one;
	opt.processes = 1;
	opt.interrupt = NULL;
	opt.progress = NULL;
	opt.runs = r.runs;
	ck_assert_int_eq(ex_explore(&prog, rare_judge, NULL, &opt, &one), 0);
	ck_assert_int_eq(one.kept, r.kept);
	ck_assert_int_eq(one.aside, r.aside);
	ck_assert_int_eq(one.broken, r.broken);
	ex_result_free(&one);
	ex_result_free(&r);
}
END_TEST

START_TEST(a_dead_worker_is_an_error)
{
	struct rare rr = {.parent = getpid(), .die_in_workers = true};
	struct ex_program prog = {rare_main, &rr, NULL, "rare"};
	struct ex_options opt;
	ex_options_init(&opt);
	opt.runs = 1000;
	opt.race = false;
	opt.processes = 2;
	struct ex_result r;
	ck_assert_int_eq(ex_explore(&prog, rare_judge, NULL, &opt, &r), -1);
	ck_assert_msg(strstr(r.error, "signal") != NULL, "error: %s", r.error);
	ex_result_free(&r);
}
END_TEST

Suite *suite_parallel(void)
{
	Suite *s = suite_create("parallel");
	TCase *tc = tcase_create("processes");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, same_as_one_process);
	tcase_add_test(tc, interrupt_keeps_a_prefix);
	tcase_add_test(tc, a_dead_worker_is_an_error);
	suite_add_tcase(s, tc);
	return s;
}
