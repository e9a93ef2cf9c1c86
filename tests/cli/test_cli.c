/*
 * test_cli.c - the commands as a user meets them: --help everywhere and the
 * man page naming every command; usage errors that name the valid choices
 * with exit 64; the exit code of each broken variant at its golden seed;
 * explore's verdicts and replay commands; list, show and run's streams.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/embedded.h"
#include "tests/cli/clirun.h"
#include "tests/cli/json_mini.h"
#include "tests/testlib.h"

/* The command names `chanlab --help` lists (lines "  NAME  summary" after
 * "commands:"), as a NULL-terminated array of malloc'd strings.  Every
 * summary starts in the same column, at least two spaces after its name. */
static char **help_commands(void)
{
	int column = -1;
	int status;
	char *out = cli_run(&status, "--help");
	ck_assert_int_eq(status, 0);
	char **names = calloc(64, sizeof *names);
	int n = 0;
	const char *s = strstr(out, "commands:\n");
	ck_assert_ptr_nonnull(s);
	for (s = strchr(s, '\n') + 1; *s == ' ' && s[1] == ' ' && n < 63;) {
		char name[64];
		int end = 0, summary = 0;
		if (sscanf(s, " %63s%n %n", name, &end, &summary) == 1) {
			names[n++] = strdup(name);
			ck_assert_msg(summary >= end + 2, "--help: %s's summary is not two spaces on", name);
			if (column < 0)
				column = summary;
			ck_assert_msg(summary == column, "--help: %s's summary starts in column %d, not %d",
			              name, summary, column);
		}
		s = strchr(s, '\n');
		if (!s)
			break;
		s++;
	}
	free(out);
	ck_assert_int_ge(n, 6);
	return names;
}

static void free_names(char **names)
{
	for (int i = 0; names[i]; i++)
		free(names[i]);
	free(names);
}

/* True if the comma-separated list from list's start to its end (a line
 * break not after a comma, or a ')') has the item name, whole.  A list
 * wrapped to 80 columns goes on after ",\n" and the indent. */
static bool list_has(const char *list, const char *name)
{
	size_t len = strlen(name);
	for (const char *at = list; *at && *at != '\n' && *at != ')';) {
		size_t item = strcspn(at, ",)\n");
		if (item == len && strncmp(at, name, len) == 0)
			return true;
		at += item;
		if (*at == ',')
			at += strspn(at, ", \n");
	}
	return false;
}

/* Every line of out fits in 80 columns (help is read in a terminal); with
 * commands_too false, a line holding a command to copy may be longer. */
static void fits_80(const char *what, const char *out, bool commands_too)
{
	for (const char *line = out; *line;) {
		size_t n = strcspn(line, "\n");
		char copy[1024];
		snprintf(copy, sizeof copy, "%.*s", (int)n, line);
		ck_assert_msg(n <= 80 || (!commands_too && strstr(copy, "chanlab ")),
		              "'chanlab %s' has a line of %zu columns: %s", what, n, copy);
		line += n + (line[n] == '\n');
	}
}

static void assert_fits_80(const char *what, const char *out)
{
	fits_80(what, out, true);
}

/* The pattern list of run, show and explore's --help, and of an unknown
 * pattern's error, names every registered pattern (a fixed buffer once cut
 * it after 400 bytes, mid-name). */
START_TEST(pattern_lists_are_whole)
{
	const char *commands[] = {"run --help", "show --help", "explore --help",
	                          "run no-such-pattern 2>&1 >/dev/null"};
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		int status;
		char *out = cli_run(&status, "%s", commands[i]);
		const char *list = strstr(out, "\npatterns: ");
		list = list ? list + strlen("\npatterns: ") : strstr(out, "(valid: ");
		ck_assert_msg(list != NULL, "'chanlab %s' prints no pattern list", commands[i]);
		if (list[0] == '(')
			list += strlen("(valid: ");
		for (const struct pattern *const *p = pattern_all(); *p; p++)
			ck_assert_msg(list_has(list, (*p)->name), "'chanlab %s' does not list pattern %s",
			              commands[i], (*p)->name);
		free(out);
	}
}
END_TEST

/* Every command of `chanlab --help` answers --help and -h on stdout with
 * exit 0. */
