/*
 * test_race.c - shared plain memory (shared.h) and the race detector
 * (race.c): a racy counter is reported with both lines; the same counter
 * ordered by each of Go's happens-before rules never is; detection does not
 * change the schedule.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

/* One program under test: what its tasks share. */
struct prog {
	cl_shared(int) counter;
	cl_shared(int) data;
	int tasks;
	int line_rd, line_wr;           /* where the racy accesses are (atomic: par runs too) */
	cl_mutex *mu;
	cl_rwmutex *rw;
	cl_waitgroup *wg;
	cl_once *once;
	cl_chan *ch;
	cl_sema *sema;
	cl_ctx *ctx;
	cl_atomic64 flag;
	cl_atomic64 spin;
};

/* Odd seeds random, even seeds PCT, unless the program spins (a task
 * yielding in a loop until another moves on: PCT would starve the other). */
static struct cl_result run_race_with(void (*fn)(void *), void *arg, uint64_t seed, bool race,
                                      struct recorder *rec, bool spins)
{
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.seed = seed;
	cfg.max_steps = 100000;
	cfg.strategy = seed % 2 || spins ? CL_STRATEGY_RANDOM : CL_STRATEGY_PCT;
	cfg.pct_steps = 40;
	cfg.race = race;
	struct cl_sink sink;
	if (rec) {
		sink = recorder_sink(rec);
		cfg.sinks = &sink;
		cfg.nsinks = 1;
	}
	struct cl_result res;
	ck_assert_int_eq(cl_run(fn, arg, &cfg, &res), 0);
	return res;
}

static struct cl_result run_race(void (*fn)(void *), void *arg, uint64_t seed, bool race,
                                 struct recorder *rec)
{
	return run_race_with(fn, arg, seed, race, rec, false);
}

/* ---- the racy counter ------------------------------------------------------------- */

static void bump(void *arg)
{
	struct prog *p = arg;
	int x = cl_rd(p->counter); __atomic_store_n(&p->line_rd, __LINE__, __ATOMIC_RELAXED);
	cl_wr(p->counter, x + 1); __atomic_store_n(&p->line_wr, __LINE__, __ATOMIC_RELAXED);
	cl_wg_done(p->wg);
}

static void two_bumpers(void *arg)
{
	struct prog *p = arg;
	p->wg = cl_wg_new("wg");
	cl_wg_add(p->wg, 2);
	cl_go(bump, p, "worker-%d", 1);
	cl_go(bump, p, "worker-%d", 2);
	cl_wg_wait(p->wg);
	/* Read after Wait: ordered after both workers, never a race. */
	p->tasks = cl_rd(p->counter);
}

START_TEST(unlocked_counter_is_reported_with_both_lines)
{
	long runs = test_scaled(2000, 50);
	int lost = 0;
	for (uint64_t seed = 1; seed <= (uint64_t)runs; seed++) {
		struct prog p = {0};
		struct cl_result r = run_race(two_bumpers, &p, seed, true, NULL);
		/* Both accesses of both tasks always happen here, so every
		 * schedule races, whether or not an update was lost. */
		ck_assert_msg(r.outcome == CL_OUTCOME_RACE, "seed %llu: outcome %s",
		              (unsigned long long)seed, cl_outcome_name(r.outcome));
		ck_assert_uint_ge(r.races, 1);
		char rd[64], wr[64];
		snprintf(rd, sizeof rd, "test_race.c:%d", p.line_rd);
		snprintf(wr, sizeof wr, "test_race.c:%d", p.line_wr);
		ck_assert_ptr_nonnull(r.report);
		ck_assert_msg(strncmp(r.report, "WARNING: DATA RACE\n", 19) == 0, "%s", r.report);
		ck_assert_msg(strstr(r.report, rd) && strstr(r.report, wr), "seed %llu:\n%s",
		              (unsigned long long)seed, r.report);
		ck_assert_ptr_nonnull(strstr(r.report, "at p->counter by task "));
		ck_assert_ptr_nonnull(strstr(r.report, "\nPrevious "));
		ck_assert_ptr_nonnull(strstr(r.report, "\"worker-1\" ("));
		ck_assert_ptr_nonnull(strstr(r.report, "\"worker-2\" ("));
		ck_assert_ptr_nonnull(strstr(r.report, "created at:\n  "));
		ck_assert_ptr_nonnull(strstr(r.report, "by task 1 \"main\""));
		ck_assert_ptr_nonnull(strstr(r.report, "Found "));
		lost += p.tasks == 1;
		cl_result_free(&r);
	}
	/* Every access is a scheduling point: the lost update really happens. */
	ck_assert_int_gt(lost, 0);
}
END_TEST

