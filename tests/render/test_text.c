/*
 * test_text.c - the text renderer: one aligned line an event in plain
 * words, colour only when asked, notes marked.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/render/fixture.h"

/* The exchange renders to exactly these lines with colour off. */
START_TEST(test_exchange_lines)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	char *s = fixture_render("text", 80, evs, n);
	ck_assert_ptr_nonnull(s);
	const char *want =
		"    0.000ms  runtime   started main\n"
		"    0.000ms  main      started worker-1\n"
		"    0.000ms  main      started worker-2\n"
		"    0.000ms  worker-1  blocked: chan receive on jobs\n"
		"    0.000ms  worker-2  sleeps 2ms (until 2.000ms)\n"
		"    0.000ms  worker-2  blocked: sleep\n"
		"    0.001ms  worker-1  received 5 from jobs\n"
		"    0.001ms  main      sent 5 to jobs (handed to worker-1)\n"
		"    0.001ms  worker-1  woke (by main)\n"
		"    0.001ms  main      blocked: select\n"
		"    0.250ms  worker-1  \xc2\xbb worker 1 takes job 5\n"
		"    1.250ms  worker-1  sent 10 to results\n"
		"    1.250ms  main      woke (by worker-1)\n"
		"    1.250ms  main      select chose case 2 of 2\n"
		"    1.250ms  main      received 10 from results\n"
		"    1.500ms  main      closed jobs\n"
		"    1.500ms  worker-1  received 0 from jobs (closed, ok=false)\n"
		"    1.500ms  worker-1  exited\n"
		"    2.000ms  runtime   timer fired\n"
		"    2.000ms  worker-2  woke (by runtime)\n"
		"    2.000ms  worker-2  panic: send on closed channel (at patterns/workers.c:30)\n"
		"    2.000ms  runtime   run ended: panic\n";
	ck_assert_str_eq(s, want);
	ck_assert_ptr_null(strchr(s, '\033'));
	free(s);
}
END_TEST

static char *one(struct cl_event e)
{
	char *s = fixture_render("text", 80, &e, 1);
	ck_assert_ptr_nonnull(s);
	return s;
}

#define EXPECT_LINE(ev, line)                 \
	do {                                  \
		char *s_ = one(ev);           \
		ck_assert_str_eq(s_, (line)); \
		free(s_);                     \
	} while (0)

/* The kinds the exchange does not show: each in plain words. */
START_TEST(test_other_kinds)
{
	struct cl_event e = fixture_event(1, 3000000, CL_EV_LOCK, 4, "counter");
	e.obj_name = "mu";
	EXPECT_LINE(e, "    3.000ms  counter   locked mu\n");
	e.text = "r";
	EXPECT_LINE(e, "    3.000ms  counter   read-locked mu\n");
	e.kind = CL_EV_UNLOCK;
	e.text = "";
	EXPECT_LINE(e, "    3.000ms  counter   unlocked mu\n");

	e = fixture_event(1, 0, CL_EV_SELECT, 1, "main");
	e.arg = -1;
	e.count = 2;
	EXPECT_LINE(e, "    0.000ms  main      select chose default (2 cases)\n");
	/* Schema version 2: the chosen case's direction and channel. */
	e.arg = 1;
	e.count = 3;
	e.text = "recv";
	e.obj_kind = CL_OBJ_CHAN;
	e.obj_name = "results";
	EXPECT_LINE(e, "    0.000ms  main      select chose: receive from results (case 2 of 3)\n");
	e.arg = 0;
	e.text = "send";
	e.obj_name = "jobs";
	EXPECT_LINE(e, "    0.000ms  main      select chose: send to jobs (case 1 of 3)\n");

	e = fixture_event(1, 0, CL_EV_VERDICT, 0, "runtime");
	e.text = "invariant";
	e.value = "invariant exactly-once failed: job 5 came back 2 times (main at 1.000ms)";
	EXPECT_LINE(e, "    0.000ms  runtime   verdict: invariant exactly-once failed: job 5 came back "
	               "2 times (main at 1.000ms)\n");
	e.text = "deadlock";
	e.value = "fatal error: all goroutines are asleep - deadlock!";
	EXPECT_LINE(e, "    0.000ms  runtime   verdict: deadlock: fatal error: all goroutines are "
	               "asleep - deadlock!\n");

	e = fixture_event(1, 0, CL_EV_CANCEL, 1, "main");
	e.obj_name = "ctx";
	e.text = "context canceled";
	EXPECT_LINE(e, "    0.000ms  main      canceled ctx: context canceled\n");

	e = fixture_event(1, 0, CL_EV_RECOVER, 2, "guard");
	e.text = "boom";
	EXPECT_LINE(e, "    0.000ms  guard     recovered: boom\n");

	e = fixture_event(1, 0, CL_EV_YIELD, 2, "spinner");
	EXPECT_LINE(e, "    0.000ms  spinner   yielded\n");

	e = fixture_event(1, 0, CL_EV_ATOMIC, 2, "incr");
	e.text = "add";
	e.obj_name = "hits";
	e.arg = 5;
	EXPECT_LINE(e, "    0.000ms  incr      atomic add on hits -> 5\n");

	e = fixture_event(1, 0, CL_EV_SYNC, 1, "main");
	e.text = "Add";
	e.obj_name = "wg";
	e.obj_kind = CL_OBJ_WAITGROUP;
	e.arg = 3;
	EXPECT_LINE(e, "    0.000ms  main      Add wg (counter 3)\n");

	e = fixture_event(1, 0, CL_EV_BLOCK, 1, "main");
	e.wait = CL_WAIT_WAITGROUP;
	e.obj_name = "wg";
	EXPECT_LINE(e, "    0.000ms  main      blocked: sync.WaitGroup.Wait on wg\n");

	e = fixture_event(1, 0, CL_EV_WAKE, 1, "main");
	e.peer = 9;   /* never seen: named by id */
	EXPECT_LINE(e, "    0.000ms  main      woke (by task 9)\n");
}
END_TEST

