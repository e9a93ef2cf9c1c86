/*
 * explore.c - the 'explore' subcommand: runs a variant under many schedules
 * (seeds first, first+1, ...) with tracing off and checks the outcome it
 * declares.  A correct variant stops at the first schedule in which
 * anything goes wrong (panic, deadlock, leak, invariant, metric, limit): its
 * promise is broken.  A broken variant goes on until a schedule shows the
 * failure it declares: explore found the mistake.  Either way it says what
 * happened there and prints the `chanlab run` command that replays that
 * schedule with its trace; exit 6.  (A broken variant whose declared failure
 * never shows but which went wrong another way reports that, exit 6 too.)
 * Exit 0 when every schedule ran clean.  A progress bar on stderr (a
 * terminal only, after a second) and a summary with schedules per second.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/runopts.h"

static void usage(FILE *out)
{
	char list[400];
	fprintf(out,
	        "usage: chanlab explore PATTERN [--variant V] [--runs N] [--strategy random|pct]\n"
	        "                       [--depth D] [--seed FIRST] [--max-steps N] [--PARAM VALUE ...]\n"
	        "\n"
	        "Runs N schedules of a variant (tracing off) and checks the outcome it declares.\n"
	        "A correct variant stops at the first schedule where anything goes wrong (panic,\n"
	        "deadlock, leak, invariant or metric failure, limit); a broken variant goes on\n"
	        "until a schedule shows the failure it declares.  Explore says what happened and\n"
	        "prints the exact 'chanlab run' command that replays that schedule with its trace.\n"
	        "\n"
	        "options:\n"
	        "  --variant V        the variant to explore (default correct)\n"
	        "  --runs N           schedules to run (default 1000)\n"
	        "  --strategy S       random (default) or pct\n"
	        "  --depth D          PCT's depth (default 3)\n"
	        "  --seed FIRST       the first schedule's seed (default 1); then FIRST+1, ...\n"
	        "  --max-steps N      a schedule longer than N scheduling decisions is a limit\n"
	        "  --stack-size SIZE  bytes of stack per task (16K to 1G, K/M/G suffix; default 256K)\n"
	        "  --PARAM VALUE      a parameter of the pattern, e.g. --workers 8\n"
	        "\n"
	        "exit: 0 every schedule ran clean, 6 a schedule went wrong (replay it),\n"
	        "      1 the runtime could not start, 64 usage\n"
	        "\n"
	        "patterns: %s\n",
	        pattern_names_list(list, sizeof list));
}

/* The progress bar: on stderr, only on a terminal, only after a second. */
struct progress {
	bool tty, shown;
	double start, last;
};

static void progress_update(struct progress *pg, long done, long total)
{
	if (!pg->tty)
		return;
	double now = cmd_now_seconds();
	if (now - pg->start < 1.0 || now - pg->last < 0.1)
		return;
	pg->last = now;
	pg->shown = true;
	int width = 40, fill = (int)((double)done * width / (double)total);
	fprintf(stderr, "\r[%-*.*s] %ld/%ld schedules, %.0f/s ", width, fill,
	        "########################################", done, total,
	        (double)done / (now - pg->start));
	fflush(stderr);
}

static void progress_clear(struct progress *pg)
{
	if (pg->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

/* The first line of the runtime's report ("fatal error: all goroutines are
 * asleep - deadlock!", "panic: send on closed channel"). */
static void first_line(const char *report, char *buf, size_t size)
{
	const char *s = report ? report : "";
	while (*s == '\n')
		s++;
	size_t n = strcspn(s, "\n");
	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), s);
}

/* A schedule that went wrong, kept to report after the loop. */
struct finding {
	bool set;
	long index;                   /* 0-based schedule number */
	uint64_t seed;
	enum pattern_verdict verdict;
	bool kept;                    /* it showed the outcome the variant declares */
	char explain[400];            /* pattern_explain */
	char line[300];               /* the report's first line */
	char replay[600];
};

static void record(struct finding *f, long index, enum pattern_verdict verdict, bool kept,
                   const struct pattern_run *run, const struct cl_result *res,
                   const struct cl_config *cfg, uint64_t max_steps)
{
	f->set = true;
	f->index = index;
	f->seed = cfg->seed;
	f->verdict = verdict;
	f->kept = kept;
	pattern_explain(run, res, f->explain, sizeof f->explain);
	first_line(res->report, f->line, sizeof f->line);
	cmd_replay_command(run, cfg, max_steps, f->replay, sizeof f->replay);
}