START_TEST(report_reads_like_go)
{
	struct prog p = {0};
	struct cl_result r = run_race(two_bumpers, &p, 3, true, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_RACE);
	/* "Write at p->counter by task 3 "worker-2":" then its file:line. */
	const char *w = strstr(r.report, " at p->counter by task ");
	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(strstr(r.report, "\n==================\n"));
	ck_assert(strncmp(r.report + 19, "Write at", 8) == 0 || strncmp(r.report + 19, "Read at", 7) == 0);
	ck_assert_ptr_nonnull(strstr(r.report, "Previous write at p->counter") ?
	                      strstr(r.report, "Previous write at p->counter") :
	                      strstr(r.report, "Previous read at p->counter"));
	ck_assert_ptr_nonnull(strstr(r.report, "Found "));
	ck_assert_uint_eq(r.races, strstr(r.report, "Found 1 data race\n") ? 1 : r.races);
	cl_result_free(&r);
}
END_TEST

START_TEST(detection_off_costs_no_report_but_keeps_the_schedule)
{
	for (uint64_t seed = 1; seed <= 200; seed++) {
		struct recorder on = {0}, off = {0};
		struct prog p1 = {0}, p2 = {0};
		struct cl_result a = run_race(two_bumpers, &p1, seed, true, &on);
		struct cl_result b = run_race(two_bumpers, &p2, seed, false, &off);
		ck_assert_int_eq(b.outcome, CL_OUTCOME_OK);
		ck_assert_uint_eq(b.races, 0);
		ck_assert_ptr_null(b.report);
		ck_assert_int_eq(p1.tasks, p2.tasks);
		ck_assert_uint_eq(a.steps, b.steps);
		/* The same events in the same order, but for the race events
		 * (and the end event's outcome). */
		size_t i = 0, j = 0, races = 0;
		for (;;) {
			while (i < on.n && on.ev[i].kind == CL_EV_RACE) {
				i++;
				races++;
			}
			if (i == on.n || j == off.n)
				break;
			const struct rec_event *x = &on.ev[i++], *y = &off.ev[j++];
			ck_assert_int_eq(x->kind, y->kind);
			ck_assert_int_eq(x->task, y->task);
			ck_assert_int_eq(x->peer, y->peer);
			ck_assert_uint_eq(x->obj, y->obj);
			ck_assert_int_eq(x->time, y->time);
			if (x->kind != CL_EV_END)
				ck_assert_str_eq(x->text, y->text);
		}
		ck_assert_uint_eq(i, on.n);
		ck_assert_uint_eq(j, off.n);
		ck_assert_uint_eq(races, a.races);
		ck_assert_uint_ge(races, 1);
		ck_assert_str_eq(on.ev[on.n - 1].text, "race");
		recorder_free(&on);
		recorder_free(&off);
		cl_result_free(&a);
		cl_result_free(&b);
	}
}
END_TEST

/* ---- the same counter, ordered: never a report --------------------------------------- */

/* Runs prog over many schedules with detection on; every one must be clean
 * and count `want` increments. */
