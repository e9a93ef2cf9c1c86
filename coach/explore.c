/*
 * explore.c - coach_explore and coach_replay on the explorer library (see
 * explore.h): exhaustive search up to the preemption bound, then PCT, then
 * random schedules, each phase one ex_explore call; the first failure is
 * shrunk with ex_shrink and replayed once more, so what the verdict says
 * (its words, the runtime's report, the step count) is what the shrunk
 * schedule does.
 *
 * The harness's promise becomes explore's judge.  "The same failure" that
 * shrinking keeps is the check's kind and, for a result or event check,
 * the assertion's words with the numbers blanked ("every value comes out
 * (# of #)"), since a shorter schedule may fail the same assertion with
 * other counts; for a panic the message, as explore compares it.
 *
 * A limit (a task that never stops) is not shrunk: every candidate would
 * run to the step limit.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach/explore.h"
#include "explore/explore.h"
#include "runtime/schedule.h"

#define MAX_SINKS 16

/* What the explorer's callbacks (run by every schedule) share. */
struct runner {
	const struct coach_program *prog;
	const struct coach_promise *promise;
	coach_progress_fn progress;
	void *pctx;
	const char *phase;             /* "exhaustive", "pct", "random", "shrink", "replay" */
	long phase_runs;               /* runs started in this phase */
	long done, total;              /* schedules before this phase; the planned total */
	uint64_t seed;                 /* pct/random: the phase's first seed */
	int pct_depth;
	uint64_t pct_steps;
	int bound;                     /* exhaustive: the pass's preemption bound */
	struct cl_sink sinks[MAX_SINKS];
	int nsinks;
};

static void runner_main(void *arg)
{
	struct runner *r = arg;
	r->prog->main_fn(r->prog->arg);
}

/* explore's reset: before each run, the harness's state is reset and the
 * schedule named on the report pipe (a crash is pinned on it). */
static void runner_reset(void *arg)
{
	struct runner *r = arg;
	if (r->prog->before) {
		const struct cl_sink *s = NULL;
		int n = 0;
		r->prog->before(r->prog->ctx, &s, &n);
	}
	if (r->progress) {
		char name[96];
		if (strcmp(r->phase, "pct") == 0)
			snprintf(name, sizeof name, "pct:%d:%" PRIu64 ":%" PRIu64, r->pct_depth,
			         r->pct_steps, r->seed + (uint64_t)r->phase_runs);
		else if (strcmp(r->phase, "random") == 0)
			snprintf(name, sizeof name, "random:%" PRIu64, r->seed + (uint64_t)r->phase_runs);
		else if (strcmp(r->phase, "exhaustive") == 0)
			snprintf(name, sizeof name, "exhaustive-k%d-%ld", r->bound, r->phase_runs + 1);
		else
			snprintf(name, sizeof name, "%s-%ld", r->phase, r->phase_runs + 1);
		r->progress(r->pctx, name, r->done + r->phase_runs, r->total);
	}
	r->phase_runs++;
}

/* Copies text into out with every run of digits as one '#'. */
static void blank_numbers(const char *text, char *out, size_t size)
{
	size_t j = 0;
	for (const char *p = text; *p && j + 1 < size; p++) {
		if (*p >= '0' && *p <= '9') {
			if (j == 0 || out[j - 1] != '#')
				out[j++] = '#';
		} else {
			out[j++] = *p;
		}
	}
	out[j] = '\0';
}

static enum ex_judgement judge(void *ctx, const struct cl_result *res, struct ex_failure *key)
{
	struct runner *r = ctx;
	char kind[16], why[512];
	if (!r->promise->failed(r->promise->ctx, res, kind, sizeof kind, why, sizeof why))
		return EX_KEPT;
	memset(key, 0, sizeof *key);
	snprintf(key->kind, sizeof key->kind, "%s", kind);
	if (strcmp(kind, "result") == 0 || strcmp(kind, "event") == 0) {
		key->outcome = CL_OUTCOME_OK;
		blank_numbers(why, key->name, sizeof key->name);
	} else {
		key->outcome = res->outcome;
		if (res->outcome == CL_OUTCOME_PANIC)
			snprintf(key->panic_msg, sizeof key->panic_msg, "%s", res->panic_msg);
	}
	return EX_BROKEN;
}

