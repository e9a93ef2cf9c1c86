/*
 * test_mermaid.c - the mermaid renderer: a sequenceDiagram with a
 * participant per task, an arrow per message, notes; long traces split into
 * blocks below Mermaid's 50,000 characters, each declaring its participants.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/render/fixture.h"

/* The exchange as a diagram, exactly. */
START_TEST(test_exchange)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	char *s = fixture_render("mermaid", 80, evs, n);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s,
		"sequenceDiagram\n"
		"    participant t1 as main\n"
		"    participant t2 as worker-1\n"
		"    t1-)t2: go worker-1\n"
		"    participant t3 as worker-2\n"
		"    t1-)t3: go worker-2\n"
		"    t1->>t2: 5 (jobs)\n"
		"    Note over t2: worker 1 takes job 5\n"
		"    t2->>t1: 10 (results)\n"
		"    Note over t1: close(jobs)\n"
		"    Note over t2: jobs is closed: zero value, ok=false\n"
		"    Note over t3: panic: send on closed channel\n"
		"    Note over t1: end: panic\n");
	free(s);
}
END_TEST

/* A deadlock: the tasks still blocked at the end are noted; a block that
 * ended in a wake is not. */
START_TEST(test_still_blocked)
{
	struct cl_event evs[5] = {
		fixture_event(1, 0, CL_EV_BLOCK, 1, "main"),
		fixture_event(2, 0, CL_EV_BLOCK, 2, "worker"),
		fixture_event(3, 0, CL_EV_WAKE, 2, "worker"),
		fixture_event(4, 0, CL_EV_BLOCK, 2, "worker"),
		fixture_event(5, 0, CL_EV_END, 0, "runtime"),
	};
	evs[0].wait = CL_WAIT_CHAN_RECV;
	evs[0].obj_name = "results";
	evs[1].wait = CL_WAIT_CHAN_SEND;
	evs[1].obj_name = "first";
	evs[3].wait = CL_WAIT_MUTEX;   /* sync waits are shown when they happen, and at the end */
	evs[3].obj_name = "mu";
	evs[4].text = "deadlock";
	char *s = fixture_render("mermaid", 80, evs, 5);
	ck_assert_str_eq(s,
		"sequenceDiagram\n"
		"    participant t2 as worker\n"
		"    Note over t2: waits: sync.Mutex.Lock on mu\n"
		"    participant t1 as main\n"
		"    Note over t1: still blocked: chan receive on results\n"
		"    Note over t2: still blocked: sync.Mutex.Lock on mu\n"
		"    Note over t2: end: deadlock\n");
	ck_assert_ptr_null(strstr(s, "first"));
	free(s);
}
END_TEST

/* A buffered value nobody received is drawn at the end; one received is
 * drawn as its arrow only. */
START_TEST(test_never_received)
{
	struct cl_event evs[4] = {
		fixture_event(1, 0, CL_EV_SEND, 2, "worker"),
		fixture_event(2, 0, CL_EV_SEND, 2, "worker"),
		fixture_event(3, 0, CL_EV_RECV, 1, "main"),
		fixture_event(4, 0, CL_EV_END, 0, "runtime"),
	};
	for (int i = 0; i < 3; i++) {
		evs[i].obj_name = "results";
		evs[i].obj_kind = CL_OBJ_CHAN;
		evs[i].ok = 1;
	}
	evs[0].value = "7";
	evs[0].flow = 1;
	evs[1].value = "8";
	evs[1].flow = 2;
	evs[2].value = "7";
	evs[2].flow = 1;
	evs[3].text = "ok";
	char *s = fixture_render("mermaid", 80, evs, 4);
	ck_assert_ptr_nonnull(strstr(s, "t2->>t1: 7 (results)\n"));
	ck_assert_ptr_nonnull(strstr(s, "Note over t2: sent 8 into the buffer of results, never received\n"));
	ck_assert_ptr_null(strstr(s, "sent 7 into"));
	free(s);
}
END_TEST

/* Mermaid syntax characters in names and text become entity codes. */
START_TEST(test_escaping)
{
	struct cl_event e = fixture_event(1, 0, CL_EV_NOTE, 1, "a;b#c");
	e.text = "x <y> ; #z\nnext";
	char *s = fixture_render("mermaid", 80, &e, 1);
	ck_assert_str_eq(s,
		"sequenceDiagram\n"
		"    participant t1 as a#59;b#35;c\n"
		"    Note over t1: x #lt;y#gt; #59; #35;z next\n");
	free(s);
}
END_TEST