START_TEST(every_command_has_help)
{
	char **names = help_commands();
	for (int i = 0; names[i]; i++) {
		const char *flags[] = {"--help", "-h"};
		for (int f = 0; f < 2; f++) {
			int status;
			char *out = cli_run(&status, "%s %s 2>/dev/null", names[i], flags[f]);
			ck_assert_msg(status == 0, "chanlab %s %s exited %d", names[i], flags[f], status);
			ck_assert_msg(strstr(out, "usage:") != NULL, "chanlab %s %s: no usage", names[i], flags[f]);
			assert_fits_80(names[i], out);
			free(out);
		}
	}
	free_names(names);
	static const char *const more[] = {
		"--help", "quiz stats", "quiz grade", "quiz lint", "quiz export", "quiz import",
		"exercise list", "exercise start", "exercise check", "exercise hint",
		"exercise watch", "exercise reset", "exercise solution", "exercise next",
		"exercise verify", "exercise grade", "run worker-pool", "explore fan-in",
	};
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
		int status;
		char *out = cli_run(&status, "%s --help 2>/dev/null", more[i]);
		ck_assert_msg(status == 0, "chanlab %s --help exited %d", more[i], status);
		assert_fits_80(more[i], out);
		free(out);
	}
}
END_TEST

/* The man page has a section for every command of `chanlab --help` (git's
 * t0450: help and documentation kept in step), and for quiz's subcommands. */
START_TEST(man_page_names_every_command)
{
	char *man = test_read_file("docs/chanlab.1", NULL);
	ck_assert_msg(man != NULL, "docs/chanlab.1 is missing");
	char **names = help_commands();
	for (int i = 0; names[i]; i++) {
		char heading[96];
		snprintf(heading, sizeof heading, ".SS \"chanlab %s", names[i]);
		ck_assert_msg(strstr(man, heading) != NULL, "docs/chanlab.1 has no section '%s'", heading);
	}
	free_names(names);
	const char *quiz_subs[] = {"lint", "stats", "grade", "export", "import"};
	for (int i = 0; i < 5; i++) {
		char heading[96];
		snprintf(heading, sizeof heading, "chanlab quiz %s", quiz_subs[i]);
		ck_assert_msg(strstr(man, heading) != NULL, "docs/chanlab.1 does not describe '%s'", heading);
	}
	free(man);
}
END_TEST

/* Runs ARGS expecting exit 64 and one line on stderr containing each of
 * the words. */
static void expect_usage(const char *args, const char *const *words)
{
	int status;
	char *err = cli_run(&status, "%s 2>&1 >/dev/null", args);
	ck_assert_msg(status == CL_EXIT_USAGE, "chanlab %s exited %d", args, status);
	ck_assert_msg(strncmp(err, "chanlab: ", 9) == 0, "chanlab %s: message '%s'", args, err);
	const char *nl = strchr(err, '\n');
	ck_assert_msg(nl && nl[1] == '\0', "chanlab %s: not one line: '%s'", args, err);
	for (int i = 0; words && words[i]; i++)
		ck_assert_msg(strstr(err, words[i]) != NULL, "chanlab %s: '%s' does not name '%s'", args, err,
		              words[i]);
	free(err);
}

/* An unknown pattern, variant, format or a bad parameter value: one line
 * naming the valid choices, exit 64. */
START_TEST(usage_errors_name_the_choices)
{
	const char *patterns[16];
	const struct pattern *const *all = pattern_all();
	int n = 0;
	for (; all[n] && n < 15; n++)
		patterns[n] = all[n]->name;
	patterns[n] = NULL;
	expect_usage("run no-such-pattern", patterns);
	expect_usage("explore no-such-pattern", patterns);
	expect_usage("show no-such-pattern", patterns);
	expect_usage("run", patterns);

	const struct pattern *wp = pattern_find("worker-pool");
	ck_assert_ptr_nonnull(wp);
	const char *variants[16];
	for (n = 0; n < wp->nvariants && n < 15; n++)
		variants[n] = wp->variants[n].name;
	variants[n] = NULL;
	expect_usage("run worker-pool --variant no-such-variant", variants);
	expect_usage("explore worker-pool --variant no-such-variant", variants);

	const char *formats[] = {"text", "lanes", "jsonl", "chrome", "mermaid", NULL};
	expect_usage("run worker-pool --format no-such-format", formats);

	const char *workers[] = {"--workers", "64", NULL};
	expect_usage("run worker-pool --workers 0", workers);
	expect_usage("run worker-pool --workers many", workers);
	const char *params[] = {"--no-such-param", "--workers", "--jobs", NULL};
	expect_usage("run worker-pool --no-such-param 3", params);
	const char *strategies[] = {"random", "pct", NULL};
	expect_usage("run worker-pool --strategy dfs", strategies);
	expect_usage("explore worker-pool --strategy dfs", strategies);
	const char *levels[] = {"junior", "staff", NULL};
	expect_usage("list --level guru", levels);
	/* strtoull would take these as 2^64-1 and 7 */
	const char *seed[] = {"--seed", NULL};
	expect_usage("run worker-pool --seed ' -1'", seed);
	expect_usage("run worker-pool --seed -1", seed);
	expect_usage("run worker-pool --seed ' 7'", seed);
	expect_usage("explore worker-pool --seed '\t-3'", seed);
}
END_TEST