static void never_reported_with(void (*prog_main)(void *), int want, bool spins)
{
	long runs = test_scaled(10000, 100);
	for (uint64_t seed = 1; seed <= (uint64_t)runs; seed++) {
		struct prog p = {0};
		struct cl_result r = run_race_with(prog_main, &p, seed, true, NULL, spins);
		ck_assert_msg(r.outcome == CL_OUTCOME_OK && r.races == 0, "seed %llu: %s\n%s",
		              (unsigned long long)seed, cl_outcome_name(r.outcome),
		              r.report ? r.report : "");
		ck_assert_int_eq(p.tasks, want);
		cl_result_free(&r);
	}
}

static void never_reported(void (*prog_main)(void *), int want)
{
	never_reported_with(prog_main, want, false);
}

static void bump_body(struct prog *p)
{
	int x = cl_rd(p->counter);
	cl_wr(p->counter, x + 1);
}

/* Starts n copies of fn, waits for them with a wait group, reads the
 * counter into p->tasks. */
static void start_and_join(struct prog *p, void (*fn)(void *), int n)
{
	p->wg = cl_wg_new("wg");
	cl_wg_add(p->wg, n);
	for (int i = 1; i <= n; i++)
		cl_go(fn, p, "worker-%d", i);
	cl_wg_wait(p->wg);
	p->tasks = cl_rd(p->counter);
}

static void bump_locked(void *arg)
{
	struct prog *p = arg;
	cl_lock(p->mu);
	bump_body(p);
	cl_unlock(p->mu);
	cl_wg_done(p->wg);
}

static void mutex_main(void *arg)
{
	struct prog *p = arg;
	p->mu = cl_mutex_new("mu");
	start_and_join(p, bump_locked, 3);
}

START_TEST(counter_under_a_mutex_is_never_reported)
{
	never_reported(mutex_main, 3);
}
END_TEST

static void bump_wlocked(void *arg)
{
	struct prog *p = arg;
	cl_rlock(p->rw);
	(void)cl_rd(p->counter);
	cl_runlock(p->rw);
	cl_wlock(p->rw);
	bump_body(p);
	cl_wunlock(p->rw);
	cl_wg_done(p->wg);
}

static void rwmutex_main(void *arg)
{
	struct prog *p = arg;
	p->rw = cl_rwmutex_new("rw");
	start_and_join(p, bump_wlocked, 3);
}

START_TEST(counter_under_an_rwmutex_is_never_reported)
{
	never_reported(rwmutex_main, 3);
}
END_TEST

/* A spin lock made of the runtime's atomics: CAS in, store out. */
static void bump_spin(void *arg)
{
	struct prog *p = arg;
	while (!cl_atomic_cas(&p->spin, 0, 1))
		cl_yield();
	bump_body(p);
	cl_atomic_store(&p->spin, 0);
	cl_wg_done(p->wg);
}

static void atomics_main(void *arg)
{
	struct prog *p = arg;
	start_and_join(p, bump_spin, 3);
}

START_TEST(counter_behind_atomics_is_never_reported)
{
	never_reported_with(atomics_main, 3, true);
}
END_TEST

/* Each worker takes the counter's turn from the channel, bumps it, passes
 * the turn on: the counter is handed over.  Unbuffered and buffered, plain
 * operations and select. */
static void bump_handed(void *arg)
{
	struct prog *p = arg;
	int token;
	if (p->data % 2) {
		struct cl_case take[] = {CL_RECV_CASE(p->ch, &token)};
		cl_select(take, 1);
	} else {
		cl_recv(p->ch, &token);
	}
	bump_body(p);
	if (token < p->tasks) {
		token++;
		struct cl_case give[] = {CL_SEND_CASE(p->ch, &token)};
		if (p->data % 2)
			cl_select(give, 1);
		else
			cl_send(p->ch, &token);
	}
	cl_wg_done(p->wg);
}

static void handover_main(void *arg)
{
	struct prog *p = arg;
	int cap = (int)cl_rand_below(2);
	p->data = (int)cl_rand_below(2);   /* select or not; read only after spawns: no race */
	p->tasks = 3;
	p->ch = cl_make("turn", int, (size_t)cap);
	p->wg = cl_wg_new("wg");
	cl_wg_add(p->wg, 3);
	for (int i = 1; i <= 3; i++)
		cl_go(bump_handed, p, "worker-%d", i);
	int first = 1;
	cl_send(p->ch, &first);
	cl_wg_wait(p->wg);
	p->tasks = cl_rd(p->counter);
}

