/* test_stack.c - task stacks: the configured size, and an overflow reported
 * by task (recursion, a frame larger than the whole stack) without touching
 * any other task's memory. */
#include <check.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/chanlab.h"
#include "runtime/event.h"
#include "runtime/fiber.h"
#include "runtime/rt.h"
#include "tests/runtime/record.h"
#include "tests/testlib.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* Overflows are caught by our SIGSEGV handler on a guard page; ASan, TSan
 * and valgrind handle that signal (and the stacks) their own way. */
static bool overflow_tests_skipped(void)
{
#if defined(RT_ASAN) || defined(RT_TSAN)
	fputs("test_stack: overflow tests skipped under a sanitizer (it owns SIGSEGV)\n", stderr);
	return true;
#else
	if (RUNNING_ON_VALGRIND) {
		fputs("test_stack: overflow tests skipped under valgrind (it owns SIGSEGV)\n", stderr);
		return true;
	}
	return false;
#endif
}

/* ---- neighbours whose memory must stay intact ------------------------------------------ */

#define KEEP_BYTES 2048
#define MAX_KEEPERS 5000

static unsigned char *kept[MAX_KEEPERS];
static int nkeepers;
static int intact_at_end;      /* keepers whose bytes were intact when the run ended */
static cl_waitgroup *filled;
static cl_chan *gate;

static unsigned char byte_of(int keeper, int i)
{
	return (unsigned char)(keeper * 131 + i * 7 + 1);
}

/* Fills a buffer on its own stack, says so, then blocks for good. */
static void keeper(void *arg)
{
	int k = (int)(intptr_t)arg;
	unsigned char buf[KEEP_BYTES];
	for (int i = 0; i < KEEP_BYTES; i++)
		buf[i] = byte_of(k, i);
	kept[k] = buf;
	cl_wg_done(filled);
	cl_recv(gate, NULL);
	kept[k] = NULL;   /* never reached: the run ends first */
	buf[0] ^= 1;
}

static void check_keepers(void *ctx)
{
	(void)ctx;
	intact_at_end = 0;
	for (int k = 0; k < nkeepers; k++) {
		if (!kept[k])
			continue;
		int ok = 1;
		for (int i = 0; i < KEEP_BYTES && ok; i++)
			ok = kept[k][i] == byte_of(k, i);
		intact_at_end += ok;
	}
}

static void ignore_event(void *ctx, const struct cl_event *ev)
{
	(void)ctx;
	(void)ev;
}

/* Runs main_fn on the scheduler under test with a sink that checks the
 * keepers when the run ends (their stacks are still mapped then). */
static struct cl_result run_checked(void (*main_fn)(void *), size_t stack_size)
{
	struct cl_config cfg;
	test_config(&cfg);
	if (stack_size) {
		cfg.stack_size = stack_size;
		cfg.stack_advice = "raise it with --stack-size";   /* as the CLI's runs say */
	}
	struct cl_sink sink = {ignore_event, check_keepers, NULL};
	cfg.sinks = &sink;
	cfg.nsinks = 1;
	intact_at_end = -1;
	memset(kept, 0, sizeof kept);
	struct cl_result r;
	ck_assert_int_eq(cl_run(main_fn, NULL, &cfg, &r), 0);
	return r;
}

/* Starts n keepers (task ids 2 .. n+1) and waits until each has filled
 * its buffer. */
static void start_keepers(int n)
{
	nkeepers = n;
	filled = cl_wg_new("filled");
	gate = cl_chan_make("gate", 0, 0);
	cl_wg_add(filled, n);
	for (int k = 0; k < n; k++)
		cl_go(keeper, (void *)(intptr_t)k, "keeper-%d", k);
	cl_wg_wait(filled);
}

/* ---- recursion ----------------------------------------------------------------------------------- */

static __attribute__((noinline)) int deep(int n)
{
	volatile char pad[256];
	pad[0] = (char)n;
	return n ? deep(n - 1) + pad[0] : 0;
}

static void recurse_forever(void *arg)
{
	(void)arg;
	deep(INT32_MAX);
}

static void recursion_main(void *arg)
{
	(void)arg;
	start_keepers(4998);                           /* tasks 2 .. 4999 */
	cl_go(recurse_forever, NULL, "deep");          /* task 5000 */
	cl_recv(gate, NULL);
}

START_TEST(recursion_in_the_5000th_task_is_reported_by_name)
{
	if (overflow_tests_skipped())
		return;
	struct cl_result r = run_checked(recursion_main, 64 * 1024);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_FATAL);
	ck_assert_ptr_nonnull(r.report);
	ck_assert_msg(strstr(r.report, "fatal error: stack overflow in task 5000 \"deep\" (stack 64 KiB; "
	                               "raise it with --stack-size)\n") == r.report, "%s", r.report);
	ck_assert_ptr_nonnull(strstr(r.report, "\ntask 5000 \"deep\" [running]"));
	ck_assert_ptr_nonnull(strstr(r.report, "\ntask 4999 \"keeper-4997\" [chan receive"));
	ck_assert_int_eq(intact_at_end, 4998);
	cl_result_free(&r);
}
END_TEST

