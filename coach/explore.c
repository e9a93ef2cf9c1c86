/*
 * explore.c - coach_explore and coach_replay over plain cl_run calls (see
 * explore.h): random schedules with seeds 1..R, then PCT schedules with
 * seeds 1..P.  A schedule is named "random:SEED" or "pct:DEPTH:STEPS:SEED"
 * (STEPS is PCT's expected step count, measured once by a random run, so
 * the replay places the same change points).
 *
 * Shrinking, until explore/ provides the real one: after the first failure
 * the next bounds->shrink schedules of the same strategy are run too, and
 * the failure of the same kind with the fewest steps is the one reported.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach/explore.h"

static void config_for(const struct coach_program *prog, uint64_t max_steps,
                       struct cl_config *cfg)
{
	cl_config_init(cfg);
	if (prog->stack_size)
		cfg->stack_size = prog->stack_size;
	if (max_steps)
		cfg->max_steps = max_steps;
	if (prog->max_time)
		cfg->max_time = prog->max_time;
	cfg->interrupt = prog->interrupt;
}

/* One schedule; *failed and the report's kind/why filled by the promise. */
static int run_one(const struct coach_program *prog, const struct coach_promise *promise,
                   struct cl_config *cfg, const struct cl_sink *extra, int nextra,
                   struct cl_result *r, char *kind, size_t ksize, char *why, size_t wsize,
                   bool *failed)
{
	const struct cl_sink *sinks = NULL;
	int nsinks = 0;
	if (prog->before)
		prog->before(prog->ctx, &sinks, &nsinks);
	struct cl_sink all[16];
	int n = 0;
	for (int i = 0; i < nsinks && n < 16; i++)
		all[n++] = sinks[i];
	for (int i = 0; i < nextra && n < 16; i++)
		all[n++] = extra[i];
	cfg->sinks = n ? all : NULL;
	cfg->nsinks = n;
	memset(r, 0, sizeof *r);
	if (cl_run(prog->main_fn, prog->arg, cfg, r) != 0)
		return -1;
	*failed = promise ? promise->failed(promise->ctx, r, kind, ksize, why, wsize) : false;
	return 0;
}

static void name_schedule(char *buf, size_t size, enum cl_strategy s, int depth,
                          uint64_t steps, uint64_t seed)
{
	if (s == CL_STRATEGY_PCT)
		snprintf(buf, size, "pct:%d:%" PRIu64 ":%" PRIu64, depth, steps, seed);
	else
		snprintf(buf, size, "random:%" PRIu64, seed);
}

int coach_explore(const struct coach_program *prog, const struct coach_promise *promise,
                  const struct coach_bounds *b, coach_progress_fn progress, void *pctx,
                  struct coach_explore_report *rep)
{
	memset(rep, 0, sizeof *rep);
	long total = b->random + b->pct;
	uint64_t pct_steps = 0;
	struct cl_config cfg;
	struct cl_result r;
	char kind[16], why[512];

	for (int phase = 0; phase < 2; phase++) {
		enum cl_strategy strat = phase == 0 ? CL_STRATEGY_RANDOM : CL_STRATEGY_PCT;
		long count = phase == 0 ? b->random : b->pct;
		long shrink_left = -1;    /* -1: no failure yet */
		for (long i = 0; i < count; i++) {
			if (prog->interrupt && *prog->interrupt) {
				rep->interrupted = true;
				return 0;
			}
			config_for(prog, b->max_steps, &cfg);
			cfg.strategy = strat;
			cfg.seed = (uint64_t)i + 1;
			if (strat == CL_STRATEGY_PCT) {
				cfg.pct_depth = b->pct_depth > 0 ? b->pct_depth : 3;
				cfg.pct_steps = pct_steps ? pct_steps : 1;
			}
			if (progress) {
				char name[64];
				name_schedule(name, sizeof name, strat, cfg.pct_depth, cfg.pct_steps, cfg.seed);
				progress(pctx, name, rep->schedules, total);
			}
			bool failed = false;
			if (run_one(prog, promise, &cfg, NULL, 0, &r, kind, sizeof kind, why,
			            sizeof why, &failed) != 0) {
				snprintf(rep->why, sizeof rep->why, "%s",
				         r.report ? r.report : "the runtime could not start");
				cl_result_free(&r);
				return -1;
			}
			rep->schedules++;
			if (strat == CL_STRATEGY_PCT)
				rep->pct++;
			else
				rep->random++;
			if (strat == CL_STRATEGY_RANDOM && i == 0)
				pct_steps = r.contended_steps ? r.contended_steps : 1;
			/* Keep the shortest failure of the first failure's kind. */
			if (failed && (!rep->failed ||
			               (strcmp(kind, rep->kind) == 0 && r.steps < rep->steps))) {
				rep->failed = true;
				snprintf(rep->kind, sizeof rep->kind, "%s", kind);
				snprintf(rep->why, sizeof rep->why, "%s", why);
				rep->steps = r.steps;
				name_schedule(rep->schedule, sizeof rep->schedule, strat, cfg.pct_depth,
				              cfg.pct_steps, cfg.seed);
				free(rep->report);
				rep->report = r.report ? strdup(r.report) : NULL;
				/* A limit costs a whole step or time budget per schedule:
				 * look less far for a shorter one. */
				if (shrink_left < 0)
					shrink_left = strcmp(kind, "limit") ? b->shrink : b->shrink / 10;
			}
			cl_result_free(&r);
			if (shrink_left >= 0 && shrink_left-- == 0)
				break;
		}
		if (rep->failed)
			return 0;
	}
	return 0;
}

/* Parses "random:SEED" or "pct:DEPTH:STEPS:SEED" into cfg. */
static int parse_schedule(const char *s, struct cl_config *cfg)
{
	uint64_t seed, steps;
	int depth, used = 0;
	if (sscanf(s, "random:%" SCNu64 "%n", &seed, &used) == 1 && s[used] == '\0') {
		cfg->strategy = CL_STRATEGY_RANDOM;
		cfg->seed = seed;
		return 0;
	}
	if (sscanf(s, "pct:%d:%" SCNu64 ":%" SCNu64 "%n", &depth, &steps, &seed, &used) == 3 &&
	    s[used] == '\0' && depth > 0 && steps > 0) {
		cfg->strategy = CL_STRATEGY_PCT;
		cfg->pct_depth = depth;
		cfg->pct_steps = steps;
		cfg->seed = seed;
		return 0;
	}
	return -1;
}

int coach_replay(const struct coach_program *prog, const char *schedule,
                 const struct cl_sink *extra, int nextra, struct cl_result *result)
{
	struct cl_config cfg;
	config_for(prog, prog->max_steps, &cfg);
	if (parse_schedule(schedule, &cfg) != 0)
		return -1;
	char kind[16], why[8];
	bool failed;
	return run_one(prog, NULL, &cfg, extra, nextra, result, kind, sizeof kind, why,
	               sizeof why, &failed);
}

void coach_explore_report_free(struct coach_explore_report *report)
{
	free(report->report);
	report->report = NULL;
}
