/*
 * test_exercise.c - 'chanlab exercise' as a student and a teacher meet it:
 * verify on the shipped pack; a scripted session (start, a failing check
 * with its schedule and replay command, the solution refused, the solution
 * pasted in, a pass, progress saved, the solution shown); a compile error;
 * a crash; a program that never returns; exit(0) in student code; writable
 * globals; no compiler; watch's polling fallback.
 *
 * Each test works in its own temp folder with its own progress database.
 */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coach/sha256.h"
#include "tests/testlib.h"

#define EX "01-started-channel"
#define EXDIR "exercises/" EX

struct sandbox {
	char dir[256];
	char bin[PATH_MAX];
	char src[PATH_MAX];   /* the source tree (cwd of the test runner) */
};

static void sandbox_open(struct sandbox *sb)
{
	snprintf(sb->dir, sizeof sb->dir, "/tmp/chanlab-coach-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(sb->dir));
	ck_assert_ptr_nonnull(realpath(test_chanlab_bin(), sb->bin));
	ck_assert_ptr_nonnull(getcwd(sb->src, sizeof sb->src));
}

static void sandbox_close(struct sandbox *sb)
{
	char cmd[16384];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", sb->dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Runs "chanlab exercise ARGS" in the sandbox (stderr into stdout). */
static char *ex(struct sandbox *sb, int *status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static char *ex(struct sandbox *sb, int *status, const char *fmt, ...)
{
	char args[1500], cmd[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof cmd, "cd '%s' && NO_COLOR=1 XDG_DATA_HOME='%s/data' '%s' exercise %s 2>&1",
	         sb->dir, sb->dir, sb->bin, args);
	return test_run_capture(cmd, status);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* A student file for 01-started-channel whose start_cache body is body. */
static void student(struct sandbox *sb, const char *name, const char *body)
{
	char path[400], text[2000];
	snprintf(path, sizeof path, "%s/%s", sb->dir, name);
	snprintf(text, sizeof text, "/* chanlab exercise " EX " */\n#include \"api.h\"\n"
	         "#include <stdlib.h>\n\nvoid start_cache(struct cache *c)\n{\n%s\n}\n", body);
	write_file(path, text);
}

/* The shipped pack passes its own verification. */
START_TEST(verify_shipped_pack)
{
	if (test_heavy_skipped("verify_shipped_pack"))
		return;
	struct sandbox sb;
	sandbox_open(&sb);
	int st;
	char *out = ex(&sb, &st, "verify");
	ck_assert_msg(st == 0, "verify failed:\n%s", out);
	ck_assert_ptr_nonnull(strstr(out, "solution passes"));
	/* every solution's exhaustive phase covers its bound within the cap */
	ck_assert_msg(!strstr(out, "(the first "), "an exhaustive phase hit the cap:\n%s", out);
	ck_assert_ptr_nonnull(strstr(out, "caught by the"));
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* verify rejects a spec with too few schedules and unknown links, naming
 * file:line:col, and exits 1. */
START_TEST(verify_rejects_weak_spec)
{
	struct sandbox sb;
	sandbox_open(&sb);
	char cmd[16384];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/pack' && cp -r '%s/" EXDIR "' '%s/pack/' && sed -i "
	         "'s/  pct: 2000/  pct: 100/; s/^patterns: .*/patterns: [no-such-pattern]/' "
	         "'%s/pack/" EX "/spec.yaml'", sb.dir, sb.src, sb.dir, sb.dir);
	ck_assert_int_eq(system(cmd), 0);
	int st;
	char *out = ex(&sb, &st, "verify --pack pack");
	ck_assert_msg(st == 1, "%s", out);
	ck_assert_msg(strstr(out, "spec.yaml:23:3: bounds.pct is 100") != NULL, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "unknown pattern 'no-such-pattern'"));
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* A teacher's pack: an exercise whose spec does not load, a folder with a
 * spec.yaml not named NN-name, and one named as a shipped exercise are each
 * left out with a line saying why; list shows the rest and exits 1. */
START_TEST(pack_problems_are_named)
{
	struct sandbox sb;
	sandbox_open(&sb);
	char cmd[16384];
	snprintf(cmd, sizeof cmd, "cd '%s' && mkdir pack && for d in 91-mine mine " EX " 92-good; "
	         "do cp -r '%s/" EXDIR "' pack/$d || exit 1; done && "
	         "echo 'garbage: [' >> pack/91-mine/spec.yaml", sb.dir, sb.src);
	ck_assert_int_eq(system(cmd), 0);
	int st;
	char *out = ex(&sb, &st, "list --pack pack");
	ck_assert_int_eq(st, 1);
	ck_assert_msg(strstr(out, "pack/91-mine/spec.yaml:") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "pack/mine: left out: an exercise folder is named NN-name"), "%s",
	              out);
	ck_assert_msg(strstr(out, "pack/" EX ": left out: " EX " is already an exercise"), "%s", out);
	ck_assert_msg(strstr(out, "3 exercises left out"), "%s", out);
	ck_assert_msg(strstr(out, "92-good"), "%s", out);
	int rows = 0;    /* list rows are "> NAME ..." or "  NAME ..." */
	for (const char *line = out; *line;) {
		rows += strncmp(line + 1, " " EX " ", strlen(EX) + 2) == 0;
		size_t n = strcspn(line, "\n");
		line += n + (line[n] == '\n');
	}
	ck_assert_msg(rows == 1, "listed %d times: %s", rows, out);
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* start, check fails with a schedule, solution refused, the solution
 * passes, progress says passed, the solution is shown. */
START_TEST(student_session)
{
	struct sandbox sb;
	sandbox_open(&sb);
	int st;
	char *out = ex(&sb, &st, "start " EX);
	ck_assert_msg(st == 0, "%s", out);
	free(out);
	out = ex(&sb, &st, "start " EX);
	ck_assert_int_eq(st, 1);   /* never overwrites */
	ck_assert_ptr_nonnull(strstr(out, "not overwriting"));
	free(out);

	out = ex(&sb, &st, "check " EX);
	ck_assert_msg(st == 6, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "FAILED " EX));
	ck_assert_ptr_nonnull(strstr(out, "--replay random:"));
	ck_assert_ptr_nonnull(strstr(out, ":S1-"));   /* explore's schedule string */
	ck_assert_ptr_nonnull(strstr(out, "the failing schedule"));
	free(out);

	out = ex(&sb, &st, "solution " EX);
	ck_assert_int_eq(st, 1);
	free(out);
	out = ex(&sb, &st, "hint " EX);
	ck_assert_int_eq(st, 0);
	ck_assert_ptr_nonnull(strstr(out, "hint 1 of"));
	free(out);

	char cmd[16384];
	snprintf(cmd, sizeof cmd, "cp '%s/" EXDIR "/solution.c' '%s/chanlab-exercises/" EX
	         "/started-channel.c'", sb.src, sb.dir);
	ck_assert_int_eq(system(cmd), 0);
	out = ex(&sb, &st, "check");
	ck_assert_msg(st == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "passed " EX));
	/* What was covered: the whole tree within the bound, then PCT and random. */
	ck_assert_msg(strstr(out, "passed " EX ": all ") != NULL, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "schedules with <= 2 preemptions"));
	ck_assert_ptr_nonnull(strstr(out, "2,000 PCT schedules"));
	ck_assert_ptr_nonnull(strstr(out, "no race, deadlock"));
	free(out);

	out = ex(&sb, &st, "list");
	ck_assert_int_eq(st, 0);
	ck_assert_ptr_nonnull(strstr(out, "passed"));
	free(out);
	out = ex(&sb, &st, "solution " EX);
	ck_assert_int_eq(st, 0);
	ck_assert_ptr_nonnull(strstr(out, "func startCache"));
	free(out);

	/* A result file, then the class table re-checks its source. */
	out = ex(&sb, &st, "check " EX " --result r.json --name ada");
	ck_assert_msg(st == 0, "%s", out);
	free(out);
	/* An existing result and a missing --name are refused before the
	 * check runs, not after it. */
	out = ex(&sb, &st, "check " EX " --result r.json --name ada");
	ck_assert_int_eq(st, 1);   /* refuses to overwrite */
	ck_assert_msg(strstr(out, "exists (--force overwrites it)") && !strstr(out, "passed"),
	              "%s", out);
	free(out);
	out = ex(&sb, &st, "check " EX " --result r2.json");
	ck_assert_int_eq(st, 64);
	ck_assert_msg(strstr(out, "--name STUDENT is required") && !strstr(out, "passed"), "%s",
	              out);
	free(out);
	/* chanlab's own errors go to stderr, the verdict to stdout. */
	snprintf(cmd, sizeof cmd, "cd '%s' && XDG_DATA_HOME='%s/data' '%s' exercise check " EX
	         " --replay garbage 2>/dev/null", sb.dir, sb.dir, sb.bin);
	out = test_run_capture(cmd, &st);
	ck_assert_int_eq(st, 64);
	ck_assert_msg(out[0] == '\0', "stdout: %s", out);
	free(out);
	out = ex(&sb, &st, "grade r.json --csv");
	ck_assert_msg(st == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "ada," EX ",pass,,1,"));
	ck_assert_ptr_nonnull(strstr(out, "re-checked"));
	ck_assert_ptr_null(strstr(out, "does not match"));
	free(out);

	/* The result's source hash is the SHA-256 of the file checked; a
	 * result whose hash was changed is flagged by grade. */
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/chanlab-exercises/" EX "/started-channel.c", sb.dir);
	size_t n;
	char *src = test_read_file(path, &n);
	ck_assert_ptr_nonnull(src);
	char hex[2 * COACH_SHA256_SIZE + 1], want[128];
	coach_sha256_hex(src, n, hex);
	free(src);
	snprintf(want, sizeof want, "\"source_hash\": \"sha256:%s\"", hex);
	snprintf(path, sizeof path, "%s/r.json", sb.dir);
	char *json = test_read_file(path, &n);
	ck_assert_ptr_nonnull(json);
	ck_assert_msg(strstr(json, want) != NULL, "no %s in\n%s", want, json);
	free(json);
	snprintf(cmd, sizeof cmd, "sed 's/\"sha256:/\"sha256:0/' '%s/r.json' > '%s/t.json'", sb.dir,
	         sb.dir);
	ck_assert_int_eq(system(cmd), 0);
	out = ex(&sb, &st, "grade t.json --trust --csv");
	ck_assert_msg(st == 1 && strstr(out, "1 result flagged"), "%d: %s", st, out);
	ck_assert_msg(strstr(out, "trusted (not re-checked); the source does not match its hash") !=
	              NULL, "%s", out);
	free(out);
	/* A file that is not there: its name and why, and no table. */
	out = ex(&sb, &st, "grade missing.json");
	ck_assert_msg(st == 1 && strstr(out, "missing.json: cannot read: No such file") &&
	              !strstr(out, "student"), "%d: %s", st, out);
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* reset keeps the student's file as NAME.c.orig (then .orig.2, ...: a
 * kept file is never replaced) and puts the skeleton back; next names the
 * first exercise not passed; hint gives the hints, then the failing
 * schedule of the student's file; solution --force shows the solution
 * before a pass and records it, which the result file and grade's note
 * carry. */