START_TEST(counter_handed_over_a_channel_is_never_reported)
{
	never_reported(handover_main, 3);
}
END_TEST

/* One worker bumps; main reads after Wait. */
static void bump_once_then_done(void *arg)
{
	struct prog *p = arg;
	bump_body(p);
	cl_wg_done(p->wg);
}

static void waitgroup_main(void *arg)
{
	struct prog *p = arg;
	cl_wr(p->counter, 10);   /* before the go statement: ordered by the spawn */
	start_and_join(p, bump_once_then_done, 1);
}

START_TEST(counter_joined_with_a_waitgroup_is_never_reported)
{
	never_reported(waitgroup_main, 11);
}
END_TEST

static void init_counter(void *arg)
{
	struct prog *p = arg;
	cl_wr(p->counter, 42);
}

static void read_after_once(void *arg)
{
	struct prog *p = arg;
	cl_once_do(p->once, init_counter, p);
	ck_assert_int_eq(cl_rd(p->counter), 42);
	cl_wg_done(p->wg);
}

static void once_main(void *arg)
{
	struct prog *p = arg;
	p->once = cl_once_new("once");
	p->wg = cl_wg_new("wg");
	cl_wg_add(p->wg, 3);
	for (int i = 1; i <= 3; i++)
		cl_go(read_after_once, p, "reader-%d", i);
	cl_wg_wait(p->wg);
	p->tasks = cl_rd(p->counter);
}

START_TEST(counter_published_through_once_is_never_reported)
{
	never_reported(once_main, 42);
}
END_TEST

static void writer_then_close(void *arg)
{
	struct prog *p = arg;
	bump_body(p);
	cl_close(p->ch);
}

static void receive_closed_then_bump(void *arg)
{
	struct prog *p = arg;
	if (cl_rand_below(2)) {
		struct cl_case c[] = {CL_RECV_CASE(p->ch, NULL)};
		cl_select(c, 1);
	} else {
		ck_assert(!cl_recv(p->ch, NULL));
	}
	bump_body(p);
	cl_wg_done(p->wg);
}

static void close_main(void *arg)
{
	struct prog *p = arg;
	p->ch = cl_make("done", char, (size_t)cl_rand_below(2));
	p->wg = cl_wg_new("wg");
	cl_wg_add(p->wg, 1);
	cl_go(writer_then_close, p, "writer");
	cl_go(receive_closed_then_bump, p, "reader");
	cl_wg_wait(p->wg);
	p->tasks = cl_rd(p->counter);
}

START_TEST(counter_published_by_close_is_never_reported)
{
	never_reported(close_main, 2);
}
END_TEST

/* A buffered channel of capacity 1 as a semaphore: sem <- token; bump; <-sem.
 * Only the k+C rule orders one holder's bump before the next's. */
static void bump_sem_chan(void *arg)
{
	struct prog *p = arg;
	char token = 0;
	cl_send(p->ch, &token);
	bump_body(p);
	cl_recv(p->ch, NULL);
	cl_wg_done(p->wg);
}

static void sem_chan_main(void *arg)
{
	struct prog *p = arg;
	p->ch = cl_make("sem", char, 1);
	start_and_join(p, bump_sem_chan, 3);
}

START_TEST(counter_behind_a_buffered_channel_semaphore_is_never_reported)
{
	never_reported(sem_chan_main, 3);
}
END_TEST

static void bump_sema(void *arg)
{
	struct prog *p = arg;
	cl_sema_acquire(p->sema, 1);
	bump_body(p);
	cl_sema_release(p->sema, 1);
	cl_wg_done(p->wg);
}

static void sema_main(void *arg)
{
	struct prog *p = arg;
	p->sema = cl_sema_new("sema", 1);
	start_and_join(p, bump_sema, 3);
}