/* --sched par is refused with one clear line until the par scheduler lands. */
/* The parallel scheduler runs a pattern on OS threads; PCT is det's only. */
START_TEST(run_on_par)
{
	int status;
	char *out = cli_run(&status, "run worker-pool --sched par --procs 2 --quiet");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "worker-pool"));
	free(out);
	const char *words[] = {"--strategy pct needs --sched det", NULL};
	expect_usage("run worker-pool --sched par --strategy pct", words);
	const char *procs_words[] = {"apply to --sched par only", NULL};
	expect_usage("run worker-pool --procs 2", procs_words);
}
END_TEST

static void check_broken_exit(const struct pattern *p, const struct pattern_variant *v, void *ctx)
{
	int *checked = ctx;
	uint64_t seed = golden_seed(p->name, v->name);
	ck_assert_msg(seed != 0, "no golden seed for %s:%s (run make golden)", p->name, v->name);
	int status;
	char *out = cli_run(&status, "run %s --variant %s --seed %llu --quiet 2>/dev/null", p->name,
	                    v->name, (unsigned long long)seed);
	ck_assert_msg(status == outcome_exit(v->outcome), "%s:%s at seed %llu exited %d, declares %s (%s)",
	              p->name, v->name, (unsigned long long)seed, status, v->outcome, out);
	free(out);
	(*checked)++;
}

/* Every variant exits, at its golden seed, with the code of the outcome it
 * declares: ok 0, panic 2, deadlock 3, leak 4, invariant or metric 5, limit 7, race 8. */
START_TEST(variants_exit_as_declared)
{
	int checked = 0;
	for_each_variant(check_broken_exit, &checked);
	ck_assert_int_gt(checked, 0);
}
END_TEST

/* The code `run` exits with for a verdict name explore prints. */
static int verdict_exit(const char *name)
{
	static const char *const names[] = {"ok",   "panic", "deadlock", "invariant", "metric",
	                                    "leak", "limit", "fatal",    "race"};
	static const int codes[] = {0, 2, 3, 5, 5, 4, 7, 2, 8};
	for (int i = 0; i < 9; i++)
		if (strncmp(name, names[i], strlen(names[i])) == 0)
			return codes[i];
	return -1;
}

/* Every correct variant: explore keeps its promise over many schedules. */
START_TEST(explore_correct_exits_0)
{
	const struct pattern *const *all = pattern_all();
	long runs = test_scaled(1000, 20);
	for (int i = 0; all[i]; i++) {
		if (all[i]->sched != PATTERN_SCHED_ANY)   /* explore refuses them (test_parpatterns.c) */
			continue;
		int status;
		char *out = cli_run(&status, "explore %s --runs %ld 2>/dev/null", all[i]->name, runs);
		ck_assert_msg(status == 0, "explore %s exited %d: %s", all[i]->name, status, out);
		ck_assert_ptr_nonnull(strstr(out, "schedules/s"));
		free(out);
		out = cli_run(&status, "explore %s --runs %ld --strategy pct --depth 3 2>/dev/null",
		              all[i]->name, runs / 2 + 1);
		ck_assert_msg(status == 0, "explore %s --strategy pct exited %d: %s", all[i]->name, status, out);
		free(out);
	}
}
END_TEST

/* Explores one broken variant; the replay command it prints exits with the
 * code of what explore saw. */