START_TEST(reset_next_and_forced_solution)
{
	struct sandbox sb;
	sandbox_open(&sb);
	int st;
	free(ex(&sb, &st, "start " EX));
	ck_assert_int_eq(st, 0);
	char path[PATH_MAX], orig[PATH_MAX + 8];
	snprintf(path, sizeof path, "%s/chanlab-exercises/" EX "/started-channel.c", sb.dir);
	snprintf(orig, sizeof orig, "%s.orig", path);
	write_file(path, "/* chanlab exercise " EX " */\n/* mine */\n");
	char *out = ex(&sb, &st, "reset " EX);
	ck_assert_msg(st == 0, "%s", out);
	free(out);
	size_t n;
	char *kept = test_read_file(orig, &n), *now = test_read_file(path, &n);
	ck_assert_ptr_nonnull(kept);
	ck_assert_ptr_nonnull(now);
	ck_assert_ptr_nonnull(strstr(kept, "/* mine */"));
	ck_assert_ptr_nonnull(strstr(now, "TODO"));
	free(kept);
	free(now);

	/* A second reset keeps the second file beside the first, never over
	 * it; a reset of the untouched skeleton keeps nothing. */
	write_file(path, "/* chanlab exercise " EX " */\n/* mine, take 2 */\n");
	out = ex(&sb, &st, "reset " EX);
	ck_assert_msg(st == 0 && strstr(out, ".orig.2"), "%s", out);
	free(out);
	char orig2[PATH_MAX + 8], orig3[PATH_MAX + 8];
	snprintf(orig2, sizeof orig2, "%s.orig.2", path);
	snprintf(orig3, sizeof orig3, "%s.orig.3", path);
	kept = test_read_file(orig, &n);
	char *kept2 = test_read_file(orig2, &n);
	ck_assert_msg(kept && strstr(kept, "/* mine */"), "the first kept file was replaced");
	ck_assert_msg(kept2 && strstr(kept2, "take 2"), "the second file was not kept");
	free(kept);
	free(kept2);
	out = ex(&sb, &st, "reset " EX);
	ck_assert_msg(st == 0 && strstr(out, "already the skeleton"), "%s", out);
	free(out);
	ck_assert_int_ne(access(orig3, F_OK), 0);

	out = ex(&sb, &st, "next");
	ck_assert_msg(st == 0 && strstr(out, "start it: chanlab exercise start " EX), "%s", out);
	free(out);

	/* The hints, gentle to explicit; past the last one, hint checks the
	 * student's file and shows where it goes wrong, with its replay. */
	int hints = 0;
	for (;; hints++) {
		out = ex(&sb, &st, "hint " EX);
		ck_assert_msg(st == 0 && hints < 20, "%s", out);
		bool more = strstr(out, "no more hints") == NULL;
		if (!more)
			ck_assert_msg(strstr(out, "FAILED " EX) && strstr(out, "--replay random:"), "%s",
			              out);
		free(out);
		if (!more)
			break;
	}
	ck_assert_int_ge(hints, 2);

	out = ex(&sb, &st, "solution " EX " --force");
	ck_assert_msg(st == 0 && strstr(out, "func startCache"), "%s", out);
	free(out);
	out = ex(&sb, &st, "check " EX " --result r.json --name bob");
	ck_assert_msg(st == 6, "%s", out);
	free(out);
	snprintf(path, sizeof path, "%s/r.json", sb.dir);
	char *json = test_read_file(path, &n);
	ck_assert_ptr_nonnull(json);
	ck_assert_msg(strstr(json, "\"solution_before_pass\": true"), "%s", json);
	free(json);
	out = ex(&sb, &st, "grade r.json --trust");
	ck_assert_msg(st == 0 && strstr(out, "the solution was shown before a pass"), "%s", out);
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* Every subcommand has its --help (exit 0, its own usage line); an unknown
 * one and a missing argument are usage errors (64). */
START_TEST(help_for_every_subcommand)
{
	static const char *const subs[] = {"list", "start", "check", "hint", "watch", "reset",
	                                   "solution", "next", "verify", "grade"};
	struct sandbox sb;
	sandbox_open(&sb);
	int st;
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		char *out = ex(&sb, &st, "%s --help", subs[i]);
		char want[64];
		snprintf(want, sizeof want, "usage: chanlab exercise %s", subs[i]);
		ck_assert_msg(st == 0 && strstr(out, want), "%s --help:\n%s", subs[i], out);
		free(out);
	}
	free(ex(&sb, &st, "no-such-subcommand"));
	ck_assert_int_eq(st, 64);
	free(ex(&sb, &st, "start"));
	ck_assert_int_eq(st, 64);
	sandbox_close(&sb);
}
END_TEST