static void base_options(const struct runner *r, const struct coach_bounds *b,
                         struct ex_options *opt)
{
	ex_options_init(opt);
	opt->race = !b->no_race;
	opt->shrink = false;   /* below, when the failure is worth it */
	/* The exercise's test.c sets the stack size, not the student. */
	opt->stack_advice = "a recursion that never ends, or a large local array?";
	opt->record_runs = true;   /* a crash names its run's schedule (coach/crash.c) */
	opt->max_steps = b->max_steps;
	opt->stack_size = r->prog->stack_size;
	opt->max_time = r->prog->max_time;
	opt->interrupt = r->prog->interrupt;
	opt->sinks = r->nsinks ? r->sinks : NULL;
	opt->nsinks = r->nsinks;
	opt->pct_depth = b->pct_depth > 0 ? b->pct_depth : 3;
}

/* The checker's name of a schedule: strategy and seed, then the string. */
static char *schedule_name(enum ex_strategy strategy, int depth, uint64_t steps, uint64_t seed,
                           const char *schedule)
{
	size_t n = strlen(schedule) + 96;
	char *s = malloc(n);
	if (!s)
		abort();
	if (strategy == EX_PCT)
		snprintf(s, n, "pct:%d:%" PRIu64 ":%" PRIu64 ":%s", depth, steps, seed, schedule);
	else
		snprintf(s, n, "random:%" PRIu64 ":%s", seed, schedule);
	return s;
}

/* Reads a checker's schedule name: strategy, depth, steps, seed, and where
 * the schedule string starts (NULL for the seed-only forms). */
static int parse_name(const char *s, enum ex_strategy *strategy, int *depth, uint64_t *steps,
                      uint64_t *seed, const char **schedule)
{
	int used = 0;
	*schedule = NULL;
	*depth = 0;
	*steps = 0;
	if (sscanf(s, "random:%" SCNu64 "%n", seed, &used) == 1) {
		*strategy = EX_RANDOM;
	} else if (sscanf(s, "pct:%d:%" SCNu64 ":%" SCNu64 "%n", depth, steps, seed, &used) == 3 &&
	           *depth > 0 && *steps > 0) {
		*strategy = EX_PCT;
	} else {
		return -1;
	}
	if (s[used] == '\0')
		return 0;
	if (s[used] != ':' || s[used + 1] != 'S')
		return -1;
	*schedule = s + used + 1;
	return 0;
}

static void runner_init(struct runner *r, const struct coach_program *prog,
                        const struct coach_promise *promise)
{
	memset(r, 0, sizeof *r);
	r->prog = prog;
	r->promise = promise;
	r->phase = "replay";
	if (prog->before) {
		const struct cl_sink *s = NULL;
		int n = 0;
		prog->before(prog->ctx, &s, &n);
		for (int i = 0; i < n && r->nsinks < MAX_SINKS; i++)
			r->sinks[r->nsinks++] = s[i];
	}
}

