/*
 * explore.c - the 'explore' subcommand: runs a variant under many schedules
 * through the explorer (explore/explore.h) and checks the outcome it
 * declares.  A correct variant stops at the first schedule in which
 * anything goes wrong (panic, deadlock, leak, invariant, metric, limit,
 * race): its promise is broken.  A broken variant goes on until a schedule
 * shows the failure it declares: explore found the mistake.  Strategies:
 * random and PCT by seed, or exhaustive (every schedule with at most K
 * preemptions, for latency seeds 1..S).  For what it found it prints the
 * seed command (random, PCT) and the schedule command that replay it, then
 * shrinks the schedule to the fewest preemptions and decisions that fail
 * the same way and prints its command and its trace; exit 6.  Exit 0 when
 * every schedule kept the promise; 130 on Ctrl-C, after the summary so far
 * and the command that replays the schedule it was on.  Progress on stderr
 * (a terminal only, after a second).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/interrupt.h"
#include "cmd/outfile.h"
#include "cmd/runopts.h"
#include "cmd/schedule_opt.h"
#include "explore/explore.h"
#include "render/render.h"

static void usage(FILE *out)
{
	char list[PATTERN_NAMES_SIZE];
	fprintf(out,
	        "usage: chanlab explore PATTERN [--variant V] [--runs N]\n"
	        "                       [--strategy random|pct|exhaustive] [--depth D]\n"
	        "                       [--seed FIRST]\n"
	        "                       [--preemptions K] [--latency-seeds S] [--no-shrink]\n"
	        "                       [--no-prune] [--parallel N] [--json]\n"
	        "                       [--html FILE]\n"
	        "                       [--max-steps N] [--PARAM VALUE ...]\n"
	        "\n"
	        "Runs schedules of a variant (tracing off) and checks the outcome it declares.\n"
	        "A correct variant stops at the first schedule where anything goes wrong (panic,\n"
	        "deadlock, leak, invariant or metric failure, limit); a broken variant goes on\n"
	        "until a schedule shows the failure it declares.  Explore says what happened,\n"
	        "prints the 'chanlab run' commands that replay that schedule (by seed and by\n"
	        "schedule string), shrinks it to the fewest preemptions and decisions that fail\n"
	        "the same way, and prints the shrunk schedule's command and trace.\n"
	        "\n"
	        "options:\n"
	        "  --variant V        the variant to explore (default correct)\n"
	        "  --runs N           schedules to run (default 1000; exhaustive: the cap,\n"
	        "                     default 100000)\n"
	        "  --strategy S       random (default), pct, or exhaustive: every schedule\n"
	        "                     with at most K preemptions (a switch away from a task\n"
	        "                     that could have gone on), by depth-first search\n"
	        "  --depth D          PCT's depth (default 3)\n"
	        "  --seed FIRST       the first schedule's seed (default 1); then FIRST+1, ...\n"
	        "  --preemptions K    exhaustive: the bound (default 2)\n"
	        "  --latency-seeds S  exhaustive: explore under seeds 1..S, which fix the\n"
	        "                     pattern's simulated latencies (default 10)\n"
	        "  --no-shrink        report the first failing schedule as found\n"
	        "  --no-prune         exhaustive: also run schedules that only reorder steps\n"
	        "                     that commute (pruned by sleep sets by default)\n"
	        "  --parallel N       random and pct: run the schedules on N processes at\n"
	        "                     once (default: one per CPU); what is found is the same\n"
	        "  --json             print the summary as one JSON object (no trace)\n"
	        "  --html FILE        also write the shrunk failing run as an html player page\n"
	        "  --max-steps N      a schedule longer than N scheduling decisions is a limit\n"
	        "  --stack-size SIZE  bytes of stack per task (16K to 1G, K/M/G suffix;\n"
	        "                     default 256K)\n"
	        "  --PARAM VALUE      a parameter of the pattern, e.g. --workers 8\n"
	        "\n"
	        "exit: 0 every schedule kept the promise, 6 a schedule went wrong (replay it),\n"
	        "      1 the runtime could not start, 64 usage, 130 interrupted\n"
	        "\n");
	cmd_print_list(out, "patterns: ", pattern_names_list(list, sizeof list));
}

/* "1,204" */
static const char *count(char *buf, size_t size, unsigned long long n)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%llu", n), o = 0;
	for (int i = 0; i < len && (size_t)o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

/* ---- the judge: what a run means for the variant's promise --------------------------- */

struct judge {
	struct pattern_run *run;
	bool declares_ok;
};

static void failure_key(const struct pattern_run *run, const struct cl_result *res,
                        enum pattern_verdict verdict, struct ex_failure *key)
{
	key->outcome = res->outcome;
	snprintf(key->kind, sizeof key->kind, "%s", pattern_verdict_name(verdict));
	if (verdict == PATTERN_VERDICT_INVARIANT)
		snprintf(key->name, sizeof key->name, "%s", run->fail_name);
	if (verdict == PATTERN_VERDICT_METRIC)
		for (int i = 0; i < run->nmetrics; i++)
			if (run->metrics[i].has_limit && run->metrics[i].value > run->metrics[i].limit) {
				snprintf(key->name, sizeof key->name, "%s", run->metrics[i].name);
				break;
			}
	if (verdict == PATTERN_VERDICT_PANIC)
		snprintf(key->panic_msg, sizeof key->panic_msg, "%s", res->panic_msg);
}

static enum ex_judgement judge(void *ctx, const struct cl_result *res, struct ex_failure *key)
{
	struct judge *j = ctx;
	enum pattern_verdict verdict = pattern_verdict(j->run, res);
	if (verdict == PATTERN_VERDICT_OK)
		return EX_KEPT;
	failure_key(j->run, res, verdict, key);
	if (j->declares_ok || pattern_promise_kept(j->run, res))
		return EX_BROKEN;
	return EX_ASIDE;
}

static void reset(void *arg)
{
	pattern_run_reset(arg);
}

/* ---- progress on stderr ------------------------------------------------------------- */

struct progress {
	bool tty, shown;
	double start, last;
};

static void progress_cb(void *ctx, const struct ex_progress *p)
{
	struct progress *pg = ctx;
	if (!pg->tty)
		return;
	double now = cmd_now_seconds();
	if (now - pg->start < 1.0 || now - pg->last < 0.1)
		return;
	pg->last = now;
	pg->shown = true;
	if (strcmp(p->phase, "shrink") == 0) {
		fprintf(stderr, "\r\033[Kshrinking: %zu decisions, %d preemptions (%ld candidates)",
		        p->decisions, p->preemptions, p->done);
	} else {
		int width = 40, fill = p->total ? (int)((double)p->done * width / (double)p->total) : 0;
		fprintf(stderr, "\r[%-*.*s] %ld/%ld schedules", width, fill,
		        "########################################", p->done, p->total);
		if (p->latency_seed)
			fprintf(stderr, ", latency seed %d", p->latency_seed);
		fprintf(stderr, ", %.0f/s ", (double)p->done / (now - pg->start));
	}
	fflush(stderr);
}

static void progress_clear(struct progress *pg)
{
	if (pg->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		pg->shown = false;
	}
}

/* ---- reporting ----------------------------------------------------------------------- */

static void first_line(const char *report, char *buf, size_t size)
{
	const char *s = report ? report : "";
	while (*s == '\n')
		s++;
	size_t n = strcspn(s, "\n");
	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), s);
}