/* The task cap and the output cap are limits: a student's file that starts
 * tasks without end, and one that prints without end, fail the limit
 * check, saying which. */
START_TEST(task_and_output_caps_are_limits)
{
	struct sandbox sb;
	sandbox_open(&sb);
	char path[400];
	snprintf(path, sizeof path, "%s/tasks.c", sb.dir);
	write_file(path, "/* chanlab exercise " EX " */\n#include \"api.h\"\n\n"
	           "static void idle(void *arg)\n{\n\t(void)arg;\n}\n\n"
	           "void start_cache(struct cache *c)\n{\n\tfor (int i = 0; i < 100000; i++)\n"
	           "\t\tcl_go(idle, NULL, \"idle\");\n\tcache_warm(c);\n}\n");
	int st;
	char *out = ex(&sb, &st, "check tasks.c");
	/* Under ASan each task costs more memory: the memory watch may stop it first. */
	ck_assert_msg(st == 6 && strstr(out, "limit check") &&
	              (strstr(out, "started more than 10000 tasks") ||
	               (test_scaled_down() && strstr(out, "MiB of memory"))), "%s", out);
	free(out);
	snprintf(path, sizeof path, "%s/chatty.c", sb.dir);
	write_file(path, "/* chanlab exercise " EX " */\n#include <stdio.h>\n#include \"api.h\"\n\n"
	           "void start_cache(struct cache *c)\n{\n\tfor (;;)\n"
	           "\t\tputs(\"still warming the cache, please wait\");\n\t(void)c;\n}\n");
	out = ex(&sb, &st, "check chatty.c");
	ck_assert_msg(st == 6 && strstr(out, "limit check") && strstr(out, "printed more than"),
	              "%s", out);
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* Ctrl-C during a check: the student's program itself sends chanlab (its
 * parent) SIGINT, then spins; chanlab stops the program, says it was
 * interrupted and exits 130, leaving no temporary folder behind. */