/* ---- one frame larger than the stack ---------------------------------------------------------------- */

static __attribute__((noinline)) void big_frame(void)
{
	/* Bigger than the whole stack: its lowest byte is in the mapping of
	 * the stack below, which probing must never reach.  memset writes it
	 * from that lowest byte up; the asm keeps the compiler from dropping
	 * the frame. */
	char frame[256 * 1024];
	memset(frame, 1, sizeof frame);
	__asm__ volatile("" : : "r"(frame) : "memory");
}

static void one_big_frame(void *arg)
{
	(void)arg;
	big_frame();
}

static void big_frame_main(void *arg)
{
	(void)arg;
	start_keepers(200);                            /* tasks 2 .. 201 */
	cl_go(one_big_frame, NULL, "big-frame");       /* task 202 */
	cl_recv(gate, NULL);
}

START_TEST(a_256_kib_frame_is_reported_by_name)
{
	if (overflow_tests_skipped())
		return;
	struct cl_result r = run_checked(big_frame_main, 0);   /* the default size */
	ck_assert_int_eq(r.outcome, CL_OUTCOME_FATAL);
	ck_assert_msg(strstr(r.report, "fatal error: stack overflow in task 202 \"big-frame\" "
	                               "(stack 256 KiB)\n") == r.report,
	              "%s", r.report);
	ck_assert_int_eq(intact_at_end, 200);
	cl_result_free(&r);
}
END_TEST

/* Overflows one after another in one process: each run ends by itself and
 * the next one starts on the same threads and stacks. */
START_TEST(overflows_in_a_row_each_end_their_own_run)
{
	if (overflow_tests_skipped())
		return;
	for (int i = 0; i < 10; i++) {
		struct cl_result r = run_checked(big_frame_main, 0);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_FATAL);
		ck_assert_int_eq(intact_at_end, 200);
		cl_result_free(&r);
	}
}
END_TEST

/* ---- the size ------------------------------------------------------------------------------------------ */

static int depth_reached;

static void one_mib_of_recursion(void *arg)
{
	depth_reached = deep(1024 * 1024 / 300) >= 0;   /* ~300 bytes a frame */
	cl_close(arg);
}

static void bigger_main(void *arg)
{
	(void)arg;
	cl_chan *done = cl_chan_make("done", 0, 0);
	cl_go(one_mib_of_recursion, done, "deep");
	cl_recv(done, NULL);
}

START_TEST(a_bigger_stack_size_allows_deeper_recursion)
{
	struct cl_config cfg;
	cl_config_init(&cfg);
	ck_assert_uint_eq(cfg.stack_size, 256 * 1024);
	depth_reached = 0;
	struct cl_result r = run_checked(bigger_main, 4 * 1024 * 1024);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	ck_assert_int_eq(depth_reached, 1);
	cl_result_free(&r);
}
END_TEST

static void nothing(void *arg)
{
	(void)arg;
}

START_TEST(a_stack_size_out_of_range_is_refused)
{
	size_t bad[] = {16 * 1024 - 1, 4096, (size_t)1024 * 1024 * 1024 + 1};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct cl_config cfg;
		test_config(&cfg);
		cfg.stack_size = bad[i];
		struct cl_result r;
		ck_assert_int_eq(cl_run(nothing, NULL, &cfg, &r), -1);
		ck_assert_ptr_nonnull(strstr(r.report, "16 KiB to 1 GiB"));
		cl_result_free(&r);
	}
	struct cl_config cfg;
	test_config(&cfg);
	cfg.stack_size = 16 * 1024;
	struct cl_result r;
	ck_assert_int_eq(cl_run(nothing, NULL, &cfg, &r), 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	cl_result_free(&r);
}
END_TEST

/* Under par each processor keeps a few free stacks of its own (stack.c);
 * at the end of a run they go back to the shared cache, so runs in a row
 * reuse the same stacks: the process's mappings stop growing. */
static void spawn_many_done(void *arg)
{
	cl_wg_done(arg);
}

static void spawn_many_main(void *arg)
{
	(void)arg;
	cl_waitgroup *wg = cl_wg_new("wg");
	for (int round = 0; round < 4; round++) {
		cl_wg_add(wg, 48);
		for (int i = 0; i < 48; i++)
			cl_go(spawn_many_done, wg, "t-%d", i);
		cl_wg_wait(wg);
	}
}

START_TEST(runs_in_a_row_reuse_their_stacks)
{
	long before = 0;
	long runs = test_scaled(120, 40);
	for (long i = 0; i < runs; i++) {
		if (i == 10)
			before = rt_stack_slabs();
		struct cl_result r = run_prog(spawn_many_main, NULL, (uint64_t)i + 1, CL_STRATEGY_RANDOM,
		                              NULL);
		ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
		cl_result_free(&r);
	}
	long after = rt_stack_slabs();
	/* A leak of the processors' stacks (up to 16 each per run) would take
	 * a new slab of 64 stacks every few runs; a run that happens to need
	 * more stacks at once than the ones before may take one or two. */
	ck_assert_msg(after <= before + 2, "the stack cache grew from %ld to %ld slabs over %ld runs",
	              before, after, runs - 10);
}
END_TEST