/* The replay configuration of a found schedule, as cmd_runopts_config would build it. */
static void found_config(const struct cl_config *base, const struct ex_found *f,
                         struct cl_config *cfg)
{
	*cfg = *base;
	cfg->seed = f->seed;
	cfg->strategy = f->strategy == EX_PCT ? CL_STRATEGY_PCT : CL_STRATEGY_RANDOM;
	cfg->sinks = NULL;
	cfg->nsinks = 0;
	cfg->interrupt = NULL;
}

/* Replays a found schedule once to say what happened there. */
static void describe(struct pattern_run *run, const struct ex_program *prog,
                     const struct cl_config *base, const struct ex_found *f, bool declares_ok,
                     const struct cmd_runopts *o, const char *strategy)
{
	struct cl_config cfg;
	found_config(base, f, &cfg);
	struct cl_result res;
	char explain[400] = "", line[300] = "";
	enum pattern_verdict verdict = PATTERN_VERDICT_OK;
	bool kept = false;
	if (ex_replay(prog, f->schedule, cmd_schedule_hash(run, &cfg), &cfg, &res) == 0) {
		verdict = pattern_verdict(run, &res);
		kept = !declares_ok && pattern_promise_kept(run, &res);
		pattern_explain(run, &res, explain, sizeof explain);
		first_line(res.report, line, sizeof line);
	}
	cl_result_free(&res);
	printf("schedule %ld of %ld (%s, seed %llu): %s", f->index + 1, o->runs, strategy,
	       (unsigned long long)f->seed, pattern_verdict_name(verdict));
	if (kept)
		printf(", as %s declares (%s)\n", o->variant->name, o->variant->outcome);
	else
		printf(", but %s declares %s\n", o->variant->name, o->variant->outcome);
	if (*explain)
		printf("  %s\n", explain);
	if (*line)
		printf("  %s\n", line);
}