/* One run of a named schedule under cfg's sinks. */
static int replay_named(struct runner *r, const char *name, const struct coach_bounds *b,
                        const struct cl_sink *extra, int nextra, struct cl_result *res,
                        char *err, size_t err_size)
{
	enum ex_strategy strategy;
	int depth;
	uint64_t steps, seed;
	const char *schedule;
	if (parse_name(name, &strategy, &depth, &steps, &seed, &schedule) != 0) {
		snprintf(err, err_size, "'%.60s' is not a schedule (random:SEED:S1-..., or "
		         "pct:DEPTH:STEPS:SEED:S1-...)", name);
		return -1;
	}
	struct ex_options opt;
	base_options(r, b, &opt);
	if (strategy == EX_PCT) {
		opt.pct_depth = depth;
		opt.pct_steps = steps;
	}
	struct cl_sink all[MAX_SINKS * 2];
	int n = 0;
	for (int i = 0; i < r->nsinks; i++)
		all[n++] = r->sinks[i];
	for (int i = 0; i < nextra && n < MAX_SINKS * 2; i++)
		all[n++] = extra[i];
	opt.sinks = n ? all : NULL;
	opt.nsinks = n;
	struct cl_config cfg;
	ex_config(&opt, seed, strategy, &cfg);
	struct ex_program p = {runner_main, r, runner_reset, r->prog->identity};
	int rc;
	/* Recorded with its hash, so a crash in the replay is reported with
	 * the decisions up to it (coach/crash.c), as in the search. */
	struct cl_schedule rec;
	cl_schedule_init(&rec);
	rec.hash = ex_schedule_hash(r->prog->identity, seed, strategy, depth);
	cfg.record = &rec;
	if (!schedule) {
		runner_reset(r);
		rc = cl_run(p.main_fn, p.arg, &cfg, res);
	} else {
		rc = ex_replay(&p, schedule, rec.hash, &cfg, res);
		if (rc != 0) {
			cl_schedule_free(&rec);
			snprintf(err, err_size, "%s", res->report ? res->report : "a bad schedule");
			cl_result_free(res);
			return -1;
		}
	}
	cl_schedule_free(&rec);
	if (rc != 0) {
		snprintf(err, err_size, "cannot start the runtime: %s", res->report ? res->report : "?");
		cl_result_free(res);
		return -1;
	}
	if (res->schedule_refused) {
		snprintf(err, err_size, "the schedule does not fit this program: its decision %" PRIu64
		         " names a task that cannot run there", res->schedule_refused);
		cl_result_free(res);
		return -1;
	}
	return 0;
}

/* One phase: an ex_explore of strategy over the bounds; the counts go into
 * rep.  Returns 0 or -1 (rep->why set), and the result in *res. */
static int phase(struct runner *r, const struct coach_bounds *b, enum ex_strategy strategy,
                 int bound, long runs, uint64_t pct_steps, struct ex_result *res,
                 struct coach_explore_report *rep)
{
	struct ex_options opt;
	base_options(r, b, &opt);
	opt.strategy = strategy;
	opt.runs = runs;
	opt.seed = 1;
	opt.pct_steps = pct_steps;
	if (strategy == EX_EXHAUSTIVE) {
		opt.preemptions = bound;
		opt.latency_seeds = b->latency_seeds > 0 ? b->latency_seeds : 1;
	}
	r->phase = strategy == EX_EXHAUSTIVE ? "exhaustive" : strategy == EX_PCT ? "pct" : "random";
	r->phase_runs = 0;
	r->seed = 1;
	r->bound = bound;
	r->pct_depth = opt.pct_depth;
	r->pct_steps = pct_steps;
	struct ex_program p = {runner_main, r, runner_reset, r->prog->identity};
	if (ex_explore(&p, judge, r, &opt, res) != 0) {
		snprintf(rep->why, sizeof rep->why, "%s", res->error);
		return -1;
	}
	rep->schedules += res->runs;
	if (strategy == EX_EXHAUSTIVE) {
		rep->exhaustive_runs += res->runs;
		rep->exhaustive = res->runs;
		rep->exhaustive_bound = bound;
		rep->exhaustive_complete = res->complete && bound == b->preemptions;
		rep->latency_seeds = res->latency_seeds_done;
		if (res->complete) {
			rep->complete_bound = bound;
			rep->complete_count = res->runs;
		}
	} else if (strategy == EX_PCT) {
		rep->pct = res->runs;
	} else {
		rep->random = res->runs;
	}
	r->done += res->runs;
	return 0;
}

/* PCT places its change points among the steps it expects: one random
 * run (seed 1) counts them, as explore does when it is not told. */