/* ---- what a stack costs and how it is guarded ---------------------------------------------- */

static sigjmp_buf probe_jmp;

static void probe_fault(int sig)
{
	(void)sig;
	siglongjmp(probe_jmp, 1);
}

/* True if reading the byte at p faults. */
static bool read_faults(const volatile char *p)
{
	struct sigaction sa, old_segv, old_bus;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = probe_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	volatile bool faulted = true;
	if (sigsetjmp(probe_jmp, 1) == 0) {
		(void)*p;
		faulted = false;
	}
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return faulted;
}

/* A slab's guard pages are installed in one call where the kernel allows
 * it and page by page elsewhere: either way each of its stacks must have
 * its own, just below its lowest byte, and nothing else may fault. */
START_TEST(every_stack_of_a_slab_has_its_guard_page)
{
	if (overflow_tests_skipped())
		return;
	enum { N = 130 };   /* more than two slabs of 64 */
	struct rt_stack *got[N];
	for (int i = 0; i < N; i++) {
		got[i] = rt_stack_get(256 * 1024);
		ck_assert_ptr_nonnull(got[i]);
	}
	long pages = sysconf(_SC_PAGESIZE);
	for (int i = 0; i < N; i++) {
		const char *lo = got[i]->lo;
		ck_assert_msg(read_faults(lo - 1), "stack %d: the byte below it does not fault", i);
		ck_assert_msg(read_faults(lo - pages), "stack %d: its guard page is not whole", i);
		ck_assert_msg(!read_faults(lo), "stack %d: its lowest byte faults", i);
		ck_assert_msg(!read_faults((const char *)got[i]->task), "stack %d: its record faults", i);
	}
	for (int i = 0; i < N; i++)
		rt_stack_put(got[i]);
}
END_TEST

#define COST_TASKS 200

static struct rt_stack *cost_stacks[COST_TASKS];

static void cost_task(void *arg)
{
	int i = (int)(intptr_t)arg;
	cost_stacks[i] = rt_cur(rt_s())->stack;
	cl_wg_done(filled);
	cl_recv(gate, NULL);   /* blocks, as the bench's blocked tasks do */
}

static void cost_main(void *arg)
{
	(void)arg;
	filled = cl_wg_new("ready");
	gate = cl_chan_make("gate", 0, 0);
	cl_wg_add(filled, COST_TASKS);
	for (int i = 0; i < COST_TASKS; i++)
		cl_go(cost_task, (void *)(intptr_t)i, "w");
	cl_wg_wait(filled);
	long ps = sysconf(_SC_PAGESIZE);
	for (int i = 0; i < COST_TASKS; i++) {
		struct rt_stack *st = cost_stacks[i];
		size_t len = st->map_size - (size_t)ps;   /* the mapping above its guard page */
		unsigned char vec[256];                   /* a page each: 1 MiB of stack */
		ck_assert_uint_le(len / (size_t)ps, sizeof vec);
		ck_assert_int_eq(mincore(st->lo, len, vec), 0);
		size_t resident = 0;
		for (size_t k = 0; k < len / (size_t)ps; k++)
			resident += vec[k] & 1;
		ck_assert_msg(resident == 1 && (vec[len / (size_t)ps - 1] & 1),
		              "a blocked task's stack has %zu pages in memory, expected only the top one",
		              resident);
	}
	cl_close(gate);
}

/* The task record at the top of the stack and the frames of a task that
 * blocked after a few calls share one page: a blocked task costs one page
 * (the bench's memory per task, docs/bench.md).  Optimised builds only:
 * the debug and sanitizer builds' frames are bigger. */
START_TEST(a_blocked_task_has_one_page_in_memory)
{
	if (test_scaled_down()) {
		fputs("test_stack: page count skipped in the scaled-down builds (bigger frames)\n", stderr);
		return;
	}
	struct cl_config cfg;
	test_config(&cfg);
	struct cl_result r;
	ck_assert_int_eq(cl_run(cost_main, NULL, &cfg, &r), 0);
	ck_assert_int_eq(r.outcome, CL_OUTCOME_OK);
	cl_result_free(&r);
}
END_TEST

Suite *suite_stack(void)
{
	Suite *s = suite_create("stack");
	TCase *t = tcase_create("stack");
	tcase_set_tags(t, TAG_ANY);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, recursion_in_the_5000th_task_is_reported_by_name);
	tcase_add_test(t, a_256_kib_frame_is_reported_by_name);
	tcase_add_test(t, overflows_in_a_row_each_end_their_own_run);
	tcase_add_test(t, a_bigger_stack_size_allows_deeper_recursion);
	tcase_add_test(t, a_stack_size_out_of_range_is_refused);
	tcase_add_test(t, runs_in_a_row_reuse_their_stacks);
	tcase_add_test(t, every_stack_of_a_slab_has_its_guard_page);
	tcase_add_test(t, a_blocked_task_has_one_page_in_memory);
	suite_add_tcase(s, t);
	return s;
}