START_TEST(interrupted_check_exits_130)
{
	struct sandbox sb;
	sandbox_open(&sb);
	char path[400];
	snprintf(path, sizeof path, "%s/int.c", sb.dir);
	write_file(path, "/* chanlab exercise " EX " */\n#include <signal.h>\n#include <unistd.h>\n"
	           "#include \"api.h\"\n\nvoid start_cache(struct cache *c)\n{\n"
	           "\tkill(getppid(), SIGINT);\n\tfor (volatile unsigned i = 0;; i++)\n\t\t;\n"
	           "\t(void)c;\n}\n");
	char cmd[16384];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/tmp' && cd '%s' && TMPDIR='%s/tmp' "
	         "XDG_DATA_HOME='%s/data' '%s' exercise check int.c 2>&1", sb.dir, sb.dir, sb.dir,
	         sb.dir, sb.bin);
	int st;
	char *out = test_run_capture(cmd, &st);
	ck_assert_msg(st == 130 && strstr(out, "interrupted"), "status %d:\n%s", st, out);
	free(out);
	snprintf(cmd, sizeof cmd, "rmdir '%s/tmp'", sb.dir);   /* empty: the check's folder is gone */
	ck_assert_int_eq(system(cmd), 0);
	sandbox_close(&sb);
}
END_TEST

/* Copies a file of the pack into the sandbox. */
static void copy_in(struct sandbox *sb, const char *from, const char *to)
{
	char cmd[16384];
	snprintf(cmd, sizeof cmd, "cp '%s/%s' '%s/%s'", sb->src, from, sb->dir, to);
	ck_assert_int_eq(system(cmd), 0);
}

/* The replay command a failing verdict prints, without "chanlab exercise". */
static void replay_args(const char *out, char *args, size_t size)
{
	const char *r = strstr(out, "replay: chanlab exercise ");
	ck_assert_ptr_nonnull(r);
	r += strlen("replay: chanlab exercise ");
	size_t n = strcspn(r, "\n");
	ck_assert_uint_lt(n, size);
	snprintf(args, size, "%.*s", (int)n, r);
}

/* A racy solution fails with Go's race report, though its values are
 * right in every schedule: with --no-race the same file passes. */
START_TEST(race_fails_with_report)
{
	struct sandbox sb;
	sandbox_open(&sb);
	copy_in(&sb, "exercises/15-singleflight/mutants/publish-without-lock.c", "racy.c");
	int st;
	char *out = ex(&sb, &st, "check racy.c");
	ck_assert_msg(st == 6, "%s", out);
	ck_assert_msg(strstr(out, "FAILED 15-singleflight: race check") != NULL, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "WARNING: DATA RACE"));
	ck_assert_ptr_nonnull(strstr(out, "Write at f->loaded by task"));
	ck_assert_ptr_nonnull(strstr(out, "Previous read at f->loaded"));
	ck_assert_ptr_nonnull(strstr(out, "racy.c:"));
	free(out);
	if (!test_heavy_skipped("race_fails_with_report: --no-race passes")) {
		out = ex(&sb, &st, "check racy.c --no-race");
		ck_assert_msg(st == 0, "%s", out);
		ck_assert_ptr_nonnull(strstr(out, "no deadlock"));
		ck_assert_ptr_null(strstr(out, "no race"));
		free(out);
	}
	sandbox_close(&sb);
}
END_TEST

/* A failure found by the search is shrunk and printed with a replay
 * command; that command (and the schedule from a file, @FILE) fails the
 * same way and shows the schedule's trace. */