static void print_replays(const struct pattern_run *run, const struct cl_config *base,
                          const struct ex_found *f, const struct cmd_runopts *o, bool by_seed,
                          const char *label)
{
	struct cl_config cfg;
	found_config(base, f, &cfg);
	char replay[700];
	cmd_replay_command(run, &cfg, o->max_steps, replay, sizeof replay);
	if (by_seed)
		printf("replay: %s\n", replay);   /* cmd_replay_command adds --race */
	size_t size = strlen(replay) + strlen(f->schedule) + 200;
	char *cmd = malloc(size);
	if (cmd) {
		printf("replay (%s): %s\n", label, cmd_schedule_command(replay, f->schedule, false,
		                                                      cmd, size));
		free(cmd);
	}
}

/* Replays the shrunk run into a renderer of format writing to out (the text
 * trace on stdout; the html player with --html).  Returns 0, or -1 with a
 * message printed. */
static int render_shrunk(struct pattern_run *run, const struct ex_program *prog,
                         const struct cl_config *base, const struct ex_found *f,
                         const char *schedule, const char *format, FILE *out)
{
	struct cl_config cfg;
	found_config(base, f, &cfg);
	char title[300];
	snprintf(title, sizeof title, "chanlab explore %s --variant %s: the shrunk failing schedule",
	         run->pattern->name, run->variant->name);
	struct render_opts ro = {.out = out, .color = out == stdout && cmd_use_color(stdout),
	                         .title = title};
	struct cl_sink sink;
	char err[200];
	if (render_open(format, &ro, &sink, err, sizeof err) < 0) {
		cmd_fail(CL_EXIT_ERROR, "explore: %s", err);
		return -1;
	}
	cfg.sinks = &sink;
	cfg.nsinks = 1;
	struct cl_result res;
	int rc = 0;
	if (ex_replay(prog, schedule, cmd_schedule_hash(run, &cfg), &cfg, &res) != 0) {
		cmd_fail(CL_EXIT_ERROR, "explore: cannot replay the shrunk schedule: %s",
		         res.report ? res.report : "?");
		rc = -1;
	} else {
		render_report(&sink, res.report);   /* html: its dump panel */
	}
	render_close(&sink);
	cl_result_free(&res);
	return rc;
}

/* The shrunk run as text on stdout and, with --html FILE, as a player page
 * (written whole: cmd/outfile.h).  0, or CL_EXIT_ERROR when the page could
 * not be written. */
