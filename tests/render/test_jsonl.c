/*
 * test_jsonl.c - the jsonl renderer: a schema header line, then one JSON
 * object an event carrying every field, escaped so it parses back.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/render/fixture.h"
#include "tests/render/json.h"
#include "tests/testlib.h"

/* Checks that object o holds every field of e. */
static void same_event(const struct tj *o, const struct cl_event *e)
{
	ck_assert_int_eq(o->n, 22);   /* every field of version 2, nothing else */
	ck_assert_uint_eq(strtoull(tj_get(o, "seq")->str, NULL, 10), e->seq);
	ck_assert_int_eq(strtoll(tj_get(o, "time")->str, NULL, 10), e->time);
	ck_assert_str_eq(tj_str(o, "kind"), render_kind_name(e->kind));
	ck_assert_int_eq((int)tj_num(o, "task"), e->task);
	ck_assert_str_eq(tj_str(o, "task_name"), e->task_name);
	ck_assert_int_eq((int)tj_num(o, "peer"), e->peer);
	ck_assert_str_eq(tj_str(o, "obj_kind"), render_obj_kind_name(e->obj_kind));
	ck_assert_uint_eq(strtoull(tj_get(o, "obj_id")->str, NULL, 10), e->obj_id);
	ck_assert_str_eq(tj_str(o, "obj_name"), e->obj_name);
	ck_assert_str_eq(tj_str(o, "wait"), render_wait_name(e->wait));
	ck_assert_str_eq(tj_str(o, "value"), e->value);
	ck_assert_uint_eq(strtoull(tj_get(o, "flow")->str, NULL, 10), e->flow);
	ck_assert_int_eq((int)tj_num(o, "ok"), e->ok);
	ck_assert_int_eq(strtoll(tj_get(o, "arg")->str, NULL, 10), e->arg);
	ck_assert_int_eq((int)tj_num(o, "count"), e->count);
	ck_assert_str_eq(tj_str(o, "text"), e->text);
	ck_assert_str_eq(tj_str(o, "file"), e->file);
	ck_assert_int_eq((int)tj_num(o, "line"), e->line);
	/* Version 2: always present, "" when the emitter left them NULL. */
	ck_assert_str_eq(tj_str(o, "lesson"), e->lesson ? e->lesson : "");
	ck_assert_str_eq(tj_str(o, "mistake"), e->mistake ? e->mistake : "");
	ck_assert_str_eq(tj_str(o, "go_mistake"), e->go_mistake ? e->go_mistake : "");
	ck_assert_int_eq((int)tj_num(o, "proc"), e->proc);   /* par's processor + 1; 0 under det */
}

static void round_trip(const struct cl_event *evs, size_t n)
{
	char *s = fixture_render("jsonl", 80, evs, n);
	ck_assert_ptr_nonnull(s);
	char *save = NULL;
	char *line = strtok_r(s, "\n", &save);
	ck_assert_str_eq(line, "{\"schema\":\"chanlab-events\",\"version\":2}");
	size_t i = 0;
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		ck_assert_uint_lt(i, n);
		struct tj *o = tj_parse(line, NULL);
		ck_assert_msg(o != NULL, "line %zu is not JSON: %s", i + 2, line);
		same_event(o, &evs[i]);
		tj_free(o);
		i++;
	}
	ck_assert_uint_eq(i, n);
	free(s);
}

/* Every event of the exchange comes back field for field. */
START_TEST(test_round_trip)
{
	size_t n;
	const struct cl_event *evs = fixture_exchange(&n);
	round_trip(evs, n);
}
END_TEST

/* Quotes, backslashes, control characters and UTF-8 survive; extreme
 * numbers too. */
START_TEST(test_escapes_and_extremes)
{
	struct cl_event e = fixture_event(UINT64_MAX, INT64_MIN, CL_EV_NOTE, 7, "w\"e\\ird\tname");
	e.text = "line1\nline2 \x01\x1f caf\xc3\xa9 \xe2\x86\x92 \"q\"";
	e.value = "{\"a\":[1,2]}";
	e.file = "dir\\file.c";
	e.obj_id = UINT64_MAX;
	e.flow = 1ULL << 63;
	e.arg = INT64_MAX;
	e.peer = -3;
	e.line = 2147483647;
	e.count = -1;
	e.lesson = "a \"lesson\"\n";
	e.mistake = "patterns/x.c:3: words";
	e.kind = CL_EV_KIND_COUNT;   /* out of range: "?" */
	round_trip(&e, 1);
}
END_TEST


Suite *suite_render_jsonl(void)
{
	Suite *s = suite_create("render_jsonl");
	TCase *tc = tcase_create("jsonl");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_escapes_and_extremes);
	suite_add_tcase(s, tc);
	return s;
}