START_TEST(replay_repeats_the_failure)
{
	struct sandbox sb;
	sandbox_open(&sb);
	copy_in(&sb, "exercises/04-fan-in-closer/mutants/never-close.c", "mine.c");
	int st;
	char *out = ex(&sb, &st, "check mine.c");
	ck_assert_msg(st == 6, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "deadlock check"));
	ck_assert_ptr_nonnull(strstr(out, "the failing schedule"));
	/* The schedule is named random:1:..., but the exhaustive phase found it. */
	ck_assert_msg(strstr(out, "found in the exhaustive phase, schedule 1 of all with <= 0 "
	                          "preemptions (latency seed 1)"), "%s", out);
	char args[4096];
	replay_args(out, args, sizeof args);
	ck_assert_ptr_nonnull(strstr(args, "--replay random:"));
	ck_assert_ptr_nonnull(strstr(args, ":S1-"));
	free(out);

	out = ex(&sb, &st, "%s", args);
	ck_assert_msg(st == 6, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "deadlock check"));
	ck_assert_ptr_nonnull(strstr(out, "== end: deadlock"));
	free(out);

	char path[400];
	snprintf(path, sizeof path, "%s/sched.txt", sb.dir);
	write_file(path, strstr(args, "--replay ") + strlen("--replay "));
	out = ex(&sb, &st, "check mine.c --replay @sched.txt");
	ck_assert_msg(st == 6, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "deadlock check"));
	free(out);

	/* A file in a folder whose name the shell would read as more than a
	 * word: the replay line quotes it, so pasted, it replays and runs
	 * nothing the name says. */
	char odd[600], odd_file[700];
	snprintf(odd, sizeof odd, "%s/my dir's $(touch PWNED)", sb.dir);
	ck_assert_int_eq(mkdir(odd, 0755), 0);
	snprintf(odd_file, sizeof odd_file, "%s/mine.c", odd);
	char *mine = test_read_file("exercises/04-fan-in-closer/mutants/never-close.c", NULL);
	ck_assert_ptr_nonnull(mine);
	write_file(odd_file, mine);
	free(mine);
	snprintf(args, sizeof args, "check '%s/my dir'\\''s $(touch PWNED)/mine.c'", sb.dir);
	out = ex(&sb, &st, "%s", args);
	ck_assert_msg(st == 6, "%s", out);
	replay_args(out, args, sizeof args);
	ck_assert_msg(strstr(args, "'\\''"), "the quote is not quoted: %s", args);
	free(out);
	out = ex(&sb, &st, "%s", args);
	ck_assert_msg(st == 6 && strstr(out, "deadlock check"), "%s", out);
	free(out);
	snprintf(path, sizeof path, "%s/PWNED", sb.dir);
	ck_assert_msg(access(path, F_OK) != 0, "the replay line ran a command");

	/* A schedule of another exercise is refused, not run. */
	out = ex(&sb, &st, "check mine.c --replay random:1:S1-0000000000000000-1x3");
	ck_assert_msg(st != 0 && st != 6, "%s", out);
	ck_assert_msg(strstr(out, "cannot replay") != NULL, "%s", out);
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* A teacher's pack DIR/pack holding exercise `from` as 99-probe: its files
 * renamed, `stmt` put into test.c on a line of its own before the first
 * line holding `before` (when stmt is not NULL), and the spec's
 * `exhaustive_cap` set to cap (when cap > 0). */
static void probe_pack(struct sandbox *sb, const char *from, const char *before,
                       const char *stmt, long cap)
{
	char cmd[16384];
	snprintf(cmd, sizeof cmd, "rm -rf '%s/pack' && mkdir -p '%s/pack' && cp -r "
	         "'%s/exercises/%s' '%s/pack/99-probe' && sed -i 's/%s/99-probe/' "
	         "'%s/pack/99-probe/'*.c '%s/pack/99-probe/mutants/'*.c", sb->dir, sb->dir, sb->src,
	         from, sb->dir, from, sb->dir, sb->dir);
	ck_assert_int_eq(system(cmd), 0);
	if (cap > 0) {
		snprintf(cmd, sizeof cmd, "sed -i 's/^  preemptions: 2$/  preemptions: 2\\n  "
		         "exhaustive_cap: %ld/' '%s/pack/99-probe/spec.yaml'", cap, sb->dir);
		ck_assert_int_eq(system(cmd), 0);
	}
	if (!stmt)
		return;
	char path[400];
	snprintf(path, sizeof path, "%s/pack/99-probe/test.c", sb->dir);
	size_t len;
	char *text = test_read_file(path, &len);
	ck_assert_ptr_nonnull(text);
	char *at = strstr(text, before);
	ck_assert_msg(at != NULL, "%s: no line with '%s'", from, before);
	while (at > text && at[-1] != '\n')
		at--;
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%.*s\t%s\n%s", (int)(at - text), text, stmt, at);
	ck_assert_int_eq(fclose(f), 0);
	free(text);
}

/* Every branch of the checks whose choice was once a draw main made before
 * any scheduling decision (fixed by the latency seed, so the exhaustive
 * phase saw one or two of its values) is now reached there: a probe
 * assertion that fails in that branch only is caught in the exhaustive
 * phase when the reference solution is checked (02, 10, 13, 16, 19, 24).
 * Also the branches that follow tasks' draws (03, 08, 14, 18), which vary
 * from schedule to schedule. */