/* Long names widen the name column for later lines (up to a limit). */
START_TEST(test_name_column_grows)
{
	struct cl_event evs[2] = {fixture_event(1, 0, CL_EV_YIELD, 1, "main"),
	                          fixture_event(2, 0, CL_EV_YIELD, 2, "a-much-longer-name")};
	struct cl_event again = fixture_event(3, 0, CL_EV_YIELD, 1, "main");
	struct cl_event all[3] = {evs[0], evs[1], again};
	char *s = fixture_render("text", 80, all, 3);
	ck_assert_ptr_nonnull(strstr(s, "    0.000ms  main      yielded\n"));
	ck_assert_ptr_nonnull(strstr(s, "    0.000ms  a-much-longer-name  yielded\n"));
	ck_assert_ptr_nonnull(strstr(s, "    0.000ms  main                yielded\n"));
	free(s);
}
END_TEST

/* With colour on, a task's name always gets the same colour, different
 * tasks different ones, and a note is bold. */
START_TEST(test_colour)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	struct render_opts ro = {.out = out, .color = true};
	struct cl_sink sink;
	char err[100];
	ck_assert_int_eq(render_open("text", &ro, &sink, err, sizeof err), 0);
	struct cl_event a = fixture_event(1, 0, CL_EV_YIELD, 1, "main");
	struct cl_event b = fixture_event(2, 0, CL_EV_YIELD, 2, "worker");
	struct cl_event n = fixture_event(3, 0, CL_EV_NOTE, 1, "main");
	n.text = "hello";
	sink.event(sink.ctx, &a);
	sink.event(sink.ctx, &b);
	sink.event(sink.ctx, &n);
	render_close(&sink);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf, "\033[33mmain    \033[0m  yielded"));
	ck_assert_ptr_nonnull(strstr(buf, "\033[35mworker  \033[0m  yielded"));
	ck_assert_ptr_nonnull(strstr(buf, "\033[33mmain    \033[0m  \033[1m\xc2\xbb hello\033[0m"));
	free(buf);
}
END_TEST

Suite *suite_render_text(void)
{
	Suite *s = suite_create("render_text");
	TCase *tc = tcase_create("text");
	tcase_add_test(tc, test_exchange_lines);
	tcase_add_test(tc, test_other_kinds);
	tcase_add_test(tc, test_name_column_grows);
	tcase_add_test(tc, test_colour);
	suite_add_tcase(s, tc);
	return s;
}