static void explore_and_replay(const char *pattern, const char *variant, const char *extra)
{
	int status;
	/* Scaled-down builds skip shrinking, which replays the failure thousands
	 * of times (minutes under TSan); the release build shrinks every one. */
	const char *shrink = test_scaled_down() ? "--no-shrink" : "";
	char *out = cli_run(&status, "explore %s --variant %s --runs 10000 %s %s 2>/dev/null", pattern, variant,
	                    shrink, extra);
	ck_assert_msg(status == CL_EXIT_EXPLORE, "explore %s --variant %s %s exited %d: %s", pattern,
	              variant, extra, status, out);
	const char *colon = strstr(out, "): ");
	ck_assert_ptr_nonnull(colon);
	int want = verdict_exit(colon + 3);
	const char *replay = strstr(out, "replay: chanlab run ");
	ck_assert_msg(replay != NULL, "no replay command in: %s", out);
	replay += strlen("replay: chanlab ");
	char args[800];
	snprintf(args, sizeof args, "%.*s", (int)strcspn(replay, "\n"), replay);
	ck_assert_ptr_nonnull(strstr(args, "--seed "));
	int rstatus;
	char *rout = cli_run(&rstatus, "%s --quiet 2>/dev/null", args);
	ck_assert_msg(rstatus != 0 && rstatus == want, "replay '%s' exited %d, explore saw %d (%s)", args,
	              rstatus, want, out);
	free(rout);
	free(out);
}

/* Every broken variant: explore finds a failing schedule (exit 6) within
 * 10,000, and the replay command it prints fails the same way. */
START_TEST(explore_broken_exits_6_and_replays)
{
	const struct pattern *const *all = pattern_all();
	for (int i = 0; all[i]; i++)
		for (int v = 0; v < all[i]->nvariants && all[i]->sched == PATTERN_SCHED_ANY; v++)
			if (strcmp(all[i]->variants[v].outcome, "ok") != 0)
				explore_and_replay(all[i]->name, all[i]->variants[v].name, "");
	/* PCT's replay measures the run the same way explore did. */
	explore_and_replay("lock-free-stack", "aba", "--strategy pct --depth 4");
	explore_and_replay("rendezvous", "sleep-handshake", "--strategy pct --depth 2 --seed 5");
}
END_TEST

/* list --json is one JSON array naming every pattern with its variants;
 * --level keeps only that level. */
START_TEST(list_json_and_level)
{
	int status;
	char err[200];
	char *out = cli_run(&status, "list --json");
	ck_assert_int_eq(status, 0);
	struct jm *doc = jm_parse(out, strlen(out), err, sizeof err);
	ck_assert_msg(doc != NULL, "list --json: %s", err);
	ck_assert_int_eq(doc->type, JM_ARRAY);
	const struct pattern *const *all = pattern_all();
	size_t n = 0;
	while (all[n])
		n++;
	ck_assert_uint_eq(doc->n, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(jm_str(doc->items[i], "name", ""), all[i]->name);
		const struct jm *vars = jm_get(doc->items[i], "variants");
		ck_assert_ptr_nonnull(vars);
		ck_assert_uint_eq(vars->n, (size_t)all[i]->nvariants);
	}
	jm_free(doc);
	free(out);

	out = cli_run(&status, "list --level junior");
	ck_assert_int_eq(status, 0);
	for (size_t i = 0; i < n; i++) {
		bool listed = strstr(out, all[i]->title) != NULL;
		if (all[i]->level != PATTERN_JUNIOR)
			ck_assert_msg(!strstr(out, all[i]->title), "--level junior lists %s", all[i]->name);
		else
			ck_assert_msg(listed, "--level junior leaves out %s", all[i]->name);
	}
	free(out);
}
END_TEST

/* show --source prints the C source compiled in, byte for byte; --go the Go
 * original when the build has one; plain show names every variant. */
START_TEST(show_source_and_go)
{
	const struct pattern *const *all = pattern_all();
	for (int i = 0; all[i]; i++) {
		int status;
		char *out = cli_run(&status, "show %s --source", all[i]->name);
		ck_assert_int_eq(status, 0);
		char *file = test_read_file(all[i]->source, NULL);
		ck_assert_msg(file != NULL, "cannot read %s", all[i]->source);
		ck_assert_msg(strcmp(out, file) == 0, "show %s --source differs from %s", all[i]->name,
		              all[i]->source);
		free(file);
		free(out);

		out = cli_run(&status, "show %s --go 2>/dev/null", all[i]->name);
		if (all[i]->go_source && cl_embedded_find(all[i]->go_source)) {
			ck_assert_int_eq(status, 0);
			ck_assert_ptr_nonnull(strstr(out, "package main"));
		} else {
			ck_assert_int_eq(status, CL_EXIT_ERROR);
		}
		free(out);

		out = cli_run(&status, "show %s", all[i]->name);
		ck_assert_int_eq(status, 0);
		for (int v = 0; v < all[i]->nvariants; v++)
			ck_assert_msg(strstr(out, all[i]->variants[v].name) != NULL, "show %s leaves out %s",
			              all[i]->name, all[i]->variants[v].name);
		free(out);
	}
}
END_TEST

