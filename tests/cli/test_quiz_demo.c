/*
 * test_quiz_demo.c - the quiz's :demo (cmd/quiz_demo.c) over the shipped
 * bank: every question whose demo is a broken variant shows that variant's
 * mistake at the seed :demo uses, and the questions about a mistake run a
 * variant that makes it rather than the correct one.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/quiz_bank.h"
#include "cmd/quiz_demo.h"
#include "patterns/registry.h"
#include "tests/testlib.h"

/* Questions that ask what goes wrong in some code: their :demo must run a
 * broken variant (a correct run would show nothing of what they ask). */
static const char *const mistake_questions[] = {
	"channels.merge-two",
	"concurrency-design.shutdown-cancelled-ctx",
	"context.worker-loop",
	"pub-sub.unsubscribe-race-code",
	"reply-channels.pooled-reply-stale",
	"shutdown.push-after-drain",
	"goroutine-code-reading.timeout-leak-fix",
	"timeouts.hedged-buffered-results",
	"pub-sub.nonblocking-fanout",
	"select-priority.cancel-vs-job-code",
	"pipelines.wordcount-add-inside",
	NULL,
};

static bool is_mistake_question(const char *id)
{
	for (const char *const *m = mistake_questions; *m; m++)
		if (strcmp(*m, id) == 0)
			return true;
	return false;
}

/* True if the link "pattern:variant" names a par-only pattern: its run
 * shows real threads on this machine's cores, so whether it shows its
 * mistake depends on the machine's load, not on a seed. */
static bool par_only_link(const char *link)
{
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)strcspn(link, ":"), link);
	const struct pattern *p = pattern_find(name);
	return p && p->sched == PATTERN_SCHED_PAR;
}

/* Every linked demo runs; a broken variant shows its mistake at the demo
 * seed (a clean demo is reported with the question's id). */
START_TEST(test_every_demo_shows_its_mistake)
{
	if (test_heavy_skipped("every quiz demo"))
		return;
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	ck_assert_int_eq(cmd_quiz_load_shipped(&b, &d), 0);
	FILE *null = fopen("/dev/null", "w");
	ck_assert_ptr_nonnull(null);
	size_t linked = 0, broken = 0, mistakes = 0;
	char clean[4000] = "";
	for (size_t i = 0; i < b.count; i++) {
		const struct quiz_question *q = &b.questions[i];
		if (!q->npatterns) {
			ck_assert_msg(!is_mistake_question(q->id), "%s links no demo", q->id);
			continue;
		}
		struct cmd_quiz_demo demo;
		char err[300];
		ck_assert_msg(cmd_quiz_demo_run(q->patterns[0], null, null, false, 0, &demo, err,
		                                sizeof err) == 0, "%s: %s", q->id, err);
		linked++;
		if (is_mistake_question(q->id)) {
			mistakes++;
			ck_assert_msg(demo.broken, "%s asks about a mistake but its demo %s is correct", q->id,
			              q->patterns[0]);
		}
		if (par_only_link(q->patterns[0]))
			continue;
		if (!demo.broken) {
			ck_assert_msg(demo.showed, "%s: the correct demo %s failed (%s)", q->id,
			              q->patterns[0], demo.outcome);
			continue;
		}
		broken++;
		if (!demo.showed) {
			size_t len = strlen(clean);
			snprintf(clean + len, sizeof clean - len, " %s (%s)", q->id, q->patterns[0]);
		}
	}
	fclose(null);
	ck_assert_msg(!clean[0], "demos of broken variants that ran clean:%s", clean);
	ck_assert_uint_eq(mistakes, sizeof mistake_questions / sizeof *mistake_questions - 1);
	ck_assert_uint_ge(linked, 200);
	ck_assert_uint_ge(broken, 100);
	quiz_bank_free(&b);
	quiz_diag_free(&d);
}
END_TEST

/* An unknown link is an error with a message, not a crash or a silent run. */
START_TEST(test_demo_unknown_link)
{
	struct cmd_quiz_demo demo;
	char err[300];
	ck_assert_int_eq(cmd_quiz_demo_run("no-such-pattern", stdout, stdout, false, 0, &demo, err,
	                                   sizeof err), -1);
	ck_assert_str_eq(err, "unknown pattern 'no-such-pattern'");
	ck_assert_int_eq(cmd_quiz_demo_run("fan-in:bogus", stdout, stdout, false, 0, &demo, err,
	                                   sizeof err), -1);
	ck_assert_str_eq(err, "unknown variant 'bogus' of fan-in");
}
END_TEST

Suite *suite_quiz_demo(void)
{
	Suite *s = suite_create("quiz_demo");
	TCase *tc = tcase_create("demo");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_every_demo_shows_its_mistake);
	tcase_add_test(tc, test_demo_unknown_link);
	suite_add_tcase(s, tc);
	return s;
}
