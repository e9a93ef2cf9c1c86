/*
 * test_flows.c - the renderers' internal helpers: the flow map (against a
 * plain array under random inserts and deletes, which exercises growth and
 * backward-shift deletion) and the task-name table.
 */
#include <check.h>
#include <stdlib.h>

#include "render/internal.h"

/* Random puts and deletes agree with a reference array at every step. */
START_TEST(test_flow_map_random)
{
	enum { KEYS = 2000, STEPS = 40000 };
	static bool present[KEYS + 1];
	static long value[KEYS + 1];
	struct render_flows m;
	render_flows_init(&m);
	unsigned long long x = 88172645463325252ULL;
	size_t count = 0;
	for (int step = 0; step < STEPS; step++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint64_t key = 1 + x % KEYS;
		/* Keys spread over a wide range, so hashing matters. */
		uint64_t flow = key * 0x9E3779B97F4A7C15ULL | 1;
		if ((x >> 32) % 3 != 0) {
			struct render_flow *f = render_flows_put(&m, flow);
			ck_assert_ptr_nonnull(f);
			ck_assert_uint_eq(f->flow, flow);
			if (!present[key]) {
				present[key] = true;
				count++;
			}
			f->aux = value[key] = step;
		} else {
			render_flows_del(&m, flow);
			if (present[key]) {
				present[key] = false;
				count--;
			}
		}
		ck_assert_uint_eq(m.len, count);
		if (step % 997 == 0)
			for (uint64_t k = 1; k <= KEYS; k++) {
				struct render_flow *f = render_flows_get(&m, k * 0x9E3779B97F4A7C15ULL | 1);
				ck_assert_int_eq(f != NULL, present[k]);
				if (f)
					ck_assert_int_eq(f->aux, value[k]);
			}
	}
	ck_assert_ptr_null(render_flows_put(&m, 0));   /* 0 is "no flow" */
	ck_assert_ptr_null(render_flows_get(&m, 0));
	render_flows_free(&m);
}
END_TEST

/* Names are learned from events and SPAWN's child; unknown ids get a
 * fallback; task 0 is the runtime. */
START_TEST(test_task_names)
{
	struct render_tasks t;
	render_tasks_init(&t);
	char buf[32];
	struct cl_event e = {.task = 1, .task_name = "main", .kind = CL_EV_SPAWN, .peer = 40,
	                     .text = "worker-40"};
	ck_assert_int_eq(render_tasks_learn(&t, &e), 0);
	ck_assert_str_eq(render_tasks_name(&t, 1, buf, sizeof buf), "main");
	ck_assert_str_eq(render_tasks_name(&t, 40, buf, sizeof buf), "worker-40");
	ck_assert_str_eq(render_tasks_name(&t, 7, buf, sizeof buf), "task 7");
	ck_assert_str_eq(render_tasks_name(&t, 0, buf, sizeof buf), "runtime");
	ck_assert(!render_tasks_known(&t, -1));
	render_tasks_free(&t);
}
END_TEST

Suite *suite_render_flows(void)
{
	Suite *s = suite_create("render_flows");
	TCase *tc = tcase_create("flows");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_flow_map_random);
	tcase_add_test(tc, test_task_names);
	suite_add_tcase(s, tc);
	return s;
}