/* A machine format keeps stdout parseable (the verdict goes to stderr);
 * text puts the verdict last on stdout; --quiet prints only the verdict;
 * --out writes the trace to a file. */
START_TEST(run_streams)
{
	int status;
	char err[200];
	char *out = cli_run(&status, "run worker-pool --format jsonl 2>/dev/null");
	ck_assert_int_eq(status, 0);
	for (const char *s = out; *s;) {
		size_t len = strcspn(s, "\n");
		struct jm *v = jm_parse(s, len, err, sizeof err);
		ck_assert_msg(v != NULL, "jsonl line is not JSON: %.*s", (int)len, s);
		jm_free(v);
		s += len + (s[len] == '\n');
	}
	free(out);
	out = cli_run(&status, "run worker-pool --format jsonl 2>&1 >/dev/null");
	ck_assert_ptr_nonnull(strstr(out, "replay: chanlab run worker-pool"));
	free(out);

	out = cli_run(&status, "run worker-pool --seed 3");
	ck_assert_int_eq(status, 0);
	const char *last = strstr(out, "\n== ok: ");
	ck_assert_ptr_nonnull(last);
	ck_assert_ptr_nonnull(strstr(last, "seed 3; replay: chanlab run worker-pool --variant correct --seed 3\n"));
	free(out);

	out = cli_run(&status, "run fan-in --variant never-close --quiet 2>&1");
	ck_assert_int_eq(status, CL_EXIT_DEADLOCK);
	ck_assert_msg(strncmp(out, "== deadlock", 11) == 0 && strchr(out, '\n')[1] == '\0',
	              "--quiet printed more than the verdict: %s", out);
	free(out);

	/* The runtime's report goes to stderr. */
	out = cli_run(&status, "run fan-in --variant never-close 2>&1 >/dev/null");
	ck_assert_ptr_nonnull(strstr(out, "deadlock"));
	ck_assert_ptr_nonnull(strstr(out, "task 1 \"main\""));
	free(out);

	char path[] = "/tmp/chanlab-test-out-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	out = cli_run(&status, "run worker-pool --format chrome --out %s", path);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strncmp(out, "== ok", 5) == 0, "with --out the verdict is on stdout: %s", out);
	char *file = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(file);
	struct jm *doc = jm_parse(file, strlen(file), err, sizeof err);
	ck_assert_msg(doc != NULL, "--out chrome: %s", err);
	jm_free(doc);
	free(file);
	free(out);
	remove(path);
}
END_TEST

/* The same seed gives the same run; run's params show in the replay. */
START_TEST(run_replay_params)
{
	int status;
	char *a = cli_run(&status, "run worker-pool --workers 2 --jobs 7 --seed 9 --strategy pct --depth 2");
	ck_assert_int_eq(status, 0);
	char *b = cli_run(&status, "run worker-pool --seed=9 --jobs=7 --workers 2 --strategy pct --depth 2");
	ck_assert_str_eq(a, b);
	ck_assert_ptr_nonnull(strstr(a, "--workers 2"));
	ck_assert_ptr_nonnull(strstr(a, "--jobs 7"));
	ck_assert_ptr_nonnull(strstr(a, "--strategy pct --depth 2"));
	free(a);
	free(b);
}
END_TEST

/* lanes draws a column per task; explore writes nothing on stderr when it
 * is not a terminal (no progress bar); `run PATTERN --help` lists the
 * pattern's parameters and variants. */
START_TEST(lanes_progress_and_pattern_help)
{
	int status;
	char *out = cli_run(&status, "run worker-pool --format lanes 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "main"));
	ck_assert_ptr_nonnull(strstr(out, "worker-1"));
	free(out);

	out = cli_run(&status, "explore worker-pool --runs %ld 2>&1 >/dev/null", test_scaled(2000, 50));
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(out, "");
	free(out);

	out = cli_run(&status, "run worker-pool --help");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "--workers"));
	ck_assert_ptr_nonnull(strstr(out, "never-close-jobs"));
	free(out);
}
END_TEST