static int measure_pct_steps(struct runner *r, const struct coach_bounds *b, uint64_t *steps,
                             struct coach_explore_report *rep)
{
	struct ex_options opt;
	base_options(r, b, &opt);
	struct cl_config cfg;
	ex_config(&opt, 1, EX_RANDOM, &cfg);
	struct cl_result res;
	r->phase = "random";    /* it is random:1, by that name if it crashes */
	r->phase_runs = 0;
	r->seed = 1;
	runner_reset(r);
	if (cl_run(runner_main, r, &cfg, &res) != 0) {
		snprintf(rep->why, sizeof rep->why, "cannot start the runtime: %s",
		         res.report ? res.report : "?");
		cl_result_free(&res);
		return -1;
	}
	*steps = res.contended_steps ? res.contended_steps : 1;
	cl_result_free(&res);
	return 0;
}

/* The failure found (found, or the interrupted run's schedule): shrink it
 * unless it is a limit, then replay the schedule reported for its words. */
static int report_failure(struct runner *r, const struct coach_bounds *b, struct ex_result *res,
                          enum ex_strategy strategy, uint64_t pct_steps,
                          struct coach_explore_report *rep)
{
	struct ex_options opt;
	base_options(r, b, &opt);
	opt.pct_steps = pct_steps;
	enum ex_strategy replay_strategy = strategy == EX_PCT ? EX_PCT : EX_RANDOM;
	uint64_t seed;
	const char *schedule;
	if (res->first.set) {
		seed = res->first.seed;
		schedule = res->first.schedule;
		rep->from_decisions = rep->to_decisions = res->first.decisions;
		rep->from_preemptions = rep->to_preemptions = res->first.preemptions;
	} else {
		seed = res->current_seed;
		schedule = res->current;
	}
	if (!schedule) {
		snprintf(rep->why, sizeof rep->why, "out of memory");
		return -1;
	}
	char *shrunk = NULL;
	if (res->first.set && r->prog->found) {
		char *name = schedule_name(replay_strategy, opt.pct_depth, pct_steps, seed, schedule);
		r->prog->found(r->prog->ctx, name, res->first.failure.kind);
		free(name);
	}
	if (res->first.set && !b->no_shrink && strcmp(res->first.failure.kind, "limit") != 0) {
		struct ex_shrink_stats st;
		char err[256];
		r->phase = "shrink";
		r->phase_runs = 0;
		struct ex_program p = {runner_main, r, runner_reset, r->prog->identity};
		shrunk = ex_shrink(&p, judge, r, &opt, &res->first, &st, err, sizeof err);
		if (shrunk) {
			rep->shrunk = true;
			rep->from_decisions = st.from_decisions;
			rep->from_preemptions = st.from_preemptions;
			rep->to_decisions = st.to_decisions;
			rep->to_preemptions = st.to_preemptions;
			rep->shrink_runs = st.runs;
		}
	}
	int depth = opt.pct_depth;
	for (int attempt = 0; attempt < 2; attempt++) {
		const char *s = attempt == 0 && shrunk ? shrunk : schedule;
		if (attempt == 1 && s == schedule && !shrunk)
			break;
		char *name = schedule_name(replay_strategy, depth, pct_steps, seed, s);
		struct cl_result rr;
		char err[256];
		r->phase = "replay";
		r->phase_runs = 0;
		if (replay_named(r, name, b, NULL, 0, &rr, err, sizeof err) != 0) {
			free(name);
			continue;
		}
		char kind[16], why[512];
		if (r->promise->failed(r->promise->ctx, &rr, kind, sizeof kind, why, sizeof why)) {
			rep->failed = true;
			free(rep->schedule);
			rep->schedule = name;
			snprintf(rep->kind, sizeof rep->kind, "%s", kind);
			snprintf(rep->why, sizeof rep->why, "%s", why);
			rep->steps = rr.steps;
			free(rep->report);
			rep->report = rr.report ? strdup(rr.report) : NULL;
			cl_result_free(&rr);
			break;
		}
		/* The shrunk schedule did not fail again: report the one found. */
		rep->shrunk = false;
		free(name);
		cl_result_free(&rr);
	}
	free(shrunk);
	if (!rep->failed) {
		/* Not reproducible by replay (should not happen): still a failure. */
		rep->failed = true;
		rep->schedule = schedule_name(replay_strategy, depth, pct_steps, seed, schedule);
		snprintf(rep->kind, sizeof rep->kind, "%s",
		         res->first.set ? res->first.failure.kind : "limit");
		snprintf(rep->why, sizeof rep->why, "the failure did not repeat when replayed "
		         "(does the code read the clock or an uninitialised variable?)");
	}
	return 0;
}