int cmd_explore(int argc, char **argv)
{
	struct cmd_runopts o = {.command = "explore"};
	struct pattern_run *run;
	struct cl_config cfg;
	int rc = cmd_runopts_start(argc, argv, CMD_RUNOPT_EXPLORE, usage, &o, &run, &cfg);
	if (rc)
		return rc < 0 ? CL_EXIT_OK : rc;
	const char *strategy = o.strategy == CL_STRATEGY_PCT ? "pct" : "random";
	char depth[32] = "";
	if (o.strategy == CL_STRATEGY_PCT)
		snprintf(depth, sizeof depth, " depth %d", o.depth);
	bool declares_ok = strcmp(o.variant->outcome, "ok") == 0;

	struct progress pg = {.tty = isatty(STDERR_FILENO) != 0};
	pg.start = pg.last = cmd_now_seconds();
	long done = 0;
	/* declared: the first schedule showing what a broken variant declares;
	 * other: the first that went wrong in another way (for a correct
	 * variant, the first that went wrong at all). */
	struct finding declared = {0}, other = {0};
	rc = CL_EXIT_OK;
	for (long i = 0; i < o.runs && !declared.set; i++) {
		struct cl_result res;
		cfg.seed = o.seed + (uint64_t)i;
		pattern_run_reset(run);
		if (cl_run(pattern_entry, run, &cfg, &res) != 0) {
			progress_clear(&pg);
			rc = cmd_fail(CL_EXIT_ERROR, "cannot start the runtime: %s",
			              res.report ? res.report : "?");
			cl_result_free(&res);
			break;
		}
		done++;
		enum pattern_verdict verdict = pattern_verdict(run, &res);
		if (verdict != PATTERN_VERDICT_OK) {
			bool kept = !declares_ok && pattern_promise_kept(run, &res);
			struct finding *f = kept ? &declared : &other;
			if (!f->set)
				record(f, i, verdict, kept, run, &res, &cfg, o.max_steps);
			/* A correct variant stops at its first failure; a broken one
			 * goes on looking for the failure it declares. */
			if (declares_ok) {
				cl_result_free(&res);
				break;
			}
		}
		cl_result_free(&res);
		progress_update(&pg, done, o.runs);
	}
	progress_clear(&pg);
	double secs = cmd_now_seconds() - pg.start;
	if (rc != CL_EXIT_ERROR) {
		const struct finding *f = declared.set ? &declared : other.set ? &other : NULL;
		if (f) {
			printf("schedule %ld of %ld (seed %llu, %s%s): %s", f->index + 1, o.runs,
			       (unsigned long long)f->seed, strategy, depth, pattern_verdict_name(f->verdict));
			if (f->kept)
				printf(", as %s declares (%s)\n", o.variant->name, o.variant->outcome);
			else
				printf(", but %s declares %s\n", o.variant->name, o.variant->outcome);
			if (*f->explain)
				printf("  %s\n", f->explain);
			if (*f->line)
				printf("  %s\n", f->line);
			printf("replay: %s\n", f->replay);
			if (f == &declared && other.set && other.index < declared.index)
				printf("(schedule %ld, seed %llu, went wrong another way first: %s; replay: %s)\n",
				       other.index + 1, (unsigned long long)other.seed,
				       pattern_verdict_name(other.verdict), other.replay);
			rc = CL_EXIT_EXPLORE;
		} else if (declares_ok) {
			printf("%s --variant %s: every schedule kept its promise (ok)\n", o.pattern->name,
			       o.variant->name);
		} else {
			printf("%s --variant %s: no schedule showed the declared %s; try more --runs or %s\n",
			       o.pattern->name, o.variant->name, o.variant->outcome,
			       o.strategy == CL_STRATEGY_PCT ? "a larger --depth" : "--strategy pct");
		}
		printf("%ld schedule%s (%s%s) in %.3fs: %.0f schedules/s\n", done, done == 1 ? "" : "s",
		       strategy, depth, secs, secs > 0 ? (double)done / secs : 0.0);
	}
	pattern_run_free(run);
	if (fflush(stdout) != 0 && rc == CL_EXIT_OK)
		rc = cmd_fail(CL_EXIT_ERROR, "cannot write the summary");
	return rc;
}
