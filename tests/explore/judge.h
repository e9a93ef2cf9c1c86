/*
 * judge.h - what the explore suites share: a pattern variant as an
 * explorer program, judged as `chanlab explore` judges it (a correct
 * variant breaks its promise on any failure; a broken one "breaks" when it
 * shows the failure it declares).
 */
#ifndef CHANLAB_TESTS_EXPLORE_JUDGE_H
#define CHANLAB_TESTS_EXPLORE_JUDGE_H

#include "explore/explore.h"
#include "patterns/registry.h"

struct pattern_prog {
	struct pattern_run *run;
	struct ex_program prog;
	char identity[256];
	bool declares_ok;
};

/* PATTERN:VARIANT with "name", "value" parameter pairs ending in NULL. */
void pattern_prog_open(struct pattern_prog *pp, const char *pattern, const char *variant,
                       const char *const *params);
void pattern_prog_close(struct pattern_prog *pp);
/* The judge; ctx is the struct pattern_prog. */
enum ex_judgement pattern_judge(void *ctx, const struct cl_result *res, struct ex_failure *key);

#endif