int coach_explore(const struct coach_program *prog, const struct coach_promise *promise,
                  const struct coach_bounds *b, coach_progress_fn progress, void *pctx,
                  struct coach_explore_report *rep)
{
	memset(rep, 0, sizeof *rep);
	struct runner r;
	runner_init(&r, prog, promise);
	r.progress = progress;
	r.pctx = pctx;
	long cap = b->exhaustive_cap > 0 ? b->exhaustive_cap : 20000;
	if (b->preemptions < 0)
		cap = 0;
	r.total = cap + b->pct + b->random;
	uint64_t pct_steps = 0;
	if (b->pct > 0 && measure_pct_steps(&r, b, &pct_steps, rep) != 0)
		return -1;
	/* Iterative context bounding, as CHESS does: every schedule with no
	 * preemption, then with at most 1, ... up to the bound, so a cap spent
	 * deep in the last tree never hides a failure with fewer preemptions. */
	rep->complete_bound = -1;
	enum { MAX_PHASES = 64 };
	struct phase_plan {
		enum ex_strategy strategy;
		int bound;
	} phases[MAX_PHASES];
	int nphases = 0;
	for (int k = 0; k <= b->preemptions && nphases < MAX_PHASES - 2; k++)
		phases[nphases++] = (struct phase_plan){EX_EXHAUSTIVE, k};
	phases[nphases++] = (struct phase_plan){EX_PCT, 0};
	phases[nphases++] = (struct phase_plan){EX_RANDOM, 0};
	for (int i = 0; i < nphases; i++) {
		long runs = phases[i].strategy == EX_EXHAUSTIVE ? cap - rep->exhaustive_runs
		            : phases[i].strategy == EX_PCT ? b->pct : b->random;
		if (runs <= 0)
			continue;
		if (phases[i].strategy == EX_PCT)
			r.total = r.done + b->pct + b->random;
		struct ex_result res;
		int rc = phase(&r, b, phases[i].strategy, phases[i].bound, runs, pct_steps, &res, rep);
		if (rc == 0 && (res.first.set || res.interrupted)) {
			/* A stop asked for by the harness (its task cap) is a failure of
			 * that run; anything else stopping us is an interruption. */
			if (res.first.set || (res.current && prog->interrupt && *prog->interrupt)) {
				snprintf(rep->found_phase, sizeof rep->found_phase, "%s",
				         phases[i].strategy == EX_EXHAUSTIVE ? "exhaustive"
				         : phases[i].strategy == EX_PCT ? "pct" : "random");
				rep->found_index = res.first.set ? res.first.index + 1 : res.runs + 1;
				rep->found_bound = phases[i].bound;
				rep->found_seed = res.first.set ? res.first.seed : res.current_seed;
				rc = report_failure(&r, b, &res, phases[i].strategy, pct_steps, rep);
			}
			else
				rep->interrupted = true;
		}
		ex_result_free(&res);
		if (rc != 0)
			return -1;
		if (rep->failed || rep->interrupted)
			return 0;
		/* A bound whose tree did not fit in the cap: the larger ones will not. */
		if (phases[i].strategy == EX_EXHAUSTIVE && rep->complete_bound < phases[i].bound)
			while (i + 1 < nphases && phases[i + 1].strategy == EX_EXHAUSTIVE)
				i++;
	}
	return 0;
}

int coach_replay(const struct coach_program *prog, const char *schedule,
                 const struct cl_sink *extra, int nextra, struct cl_result *result,
                 char *err, size_t err_size)
{
	struct runner r;
	runner_init(&r, prog, NULL);
	struct coach_bounds b = {.max_steps = prog->max_steps, .no_race = !prog->race};
	return replay_named(&r, schedule, &b, extra, nextra, result, err, err_size);
}

void coach_explore_report_free(struct coach_explore_report *report)
{
	free(report->report);
	free(report->schedule);
	report->report = report->schedule = NULL;
}