/* A step limit ends the run with exit 7. */
START_TEST(run_step_limit)
{
	int status;
	char *out = cli_run(&status, "run worker-pool --max-steps 5 --quiet 2>/dev/null");
	ck_assert_int_eq(status, CL_EXIT_LIMIT);
	ck_assert_ptr_nonnull(strstr(out, "--max-steps 5"));
	ck_assert_ptr_nonnull(strstr(out, "limit (steps)"));   /* the reason */
	free(out);
}
END_TEST

/* A question may link to every pattern and every PATTERN:VARIANT. */
/* Output that did not reach its file is an error: a trace to a full
 * device, stdout to a full device, an html page in a folder that is not
 * there (refused before the explore runs). */
START_TEST(write_failures_are_errors)
{
	struct stat st;
	if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
		return;
	int status;
	char *out = cli_run(&status, "run rendezvous --out /dev/full 2>&1 >/dev/null");
	ck_assert_msg(status == 1 && strstr(out, "cannot write '/dev/full'"), "%d: %s", status, out);
	free(out);
	out = cli_run(&status, "show rendezvous --source 2>&1 >/dev/full");
	ck_assert_msg(status == 1 && strstr(out, "cannot write stdout"), "%d: %s", status, out);
	free(out);
	out = cli_run(&status, "list >/dev/full 2>/dev/null");
	ck_assert_int_eq(status, 1);
	free(out);
	out = cli_run(&status, "explore worker-pool --variant never-close-jobs "
	              "--html /nonexistent-folder/p.html 2>&1");
	ck_assert_msg(status == 1 && strstr(out, "folder /nonexistent-folder") &&
	              !strstr(out, "schedules/s"), "%d: %s", status, out);
	free(out);
	ck_assert_int_eq(stat("/dev/full", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));     /* written to, never replaced */
}
END_TEST

/* show and list wrap their prose at 80 columns too, for every pattern. */
START_TEST(show_and_list_fit_80)
{
	int status;
	char *out = cli_run(&status, "list");
	ck_assert_int_eq(status, 0);
	fits_80("list", out, false);
	free(out);
	for (const struct pattern *const *p = pattern_all(); *p; p++) {
		out = cli_run(&status, "show %s", (*p)->name);
		ck_assert_int_eq(status, 0);
		char what[80];
		snprintf(what, sizeof what, "show %s", (*p)->name);
		fits_80(what, out, false);
		free(out);
	}
}
END_TEST

START_TEST(link_names_from_registry)
{
	const char *const *names = cmd_pattern_link_names();
	const struct pattern *const *all = pattern_all();
	for (int i = 0; all[i]; i++)
		for (int v = -1; v < all[i]->nvariants; v++) {
			char want[128];
			if (v < 0)
				snprintf(want, sizeof want, "%s", all[i]->name);
			else
				snprintf(want, sizeof want, "%s:%s", all[i]->name, all[i]->variants[v].name);
			bool found = false;
			for (int k = 0; names[k] && !found; k++)
				found = strcmp(names[k], want) == 0;
			ck_assert_msg(found, "'%s' is not a link name", want);
		}
	ck_assert_ptr_eq(cmd_pattern_link_names(), names);
}
END_TEST

Suite *suite_cli(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("commands");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, every_command_has_help);
	tcase_add_test(tc, pattern_lists_are_whole);
	tcase_add_test(tc, man_page_names_every_command);
	tcase_add_test(tc, usage_errors_name_the_choices);
	tcase_add_test(tc, run_on_par);
	tcase_add_test(tc, variants_exit_as_declared);
	tcase_add_test(tc, explore_correct_exits_0);
	tcase_add_test(tc, explore_broken_exits_6_and_replays);
	tcase_add_test(tc, list_json_and_level);
	tcase_add_test(tc, show_source_and_go);
	tcase_add_test(tc, run_streams);
	tcase_add_test(tc, run_replay_params);
	tcase_add_test(tc, run_step_limit);
	tcase_add_test(tc, lanes_progress_and_pattern_help);
	tcase_add_test(tc, link_names_from_registry);
	tcase_add_test(tc, write_failures_are_errors);
	tcase_add_test(tc, show_and_list_fit_80);
	suite_add_tcase(s, tc);
	return s;
}