START_TEST(rare_branches_explored_exhaustively)
{
	if (test_heavy_skipped("rare_branches_explored_exhaustively"))
		return;
	static const struct {
		const char *exercise, *before, *probe;
	} probes[] = {
		{"02-stop-and-stopped", "struct service s",
		 "coach_expect(pause != 0, \"probe: stops before the first tick\");"},
		{"02-stop-and-stopped", "struct service s",
		 "coach_expect(pause == 0, \"probe: stops after some ticks\");"},
		{"03-reply-with-timeout", "if (ok)", "coach_expect(!ok, \"probe: an answer\");"},
		{"03-reply-with-timeout", "if (ok)", "coach_expect(ok, \"probe: a time-out\");"},
		{"08-worker-pool-cancel", "for (int i = 0; i < JOBS",
		 "coach_expect(cancelled, \"probe: not cancelled\");"},
		{"08-worker-pool-cancel", "for (int i = 0; i < JOBS",
		 "coach_expect(!cancelled, \"probe: cancelled\");"},
		{"10-errgroup-first-error", "cl_error err = fetch_all",
		 "coach_expect(failing >= 0, \"probe: none fails\");"},
		{"10-errgroup-first-error", "cl_error err = fetch_all",
		 "coach_expect(failing < 0, \"probe: one fails\");"},
		{"13-pipeline-stop", "cl_chan *done",
		 "coach_expect(take != 0, \"probe: takes none\");"},
		{"13-pipeline-stop", "cl_chan *done",
		 "coach_expect(take != 1, \"probe: takes one\");"},
		{"13-pipeline-stop", "cl_chan *done",
		 "coach_expect(take != N, \"probe: takes all\");"},
		{"14-hedged-request", "cl_close(p.requests)",
		 "coach_expect(b.asked == 0, \"probe: backup asked\");"},
		{"14-hedged-request", "cl_close(p.requests)",
		 "coach_expect(b.asked != 0, \"probe: backup not asked\");"},
		{"16-startup-barrier", "cl_error err = start_all",
		 "coach_expect(f.failing >= 0, \"probe: none fails\");"},
		{"16-startup-barrier", "cl_error err = start_all",
		 "coach_expect(f.failing < 0, \"probe: one fails\");"},
		{"18-pubsub-unsubscribe", "while (s->got < keep",
		 "coach_expect(keep != 0, \"probe: leaves at once\");"},
		{"18-pubsub-unsubscribe", "while (s->got < keep",
		 "coach_expect(keep != 2, \"probe: leaves after two\");"},
		{"19-drain-deadline", "int at_return",
		 "coach_expect(err != NULL, \"probe: drained in time\");"},
		{"19-drain-deadline", "int at_return",
		 "coach_expect(err == NULL, \"probe: deadline\");"},
		{"24-supervisor-restart", "cl_error err = supervise",
		 "coach_expect(s.crashes > MAX_RESTARTS, \"probe: recovers\");"},
		{"24-supervisor-restart", "cl_error err = supervise",
		 "coach_expect(s.crashes <= MAX_RESTARTS, \"probe: gives up\");"},
	};
	struct sandbox sb;
	sandbox_open(&sb);
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
		probe_pack(&sb, probes[i].exercise, probes[i].before, probes[i].probe, 0);
		int st;
		char *out = ex(&sb, &st, "check pack/99-probe/solution.c --pack pack");
		ck_assert_msg(st == 6 && strstr(out, "probe: ") &&
		              strstr(out, "found in the exhaustive phase"),
		              "%s: %s is not reached in the exhaustive phase:\n%s", probes[i].exercise,
		              probes[i].probe, out);
		free(out);
	}
	sandbox_close(&sb);
}
END_TEST

/* A failure the exhaustive phase did not reach (its cap here is one
 * schedule; the mutant fails from the third on) is named by the phase that
 * found it. */