START_TEST(counter_behind_a_semaphore_is_never_reported)
{
	never_reported(sema_main, 3);
}
END_TEST

static void bump_then_cancel(void *arg)
{
	struct prog *p = arg;
	bump_body(p);
	cl_cancel(p->ctx);
}

static void wait_done_then_bump(void *arg)
{
	struct prog *p = arg;
	if (cl_rand_below(2)) {
		struct cl_case c[] = {CL_RECV_CASE(cl_ctx_done(p->ctx), NULL)};
		cl_select(c, 1);
	} else {
		while (!cl_ctx_err(p->ctx))
			cl_yield();
	}
	bump_body(p);
	cl_wg_done(p->wg);
}

static void context_main(void *arg)
{
	struct prog *p = arg;
	p->ctx = cl_with_cancel(cl_background());
	p->wg = cl_wg_new("wg");
	cl_wg_add(p->wg, 1);
	cl_go(bump_then_cancel, p, "canceller");
	cl_go(wait_done_then_bump, p, "watcher");
	cl_wg_wait(p->wg);
	p->tasks = cl_rd(p->counter);
}

START_TEST(counter_published_by_cancel_is_never_reported)
{
	never_reported_with(context_main, 2, true);
}
END_TEST

static void cond_waiter(void *arg)
{
	struct prog *p = arg;
	cl_cond *c = (cl_cond *)p->ch;
	cl_lock(p->mu);
	while (!cl_rd(p->data))
		cl_cond_wait(c);
	bump_body(p);
	cl_unlock(p->mu);
	cl_wg_done(p->wg);
}

static void cond_main(void *arg)
{
	struct prog *p = arg;
	p->mu = cl_mutex_new("mu");
	cl_cond *c = cl_cond_new("cond", p->mu);
	p->ch = (cl_chan *)c;   /* a slot for it; never used as a channel */
	p->wg = cl_wg_new("wg");
	cl_wg_add(p->wg, 2);
	cl_go(cond_waiter, p, "waiter-%d", 1);
	cl_go(cond_waiter, p, "waiter-%d", 2);
	cl_lock(p->mu);
	cl_wr(p->data, 1);
	cl_cond_broadcast(c);
	cl_unlock(p->mu);
	cl_wg_wait(p->wg);
	p->tasks = cl_rd(p->counter);
}

START_TEST(counter_behind_a_cond_is_never_reported)
{
	never_reported(cond_main, 2);
}
END_TEST

/* The child learns of the timer through a bare pointer (no happens-before
 * edge of its own): only start-before-fire orders main's write. */
static void timer_receiver(void *arg)
{
	struct prog *p = arg;
	cl_chan *t;
	while (!(t = __atomic_load_n(&p->ch, __ATOMIC_ACQUIRE)))
		cl_yield();
	cl_recv(t, NULL);
	bump_body(p);
	cl_wg_done(p->wg);
}

static void timer_main(void *arg)
{
	struct prog *p = arg;
	p->wg = cl_wg_new("wg");
	cl_wg_add(p->wg, 1);
	cl_go(timer_receiver, p, "receiver");
	cl_wr(p->counter, 5);
	__atomic_store_n(&p->ch, cl_after(3 * CL_MS), __ATOMIC_RELEASE);
	cl_wg_wait(p->wg);
	p->tasks = cl_rd(p->counter);
}

START_TEST(a_timer_orders_its_starter_before_its_receiver)
{
	never_reported_with(timer_main, 6, true);
}
END_TEST

static cl_error bump_in_group(void *arg)
{
	struct prog *p = arg;
	cl_lock(p->mu);
	bump_body(p);
	cl_unlock(p->mu);
	return NULL;
}

static void errgroup_main(void *arg)
{
	struct prog *p = arg;
	p->mu = cl_mutex_new("mu");
	cl_group *g = cl_group_new(NULL, NULL);
	cl_group_set_limit(g, 2);
	for (int i = 1; i <= 3; i++)
		cl_group_go(g, bump_in_group, p, "member-%d", i);
	cl_group_wait(g);
	p->tasks = cl_rd(p->counter);   /* after Wait: every member is done */
}

