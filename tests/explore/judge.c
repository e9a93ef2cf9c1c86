/* judge.c - a pattern variant as an explorer program for the suites (judge.h). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "tests/explore/judge.h"

static void reset(void *arg)
{
	pattern_run_reset(arg);
}

void pattern_prog_open(struct pattern_prog *pp, const char *pattern, const char *variant,
                       const char *const *params)
{
	memset(pp, 0, sizeof *pp);
	const struct pattern *p = pattern_find(pattern);
	ck_assert_msg(p != NULL, "no pattern %s", pattern);
	const struct pattern_variant *v = pattern_variant_find(p, variant);
	ck_assert_msg(v != NULL, "no variant %s:%s", pattern, variant);
	pp->run = pattern_run_new(p, v);
	char err[256], args[200];
	for (int i = 0; params && params[i]; i += 2)
		ck_assert_msg(pattern_run_set(pp->run, params[i], params[i + 1], err, sizeof err) == 0,
		              "%s", err);
	snprintf(pp->identity, sizeof pp->identity, "%s %s", pattern,
	         pattern_replay_args(pp->run, args, sizeof args));
	pp->prog = (struct ex_program){pattern_entry, pp->run, reset, pp->identity};
	pp->declares_ok = strcmp(v->outcome, "ok") == 0;
}

void pattern_prog_close(struct pattern_prog *pp)
{
	pattern_run_free(pp->run);
	pp->run = NULL;
}

enum ex_judgement pattern_judge(void *ctx, const struct cl_result *res, struct ex_failure *key)
{
	struct pattern_prog *pp = ctx;
	enum pattern_verdict verdict = pattern_verdict(pp->run, res);
	if (verdict == PATTERN_VERDICT_OK)
		return EX_KEPT;
	key->outcome = res->outcome;
	snprintf(key->kind, sizeof key->kind, "%s", pattern_verdict_name(verdict));
	if (verdict == PATTERN_VERDICT_INVARIANT)
		snprintf(key->name, sizeof key->name, "%s", pp->run->fail_name);
	if (verdict == PATTERN_VERDICT_PANIC)
		snprintf(key->panic_msg, sizeof key->panic_msg, "%s", res->panic_msg);
	if (pp->declares_ok || pattern_promise_kept(pp->run, res))
		return EX_BROKEN;
	return EX_ASIDE;
}
