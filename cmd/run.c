/*
 * run.c - the 'run' subcommand: runs one variant of a pattern once on the
 * det scheduler with a renderer as the event sink, prints the runtime's
 * report on stderr, then what the pattern saw, its figures and a verdict
 * line with the command that replays the run; exits with the verdict's
 * code (DESIGN.md, "Exit codes").
 *
 * Streams: the trace goes to stdout (or --out FILE).  When stdout carries a
 * machine format (jsonl, chrome, mermaid, html) everything else goes to stderr so
 * stdout stays parseable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/interrupt.h"
#include "cmd/runopts.h"
#include "cmd/schedule_opt.h"
#include "runtime/schedule.h"
#include "cmd/verdict.h"
#include "render/render.h"

static void usage(FILE *out)
{
	char list[PATTERN_NAMES_SIZE];
	fprintf(out,
	        "usage: chanlab run PATTERN [--variant V] [--seed N] [--strategy random|pct]\n"
	        "                   [--depth D] [--sched det|par] [--procs N] [--starve-warn MS]\n"
	        "                   [--format F] [--out FILE]\n"
	        "                   [--pace F | --step] [--quiet] [--max-steps N] [--race]\n"
	        "                   [--PARAM VALUE ...]\n"
	        "\n"
	        "Runs one variant of a pattern on the runtime and prints its trace, then a\n"
	        "verdict line (outcome, tasks, messages, virtual time, seed) with the command\n"
	        "that replays it.\n"
	        "\n"
	        "options:\n"
	        "  --variant V        the variant to run (default correct)\n"
	        "  --seed N           the scheduler's seed (default: the variant's, one that\n"
	        "                     shows a broken variant's mistake): same seed, same run\n"
	        "  --strategy S       random (default) or pct (probabilistic concurrency testing)\n"
	        "  --depth D          PCT's depth: D-1 priority change points (default 3)\n"
	        "  --sched det|par    det (default): one thread, virtual time, replayable;\n"
	        "                     par: tasks on OS threads, real time; not replayable:\n"
	        "                     the seed fixes only the pattern's own random draws\n"
	        "  --procs N          processors for --sched par (default: the CPUs available)\n"
	        "  --starve-warn MS   par: report a task that holds a processor longer than MS\n"
	        "  --format F         text (default), lanes, jsonl, chrome, mermaid or html\n"
	        "                     (html: one self-contained page that plays the run)\n"
	        "  --out FILE         write the trace to FILE instead of stdout\n"
	        "  --pace F           play the run back at virtual time x F (1: real time)\n"
	        "  --step             wait for Enter before each event\n"
	        "  --quiet            no trace, no report: only the verdict line\n"
	        "  --max-steps N      stop with exit 7 after N scheduling decisions\n"
	        "  --race             det: report data races on shared memory (exit 8)\n"
	        "  --schedule S       replay a schedule (S1-...) or @FILE that explore or\n"
	        "                     --print-schedule printed, with the same seed and strategy\n"
	        "  --print-schedule   print the run's schedule after the verdict\n"
	        "  --stack-size SIZE  bytes of stack per task (16K to 1G, K/M/G suffix;\n"
	        "                     default 256K)\n"
	        "  --PARAM VALUE      a parameter of the pattern, e.g. --workers 8\n"
	        "                     ('chanlab run PATTERN --help' lists them)\n"
	        "\n"
	        "exit: 0 ok, 2 panic or fatal error, 3 deadlock, 4 leak, 5 invariant or metric\n"
	        "      failed, 7 limit (steps, time or livelock), 8 race, 64 usage,\n"
	        "      130 interrupted\n"
	        "\n");
	cmd_print_list(out, "patterns: ", pattern_names_list(list, sizeof list));
}

/* Columns of the terminal on stdout, for lanes; 0 lets the renderer choose. */
static int term_width(void)
{
	const char *cols = getenv("COLUMNS");
	if (cols && atoi(cols) > 0)
		return atoi(cols);
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

static bool machine_format(const char *format)
{
	return strcmp(format, "jsonl") == 0 || strcmp(format, "chrome") == 0 ||
	       strcmp(format, "mermaid") == 0 || strcmp(format, "html") == 0;
}

/* "deadlock, as declared", "leak (declared: deadlock)", "ok". */
static void outcome_words(const struct pattern_run *run, const struct cl_result *res,
                          enum pattern_verdict verdict, char *buf, size_t size)
{
	char what[80];
	if (verdict == PATTERN_VERDICT_INVARIANT)
		snprintf(what, sizeof what, "invariant %s failed", run->fail_name);
	else if (verdict == PATTERN_VERDICT_METRIC)
		snprintf(what, sizeof what, "metric over its limit");
	else if (verdict == PATTERN_VERDICT_LIMIT && res->limit_reason[0])
		snprintf(what, sizeof what, "limit (%s)", res->limit_reason);
	else
		snprintf(what, sizeof what, "%s", pattern_verdict_name(verdict));
	if (strcmp(run->variant->outcome, "ok") == 0 && verdict == PATTERN_VERDICT_OK)
		snprintf(buf, size, "%s", what);
	else if (pattern_promise_kept(run, res))
		snprintf(buf, size, "%s, as %s declares (%s)", what, run->variant->name,
		         run->variant->outcome);
	else
		snprintf(buf, size, "%s (%s declares %s)", what, run->variant->name, run->variant->outcome);
}

static void print_verdict(FILE *out, const char *words, bool ok, const struct cl_result *res,
                          uint64_t seed, const char *replay, bool par)
{
	char t[32];
	bool color = cmd_use_color(out);
	const char *on = color ? (ok ? "\033[1;32m" : "\033[1;31m") : "", *off = color ? "\033[0m" : "";
	cmd_format_ms(t, sizeof t, res->time);
	if (par)
		fprintf(out, "%s== %s:%s %llu tasks, %llu messages, %s real time on %d processor%s, "
		        "seed %llu (par runs are not replayable; for the schedule: %s)\n",
		        on, words, off, (unsigned long long)res->tasks,
		        (unsigned long long)res->messages, t, res->procs, res->procs == 1 ? "" : "s",
		        (unsigned long long)seed,
		        replay);
	else
		fprintf(out, "%s== %s:%s %llu tasks, %llu messages, %s virtual time, seed %llu; "
		        "replay: %s\n", on, words, off, (unsigned long long)res->tasks,
		        (unsigned long long)res->messages, t, (unsigned long long)seed, replay);
}

/* "the schedule does not fit": the refusal, the first line of res's report. */
static int refusal(const struct cl_result *res)
{
	const char *report = res->report ? res->report : "";
	return cmd_fail(CL_EXIT_USAGE, "run: the schedule does not fit this run: %.*s",
	                (int)strcspn(report, "\n"), report);
}

/* Replays cfg's schedule with no trace: 0 when it fits the run, else
 * CL_EXIT_USAGE after the refusal and the task dump on stderr. */
static int schedule_fits(struct pattern_run *run, const struct cl_config *cfg)
{
	struct cl_config quiet = *cfg;
	quiet.sinks = NULL;
	quiet.nsinks = 0;
	quiet.record = NULL;
	struct cl_result res;
	pattern_run_reset(run);
	if (cl_run(pattern_entry, run, &quiet, &res) != 0) {
		int rc = cmd_fail(CL_EXIT_ERROR, "cannot start the runtime: %s",
		                  res.report ? res.report : "?");
		cl_result_free(&res);
		return rc;
	}
	int rc = 0;
	if (res.schedule_refused) {
		/* The task dump under the report's first line, then the refusal. */
		const char *report = res.report ? res.report : "";
		size_t first = strcspn(report, "\n");
		if (report[first])
			fputs(report + first + 1 + (report[first + 1] == '\n'), stderr);
		rc = refusal(&res);
	}
	cl_result_free(&res);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct cmd_runopts o = {.command = "run"};
	struct pattern_run *run;
	struct cl_config cfg;
	int rc = cmd_runopts_start(argc, argv, CMD_RUNOPT_RUN, usage, &o, &run, &cfg);
	if (rc)
		return rc < 0 ? CL_EXIT_OK : rc;
	/* Ctrl-C stops the run at its next decision; the trace is closed as
	 * usual (a Chrome trace gets its ']') and the exit status is 130. */
	cmd_interrupt_install();
	cfg.interrupt = (volatile int *)cmd_interrupt_flag();

	/* Schedules: replay one (--schedule), record this one (--print-schedule). */
	struct cl_schedule replay_sched, rec;
	cl_schedule_init(&replay_sched);
	cl_schedule_init(&rec);
	if (o.schedule && (rc = cmd_schedule_load(o.schedule, run, &cfg, &replay_sched)) != 0) {
		pattern_run_free(run);
		return rc;
	}
	if (o.schedule)
		cfg.replay = &replay_sched;
	if (o.print_schedule) {
		rec.hash = cmd_schedule_hash(run, &cfg);
		cfg.record = &rec;
	}

	/* A broken variant's registry seed shows its mistake: the default. */
	if (!o.seed_set && run->variant->seed)
		cfg.seed = run->variant->seed;

	/* A schedule that does not fit the run is found only by replaying it:
	 * replay it once unseen (det runs repeat exactly), so a refused one
	 * prints no trace and writes no --out file. */
	if (o.schedule && (rc = schedule_fits(run, &cfg)) != 0) {
		cl_schedule_free(&replay_sched);
		pattern_run_free(run);
		return rc;
	}

	FILE *trace_out = stdout;
	if (o.out && !o.quiet && !(trace_out = fopen(o.out, "w"))) {
		pattern_run_free(run);
		return cmd_fail(CL_EXIT_ERROR, "cannot write '%s': %s", o.out, strerror(errno));
	}
	FILE *vout = machine_format(o.format) && trace_out == stdout && !o.quiet ? stderr : stdout;

	struct cl_sink sink = {0}, paced = {0};
	struct cmd_verdict_sink hold;
	cmd_verdict_sink_wrap(&hold, (struct cl_sink){0});
	FILE *tty_in = NULL;
	char err[200];
	char title[300];
	snprintf(title, sizeof title, "chanlab run %s --variant %s --seed %llu", run->pattern->name,
	         run->variant->name, (unsigned long long)cfg.seed);
	if (!o.quiet) {
		struct render_opts ro = {
			.title = title,
			.out = trace_out,
			.color = trace_out == stdout && cmd_use_color(stdout),
			.width = term_width(),
			.live = o.pace > 0 || o.step,
			.markdown = o.out && strlen(o.out) > 3 && strcmp(o.out + strlen(o.out) - 3, ".md") == 0,
		};
		if (render_open(o.format, &ro, &sink, err, sizeof err) < 0) {
			rc = cmd_fail(CL_EXIT_USAGE, "run: %s", err);
			goto out;
		}
		cfg.sinks = &sink;
		cfg.nsinks = 1;
		if (o.pace > 0 || o.step) {
			if (o.step && !(tty_in = fopen("/dev/tty", "r")))
				tty_in = stdin;
			struct render_pace_opts po = {
				.factor = o.step ? 1 : o.pace,
				.step = o.step,
				.tty_in = tty_in,
				.prompt = o.step && isatty(STDERR_FILENO) ? stderr : NULL,
				.min_delay_ns = o.step ? 0 : RENDER_PACE_MIN_DELAY_NS,
				.max_delay_ns = RENDER_PACE_MAX_DELAY_NS,
			};
			if (render_paced(sink, &po, &paced, err, sizeof err) < 0) {
				rc = cmd_fail(CL_EXIT_USAGE, "run: %s", err);
				goto out;
			}
			cfg.sinks = &paced;
		}
		/* The verdict goes into the trace before its end (cmd/verdict.h). */
		cfg.sinks = cmd_verdict_sink_wrap(&hold, *cfg.sinks);
	}

	struct cl_result res;
	pattern_run_reset(run);
	if (cl_run(pattern_entry, run, &cfg, &res) != 0) {
		rc = cmd_fail(CL_EXIT_ERROR, "cannot start the runtime: %s", res.report ? res.report : "?");
		cl_result_free(&res);
		goto out;
	}
	struct cmd_verdict v;
	cmd_verdict_make(&v, run, &res, &cfg);
	cmd_verdict_sink_finish(&hold, &v);
	render_report(&sink, res.report);   /* html: its dump panel */
	render_close(&paced);
	render_close(&sink);
	bool out_failed = false;
	if (trace_out != stdout) {
		int bad = ferror(trace_out);
		if (fclose(trace_out) != 0 || bad) {
			cmd_fail(CL_EXIT_ERROR, "cannot write '%s'", o.out);
			out_failed = true;
		}
		trace_out = stdout;
	}

	enum pattern_verdict verdict = pattern_verdict(run, &res);
	char explain[400], replay[600], words[200];
	/* Everything about the run is read before the figures' runs reset it. */
	pattern_explain(run, &res, explain, sizeof explain);
	cmd_replay_command(run, &cfg, o.max_steps, replay, sizeof replay);
	if (o.schedule) {
		size_t len = strlen(replay);
		snprintf(replay + len, sizeof replay - len, " --schedule %s",
		         strlen(o.schedule) < 200 ? o.schedule : "...");
	}
	outcome_words(run, &res, verdict, words, sizeof words);
	if (!o.quiet) {
		fflush(stdout);
		if (res.report && *res.report) {
			size_t n = strlen(res.report);
			fputs(res.report, stderr);
			if (res.report[n - 1] != '\n')
				fputc('\n', stderr);
		}
		if (*explain)
			fprintf(vout, "%s\n", explain);
		cmd_verdict_print(vout, &v, cmd_use_color(vout));
		if (run->pattern->figures && !cmd_interrupted()) {
			struct cl_config fc = cfg;
			fc.sinks = NULL;
			fc.nsinks = 0;
			fflush(vout);
			if (pattern_run_figures(run, &fc, vout) != 0)
				cmd_fail(CL_EXIT_ERROR, "could not measure %s's figures", run->pattern->name);
		}
	}
	print_verdict(vout, words, verdict == PATTERN_VERDICT_OK, &res, cfg.seed, replay,
	              cfg.sched == CL_SCHED_PAR);
	rc = cmd_interrupted() ? CL_EXIT_INTERRUPTED : pattern_verdict_exit(verdict);
	if (res.schedule_unused && !res.schedule_refused)
		fprintf(stderr, "chanlab: run: note: the run ended with %llu of the schedule's %zu "
		        "decisions unused; it was not recorded as it is for this run\n",
		        (unsigned long long)res.schedule_unused, replay_sched.n);
	if (out_failed && rc == CL_EXIT_OK)
		rc = CL_EXIT_ERROR;     /* the trace asked for is not whole */
	if (res.schedule_refused)
		rc = refusal(&res);
	if (o.print_schedule) {
		char *text = cl_schedule_format(&rec, rec.n);
		if (text)
			fprintf(vout, "schedule (%zu decisions): %s\n", rec.n, text);
		free(text);
	}
	cl_result_free(&res);
out:
	cl_schedule_free(&replay_sched);
	cl_schedule_free(&rec);
	render_close(&paced);
	render_close(&sink);
	if (trace_out != stdout)
		fclose(trace_out);
	if (tty_in && tty_in != stdin)
		fclose(tty_in);
	pattern_run_free(run);
	return rc;
}