START_TEST(counter_read_after_an_errgroup_wait_is_never_reported)
{
	never_reported(errgroup_main, 3);
}
END_TEST

/* ---- the rules are not looser than Go's --------------------------------------------- */

/* Runs prog over schedules and returns how many reported a race. */
static long count_races(void (*prog_main)(void *), long runs)
{
	long n = 0;
	for (uint64_t seed = 1; seed <= (uint64_t)runs; seed++) {
		struct prog p = {0};
		struct cl_result r = run_race(prog_main, &p, seed, true, NULL);
		n += r.races > 0;
		cl_result_free(&r);
	}
	return n;
}

static void bump_sem_chan2_main(void *arg)
{
	struct prog *p = arg;
	p->ch = cl_make("sem", char, 2);
	start_and_join(p, bump_sem_chan, 3);
}

START_TEST(a_semaphore_of_two_does_not_order_two_holders)
{
	/* Capacity 2 lets two workers in at once: some schedule shows it. */
	ck_assert_int_gt(count_races(bump_sem_chan2_main, test_scaled(300, 50)), 0);
}
END_TEST

static void flag_writer(void *arg)
{
	struct prog *p = arg;
	cl_wr(p->data, 1);
	(void)cl_atomic_load(&p->flag);   /* a load releases nothing */
	cl_wg_done(p->wg);
}

static void flag_reader(void *arg)
{
	struct prog *p = arg;
	(void)cl_atomic_load(&p->flag);
	(void)cl_rd(p->data);
	cl_wg_done(p->wg);
}

static void loads_main(void *arg)
{
	struct prog *p = arg;
	p->wg = cl_wg_new("wg");
	cl_wg_add(p->wg, 2);
	cl_go(flag_writer, p, "writer");
	cl_go(flag_reader, p, "reader");
	cl_wg_wait(p->wg);
}

START_TEST(two_atomic_loads_do_not_synchronise)
{
	long runs = test_scaled(300, 50);
	ck_assert_int_eq(count_races(loads_main, runs), runs);
}
END_TEST

static void publish_by_store(void *arg)
{
	struct prog *p = arg;
	cl_wr(p->data, 7);
	cl_atomic_store(&p->flag, 1);
	cl_wg_done(p->wg);
}

static void consume_by_load(void *arg)
{
	struct prog *p = arg;
	if (cl_atomic_load(&p->flag))
		ck_assert_int_eq(cl_rd(p->data), 7);
	cl_wg_done(p->wg);
}

static void store_load_main(void *arg)
{
	struct prog *p = arg;
	p->wg = cl_wg_new("wg");
	cl_wg_add(p->wg, 2);
	cl_go(publish_by_store, p, "writer");
	cl_go(consume_by_load, p, "reader");
	cl_wg_wait(p->wg);
	p->tasks = 1;
}

START_TEST(an_atomic_store_publishes_to_the_load_that_sees_it)
{
	never_reported(store_load_main, 1);
}
END_TEST

/* A task's own reads and writes never race with each other; a write by
 * main before the go statement never races with the child. */
static void child_reads(void *arg)
{
	struct prog *p = arg;
	for (int i = 0; i < 5; i++)
		cl_wr(p->data, cl_rd(p->data) + 1);
}

static void spawn_main(void *arg)
{
	struct prog *p = arg;
	cl_wr(p->data, 1);
	cl_go(child_reads, p, "child");
	cl_yield();
	p->tasks = 1;
}