/* Checks one block: under the limit, starts with sequenceDiagram, and
 * declares each participant before its first use. */
static void check_block(const char *b, size_t len, int *messages)
{
	ck_assert_uint_lt(len, 50000);
	ck_assert_int_eq(strncmp(b, "sequenceDiagram\n", 16), 0);
	bool declared[64] = {false};
	const char *end = b + len;
	for (const char *p = b; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		int id, a, c;
		if (sscanf(p, "    participant t%d ", &id) == 1) {
			ck_assert_int_lt(id, 64);
			ck_assert_msg(!declared[id], "t%d declared twice in a block", id);
			declared[id] = true;
		} else if (sscanf(p, "    t%d->>t%d:", &a, &c) == 2) {
			ck_assert_msg(declared[a] && declared[c], "t%d or t%d used undeclared", a, c);
			(*messages)++;
		} else if (sscanf(p, "    Note over t%d:", &a) == 1) {
			ck_assert_msg(declared[a], "t%d noted undeclared", a);
		}
		p = nl + 1;
	}
}

/* A spawn of a task the renderer has not seen yet grows its task table
 * while it holds the parent's entry (a use-after-free under ASan before the
 * fix); the arrow names both participants. */
START_TEST(test_spawn_of_a_new_high_task)
{
	struct cl_event evs[2] = {
		fixture_event(1, 0, CL_EV_NOTE, 1, "main"),
		fixture_event(2, 0, CL_EV_SPAWN, 1, "main"),
	};
	evs[0].text = "starting";
	evs[1].peer = 900;
	evs[1].text = "worker-900";
	char *s = fixture_render("mermaid", 80, evs, 2);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(strstr(s, "participant t1 as main"));
	ck_assert_ptr_nonnull(strstr(s, "participant t900 as worker-900"));
	ck_assert_ptr_nonnull(strstr(s, "t1-)t900: go worker-900"));
	free(s);
}
END_TEST

/* A long trace splits into blocks each under 50,000 characters; no message
 * is lost. */
START_TEST(test_split)
{
	enum { TASKS = 40, MSGS = 6000 };
	static struct cl_event evs[MSGS * 2];
	static char names[TASKS][24];
	for (int t = 0; t < TASKS; t++)
		snprintf(names[t], sizeof names[t], "worker-%d", t + 1);
	size_t k = 0;
	for (int i = 0; i < MSGS; i++) {
		int from = 1 + i % TASKS, to = 1 + (i * 7 + 3) % TASKS;
		evs[k] = fixture_event(k + 1, i, CL_EV_SEND, from, names[from - 1]);
		evs[k].flow = (uint64_t)i + 1;
		evs[k].value = "12345";
		evs[k].obj_name = "results";
		k++;
		evs[k] = fixture_event(k + 1, i, CL_EV_RECV, to, names[to - 1]);
		evs[k].flow = (uint64_t)i + 1;
		evs[k].ok = 1;
		evs[k].value = "12345";
		evs[k].obj_name = "results";
		k++;
	}
	char *s = fixture_render("mermaid", 80, evs, k);
	ck_assert_ptr_nonnull(s);
	size_t total = strlen(s);
	ck_assert_uint_gt(total, 100000);   /* long enough to need splitting */
	int blocks = 0, messages = 0;
	const char *p = s;
	while (*p) {
		const char *sep = strstr(p, "\n\nsequenceDiagram\n");
		size_t len = sep ? (size_t)(sep - p) + 1 : strlen(p);
		check_block(p, len, &messages);
		blocks++;
		p += len + (sep ? 1 : 0);
	}
	ck_assert_int_ge(blocks, 3);
	ck_assert_int_eq(messages, MSGS);
	free(s);
}
END_TEST

Suite *suite_render_mermaid(void)
{
	Suite *s = suite_create("render_mermaid");
	TCase *tc = tcase_create("mermaid");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_exchange);
	tcase_add_test(tc, test_still_blocked);
	tcase_add_test(tc, test_never_received);
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_split);
	tcase_add_test(tc, test_spawn_of_a_new_high_task);
	suite_add_tcase(s, tc);
	return s;
}
