/* test_task.c - tasks: ids and names, defer and recover, panic, deadlock,
 * leak and limit reports (stack overflow: test_stack.c). */
#include <check.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/chanlab.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

/* ---- ids and names ----------------------------------------------------------------- */

static int seen_ids[3];
static char seen_name[32];

static void named(void *arg)
{
	(void)arg;
	seen_ids[1] = cl_task_id();
	snprintf(seen_name, sizeof seen_name, "%s", cl_task_name());
}

static void ids_main(void *arg)
{
	(void)arg;
	seen_ids[0] = cl_task_id();
	seen_ids[2] = cl_go(named, NULL, "worker-%d", 3);
	cl_sleep(CL_MS);
}

START_TEST(main_is_task_one_and_spawns_are_named)
{
	struct cl_result r = run_prog(ids_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(seen_ids[0], 1);
	ck_assert_int_eq(seen_ids[1], 2);
	ck_assert_int_eq(seen_ids[2], 2);
	ck_assert_str_eq(seen_name, "worker-3");
	ck_assert_uint_eq(r.tasks, 2);
	cl_result_free(&r);
}
END_TEST

/* ---- defer runs last-in first-out, on return and on panic ---------------------------- */

static char order[16];
static void push_char(void *arg)
{
	size_t n = strlen(order);
	order[n] = *(const char *)arg;
	order[n + 1] = '\0';
}

static void done_with(void *wg)
{
	cl_wg_done(wg);
}

static void defer_task(void *arg)
{
	cl_defer(done_with, arg);   /* deferred first: runs after the three */
	cl_defer(push_char, "a");
	cl_defer(push_char, "b");
	cl_defer(push_char, "c");
}

static void defer_main(void *arg)
{
	(void)arg;
	cl_waitgroup *wg = cl_wg_new("wg");
	cl_wg_add(wg, 1);
	cl_go(defer_task, wg, "deferrer");
	cl_wg_wait(wg);   /* a sleep would be too short under par on a busy host */
}

START_TEST(defers_run_last_in_first_out)
{
	order[0] = '\0';
	struct cl_result r = run_prog(defer_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_str_eq(order, "cba");
	cl_result_free(&r);
}
END_TEST

/* ---- recover ------------------------------------------------------------------------------ */

struct supervised {
	cl_chan *errs;
	int after_panic_ran;
};

static void report_panic(void *arg)
{
	struct supervised *s = arg;
	const char *msg = cl_recover();
	if (msg)
		cl_send(s->errs, &msg);
}

static void crashing_worker(void *arg)
{
	struct supervised *s = arg;
	cl_defer(report_panic, s);
	cl_defer(push_char, "x");
	int *p = NULL;
	if (cl_task_id() > 0)
		cl_panic("worker %d gave up", cl_task_id());
	s->after_panic_ran = *p;   /* never reached */
}

static const char *supervisor_got;
static void supervisor_main(void *arg)
{
	struct supervised *s = arg;
	s->errs = cl_make("errs", const char *, 1);
	cl_go(crashing_worker, s, "worker");
	const char *msg;
	cl_recv(s->errs, &msg);
	supervisor_got = msg;
}

START_TEST(recover_in_a_deferred_function_stops_the_panic)
{
	order[0] = '\0';
	struct supervised s = {0};
	struct cl_result r = run_prog(supervisor_main, &s, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_str_eq(supervisor_got, "worker 2 gave up");
	ck_assert_str_eq(order, "x");          /* later defers ran first */
	ck_assert_int_eq(s.after_panic_ran, 0);
	cl_result_free(&r);
}
END_TEST

static void unrecovered_worker(void *arg)
{
	(void)arg;
	cl_defer(push_char, "d");
	cl_panic("boom");
}

static void unrecovered_main(void *arg)
{
	(void)arg;
	cl_go(unrecovered_worker, NULL, "bomber");
	cl_sleep(CL_SEC);   /* the panic ends the run long before */
}

START_TEST(an_unrecovered_panic_ends_the_program_after_its_defers)
{
	order[0] = '\0';
	struct cl_result r = run_prog(unrecovered_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_PANIC);
	ck_assert_str_eq(r.panic_msg, "boom");
	ck_assert_str_eq(order, "d");
	ck_assert_int_eq(strncmp(r.report, "panic: boom\n\ntask 1 \"main\" [", 28), 0);
	ck_assert_ptr_nonnull(strstr(r.report, "task 2 \"bomber\" [running]:\n\tstopped at tests/runtime/test_task.c:"));
	ck_assert_ptr_nonnull(strstr(r.report, "\tcreated by main at tests/runtime/test_task.c:"));
	cl_result_free(&r);
}
END_TEST

/* ---- deadlock report ------------------------------------------------------------------------ */

static void stuck_worker(void *arg)
{
	int v;
	cl_recv(arg, &v);
}

static void deadlock_main(void *arg)
{
	(void)arg;
	cl_chan *jobs = cl_make("jobs", int, 0);
	cl_chan *results = cl_make("results", int, 0);
	cl_go(stuck_worker, jobs, "worker-%d", 2);
	int v;
	cl_recv(results, &v);
}

START_TEST(deadlock_report_names_reason_channel_and_places)
{
	struct cl_result r = run_prog(deadlock_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_DEADLOCK);
	const char *want = "fatal error: all tasks are asleep - deadlock!\n\n"
	                   "task 1 \"main\" [chan receive, channel \"results\"]:\n"
	                   "\tblocked at tests/runtime/test_task.c:";
	ck_assert_int_eq(strncmp(r.report, want, strlen(want)), 0);
	ck_assert_ptr_nonnull(strstr(r.report, "\tcreated by the runtime\n"));
	ck_assert_ptr_nonnull(strstr(r.report, "task 2 \"worker-2\" [chan receive, channel \"jobs\"]:"));
	ck_assert_ptr_nonnull(strstr(r.report, "\tcreated by main at tests/runtime/test_task.c:"));
	cl_result_free(&r);
}
END_TEST

/* Two tasks each waiting to send to the other: the cycle is printed. */
struct pair {
	cl_chan *a_to_b, *b_to_a;
};

static void pair_b(void *arg)
{
	struct pair *p = arg;
	int v = 1;
	cl_recv(p->a_to_b, &v);   /* teaches main that b receives on a_to_b */
	cl_send(p->b_to_a, &v);
	cl_send(p->b_to_a, &v);
}

static void pair_main(void *arg)
{
	struct pair *p = arg;
	p->a_to_b = cl_make("a_to_b", int, 0);
	p->b_to_a = cl_make("b_to_a", int, 0);
	cl_go(pair_b, p, "b");
	int v = 1;
	cl_send(p->a_to_b, &v);
	cl_recv(p->b_to_a, &v);
	cl_send(p->a_to_b, &v);   /* b is sending to us: both stuck sending */
}

START_TEST(deadlock_report_prints_the_wait_for_cycle)
{
	struct pair p;
	struct cl_result r = run_prog(pair_main, &p, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_DEADLOCK);
	ck_assert_ptr_nonnull(strstr(r.report, "wait-for cycle: task 1 \"main\" waits to send on channel \"a_to_b\" to task 2 \"b\", "
	                                        "who waits to send on channel \"b_to_a\" to task 1 \"main\" "
	                                        "(back to the start)\n"));
	cl_result_free(&r);
}
END_TEST

/* ---- leaks and abandoned tasks ---------------------------------------------------------------- */

static void leaky_main(void *arg)
{
	(void)arg;
	cl_chan *reply = cl_make("reply", int, 0);
	cl_go(stuck_worker, reply, "orphan");
	cl_sleep(CL_MS);
}

START_TEST(main_returning_with_blocked_tasks_is_a_leak)
{
	struct cl_result r = run_prog(leaky_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_LEAK);
	ck_assert_int_eq(r.leaked, 1);
	const char *want = "leak: main returned with 1 task still blocked\n\n"
	                   "task 2 \"orphan\" [chan receive, channel \"reply\"]:";
	ck_assert_int_eq(strncmp(r.report, want, strlen(want)), 0);
	cl_result_free(&r);
}
END_TEST

static void busy(void *arg)
{
	(void)arg;
	for (;;)
		cl_yield();
}

static void abandon_main(void *arg)
{
	(void)arg;
	cl_go(busy, NULL, "spinner");
}

START_TEST(runnable_tasks_are_listed_as_abandoned)
{
	struct cl_result r = run_prog(abandon_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(r.abandoned, 1);
	ck_assert_ptr_nonnull(strstr(r.report, "abandoned (runnable when main returned): task 2 \"spinner\""));
	cl_result_free(&r);
}
END_TEST

/* ---- the step limit ends a livelock ---------------------------------------------------------- */

struct polite {
	cl_atomic64 left_wants, right_wants;
};

static void polite_walker(void *arg)
{
	cl_atomic64 *mine = arg;
	for (;;) {
		cl_atomic_store(mine, 1);
		cl_yield();
		cl_atomic_store(mine, 0);   /* step aside, then try again: forever */
	}
}

static void livelock_main(void *arg)
{
	struct polite *p = arg;
	cl_go(polite_walker, &p->left_wants, "left");
	cl_go(polite_walker, &p->right_wants, "right");
	cl_chan *done = cl_chan_make("done", 0, 0);
	cl_recv(done, NULL);
}

START_TEST(the_step_limit_ends_a_livelock)
{
	struct polite p;
	memset(&p, 0, sizeof p);
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.max_steps = 100000;
	struct cl_result r;
	ck_assert_int_eq(cl_run(livelock_main, &p, &cfg, &r), 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_LIMIT);
	ck_assert_uint_eq(r.steps, 100001);
	ck_assert_int_eq(strncmp(r.report, "step limit: 100000 scheduling decisions\n", 40), 0);
	ck_assert_ptr_nonnull(strstr(r.report, "task 1 \"main\" [chan receive, channel \"done\"]"));
	cl_result_free(&r);
}
END_TEST

/* ---- contended steps: what PCT counts --------------------------------------------------------- */

static void yield_some(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++)
		cl_yield();
}

static void busy_two_main(void *arg)
{
	(void)arg;
	cl_go(yield_some, NULL, "other");
	for (int i = 0; i < 50; i++)
		cl_yield();
	cl_sleep(CL_MS);
}

static void alone_main(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++)
		cl_yield();
}

START_TEST(contended_steps_count_only_real_choices)
{
	struct cl_result r = run_prog(alone_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_uint_ge(r.steps, 100);
	ck_assert_uint_eq(r.contended_steps, 0);   /* one task: never a choice */
	cl_result_free(&r);
	r = run_prog(busy_two_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_uint_gt(r.contended_steps, 0);
	ck_assert_uint_le(r.contended_steps, r.steps);
	cl_result_free(&r);
}
END_TEST

/* ---- many tasks, many runs ------------------------------------------------------------------- */

static void gate_waiter(void *arg)
{
	cl_recv(arg, NULL);
}

static void many_main(void *arg)
{
	long n = *(long *)arg;
	cl_chan *gate = cl_chan_make("gate", 0, 0);
	for (long i = 0; i < n; i++)
		cl_go(gate_waiter, gate, "w");
	cl_close(gate);
	cl_sleep(CL_MS);
}

START_TEST(a_hundred_thousand_tasks_block_and_are_released)
{
#ifdef __SANITIZE_THREAD__
	long n = 300;   /* TSan keeps about 1 MiB of state per fiber */
#else
	long n = test_scaled(100000, 2000);
#endif
	struct cl_result r = run_prog(many_main, &n, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_uint_eq(r.tasks, (uint64_t)n + 1);
	ck_assert_int_eq(r.leaked, 0);
	cl_result_free(&r);
}
END_TEST

START_TEST(runs_can_follow_one_another)
{
	long n = 50;
	long runs = test_scaled(2000, 40);
	for (int i = 0; i < runs; i++) {
		struct cl_result r = run_prog(many_main, &n, (uint64_t)i, CL_STRATEGY_RANDOM, NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		cl_result_free(&r);
	}
}
END_TEST

/* The runtime writes the usual name formats itself (task.c format_name):
 * every one must come out as snprintf would write it, truncation included. */
#define NAME_CASES 19
struct name_case {
	char want[NAME_CASES][32];
	char got[NAME_CASES][32];
};

static void expect_name(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void expect_name(char *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, 32, fmt, ap);
	va_end(ap);
}

static cl_waitgroup *names_recorded;   /* set by names_main, the one run using it */

static void record_name(void *arg)
{
	char *slot = arg;
	snprintf(slot, 32, "%s", cl_task_name());
	cl_wg_done(names_recorded);
}

#define SPAWN_NAMED(x, i, ...)                                                                 \
	do {                                                                                   \
		expect_name((x)->want[i], __VA_ARGS__);                                        \
		cl_go(record_name, (x)->got[i], __VA_ARGS__);                                  \
	} while (0)

static void names_main(void *arg)
{
	struct name_case *x = arg;
	const char *null_name = NULL;
	names_recorded = cl_wg_new("recorded");
	cl_wg_add(names_recorded, NAME_CASES);
	SPAWN_NAMED(x, 0, "plain");
	SPAWN_NAMED(x, 1, "worker-%d", -2147483647 - 1);
	SPAWN_NAMED(x, 2, "%s-%u/%i", "stage", 4294967295u, 0);
	SPAWN_NAMED(x, 3, "%ld.%lu.%lld.%llu", -9223372036854775807L - 1, 18446744073709551615UL,
	            -5LL, 18446744073709551615ULL);
	SPAWN_NAMED(x, 4, "%zu:%zd", (size_t)123456789, (ptrdiff_t)-42);
	SPAWN_NAMED(x, 5, "100%% %c", 'x');
	SPAWN_NAMED(x, 6, "a-very-long-task-name-that-goes-past-the-limit-%d", 7);
	SPAWN_NAMED(x, 7, "%s", "exactly-thirty-one-characters!!");
	SPAWN_NAMED(x, 8, "%s%s%s%d", "0123456789", "0123456789", "0123456789", 12345);
	SPAWN_NAMED(x, 9, "%05d|%-3s|%x", 42, "ab", 255);   /* vsnprintf's formats */
	SPAWN_NAMED(x, 10, "%c%c", 'o', 'k');
	SPAWN_NAMED(x, 11, "%s", null_name ? null_name : "(null)");
	SPAWN_NAMED(x, 12, "%lx-%d", 0xbeefUL, 1);
	SPAWN_NAMED(x, 13, "%s", "");
	SPAWN_NAMED(x, 14, "plain-text-longer-than-the-thirty-one-kept");
	SPAWN_NAMED(x, 15, "thirty-one-plain-characters-ok!%d", 5);
	/* vsnprintf's conversions after ones format_name wrote: it starts over. */
	SPAWN_NAMED(x, 16, "%d-%s-%x", -3, "mid", 255);
	SPAWN_NAMED(x, 17, "pool-%zu/%5d", (size_t)8, 42);
	SPAWN_NAMED(x, 18, "%s%%%.2f", "p", 0.5);
	cl_wg_wait(names_recorded);
}

START_TEST(spawn_names_are_formatted_as_printf_does)
{
	struct name_case x;
	memset(&x, 0, sizeof x);
	struct cl_result r = run_prog(names_main, &x, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	for (int i = 0; i < NAME_CASES; i++)
		ck_assert_msg(strcmp(x.want[i], x.got[i]) == 0, "case %d: \"%s\" named \"%s\"", i,
		              x.want[i], x.got[i]);
	cl_result_free(&r);
}
END_TEST

/* A task record is reused with its stack (task.c zeroes only part of it):
 * a task that deferred, panicked and recovered leaves nothing to the next
 * one on its stack, which has no defers, no panic to recover and its own
 * name. */
struct reuse {
	cl_chan *done;
	int recovered, clean_recover_null, clean_defers;
	char names[2][32];
};

static void recover_it(void *arg)
{
	struct reuse *u = arg;
	if (cl_recover())
		u->recovered++;
}

static void dirty_task(void *arg)
{
	struct reuse *u = arg;
	cl_defer(recover_it, u);
	cl_defer(recover_it, u);   /* the first to run recovers; this one then sees nothing */
	snprintf(u->names[0], sizeof u->names[0], "%s", cl_task_name());
	cl_panic("dirty");
}

static void check_clean(void *arg)
{
	struct reuse *u = arg;
	u->clean_defers++;
	if (!cl_recover())
		u->clean_recover_null++;
	cl_send(u->done, NULL);
}

static void clean_task(void *arg)
{
	struct reuse *u = arg;
	snprintf(u->names[1], sizeof u->names[1], "%s", cl_task_name());
	cl_defer(check_clean, u);
}

static void done_on_exit(void *arg)
{
	struct reuse *u = arg;
	cl_send(u->done, NULL);
}

static void dirty_then_signal(void *arg)
{
	cl_defer(done_on_exit, arg);
	dirty_task(arg);
}

static void reuse_main(void *arg)
{
	struct reuse *u = arg;
	u->done = cl_chan_make("done", 0, 0);
	for (int i = 0; i < 20; i++) {
		cl_go(dirty_then_signal, u, "dirty-%d", i);
		cl_recv(u->done, NULL);
		cl_go(clean_task, u, "c%d", i);
		cl_recv(u->done, NULL);
	}
}

/* A run that ends with tasks blocked holding defers (a leak): their
 * records go back to the stack cache as they are. */
static int stale_defer_ran;
static void stale_defer(void *arg)
{
	(void)arg;
	stale_defer_ran++;
}

static void blocked_with_defers(void *arg)
{
	cl_defer(stale_defer, NULL);
	cl_defer(stale_defer, NULL);
	cl_wg_done(arg);
	cl_recv(NULL, NULL);   /* forever */
}

static void leak_main(void *arg)
{
	(void)arg;
	cl_waitgroup *deferred = cl_wg_new("deferred");
	cl_wg_add(deferred, 20);
	for (int i = 0; i < 20; i++)
		cl_go(blocked_with_defers, deferred, "leaker-%d", i);
	cl_wg_wait(deferred);
}

START_TEST(a_reused_task_record_starts_clean)
{
	struct cl_result r = run_prog(leak_main, NULL, 1, CL_STRATEGY_RANDOM, NULL);
	/* Every leaker holds two defers.  Under det all are blocked when main
	 * returns; under par one may still be on its way from Done to the
	 * receive, and a runnable task is abandoned, not leaked. */
	ck_assert_int_eq(r.leaked + r.abandoned, 20);
	ck_assert_int_eq(r.outcome, r.leaked ? CL_OUTCOME_LEAK : CL_OUTCOME_OK);
	struct cl_config cfg;
	test_config(&cfg);
	if (cfg.sched == CL_SCHED_DET)
		ck_assert_int_eq(r.leaked, 20);
	cl_result_free(&r);
	ck_assert_int_eq(stale_defer_ran, 0);
	struct reuse u;
	memset(&u, 0, sizeof u);
	r = run_prog(reuse_main, &u, 1, CL_STRATEGY_RANDOM, NULL);
	ck_assert_int_eq(stale_defer_ran, 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(u.recovered, 20);
	ck_assert_int_eq(u.clean_defers, 20);
	ck_assert_int_eq(u.clean_recover_null, 20);
	ck_assert_str_eq(u.names[0], "dirty-19");
	ck_assert_str_eq(u.names[1], "c19");
	cl_result_free(&r);
}
END_TEST

Suite *suite_task(void)
{
	Suite *s = suite_create("task");
	TCase *t = tcase_create("task");
	tcase_set_tags(t, TAG_ANY);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, defers_run_last_in_first_out);
	tcase_add_test(t, recover_in_a_deferred_function_stops_the_panic);
	tcase_add_test(t, an_unrecovered_panic_ends_the_program_after_its_defers);
	tcase_add_test(t, deadlock_report_names_reason_channel_and_places);
	tcase_add_test(t, deadlock_report_prints_the_wait_for_cycle);
	tcase_add_test(t, runnable_tasks_are_listed_as_abandoned);
	tcase_add_test(t, a_hundred_thousand_tasks_block_and_are_released);
	tcase_add_test(t, runs_can_follow_one_another);
	tcase_add_test(t, spawn_names_are_formatted_as_printf_does);
	tcase_add_test(t, a_reused_task_record_starts_clean);
	suite_add_tcase(s, t);
	/* Which task ran first, or exact step counts: det only. */
	t = tcase_create("task-det");
	tcase_set_tags(t, TAG_DET);
	tcase_add_test(t, main_is_task_one_and_spawns_are_named);
	tcase_add_test(t, main_returning_with_blocked_tasks_is_a_leak);
	tcase_add_test(t, the_step_limit_ends_a_livelock);
	tcase_add_test(t, contended_steps_count_only_real_choices);
	suite_add_tcase(s, t);
	return s;
}
