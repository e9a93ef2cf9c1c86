/*
 * quiz_demo.c - :demo for the quiz REPL (quiz_demo.h).  The REPL knows no
 * pattern (quiz/ depends on nothing), so cmd/quiz.c hands it a callback that
 * lands here.  The run is `chanlab run NAME --variant V` at the variant's
 * demo seed, through the same verdict API, so a demo of a broken variant
 * ends with the lesson and the MISTAKE lines rather than only a trace.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/interrupt.h"
#include "cmd/quiz_demo.h"
#include "cmd/verdict.h"
#include "render/render.h"

static int demo_fail(char *err, size_t size, const char *fmt, const char *a, const char *b)
{
	if (size)
		snprintf(err, size, fmt, a, b);
	return -1;
}

int cmd_quiz_demo_run(const char *link, FILE *out, FILE *report, bool color, int width,
                      struct cmd_quiz_demo *d, char *err, size_t err_size)
{
	memset(d, 0, sizeof *d);
	size_t n = strcspn(link, ":");
	snprintf(d->pattern, sizeof d->pattern, "%.*s", (int)(n < 63 ? n : 63), link);
	snprintf(d->variant, sizeof d->variant, "%s", link[n] ? link + n + 1 : "correct");
	const struct pattern *p = pattern_find(d->pattern);
	if (!p)
		return demo_fail(err, err_size, "unknown pattern '%s'%s", d->pattern, "");
	const struct pattern_variant *v = pattern_variant_find(p, d->variant);
	if (!v)
		return demo_fail(err, err_size, "unknown variant '%s' of %s", d->variant, d->pattern);

	struct pattern_run *run = pattern_run_new(p, v);
	struct cl_config cfg;
	cl_config_init(&cfg);
	cfg.seed = v->seed ? v->seed : 1;
	cfg.race = strcmp(v->outcome, "race") == 0;
	cfg.sched = p->sched == PATTERN_SCHED_PAR ? CL_SCHED_PAR : CL_SCHED_DET;
	if (cfg.sched == CL_SCHED_PAR)
		cfg.race = false;
	cmd_interrupt_install();
	cfg.interrupt = (volatile int *)cmd_interrupt_flag();

	struct render_opts ro = {.out = out, .color = color, .width = width};
	struct cl_sink sink = {0};
	char rerr[200];
	if (render_open("text", &ro, &sink, rerr, sizeof rerr) < 0) {
		pattern_run_free(run);
		return demo_fail(err, err_size, "%s%s", rerr, "");
	}
	struct cmd_verdict_sink hold;
	cfg.sinks = cmd_verdict_sink_wrap(&hold, sink);
	cfg.nsinks = 1;

	struct cl_result res;
	pattern_run_reset(run);
	if (cl_run(pattern_entry, run, &cfg, &res) != 0) {
		render_close(&sink);
		pattern_run_free(run);
		demo_fail(err, err_size, "cannot start the runtime: %s%s", res.report ? res.report : "?", "");
		cl_result_free(&res);
		return -1;
	}
	struct cmd_verdict verdict;
	cmd_verdict_make(&verdict, run, &res, &cfg);
	cmd_verdict_sink_finish(&hold, &verdict);
	render_close(&sink);
	fflush(out);
	if (res.report && *res.report) {
		size_t len = strlen(res.report);
		fputs(res.report, report);
		if (res.report[len - 1] != '\n')
			fputc('\n', report);
		fflush(report);
	}
	char explain[400];
	pattern_explain(run, &res, explain, sizeof explain);
	if (*explain)
		fprintf(out, "%s\n", explain);
	cmd_verdict_print(out, &verdict, color);

	d->seed = cfg.seed;
	d->broken = verdict.broken;
	d->showed = verdict.kept;
	d->exit = cmd_interrupted() ? CL_EXIT_INTERRUPTED : verdict.exit;
	snprintf(d->outcome, sizeof d->outcome, "%s", verdict.outcome);
	char args[200], replay[300];
	snprintf(replay, sizeof replay, "chanlab run %s %s --seed %" PRIu64, p->name,
	         pattern_replay_args(run, args, sizeof args), cfg.seed);
	if (cmd_interrupted())
		snprintf(d->summary, sizeof d->summary, "%s %s was interrupted", p->name, v->name);
	else if (d->broken && d->showed)
		snprintf(d->summary, sizeof d->summary, "%s %s showed its mistake (%s) at seed %" PRIu64
		         "; replay: %s", p->name, v->name, v->outcome, cfg.seed, replay);
	else if (d->broken)
		snprintf(d->summary, sizeof d->summary, "%s %s ran clean at seed %" PRIu64
		         ": its mistake (%s) did not show; %s", p->name, v->name, cfg.seed, v->outcome,
		         verdict.explore);
	else if (d->showed)
		snprintf(d->summary, sizeof d->summary, "%s %s ran as it should (ok); replay: %s",
		         p->name, v->name, replay);
	else
		snprintf(d->summary, sizeof d->summary, "%s %s ended %s, which it should not: %s",
		         p->name, v->name, verdict.outcome, replay);
	cl_result_free(&res);
	pattern_run_free(run);
	return 0;
}
