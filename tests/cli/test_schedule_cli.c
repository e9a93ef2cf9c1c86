/*
 * test_schedule_cli.c - schedules on the command line: explore prints the
 * seed, schedule and shrunk-schedule commands and each replays to the same
 * exit code; run --print-schedule and --schedule @FILE reproduce the
 * golden jsonl byte for byte; a schedule for another seed is refused;
 * exhaustive says what it covered and when it hit the cap.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/cli/clirun.h"
#include "tests/testlib.h"

/* The command after "LABEL chanlab " on its line, or "" (buf). */
static char *command_after(const char *out, const char *label, char *buf, size_t size)
{
	const char *p = strstr(out, label);
	buf[0] = '\0';
	if (!p)
		return buf;
	p += strlen(label);
	if (strncmp(p, "chanlab ", 8) == 0)
		p += 8;
	snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
	return buf;
}

START_TEST(explore_prints_replayable_schedules)
{
	int status;
	char *out = cli_run(&status, "explore fan-in --variant add-inside 2>/dev/null");
	ck_assert_int_eq(status, 6);
	ck_assert_ptr_nonnull(strstr(out, "shrunk from "));
	ck_assert_ptr_nonnull(strstr(out, "the shrunk run:"));
	ck_assert_ptr_nonnull(strstr(out, "run ended"));
	static const char *const labels[] = {"replay: ", "replay (schedule): ", "replay (shrunk): "};
	for (int i = 0; i < 3; i++) {
		char cmd[8192];
		command_after(out, labels[i], cmd, sizeof cmd);
		ck_assert_msg(*cmd, "no '%s' in: %s", labels[i], out);
		if (i)
			ck_assert_ptr_nonnull(strstr(cmd, "--schedule S1-"));
		int rstatus;
		char *rout = cli_run(&rstatus, "%s --quiet 2>/dev/null", cmd);
		ck_assert_msg(rstatus == 5, "'%s' exited %d: %s", cmd, rstatus, rout);
		free(rout);
	}
	free(out);
}
END_TEST

START_TEST(schedule_file_replays_the_golden_trace)
{
	uint64_t seed = golden_seed("fan-in", "add-inside");
	ck_assert_uint_gt(seed, 0);
	int status;
	char *err = cli_run(&status, "run fan-in --variant add-inside --seed %llu --format jsonl "
	                    "--print-schedule 2>&1 >/dev/null", (unsigned long long)seed);
	const char *s = strstr(err, "decisions): S1-");
	ck_assert_msg(s != NULL, "no schedule in: %s", err);
	s += strlen("decisions): ");
	char path[] = "/tmp/chanlab-schedule-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "%.*s\n", (int)strcspn(s, "\n"), s);
	fclose(f);
	char *out = cli_run(&status, "run fan-in --variant add-inside --seed %llu --format jsonl "
	                    "--schedule @%s 2>/dev/null", (unsigned long long)seed, path);
	char golden[300];
	snprintf(golden, sizeof golden, GOLDEN_DIR "/fan-in-add-inside-seed%llu.jsonl",
	         (unsigned long long)seed);
	size_t size;
	char *want = test_read_file(golden, &size);
	ck_assert_ptr_nonnull(want);
	ck_assert_msg(strcmp(out, want) == 0, "the replay's jsonl differs from %s", golden);
	free(want);
	free(out);
	/* Another seed: refused, exit 64, saying why. */
	out = cli_run(&status, "run fan-in --variant add-inside --seed %llu --quiet --schedule @%s "
	              "2>&1", (unsigned long long)seed + 1, path);
	ck_assert_int_eq(status, 64);
	ck_assert_ptr_nonnull(strstr(out, "recorded for another program"));
	free(out);
	unlink(path);
	free(err);
}
END_TEST

/* A schedule that fits no run of this program (decision 1 picks a task
 * that is not there) is refused before anything is shown: exit 64, the
 * refusal and the task dump on stderr, no trace on stdout, no --out file.
 * One longer than the run is replayed with a note. */
START_TEST(refused_schedule_prints_no_trace)
{
	int status;
	char *err = cli_run(&status, "run rendezvous --print-schedule 2>/dev/null");
	const char *s = strstr(err, "decisions): S1-");
	ck_assert_msg(s != NULL, "no schedule in: %s", err);
	s += strlen("decisions): ");
	char bad[64];
	snprintf(bad, sizeof bad, "%.20s9.1x2", s);    /* "S1-" + 16 hex digits + '-' */
	char out_path[] = "/tmp/chanlab-refused-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(out_path));
	char *out = cli_run(&status, "run rendezvous --schedule %s --out %s/t.txt 2>/dev/null", bad,
	                    out_path);
	ck_assert_int_eq(status, 64);
	ck_assert_msg(out[0] == '\0', "a refused schedule printed: %s", out);
	free(out);
	out = cli_run(&status, "run rendezvous --schedule %s 2>&1 >/dev/null", bad);
	ck_assert_msg(strstr(out, "does not fit this run") && strstr(out, "task 1 \"main\""), "%s",
	              out);
	free(out);
	char file[64];
	snprintf(file, sizeof file, "%s/t.txt", out_path);
	ck_assert_msg(access(file, F_OK) != 0, "a refused schedule wrote --out");
	ck_assert_int_eq(rmdir(out_path), 0);
	/* One decision more than the run makes: replayed, with a note that
	 * the schedule is not this run's as it is. */
	char longer[200];
	snprintf(longer, sizeof longer, "%.*s.1", (int)strcspn(s, "\n"), s);
	out = cli_run(&status, "run rendezvous --quiet --schedule %s 2>&1 >/dev/null", longer);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "the run ended with 1 of the schedule's"), "%s", out);
	free(out);
	free(err);
}
END_TEST