static int show_shrunk(struct pattern_run *run, const struct ex_program *prog,
                       const struct cl_config *base, const struct ex_found *f,
                       const char *schedule, const char *html)
{
	printf("the shrunk run:\n");
	fflush(stdout);
	render_shrunk(run, prog, base, f, schedule, "text", stdout);
	if (!html)
		return 0;
	struct cmd_outfile page;
	int rc = cmd_outfile_open(&page, html, true);
	if (rc)
		return rc;
	if (render_shrunk(run, prog, base, f, schedule, "html", page.f) != 0) {
		cmd_outfile_abort(&page);
		return cmd_fail(CL_EXIT_ERROR, "%s: cannot write the page", html);
	}
	if ((rc = cmd_outfile_commit(&page)) == 0)
		printf("the shrunk run as a page: %s\n", html);
	return rc;
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_str(FILE *out, const char *text)
{
	if (!text) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c < 0x20)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

/* --json: the summary as one object on stdout (docs/explore.md). */
static void print_json(const struct cmd_runopts *o, const struct ex_options *opt,
                       const struct ex_result *res, const char *strategy)
{
	const struct ex_found *f = res->first.set ? &res->first : res->first_aside.set ? &res->first_aside : NULL;
	printf("{\"pattern\":");
	json_str(stdout, o->pattern->name);
	printf(",\"variant\":");
	json_str(stdout, o->variant->name);
	printf(",\"strategy\":");
	json_str(stdout, strategy);
	printf(",\"schedules\":%ld,\"kept\":%ld,\"broken\":%ld,\"aside\":%ld,\"pruned\":%ld,"
	       "\"prune\":%s,\"complete\":%s,\"cap_hit\":%s,\"interrupted\":%s,"
	       "\"latency_seeds_done\":%d,\"seconds\":%.6f,\"processes\":%d,\"found\":",
	       res->runs, res->kept, res->broken, res->aside, res->pruned,
	       opt->strategy == EX_EXHAUSTIVE && opt->prune ? "true" : "false",
	       res->complete ? "true" : "false", res->cap_hit ? "true" : "false",
	       res->interrupted ? "true" : "false", res->latency_seeds_done, res->seconds,
	       res->processes);
	if (!f) {
		printf("null");
	} else {
		printf("{\"index\":%ld,\"seed\":%llu,\"kind\":", f->index, (unsigned long long)f->seed);
		json_str(stdout, f->failure.kind);
		printf(",\"declared\":%s,\"schedule\":", f == &res->first ? "true" : "false");
		json_str(stdout, f->schedule);
		printf(",\"decisions\":%zu,\"preemptions\":%d,\"shrunk\":", f->decisions, f->preemptions);
		json_str(stdout, res->shrunk);
		printf(",\"shrunk_decisions\":%zu,\"shrunk_preemptions\":%d,\"shrink_runs\":%ld}",
		       res->shrunk_decisions, res->shrunk_preemptions, res->shrink.runs);
	}
	printf("}\n");
}

int cmd_explore(int argc, char **argv)
{
	struct cmd_runopts o = {.command = "explore"};
	struct pattern_run *run;
	struct cl_config cfg;
	int rc = cmd_runopts_start(argc, argv, CMD_RUNOPT_EXPLORE, usage, &o, &run, &cfg);
	if (rc)
		return rc < 0 ? CL_EXIT_OK : rc;
	if (o.exhaustive && o.strategy == CL_STRATEGY_PCT) {
		pattern_run_free(run);
		return cmd_fail(CL_EXIT_USAGE, "explore: choose one --strategy");
	}
	char strategy[64];
	if (o.exhaustive)
		snprintf(strategy, sizeof strategy, "exhaustive, <= %d preemptions", o.preemptions);
	else if (o.strategy == CL_STRATEGY_PCT)
		snprintf(strategy, sizeof strategy, "pct depth %d", o.depth);
	else
		snprintf(strategy, sizeof strategy, "random");
	/* A page that cannot be written is refused before the explore. */
	if (o.html && (rc = cmd_outfile_check(o.html, true)) != 0) {
		pattern_run_free(run);
		return rc;
	}
	int html_rc = 0;
	bool declares_ok = strcmp(o.variant->outcome, "ok") == 0;
	if (o.exhaustive && !o.runs_set)
		o.runs = 100000;

	char identity[512];
	cmd_schedule_identity(run, identity, sizeof identity);
	struct judge j = {run, declares_ok};
	struct ex_program prog = {pattern_entry, run, reset, identity};
	struct progress pg = {.tty = isatty(STDERR_FILENO) != 0};
	pg.start = pg.last = cmd_now_seconds();
	struct ex_options opt;
	ex_options_init(&opt);
	opt.strategy = o.exhaustive ? EX_EXHAUSTIVE : o.strategy == CL_STRATEGY_PCT ? EX_PCT : EX_RANDOM;
	opt.runs = o.runs;
	opt.seed = o.seed;
	opt.pct_depth = o.depth;
	opt.pct_steps = cfg.pct_steps;
	opt.preemptions = o.preemptions;
	opt.latency_seeds = o.latency_seeds;
	opt.shrink = !o.no_shrink;
	opt.prune = !o.no_prune;
	opt.race = cfg.race;
	opt.max_steps = o.max_steps;
	opt.stack_size = cfg.stack_size;
	opt.stack_advice = cfg.stack_advice;
	opt.processes = o.processes ? o.processes : cl_available_cpus();
	opt.progress = progress_cb;
	opt.progress_ctx = &pg;
	cmd_interrupt_install();
	opt.interrupt = (volatile int *)cmd_interrupt_flag();

	struct ex_result res;
	rc = ex_explore(&prog, judge, &j, &opt, &res);
	progress_clear(&pg);
	if (rc != 0) {
		rc = cmd_fail(CL_EXIT_ERROR, "explore: %s", res.error);
		goto out;
	}
	rc = CL_EXIT_OK;
	const struct ex_found *f = res.first.set ? &res.first : res.first_aside.set ? &res.first_aside : NULL;
	char n1[32], n2[32], n3[32], n4[32];
	if (o.json) {
		print_json(&o, &opt, &res, strategy);
		rc = f ? CL_EXIT_EXPLORE : res.interrupted ? CL_EXIT_INTERRUPTED : CL_EXIT_OK;
		goto out;
	}
	if (f) {
		describe(run, &prog, &cfg, f, declares_ok, &o, strategy);
		print_replays(run, &cfg, f, &o, !o.exhaustive, "schedule");
		if (f == &res.first && res.first_aside.set && res.first_aside.index < f->index)
			printf("(schedule %ld, seed %llu, went wrong another way first: %s)\n",
			       res.first_aside.index + 1, (unsigned long long)res.first_aside.seed,
			       res.first_aside.failure.kind);
		if (res.shrunk) {
			printf("shrunk from %s decisions and %s preemptions to %s and %s "
			       "(%ld candidate schedules, %.3fs)\n",
			       count(n1, sizeof n1, res.shrink.from_decisions),
			       count(n2, sizeof n2, (unsigned long long)res.shrink.from_preemptions),
			       count(n3, sizeof n3, res.shrink.to_decisions),
			       count(n4, sizeof n4, (unsigned long long)res.shrink.to_preemptions),
			       res.shrink.runs, res.shrink.seconds);
			struct ex_found shrunk = *f;
			shrunk.schedule = res.shrunk;
			print_replays(run, &cfg, &shrunk, &o, false, "shrunk");
			if (!res.interrupted)
				html_rc = show_shrunk(run, &prog, &cfg, f, res.shrunk, o.html);
		} else if (opt.shrink && f == &res.first && !res.interrupted) {
			printf("(could not shrink the schedule)\n");
		}
		rc = html_rc ? html_rc : CL_EXIT_EXPLORE;
	} else if (res.interrupted) {
		/* the summary below says it */
	} else if (o.exhaustive) {
		if (res.complete && declares_ok)
			printf("all %s schedules with <= %d preemptions kept the promise (latency seeds 1-%d)\n",
			       count(n1, sizeof n1, (unsigned long long)res.runs), o.preemptions,
			       o.latency_seeds);
		else if (res.complete)
			printf("%s --variant %s: none of the %s schedules with <= %d preemptions (latency "
			       "seeds 1-%d) showed the declared %s; try more --preemptions\n", o.pattern->name,
			       o.variant->name, count(n1, sizeof n1, (unsigned long long)res.runs),
			       o.preemptions, o.latency_seeds, o.variant->outcome);
		else
			printf("%s --variant %s: the cap of %s schedules (--runs) was hit in latency seed %d "
			       "of %d: not every schedule with <= %d preemptions was run\n", o.pattern->name,
			       o.variant->name, count(n1, sizeof n1, (unsigned long long)o.runs),
			       res.latency_seeds_done + 1, o.latency_seeds, o.preemptions);
	} else if (declares_ok) {
		printf("%s --variant %s: every schedule kept its promise (ok)\n", o.pattern->name,
		       o.variant->name);
	} else {
		printf("%s --variant %s: no schedule showed the declared %s; try more --runs or %s\n",
		       o.pattern->name, o.variant->name, o.variant->outcome,
		       o.strategy == CL_STRATEGY_PCT ? "a larger --depth" : "--strategy pct");
	}
	char procs[32] = "";
	if (res.processes > 1)
		snprintf(procs, sizeof procs, ", %d processes", res.processes);
	printf("%ld schedule%s (%s%s) in %.3fs: %.0f schedules/s\n", res.runs,
	       res.runs == 1 ? "" : "s", strategy, procs, res.seconds,
	       res.seconds > 0 ? (double)res.runs / res.seconds : 0.0);
	if (o.exhaustive && opt.prune)
		printf("pruned %s branches that only reorder steps that commute (--no-prune runs them)\n",
		       count(n1, sizeof n1, (unsigned long long)res.pruned));
	if (res.interrupted) {
		printf("interrupted after %ld schedules (%ld kept the promise)\n", res.runs, res.kept);
		if (res.current) {
			struct ex_found cur = {.seed = res.current_seed,
			                       .strategy = opt.strategy == EX_PCT ? EX_PCT : EX_RANDOM,
			                       .schedule = res.current};
			print_replays(run, &cfg, &cur, &o, false, "the schedule it was on");
		}
		rc = CL_EXIT_INTERRUPTED;
	}
out:
	ex_result_free(&res);
	pattern_run_free(run);
	return rc;
}
