/*
 * test_reply_channel_pooled.c - the pooled forms of reply-channel (issue
 * 15): pooled keeps "ok" under 10,000 random and 2,000 PCT schedules, also
 * with many timeouts; pooled-stale and worker-closes show their declared
 * outcome within 10,000, on the share of seeds their lessons promise, and
 * carry their lessons and MISTAKE markers (counts scaled by
 * CHANLAB_TEST_SCALE).  The other variants are in test_reply_channel.c.
 */
#include <check.h>
#include <string.h>

#include "cmd/embedded.h"
#include "tests/patterns/explore.h"
#include "tests/patterns/lessons.h"

static const struct cl_embedded *embedded(const char *path)
{
	for (const struct cl_embedded *e = cl_embedded_files; e->path; e++)
		if (strcmp(e->path, path) == 0)
			return e;
	return NULL;
}

/* reply-channel:pooled keeps its promise, also when most clients time out. */
START_TEST(pooled)
{
	check_correct("reply-channel", "pooled", NULL);
	static const char *const impatient[] = {"timeout", "10", NULL};
	check_correct("reply-channel", "pooled", impatient);
}
END_TEST

/* reply-channel:pooled-stale reads a stale answer whenever an abandoned
 * channel is reused (about a fifth of the seeds). */
START_TEST(pooled_stale)
{
	check_broken("reply-channel", "pooled-stale", NULL);
	check_share("reply-channel", "pooled-stale", NULL, 10, 40);
}
END_TEST

/* reply-channel:worker-closes panics whenever a closed channel is reused. */
START_TEST(worker_closes)
{
	check_broken("reply-channel", "worker-closes", NULL);
	check_share("reply-channel", "worker-closes", NULL, 60, 100);
}
END_TEST

/* The two new broken variants have their lesson and one MISTAKE marker each
 * in C and Go (the older variants' markers belong to the runs-that-teach
 * work, so check_lessons is not used on the whole pattern). */
START_TEST(lessons)
{
	const struct pattern *p = pattern_find("reply-channel");
	ck_assert_ptr_nonnull(p);
	const struct cl_embedded *c = embedded(p->source), *go = embedded(p->go_source);
	ck_assert(c && go);
	static const char *const names[] = {"pooled-stale", "worker-closes"};
	for (int i = 0; i < 2; i++) {
		const struct pattern_variant *v = pattern_variant_find(p, names[i]);
		ck_assert_ptr_nonnull(v);
		ck_assert(v->lesson && strlen(v->lesson) > 20);
		char c_mark[64], go_mark[64];
		snprintf(c_mark, sizeof c_mark, "/* MISTAKE(%s):", names[i]);
		snprintf(go_mark, sizeof go_mark, "// MISTAKE(%s):", names[i]);
		const char *at = strstr(c->data, c_mark);
		ck_assert_msg(at && !strstr(at + 1, c_mark), "%s: want one '%s'", p->source, c_mark);
		at = strstr(go->data, go_mark);
		ck_assert_msg(at && !strstr(at + 1, go_mark), "%s: want one '%s'", p->go_source, go_mark);
	}
}
END_TEST

Suite *suite_reply_channel_pooled(void)
{
	Suite *s = suite_create("reply-channel-pooled");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 1200);
	tcase_add_test(tc, pooled);
	tcase_add_test(tc, pooled_stale);
	tcase_add_test(tc, worker_closes);
	tcase_add_test(tc, lessons);
	suite_add_tcase(s, tc);
	return s;
}