START_TEST(exhaustive_summaries)
{
	int status;
	char *out = cli_run(&status, "explore rendezvous --strategy exhaustive --latency-seeds 2 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "schedules with <= 2 preemptions kept the promise (latency seeds 1-2)"),
	              "%s", out);
	free(out);
	out = cli_run(&status, "explore rendezvous --strategy exhaustive --runs 5 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "the cap of 5 schedules (--runs) was hit"));
	free(out);
	out = cli_run(&status, "explore lock-free-stack --variant no-retry --strategy exhaustive "
	              "--no-shrink 2>/dev/null");
	ck_assert_int_eq(status, 6);
	ck_assert_ptr_nonnull(strstr(out, "replay (schedule): "));
	ck_assert_ptr_null(strstr(out, "shrunk from"));
	free(out);
}
END_TEST

/* Exhaustive prints the branches it pruned (not with --no-prune); --json
 * gives the summary as one object, with the pruned count and what was found. */
START_TEST(exhaustive_pruning_and_json)
{
	int status;
	char *out = cli_run(&status, "explore rendezvous --strategy exhaustive --latency-seeds 1 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "branches that only reorder steps that commute"), "%s", out);
	free(out);
	out = cli_run(&status, "explore rendezvous --strategy exhaustive --latency-seeds 1 --no-prune "
	              "2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_null(strstr(out, "pruned"));
	free(out);
	out = cli_run(&status, "explore rendezvous --strategy exhaustive --latency-seeds 1 --json "
	              "2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_msg(out[0] == '{' && strstr(out, "\"pruned\":0,\"prune\":true,\"complete\":true") &&
	              strstr(out, "\"found\":null}") && !strstr(out, "kept the promise"), "%s", out);
	free(out);
	out = cli_run(&status, "explore fan-in --variant add-inside --json 2>/dev/null");
	ck_assert_int_eq(status, 6);
	ck_assert_msg(strstr(out, "\"found\":{") && strstr(out, "\"declared\":true") &&
	              strstr(out, "\"shrunk\":\"S1-") && strstr(out, "\"prune\":false"), "%s", out);
	free(out);
}
END_TEST

/* json without its member "key":value (a number). */
static void drop_member(char *json, const char *key)
{
	char *at = strstr(json, key);
	ck_assert_msg(at, "no %s in %s", key, json);
	char *end = at + strlen(key);
	while (*end && *end != ',')
		end++;
	memmove(at, end, strlen(end) + 1);
}

/* The JSON summary without what may differ between two explorations of
 * the same seeds: the time and the number of processes. */
static char *without_time(char *json)
{
	drop_member(json, "\"seconds\":");
	drop_member(json, "\"processes\":");
	return json;
}

/* --parallel N finds what one process finds: the same counts, schedule and
 * shrunk schedule, for a failure and for a clean run; N must be 1 to 256. */
START_TEST(parallel_finds_the_same)
{
	static const char *const cmds[] = {
		"explore fan-in --variant add-inside --json --runs 3000",
		"explore worker-pool --json --runs 2000 --no-race",
		"explore reply-channel --variant pooled-stale --strategy pct --json --runs 3000",
	};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		int status1, status3;
		char *one = cli_run(&status1, "%s --parallel 1 2>/dev/null", cmds[i]);
		char *three = cli_run(&status3, "%s --parallel 3 2>/dev/null", cmds[i]);
		ck_assert_int_eq(status3, status1);
		ck_assert_msg(strstr(three, "\"processes\":3"), "%s", three);
		ck_assert_str_eq(without_time(three), without_time(one));
		free(one);
		free(three);
	}
	int status;
	char *out = cli_run(&status, "explore worker-pool --parallel 0 2>&1");
	ck_assert_int_eq(status, 64);
	ck_assert_msg(strstr(out, "--parallel") && strstr(out, "1 to 256"), "%s", out);
	free(out);
	out = cli_run(&status, "explore worker-pool --runs 2000 --parallel 2 --no-race 2>/dev/null");
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "2000 schedules (random, 2 processes)"), "%s", out);
	free(out);
}
END_TEST

Suite *suite_schedule_cli(void)
{
	Suite *s = suite_create("schedule-cli");
	TCase *tc = tcase_create("schedule");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, explore_prints_replayable_schedules);
	tcase_add_test(tc, schedule_file_replays_the_golden_trace);
	tcase_add_test(tc, refused_schedule_prints_no_trace);
	tcase_add_test(tc, exhaustive_summaries);
	tcase_add_test(tc, exhaustive_pruning_and_json);
	tcase_add_test(tc, parallel_finds_the_same);
	suite_add_tcase(s, tc);
	return s;
}