START_TEST(spawn_orders_the_parent_before_the_child)
{
	long runs = test_scaled(1000, 50);
	for (uint64_t seed = 1; seed <= (uint64_t)runs; seed++) {
		struct prog p = {0};
		struct cl_result r = run_race(spawn_main, &p, seed, true, NULL);
		/* main may return first (leaving the child runnable: ok). */
		ck_assert_uint_eq(r.races, 0);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- under either scheduler ------------------------------------------------------------ */

static void bump_many_locked(void *arg)
{
	struct prog *p = arg;
	for (int i = 0; i < 50; i++) {
		cl_lock(p->mu);
		bump_body(p);
		cl_unlock(p->mu);
	}
	cl_wg_done(p->wg);
}

static void many_main(void *arg)
{
	struct prog *p = arg;
	p->mu = cl_mutex_new("mu");
	start_and_join(p, bump_many_locked, 4);
}

START_TEST(shared_accesses_work_under_either_scheduler)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct prog p = {0};
		struct cl_config cfg;
		test_config(&cfg);
		cfg.seed = seed;
		cfg.race = true;   /* par ignores it */
		struct cl_result r;
		ck_assert_int_eq(cl_run(many_main, &p, &cfg, &r), 0);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		ck_assert_uint_eq(r.races, 0);
		ck_assert_int_eq(p.tasks, 200);
		cl_result_free(&r);
	}
}
END_TEST

/* Under par a racy access is a relaxed atomic: wrong in Go's terms, but no
 * C data race (TSan, in `make tsan`, stays quiet) and never reported; under
 * det the same program is reported. */
START_TEST(racy_counter_is_no_c_data_race_under_par)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct prog p = {0};
		struct cl_config cfg;
		test_config(&cfg);
		cfg.seed = seed;
		cfg.race = true;
		struct cl_result r;
		ck_assert_int_eq(cl_run(two_bumpers, &p, &cfg, &r), 0);
		if (cfg.sched == CL_SCHED_PAR) {
			ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
			ck_assert_uint_eq(r.races, 0);
		} else {
			ck_assert_int_eq(r.outcome, CL_OUTCOME_RACE);
		}
		ck_assert(p.tasks == 1 || p.tasks == 2);
		cl_result_free(&r);
	}
}
END_TEST

Suite *suite_race(void)
{
	Suite *s = suite_create("race");
	TCase *t = tcase_create("race-det");
	tcase_set_tags(t, TAG_DET);
	tcase_set_timeout(t, 300);
	tcase_add_test(t, unlocked_counter_is_reported_with_both_lines);
	tcase_add_test(t, report_reads_like_go);
	tcase_add_test(t, detection_off_costs_no_report_but_keeps_the_schedule);
	tcase_add_test(t, counter_under_a_mutex_is_never_reported);
	tcase_add_test(t, counter_under_an_rwmutex_is_never_reported);
	tcase_add_test(t, counter_behind_atomics_is_never_reported);
	tcase_add_test(t, counter_handed_over_a_channel_is_never_reported);
	tcase_add_test(t, counter_joined_with_a_waitgroup_is_never_reported);
	tcase_add_test(t, counter_published_through_once_is_never_reported);
	tcase_add_test(t, counter_published_by_close_is_never_reported);
	tcase_add_test(t, counter_behind_a_buffered_channel_semaphore_is_never_reported);
	tcase_add_test(t, counter_behind_a_semaphore_is_never_reported);
	tcase_add_test(t, counter_published_by_cancel_is_never_reported);
	tcase_add_test(t, counter_behind_a_cond_is_never_reported);
	tcase_add_test(t, a_timer_orders_its_starter_before_its_receiver);
	tcase_add_test(t, counter_read_after_an_errgroup_wait_is_never_reported);
	tcase_add_test(t, a_semaphore_of_two_does_not_order_two_holders);
	tcase_add_test(t, two_atomic_loads_do_not_synchronise);
	tcase_add_test(t, an_atomic_store_publishes_to_the_load_that_sees_it);
	tcase_add_test(t, spawn_orders_the_parent_before_the_child);
	suite_add_tcase(s, t);
	t = tcase_create("race-any");
	tcase_set_tags(t, TAG_ANY);
	tcase_add_test(t, shared_accesses_work_under_either_scheduler);
	tcase_add_test(t, racy_counter_is_no_c_data_race_under_par);
	suite_add_tcase(s, t);
	return s;
}