START_TEST(verdict_names_the_phase)
{
	struct sandbox sb;
	sandbox_open(&sb);
	probe_pack(&sb, "04-fan-in-closer", NULL, NULL, 1);
	int st;
	char *out = ex(&sb, &st, "check pack/99-probe/mutants/add-inside.c --pack pack");
	ck_assert_msg(st == 6, "%s", out);
	ck_assert_msg(strstr(out, "found by PCT schedule seed ") ||
	              strstr(out, "found by random schedule seed "), "no phase named:\n%s", out);
	ck_assert_msg(!strstr(out, "found in the exhaustive phase"), "%s", out);
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* A compile error: the compiler's message names the student's file and line; exit 1. */
START_TEST(compile_error)
{
	struct sandbox sb;
	sandbox_open(&sb);
	student(&sb, "broken.c", "\tcl_go(warmer c);");
	int st;
	char *out = ex(&sb, &st, "check broken.c");
	ck_assert_msg(st == 1, "%s", out);
	ck_assert_msg(strstr(out, "broken.c:7:") != NULL, "%s", out);
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* A crash in student code is a failed check naming the signal.  The
 * address is bad but not NULL, so UBSan's null check does not turn the
 * crash into an exit(1) before the signal arrives. */
START_TEST(crash_is_a_failed_check)
{
	struct sandbox sb;
	sandbox_open(&sb);
	student(&sb, "crash.c", "\tvolatile int *p = (volatile int *)(long)16;\n\t*p = 1;\n\t(void)c;");
	int st;
	char *out = ex(&sb, &st, "check crash.c");
	ck_assert_msg(st == 6, "%s", out);
	/* SIGSEGV; a sanitizer build reports it as its own "SEGV" */
	ck_assert_msg(strstr(out, "SEGV") != NULL, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "schedule random:1"));
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* A crash in only some schedules, found by the exhaustive phase, is
 * reported with its schedule string (not the phase's run number), and
 * replaying that schedule crashes again.  main yields twice, then writes
 * through a pointer that the breaker task spoils after eight yields of its
 * own: only a schedule that switches to the breaker early and keeps it
 * running crashes (never the first, without preemption). */
START_TEST(crash_in_some_schedules_replays)
{
	struct sandbox sb;
	sandbox_open(&sb);
	char path[400];
	snprintf(path, sizeof path, "%s/crash.c", sb.dir);
	write_file(path, "/* chanlab exercise " EX " */\n#include <stdlib.h>\n#include \"api.h\"\n\n"
	           "struct box {\n\tvolatile int *p;\n\tint x;\n\tbool used;\n};\n\n"
	           "static void breaker(void *arg)\n{\n\tstruct box *b = arg;\n"
	           "\tfor (int i = 0; i < 8; i++)\n\t\tcl_yield();\n\tif (!b->used)\n"
	           "\t\tb->p = (volatile int *)(long)16;\n}\n\n"
	           "static void warmer(void *arg)\n{\n\tstruct cache *c = arg;\n\tcache_warm(c);\n"
	           "\tcl_close(c->started);\n}\n\n"
	           "void start_cache(struct cache *c)\n{\n\tstruct box *b = calloc(1, sizeof *b);\n"
	           "\tb->p = &b->x;\n\tcl_go(breaker, b, \"breaker\");\n\tcl_yield();\n\tcl_yield();\n"
	           "\t*b->p = 1;\n\tb->used = true;\n\tc->started = cl_make(\"started\", char, 0);\n"
	           "\tcl_go(warmer, c, \"warmer\");\n\tcl_recv(c->started, NULL);\n}\n");
	int st;
	char *out = ex(&sb, &st, "check crash.c");
	ck_assert_msg(st == 6, "%s", out);
	ck_assert_msg(strstr(out, "crash check") && strstr(out, "SEGV"), "%s", out);
	ck_assert_msg(strstr(out, "in schedule exhaustive-"), "not found exhaustively:\n%s", out);
	ck_assert_msg(strstr(out, "breaker"), "no trace up to the crash:\n%s", out);
	const char *r = strstr(out, "replay: chanlab exercise check crash.c --replay random:1:S1-");
	ck_assert_msg(r != NULL, "no replayable schedule:\n%s", out);
	r += strlen("replay: chanlab exercise check crash.c --replay ");
	char schedule[1000];
	snprintf(schedule, sizeof schedule, "%.*s", (int)strcspn(r, " \n"), r);
	free(out);
	out = ex(&sb, &st, "check crash.c --replay '%s'", schedule);
	ck_assert_msg(st == 6, "replay of %s:\n%s", schedule, out);
	ck_assert_msg(strstr(out, "crash check") && strstr(out, "SEGV"), "replay of %s:\n%s",
	              schedule, out);
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* A crash while a failure is being shrunk has no schedule of its own
 * that replays (the shrinker's candidates are not named): it is reported
 * with the schedule being shrunk.  The student's code counts its runs in
 * a file: the first two (PCT's step count, then exhaustive schedule 1)
 * fail the result check, the third, the shrinker's first, crashes. */
START_TEST(crash_while_shrinking_names_the_schedule)
{
	struct sandbox sb;
	sandbox_open(&sb);
	char path[400];
	snprintf(path, sizeof path, "%s/crash.c", sb.dir);
	write_file(path, "/* chanlab exercise " EX " */\n#include <stdio.h>\n#include \"api.h\"\n\n"
	           "void start_cache(struct cache *c)\n{\n\tint runs = 0;\n"
	           "\tFILE *f = fopen(\"runs\", \"r\");\n\tif (f) {\n"
	           "\t\tif (fscanf(f, \"%d\", &runs) != 1)\n\t\t\truns = 0;\n\t\tfclose(f);\n\t}\n"
	           "\tf = fopen(\"runs\", \"w\");\n\tif (f) {\n\t\tfprintf(f, \"%d\\n\", runs + 1);\n"
	           "\t\tfclose(f);\n\t}\n\tif (runs >= 2) {\n"
	           "\t\tvolatile int *p = (volatile int *)(long)16;\n\t\t*p = 1;\n\t}\n"
	           "\t(void)c;\n}\n");
	int st;
	char *out = ex(&sb, &st, "check crash.c");
	ck_assert_msg(st == 6, "%s", out);
	ck_assert_msg(strstr(out, "crash check") && strstr(out, "in schedule shrink-1") &&
	              strstr(out, "while shrinking a schedule that fails the result check"), "%s",
	              out);
	ck_assert_msg(strstr(out, "found while shrinking"), "%s", out);
	ck_assert_msg(strstr(out, "replay: chanlab exercise check crash.c --replay random:1:S1-"),
	              "no replayable schedule:\n%s", out);
	free(out);

	/* A limit is not shrunk but replayed once more for its words: the
	 * second run spins (a step limit), the third, that replay, crashes,
	 * and is reported with the decisions it had made (coach/crash.c). */
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "cd '%s' && rm -f runs && sed -i 's/^\tif (runs >= 2) {/\tif "
	         "(runs == 1)\\n\t\tfor (;;)\\n\t\t\tcl_yield();\\n\tif (runs >= 2) {/' "
	         "crash.c", sb.dir);
	ck_assert_int_eq(system(cmd), 0);
	out = ex(&sb, &st, "check crash.c");
	ck_assert_msg(st == 6, "%s", out);
	ck_assert_msg(strstr(out, "crash check") && strstr(out, "in schedule replay-1") &&
	              strstr(out, "found while replaying"), "%s", out);
	ck_assert_msg(strstr(out, "replay: chanlab exercise check crash.c --replay random:1:S1-"),
	              "no replayable schedule:\n%s", out);
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* A program that never returns is stopped by a limit.  Its counter is
 * unsigned: a signed one overflows (undefined) within the CPU second on a
 * fast run, and the UBSan build's student program then ends with UBSan's
 * exit status 1 instead of the limit. */
START_TEST(never_returns_hits_a_limit)
{
	struct sandbox sb;
	sandbox_open(&sb);
	student(&sb, "spin.c", "\tfor (volatile unsigned i = 0;; i++)\n\t\t;\n\t(void)c;");
	int st;
	char *out = ex(&sb, &st, "check spin.c --timeout 1");
	ck_assert_msg(st == 6, "%s", out);
	ck_assert_msg(strstr(out, "limit check") != NULL, "%s", out);
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* exit(0) in student code is no pass. */
START_TEST(exit_zero_is_no_pass)
{
	struct sandbox sb;
	sandbox_open(&sb);
	student(&sb, "quit.c", "\t(void)c;\n\texit(0);");
	int st;
	char *out = ex(&sb, &st, "check quit.c");
	ck_assert_msg(st == 6, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "exited with status 0"));
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* Writable globals and statics are refused with their names. */
START_TEST(globals_refused)
{
	struct sandbox sb;
	sandbox_open(&sb);
	char path[400];
	snprintf(path, sizeof path, "%s/glob.c", sb.dir);
	write_file(path, "/* chanlab exercise " EX " */\n#include \"api.h\"\nint calls;\n"
	           "void start_cache(struct cache *c)\n{\n\tstatic int seen;\n\tseen++;\n"
	           "\tcalls += seen;\n\tcache_warm(c);\n}\n");
	int st;
	char *out = ex(&sb, &st, "check glob.c");
	ck_assert_msg(st == 6, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "'calls'"));
	ck_assert_ptr_nonnull(strstr(out, "'seen'"));
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* No compiler: one line naming the Debian package, exit 1. */
START_TEST(no_compiler)
{
	struct sandbox sb;
	sandbox_open(&sb);
	student(&sb, "x.c", "\tcache_warm(c);");
	char cmd[16384];
	snprintf(cmd, sizeof cmd, "cd '%s' && env -u CC PATH= XDG_DATA_HOME='%s/data' '%s' exercise "
	         "check x.c 2>&1", sb.dir, sb.dir, sb.bin);
	int st;
	char *out = test_run_capture(cmd, &st);
	ck_assert_msg(st == 1, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "build-essential"));
	ck_assert_ptr_null(strchr(out, '\n') ? strchr(strchr(out, '\n') + 1, '\n') : NULL);
	free(out);
	sandbox_close(&sb);
}
END_TEST

/* watch --poll checks, notices a saved change by polling, checks again. */
START_TEST(watch_polls)
{
	struct sandbox sb;
	sandbox_open(&sb);
	student(&sb, "w.c", "\t(void)c;");
	char cmd[16384], path[400];
	snprintf(cmd, sizeof cmd, "cd '%s' && NO_COLOR=1 XDG_DATA_HOME='%s/data' '%s' exercise "
	         "watch w.c --poll --max-checks 2 2>&1", sb.dir, sb.dir, sb.bin);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char line[1000];
	bool first_failed = false, watching = false;
	while (fgets(line, sizeof line, p)) {
		if (strstr(line, "FAILED " EX))
			first_failed = true;
		if (strstr(line, "watching") && strstr(line, "polling every second")) {
			watching = true;
			break;
		}
	}
	ck_assert(first_failed && watching);
	snprintf(path, sizeof path, "%s/w.c", sb.dir);
	char sol[PATH_MAX + 64];
	snprintf(sol, sizeof sol, "%s/" EXDIR "/solution.c", sb.src);
	char *text = test_read_file(sol, NULL);
	ck_assert_ptr_nonnull(text);
	write_file(path, text);
	free(text);
	bool changed = false, passed = false;
	while (fgets(line, sizeof line, p)) {
		changed |= strstr(line, "changed: checking again") != NULL;
		passed |= strstr(line, "passed " EX) != NULL;
	}
	int st = pclose(p);
	ck_assert(changed);
	ck_assert(passed);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	sandbox_close(&sb);
}
END_TEST

/* Each exercise's solution.go passes go vet and runs (when go is
 * installed; release builds only: sanitizer builds scale tests down). */
START_TEST(go_solutions_vet_and_run)
{
	if (getenv("CHANLAB_TEST_SCALE") || system("command -v go >/dev/null 2>&1") != 0) {
		fprintf(stderr, "go_solutions_vet_and_run: skipped (no go, or a scaled-down build)\n");
		return;
	}
	int st;
	char *out = test_run_capture("cd exercises && for f in */solution.go; do "
	                             "GOCACHE=${GOCACHE:-/tmp/chanlab-gocache} go vet \"$f\" && "
	                             "GOCACHE=${GOCACHE:-/tmp/chanlab-gocache} go run \"$f\" "
	                             ">/dev/null || { echo \"FAILED $f\"; exit 1; }; done 2>&1", &st);
	ck_assert_msg(st == 0, "%s", out);
	free(out);
}
END_TEST

Suite *suite_coach(void)
{
	Suite *s = suite_create("coach");
	TCase *tc = tcase_create("exercise");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, verify_shipped_pack);
	tcase_add_test(tc, verify_rejects_weak_spec);
	tcase_add_test(tc, pack_problems_are_named);
	tcase_add_test(tc, student_session);
	tcase_add_test(tc, help_for_every_subcommand);
	tcase_add_test(tc, task_and_output_caps_are_limits);
	tcase_add_test(tc, interrupted_check_exits_130);
	tcase_add_test(tc, reset_next_and_forced_solution);
	tcase_add_test(tc, race_fails_with_report);
	tcase_add_test(tc, replay_repeats_the_failure);
	tcase_add_test(tc, rare_branches_explored_exhaustively);
	tcase_add_test(tc, verdict_names_the_phase);
	tcase_add_test(tc, compile_error);
	tcase_add_test(tc, crash_is_a_failed_check);
	tcase_add_test(tc, crash_in_some_schedules_replays);
	tcase_add_test(tc, crash_while_shrinking_names_the_schedule);
	tcase_add_test(tc, never_returns_hits_a_limit);
	tcase_add_test(tc, exit_zero_is_no_pass);
	tcase_add_test(tc, globals_refused);
	tcase_add_test(tc, no_compiler);
	tcase_add_test(tc, watch_polls);
	tcase_add_test(tc, go_solutions_vet_and_run);
	suite_add_tcase(s, tc);
	return s;
}
