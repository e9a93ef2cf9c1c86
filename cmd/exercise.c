/*
 * exercise.c - the 'exercise' subcommand: list, start, check, hint, watch,
 * reset, solution, next, verify, grade (docs/chanlab.1, "EXERCISES").
 *
 * The pack, headers and libraries come from the build tree when this
 * binary runs from it (the build's own flags: an ASan build checks with
 * ASan), else from the installed prefix (its pkg-config file).  Progress
 * lives in the quiz's database: the quiz store opens and checks the file,
 * then coach/store.c adds the exercise tables.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "coach/check.h"
#include "coach/pack.h"
#include "coach/store.h"
#include "coach/sha256.h"
#include "cmd/cmd.h"
#include "cmd/interrupt.h"
#include "cmd/outfile.h"
#include "cmd/quiz_bank.h"
#include "quiz/bank.h"
#include "quiz/grade.h"
#include "quiz/present.h"
#include "quiz/store.h"

#ifndef CHANLAB_SRCDIR
#define CHANLAB_SRCDIR ""
#endif
#ifndef CHANLAB_BUILDDIR
#define CHANLAB_BUILDDIR ""
#endif
#ifndef CHANLAB_BUILD_SANFLAGS
#define CHANLAB_BUILD_SANFLAGS ""
#endif
/* What the runtime needs of student code, which runs on task stacks:
 * stack probing (a big frame cannot jump a stack's guard page) and frame
 * pointers (cl_recover finds its deferred caller by them); the Makefile's. */
#ifndef CHANLAB_RUNTIME_CFLAGS
#define CHANLAB_RUNTIME_CFLAGS "-fstack-clash-protection -fno-omit-frame-pointer"
#endif
#ifndef CHANLAB_PREFIX
#define CHANLAB_PREFIX "/usr/local"
#endif

#define MAX_PACKS 8

static const char usage_text[] =
	"usage: chanlab exercise list [--pack DIR]... [--db PATH]\n"
	"       chanlab exercise start NAME [--dir DIR]\n"
	"       chanlab exercise check [NAME | FILE] [--replay SCHEDULE|@FILE]\n"
	"                              [--no-race] [--result FILE --name STUDENT\n"
	"                              [--force]]\n"
	"       chanlab exercise hint [NAME]\n"
	"       chanlab exercise watch [NAME | FILE] [--poll]\n"
	"       chanlab exercise reset NAME\n"
	"       chanlab exercise solution NAME [--force]\n"
	"       chanlab exercise next\n"
	"       chanlab exercise verify [--pack DIR]...\n"
	"       chanlab exercise grade RESULT... [--trust] [--csv]\n"
	"\n"
	"Concurrency exercises in C on chanlab's runtime, checked over thousands of\n"
	"schedules: start one, edit the file, check it; a failure shows the schedule\n"
	"that breaks it and how to replay it; hints go from gentle to explicit.\n"
	"\n"
	"options (every subcommand):\n"
	"  --pack DIR    also use the exercises of a teacher's pack (repeatable)\n"
	"  --db PATH     progress database (default: the quiz's)\n"
	"\n"
	"exit: 0 ok or passed, 6 a check failed (crash, limit, race included),\n"
	"      1 compile error, no compiler or another error, 64 usage, 130 interrupted\n";

static const char *const sub_help[][2] = {
	{"list", "usage: chanlab exercise list [--pack DIR]... [--db PATH]\n\n"
	         "The exercises by level with their status (new, started, passed); the next one\n"
	         "to do is marked with '>'.\n"},
	{"start", "usage: chanlab exercise start NAME [--dir DIR]\n\n"
	          "Copies the exercise's skeleton (and its api.h, to read) into DIR (default\n"
	          "./chanlab-exercises/NN-name/); never overwrites a file (exit 1).\n"},
	{"check", "usage: chanlab exercise check [NAME | FILE] [--replay SCHEDULE|@FILE]\n"
	          "                              [--no-race] [--timeout S]\n"
	          "                              [--result FILE --name STUDENT [--force]]\n\n"
	          "Compiles the file with the system C compiler, runs it in a child process with\n"
	          "limits: every schedule with at most the exercise's preemption bound, then PCT\n"
	          "and random schedules, with the race detector on (--no-race: off).  A failure\n"
	          "is shrunk to its fewest preemptions and decisions and shown with its trace and\n"
	          "replay command (--replay runs that one schedule; @FILE reads it from a file).\n"
	          "--result writes a JSON result with the source embedded (refuses to overwrite\n"
	          "without --force).\n"
	          "exit: 0 pass, 6 failed check, 1 compile error or no compiler, 64 usage,\n"
	          "      130 interrupted\n"},
	{"hint", "usage: chanlab exercise hint [NAME]\n\n"
	         "The next hint, gentle first; after the last, the failing schedule of your code.\n"},
	{"watch", "usage: chanlab exercise watch [NAME | FILE] [--poll]\n\n"
	          "Checks again on every save (inotify and a 1 s poll of the modification time);\n"
	          "--poll polls only (for folders that deliver no events).  Ctrl-C stops.\n"},
	{"reset", "usage: chanlab exercise reset NAME\n\n"
	          "Puts the skeleton back; your file is kept as FILE.orig.\n"},
	{"solution", "usage: chanlab exercise solution NAME [--force]\n\n"
	             "The reference solution in Go and in C, after a pass; --force shows it before\n"
	             "and records that it did.\n"},
	{"next", "usage: chanlab exercise next\n\nThe first exercise not passed yet, and how to start it.\n"},
	{"verify", "usage: chanlab exercise verify [--pack DIR]...\n\n"
	           "For each exercise of the pack: the spec is valid, the hints are not empty, the\n"
	           "skeleton fails its checks, the solution passes, each mutant is caught by the\n"
	           "check its header names.  Progress on stderr.  Exit 1 on any problem.\n"},
	{"grade", "usage: chanlab exercise grade RESULT... [--trust] [--csv]\n\n"
	          "The class table of result files.  Each embedded source is checked again (this\n"
	          "runs student code as you, with limits but no sandbox); --trust takes the\n"
	          "files' verdicts and marks those rows.  A source that does not match its\n"
	          "hash, or a verdict that differs when checked again, is flagged (exit 1).\n"},
};

struct opts {
	const char *packs[MAX_PACKS];
	int npacks;
	const char *db;
	const char *dir;
	const char *replay;
	const char *result;
	const char *student;
	bool force, poll, trust, csv, no_race;
	long max_checks;         /* watch: stop after this many checks (tests) */
	int timeout;             /* check: wall-clock seconds */
	const char *pos[64];
	int npos;
};

struct ctx {
	struct opts o;
	struct coach_pack pack;
	struct coach_toolchain tc;
	bool have_tc;
	struct coach_store *store;
	char dbpath[4096];
	struct coach_diag load_diag;   /* problems found loading the packs */
};

static bool in_build_tree(void)
{
	char exe[PATH_MAX];
	if (!CHANLAB_SRCDIR[0] || !realpath("/proc/self/exe", exe))
		return false;
	size_t n = strlen(CHANLAB_SRCDIR);
	char lib[PATH_MAX];
	snprintf(lib, sizeof lib, "%s/libcoach.a", CHANLAB_BUILDDIR);
	return strncmp(exe, CHANLAB_SRCDIR, n) == 0 && exe[n] == '/' && access(lib, R_OK) == 0;
}

/* The prefix chanlab was installed under: PREFIX/bin/chanlab when the
 * binary sits beside an installed pack (so an install moved elsewhere, or
 * made with DESTDIR, still finds its own headers and libraries), else the
 * PREFIX it was built for. */
enum { PREFIX_MAX = 1024 };
static void install_prefix(char buf[PREFIX_MAX])
{
	char exe[PATH_MAX], pack[PATH_MAX + 32];
	snprintf(buf, PREFIX_MAX, "%s", CHANLAB_PREFIX);
	if (!realpath("/proc/self/exe", exe) || strlen(exe) >= PREFIX_MAX)
		return;
	char *slash = strrchr(exe, '/');
	if (!slash || slash - exe < 4 || strncmp(slash - 4, "/bin", 4) != 0)
		return;
	slash[-4] = '\0';
	snprintf(pack, sizeof pack, "%s/share/chanlab/exercises", exe[0] ? exe : "");
	if (access(pack, R_OK) == 0) {
		if (!exe[0])
			strcpy(exe, "/");
		memcpy(buf, exe, strlen(exe) + 1);   /* shorter than PREFIX_MAX, checked above */
	}
}

static void shipped_pack(char *buf, size_t size)
{
	char prefix[PREFIX_MAX];
	if (in_build_tree())
		snprintf(buf, size, "%s/exercises", CHANLAB_SRCDIR);
	else {
		install_prefix(prefix);
		snprintf(buf, size, "%s/share/chanlab/exercises", prefix);
	}
}

/* Reads one line of a command's output. */
static bool command_line(const char *cmd, char *buf, size_t size)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		return false;
	bool ok = fgets(buf, (int)size, p) != NULL;
	if (pclose(p) != 0)
		ok = false;
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* pkg-config's WHAT for the chanlab installed under prefix, into flags.
 * --define-prefix: the .pc file's own location gives the prefix, as
 * install_prefix does for the binary. */
static bool pkg_config(const char *prefix, const char *what, char *flags, size_t size)
{
	char cmd[PREFIX_MAX + 200];
	snprintf(cmd, sizeof cmd, "PKG_CONFIG_PATH='%s/lib/pkgconfig'${PKG_CONFIG_PATH:+:"
	         "$PKG_CONFIG_PATH} pkg-config --define-prefix %s chanlab 2>/dev/null", prefix, what);
	return command_line(cmd, flags, size);
}

/* 0, or the exit code after one line on stderr. */
static int find_toolchain(struct ctx *c)
{
	if (c->have_tc)
		return 0;
	if (coach_find_cc(c->tc.cc, sizeof c->tc.cc) != 0)
		return cmd_fail(CL_EXIT_ERROR, "no C compiler found ('%s' is not in PATH): install the "
		                "Debian package build-essential", getenv("CC") && *getenv("CC") ?
		                getenv("CC") : "cc");
	if (in_build_tree()) {
		snprintf(c->tc.cflags, sizeof c->tc.cflags,
		         "-std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Wno-unused-parameter %s %s -I%s",
		         CHANLAB_BUILD_SANFLAGS, CHANLAB_RUNTIME_CFLAGS, CHANLAB_SRCDIR);
		snprintf(c->tc.libs, sizeof c->tc.libs,
		         "%s %s/libcoach.a %s/libexplore.a %s/librender.a %s/libruntime.a -lpthread -lm",
		         CHANLAB_BUILD_SANFLAGS, CHANLAB_BUILDDIR, CHANLAB_BUILDDIR, CHANLAB_BUILDDIR,
		         CHANLAB_BUILDDIR);
	} else {
		char flags[1500], prefix[PREFIX_MAX];
		install_prefix(prefix);
		if (pkg_config(prefix, "--cflags", flags, sizeof flags))
			snprintf(c->tc.cflags, sizeof c->tc.cflags, "-g -O1 -Wall -Wextra "
			         "-Wno-unused-parameter %s", flags);
		else
			snprintf(c->tc.cflags, sizeof c->tc.cflags, "-std=c11 -D_GNU_SOURCE -g -O1 -Wall "
			         "%s -I%s/include/chanlab", CHANLAB_RUNTIME_CFLAGS, prefix);
		if (pkg_config(prefix, "--libs --static", flags, sizeof flags))
			snprintf(c->tc.libs, sizeof c->tc.libs, "%s", flags);
		else
			snprintf(c->tc.libs, sizeof c->tc.libs, "-L%s/lib/chanlab -lcoach -lexplore "
			         "-lrender -lruntime -lpthread -lm", prefix);
	}
	c->have_tc = true;
	return 0;
}

static int load_pack(struct ctx *c, bool verbose_later)
{
	char shipped[4096];
	shipped_pack(shipped, sizeof shipped);
	const char *dirs[MAX_PACKS + 1];
	int n = 0;
	struct stat st;
	if (stat(shipped, &st) == 0)
		dirs[n++] = shipped;
	for (int i = 0; i < c->o.npacks; i++)
		dirs[n++] = c->o.packs[i];
	int rc = coach_pack_load(dirs, n, &c->pack, &c->load_diag);
	/* verify reports these itself, with everything else it finds. */
	for (int i = 0; (!verbose_later || rc != 0) && i < c->load_diag.n; i++)
		fprintf(stderr, "chanlab: %s\n", c->load_diag.lines[i]);
	if (rc != 0)
		return CL_EXIT_ERROR;
	if (c->pack.n == 0)
		return cmd_fail(CL_EXIT_ERROR, "no exercises found (looked in %s)", shipped);
	return 0;
}

static int open_store(struct ctx *c)
{
	if (c->store)
		return 0;
	if (c->o.db)
		snprintf(c->dbpath, sizeof c->dbpath, "%s", c->o.db);
	else if (quiz_store_default_path(c->dbpath, sizeof c->dbpath))
		return cmd_fail(CL_EXIT_ERROR, "no place for the progress database (set XDG_DATA_HOME "
		                "or HOME, or use --db PATH)");
	struct quiz_store *qs;
	struct quiz_err qerr;
	if (quiz_store_open(c->dbpath, &qs, &qerr))
		return cmd_fail(CL_EXIT_ERROR, "%s", qerr.msg);
	quiz_store_close(qs);
	char err[600];
	if (coach_store_open(c->dbpath, &c->store, err, sizeof err))
		return cmd_fail(CL_EXIT_ERROR, "%s", err);
	return 0;
}

static const struct coach_spec *find_spec(struct ctx *c, const char *name)
{
	const struct coach_spec *s = coach_pack_find(&c->pack, name);
	if (!s)
		cmd_fail(CL_EXIT_USAGE, "no exercise '%s' (see 'chanlab exercise list')", name);
	return s;
}

/* The folder an exercise is worked in: where it was started, else the default. */
static void work_file(struct ctx *c, const struct coach_spec *s, char *buf, size_t size)
{
	char file[256];
	coach_student_file(s, file, sizeof file);
	struct coach_progress p = {0};
	if (c->store)
		coach_store_get(c->store, s->name, &p);
	if (p.dir[0])
		snprintf(buf, size, "%s/%s", p.dir, file);
	else
		snprintf(buf, size, "chanlab-exercises/%s/%s", s->name, file);
}

/* The exercise named by a file's first line ("chanlab exercise NAME"). */
static const struct coach_spec *spec_of_file(struct ctx *c, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char line[256], name[128];
	const struct coach_spec *s = NULL;
	for (int i = 0; i < 5 && fgets(line, sizeof line, f); i++)
		if (sscanf(line, "/* chanlab exercise %127s", name) == 1) {
			s = coach_pack_find(&c->pack, name);
			break;
		}
	fclose(f);
	return s;
}

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Resolves [NAME | FILE] into the spec and the student's file; an exit
 * code after a message on failure. */
static int target(struct ctx *c, const char *arg, const struct coach_spec **spec, char *file,
                  size_t size)
{
	if (arg && (is_file(arg) || strstr(arg, ".c"))) {
		if (!is_file(arg))
			return cmd_fail(CL_EXIT_ERROR, "%s: no such file", arg);
		snprintf(file, size, "%s", arg);
		*spec = spec_of_file(c, arg);
		if (!*spec)
			return cmd_fail(CL_EXIT_ERROR, "%s: not an exercise file (its first line names "
			                "the exercise: /* chanlab exercise NAME */)", arg);
		return 0;
	}
	if (arg) {
		if (!(*spec = find_spec(c, arg)))
			return CL_EXIT_USAGE;
		work_file(c, *spec, file, size);
		return 0;
	}
	/* No argument: an exercise file in this folder, else the current exercise. */
	for (int i = 0; i < c->pack.n; i++) {
		char f[256];
		coach_student_file(c->pack.ex[i], f, sizeof f);
		if (is_file(f)) {
			snprintf(file, size, "%s", f);
			*spec = c->pack.ex[i];
			return 0;
		}
	}
	char name[128];
	if (c->store && coach_store_current(c->store, name, sizeof name) == 0 &&
	    (*spec = coach_pack_find(&c->pack, name))) {
		work_file(c, *spec, file, size);
		return 0;
	}
	return cmd_fail(CL_EXIT_USAGE, "which exercise? name one, or start one first "
	                "('chanlab exercise list')");
}

static int copy_file(const char *from, const char *to, bool overwrite)
{
	size_t n;
	char *data = coach_read_file(from, &n);
	if (!data)
		return cmd_fail(CL_EXIT_ERROR, "%s: cannot read: %s", from, strerror(errno));
	int fd = open(to, O_WRONLY | O_CREAT | (overwrite ? O_TRUNC : O_EXCL), 0644);
	if (fd < 0) {
		free(data);
		return cmd_fail(CL_EXIT_ERROR, "%s: %s", to, errno == EEXIST ?
		                "already exists; not overwriting it (reset NAME starts over)" :
		                strerror(errno));
	}
	bool ok = true;
	for (size_t done = 0; ok && done < n;) {
		ssize_t w = write(fd, data + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		ok = w > 0;
		if (ok)
			done += (size_t)w;
	}
	ok = close(fd) == 0 && ok;
	free(data);
	return ok ? 0 : cmd_fail(CL_EXIT_ERROR, "%s: cannot write: %s", to, strerror(errno));
}

static int mkdirs(const char *dir)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", dir);
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || !*p) {
			char ch = *p;
			*p = '\0';
			if (mkdir(buf, 0755) != 0 && errno != EEXIST)
				return cmd_fail(CL_EXIT_ERROR, "%s: cannot create: %s", buf, strerror(errno));
			*p = ch;
			if (!ch)
				return 0;
		}
	}
}

/* ---- list, next, start ------------------------------------------------------ */

static const char *status_of(struct ctx *c, const struct coach_spec *s)
{
	struct coach_progress p;
	coach_store_get(c->store, s->name, &p);
	return p.passes ? "passed" : p.started || p.attempts ? "started" : "new";
}

static const struct coach_spec *next_spec(struct ctx *c)
{
	for (int lv = 0; lv < 4; lv++)
		for (int i = 0; i < c->pack.n; i++)
			if (c->pack.ex[i]->level_rank == lv && strcmp(status_of(c, c->pack.ex[i]), "passed"))
				return c->pack.ex[i];
	return NULL;
}

static int do_list(struct ctx *c)
{
	static const char *const levels[] = {"junior", "middle", "senior", "staff"};
	const struct coach_spec *next = next_spec(c);
	for (int lv = 0; lv < 4; lv++) {
		bool head = false;
		for (int i = 0; i < c->pack.n; i++) {
			const struct coach_spec *s = c->pack.ex[i];
			if (s->level_rank != lv)
				continue;
			if (!head)
				printf("%s%s:\n", lv ? "\n" : "", levels[lv]);
			head = true;
			printf("%c %-28s %-8s %s\n", s == next ? '>' : ' ', s->name, status_of(c, s),
			       s->title);
		}
	}
	if (next)
		printf("\nnext: chanlab exercise start %s\n", next->name);
	else
		printf("\nevery exercise passed\n");
	/* The problems were printed as the pack loaded. */
	if (c->pack.left_out)
		return cmd_fail(CL_EXIT_ERROR, "%d exercise%s left out (see above)", c->pack.left_out,
		                c->pack.left_out == 1 ? "" : "s");
	return 0;
}

static int do_next(struct ctx *c)
{
	const struct coach_spec *s = next_spec(c);
	if (!s) {
		printf("every exercise passed\n");
		return 0;
	}
	printf("%s (%s): %s\n", s->name, s->level, s->title);
	cmd_print_item(stdout, "", 2, s->summary, 78);
	printf("start it: chanlab exercise start %s\n", s->name);
	return 0;
}

static int do_start(struct ctx *c)
{
	if (c->o.npos != 1)
		return cmd_fail(CL_EXIT_USAGE, "exercise start: name one exercise");
	const struct coach_spec *s = find_spec(c, c->o.pos[0]);
	if (!s)
		return CL_EXIT_USAGE;
	char dir[4096], file[256], to[4400], from[4400];
	if (c->o.dir)
		snprintf(dir, sizeof dir, "%s", c->o.dir);
	else
		snprintf(dir, sizeof dir, "chanlab-exercises/%s", s->name);
	int rc = mkdirs(dir);
	if (rc)
		return rc;
	coach_student_file(s, file, sizeof file);
	snprintf(to, sizeof to, "%s/%s", dir, file);
	snprintf(from, sizeof from, "%s/exercise.c", s->dir);
	if ((rc = copy_file(from, to, false)))
		return rc;
	snprintf(to, sizeof to, "%s/api.h", dir);
	snprintf(from, sizeof from, "%s/api.h", s->dir);
	if (is_file(from) && !is_file(to) && (rc = copy_file(from, to, false)))
		return rc;
	char absdir[4096];
	if (!realpath(dir, absdir))
		snprintf(absdir, sizeof absdir, "%s", dir);
	coach_store_started(c->store, s->name, absdir);
	printf("%s: %s (%s)\n\n", s->name, s->title, s->level);
	cmd_print_item(stdout, "", 2, s->summary, 78);
	putchar('\n');
	printf("your file: %s/%s (api.h beside it says what is given)\n", dir, file);
	printf("edit the TODOs, then: chanlab exercise check %s\n", s->name);
	printf("re-check on every save: chanlab exercise watch %s\n", s->name);
	printf("stuck: chanlab exercise hint %s\n", s->name);
	return 0;
}

/* ---- check ---------------------------------------------------------------------- */

static void check_opts(struct ctx *c, struct coach_check_opts *co)
{
	memset(co, 0, sizeof *co);
	co->limits = (struct coach_limits){.cpu_seconds = 20, .wall_seconds = 60, .rss_mib = 512,
	                                   .output_kib = 256, .task_cap = 10000};
	if (c->o.timeout > 0) {
		co->limits.wall_seconds = c->o.timeout;
		if (co->limits.cpu_seconds > c->o.timeout)
			co->limits.cpu_seconds = c->o.timeout;
	}
	co->color = cmd_use_color(stdout);
	co->width = getenv("COLUMNS") ? atoi(getenv("COLUMNS")) : 100;
	co->interrupt = (volatile int *)cmd_interrupt_flag();
	co->replay = c->o.replay;
	co->no_race = c->o.no_race;
}

static int exit_of(const struct coach_verdict *v)
{
	switch (v->status) {
	case COACH_PASS: return CL_EXIT_OK;
	case COACH_FAIL: return CL_EXIT_EXPLORE;
	case COACH_INTERRUPTED: return CL_EXIT_INTERRUPTED;
	default: return strcmp(v->kind, "usage") == 0 ? CL_EXIT_USAGE : CL_EXIT_ERROR;
	}
}

static int write_result(struct ctx *c, const struct coach_spec *s, const char *file,
                        const struct coach_verdict *v)
{
	size_t n;
	char *src = coach_read_file(file, &n);
	if (!src)
		return cmd_fail(CL_EXIT_ERROR, "%s: cannot read: %s", file, strerror(errno));
	struct coach_progress p;
	coach_store_get(c->store, s->name, &p);
	char hash[8 + 2 * COACH_SHA256_SIZE], hex[2 * COACH_SHA256_SIZE + 1], stamp[40];
	coach_sha256_hex(src, n, hex);
	snprintf(hash, sizeof hash, "sha256:%s", hex);
	time_t t = time(NULL);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	json_t *j = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:i, s:i, s:i, s:i}, s:i, "
	                      "s:I, s:s, s:s, s:s, s:s, s:b}",
	                      "format", 1, "exercise", s->name, "student", c->o.student,
	                      "verdict", v->status == COACH_PASS ? "pass" : "fail",
	                      "check", v->status == COACH_PASS ? "" : v->kind, "why", v->why,
	                      "schedule", v->schedule, "coverage", "schedules", (int)v->schedules,
	                      "random", (int)v->random, "pct", (int)v->pct, "exhaustive",
	                      (int)v->exhaustive, "hints_used", p.hints, "seconds",
	                      (json_int_t)(p.started && p.first_pass ? p.first_pass - p.started :
	                                   p.started ? (int64_t)t - p.started : 0),
	                      "source_hash", hash, "source", src, "chanlab_version",
	                      CHANLAB_VERSION, "timestamp", stamp,
	                      "solution_before_pass", (int)p.solution_forced);
	free(src);
	if (!j)
		return cmd_fail(CL_EXIT_ERROR, "cannot build the result (is the source valid UTF-8?)");
	struct cmd_outfile out;
	int rc = cmd_outfile_open(&out, c->o.result, c->o.force);
	if (!rc) {
		if (json_dumpf(j, out.f, JSON_INDENT(2) | JSON_SORT_KEYS) != 0 || fputc('\n', out.f) < 0) {
			rc = cmd_fail(CL_EXIT_ERROR, "%s: cannot write: %s", c->o.result, strerror(errno));
			cmd_outfile_abort(&out);
		} else {
			rc = cmd_outfile_commit(&out);
		}
	}
	json_decref(j);
	if (!rc)
		fprintf(stderr, "result written to %s\n", c->o.result);
	return rc;
}

/* The verdict on stdout; chanlab's own errors (a bad --replay, no
 * compiler, a temp folder it cannot write) on stderr, as every error. */
static void print_verdict(const struct coach_spec *s, const char *file,
                          const struct coach_verdict *v)
{
	if (v->status == COACH_ERROR || v->status == COACH_NO_CC)
		cmd_fail(0, "%s", v->why);
	else if (v->status == COACH_INTERRUPTED)
		fprintf(stderr, "%s\n", v->why);
	else
		coach_verdict_print(stdout, s, file, v);
}

static int check_one(struct ctx *c, const struct coach_spec *s, const char *file, bool record,
                     struct coach_verdict *v)
{
	int rc = find_toolchain(c);
	if (rc)
		return rc;
	struct coach_check_opts co;
	check_opts(c, &co);
	coach_check(&c->tc, s, file, &co, v);
	if (record && c->store && !co.replay &&
	    (v->status == COACH_PASS || v->status == COACH_FAIL || v->status == COACH_COMPILE))
		coach_store_checked(c->store, s->name,
		                    v->status == COACH_PASS ? "pass" : v->kind, v->schedule);
	return -1;
}

static int do_check(struct ctx *c)
{
	if (c->o.npos > 1)
		return cmd_fail(CL_EXIT_USAGE, "exercise check: one NAME or FILE");
	const struct coach_spec *s;
	char file[4400];
	int rc = target(c, c->o.npos ? c->o.pos[0] : NULL, &s, file, sizeof file);
	if (rc)
		return rc;
	if (!is_file(file))
		return cmd_fail(CL_EXIT_ERROR, "%s: no such file (start it: chanlab exercise start %s)",
		                file, s->name);
	/* A result that could not be written is refused before the check. */
	if (c->o.result && !c->o.student)
		return cmd_fail(CL_EXIT_USAGE, "exercise check --result: --name STUDENT is required");
	if (c->o.result && (rc = cmd_outfile_check(c->o.result, c->o.force)))
		return rc;
	struct coach_verdict v;
	if ((rc = check_one(c, s, file, true, &v)) >= 0)
		return rc;
	if (c->o.replay && v.trace && v.status == COACH_PASS)
		fputs(v.trace, stdout);   /* a failure prints its trace in the verdict */
	print_verdict(s, file, &v);
	if (v.status == COACH_PASS && !c->o.replay)
		printf("the reference solution, in Go and C: chanlab exercise solution %s\n", s->name);
	rc = exit_of(&v);
	if (c->o.result && (v.status == COACH_PASS || v.status == COACH_FAIL)) {
		int wr = write_result(c, s, file, &v);
		if (wr)
			rc = wr;
	}
	coach_verdict_free(&v);
	return rc;
}

/* ---- hint, reset, solution -------------------------------------------------------- */

static int do_hint(struct ctx *c)
{
	const struct coach_spec *s;
	char file[4400];
	int rc = target(c, c->o.npos ? c->o.pos[0] : NULL, &s, file, sizeof file);
	if (rc)
		return rc;
	struct coach_progress p;
	coach_store_get(c->store, s->name, &p);
	if (p.hints < s->nhints) {
		printf("hint %d of %d for %s:\n", p.hints + 1, s->nhints, s->name);
		cmd_print_item(stdout, "", 2, s->hints[p.hints], 78);
		coach_store_hint(c->store, s->name);
		return 0;
	}
	printf("no more hints for %s; here is where your code goes wrong:\n\n", s->name);
	if (!is_file(file))
		return cmd_fail(CL_EXIT_ERROR, "%s: no such file", file);
	struct coach_verdict v;
	if ((rc = check_one(c, s, file, false, &v)) >= 0)
		return rc;
	print_verdict(s, file, &v);
	coach_verdict_free(&v);
	return 0;
}

/* Whether two files hold the same bytes (false when either cannot be read). */
static bool same_content(const char *a, const char *b)
{
	size_t na, nb;
	char *da = coach_read_file(a, &na), *db = coach_read_file(b, &nb);
	bool same = da && db && na == nb && memcmp(da, db, na) == 0;
	free(da);
	free(db);
	return same;
}

/* Moves the student's file aside to the first free name of FILE.orig,
 * FILE.orig.2, FILE.orig.3, ...: a second reset must not put the skeleton
 * over the solution the first one kept.  link() refuses an existing name,
 * so no backup is ever replaced, even by two resets at once. */
static int keep_aside(const char *file, char *kept, size_t size)
{
	for (int n = 1; n <= 999; n++) {
		if (n == 1)
			snprintf(kept, size, "%s.orig", file);
		else
			snprintf(kept, size, "%s.orig.%d", file, n);
		if (link(file, kept) == 0) {
			if (unlink(file) == 0)
				return 0;
			int e = errno;
			unlink(kept);
			return cmd_fail(CL_EXIT_ERROR, "%s: cannot move it aside: %s", file, strerror(e));
		}
		if (errno == EEXIST)
			continue;
		/* No hard links here (some shared folders): rename to a name
		 * that is free now. */
		struct stat st;
		if (lstat(kept, &st) != 0 && errno == ENOENT && rename(file, kept) == 0)
			return 0;
		return cmd_fail(CL_EXIT_ERROR, "%s: cannot keep it as %s: %s", file, kept,
		                strerror(errno));
	}
	return cmd_fail(CL_EXIT_ERROR, "%s: 999 kept copies already; remove some", file);
}

static int do_reset(struct ctx *c)
{
	if (c->o.npos != 1)
		return cmd_fail(CL_EXIT_USAGE, "exercise reset: name one exercise");
	const struct coach_spec *s = find_spec(c, c->o.pos[0]);
	if (!s)
		return CL_EXIT_USAGE;
	char file[4400], kept[4500], from[4400];
	work_file(c, s, file, sizeof file);
	snprintf(from, sizeof from, "%s/exercise.c", s->dir);
	if (is_file(file)) {
		if (same_content(file, from)) {
			printf("%s is already the skeleton; nothing to keep\n", file);
			return 0;
		}
		int rc = keep_aside(file, kept, sizeof kept);
		if (rc)
			return rc;
		printf("your file is kept as %s\n", kept);
	} else {
		char *slash = strrchr(file, '/');
		if (slash) {
			*slash = '\0';
			int rc = mkdirs(file);
			*slash = '/';
			if (rc)
				return rc;
		}
	}
	int rc = copy_file(from, file, false);
	if (!rc)
		printf("%s is the skeleton again\n", file);
	return rc;
}

static int print_file(const char *path)
{
	char *text = coach_read_file(path, NULL);
	if (!text)
		return cmd_fail(CL_EXIT_ERROR, "%s: cannot read: %s", path, strerror(errno));
	fputs(text, stdout);
	free(text);
	return 0;
}

static int do_solution(struct ctx *c)
{
	if (c->o.npos != 1)
		return cmd_fail(CL_EXIT_USAGE, "exercise solution: name one exercise");
	const struct coach_spec *s = find_spec(c, c->o.pos[0]);
	if (!s)
		return CL_EXIT_USAGE;
	struct coach_progress p;
	coach_store_get(c->store, s->name, &p);
	if (!p.passes && !c->o.force)
		return cmd_fail(CL_EXIT_ERROR, "%s: the solution is shown after a pass (or with "
		                "--force, which is recorded)", s->name);
	if (!p.passes)
		coach_store_solution_forced(c->store, s->name);
	char path[4400];
	printf("== %s: the solution in Go ==\n", s->name);
	snprintf(path, sizeof path, "%s/solution.go", s->dir);
	int rc = print_file(path);
	printf("\n== and in C ==\n");
	snprintf(path, sizeof path, "%s/solution.c", s->dir);
	return rc ? rc : print_file(path);
}

/* ---- watch ---------------------------------------------------------------------------- */

static bool file_changed(const char *file, struct timespec *mtime, off_t *size)
{
	struct stat st;
	if (stat(file, &st) != 0)
		return false;
	bool changed = st.st_mtim.tv_sec != mtime->tv_sec || st.st_mtim.tv_nsec != mtime->tv_nsec ||
	               st.st_size != *size;
	*mtime = st.st_mtim;
	*size = st.st_size;
	return changed;
}

static int do_watch(struct ctx *c)
{
	const struct coach_spec *s;
	char file[4400];
	int rc = target(c, c->o.npos ? c->o.pos[0] : NULL, &s, file, sizeof file);
	if (rc)
		return rc;
	if (!is_file(file))
		return cmd_fail(CL_EXIT_ERROR, "%s: no such file", file);
	int ino = -1;
	if (!c->o.poll) {
		char dir[4400];
		snprintf(dir, sizeof dir, "%s", file);
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		else
			snprintf(dir, sizeof dir, ".");
		ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		/* Editors save by writing a new file and renaming it over the old. */
		if (ino >= 0 && inotify_add_watch(ino, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
			close(ino);
			ino = -1;
		}
	}
	struct timespec mtime = {0};
	off_t size = 0;
	file_changed(file, &mtime, &size);
	long checks = 0;
	int last = 0;
	for (;;) {
		struct coach_verdict v;
		if ((rc = check_one(c, s, file, true, &v)) >= 0)
			return rc;
		print_verdict(s, file, &v);
		last = exit_of(&v);
		coach_verdict_free(&v);
		checks++;
		if (cmd_interrupted() || last == CL_EXIT_INTERRUPTED)
			return CL_EXIT_INTERRUPTED;
		if (c->o.max_checks && checks >= c->o.max_checks)
			return last;
		printf("watching %s for changes (%s; Ctrl-C stops)\n", file,
		       ino >= 0 ? "inotify and polling" : "polling every second");
		fflush(stdout);
		for (;;) {
			if (cmd_interrupted())
				return CL_EXIT_INTERRUPTED;
			struct pollfd pf = {ino, POLLIN, 0};
			int n = poll(ino >= 0 ? &pf : NULL, ino >= 0 ? 1 : 0, 1000);
			if (n > 0) {
				char evbuf[4096];
				while (read(ino, evbuf, sizeof evbuf) > 0)
					;
			}
			if (file_changed(file, &mtime, &size) || n > 0)
				break;
		}
		printf("\n-- %s changed: checking again --\n", file);
	}
}

/* ---- verify ------------------------------------------------------------------------------ */

/* The check a mutant names in its header, e.g. "expect: leak". */
static bool mutant_expect(const char *path, char *kind, size_t size)
{
	char *text = coach_read_file(path, NULL);
	if (!text)
		return false;
	char *e = strstr(text, "expect:");
	bool ok = e && sscanf(e, "expect: %15[a-z]", kind) == 1 && strlen(kind) < size;
	free(text);
	return ok;
}

/* The quiz questions and demo patterns a spec links must exist. */
static void verify_links(const struct coach_spec *s, const struct quiz_bank *bank,
                         struct coach_diag *bad)
{
	for (int i = 0; i < s->nquiz; i++) {
		bool found = false;
		for (size_t q = 0; bank && q < bank->count && !found; q++)
			found = strcmp(bank->questions[q].id, s->quiz[i]) == 0;
		if (!found)
			coach_diag_add(bad, "%s/spec.yaml:%d:1: unknown quiz question '%s'", s->dir,
			               s->quiz_line, s->quiz[i]);
	}
	const char *const *names = cmd_pattern_link_names();
	for (int i = 0; i < s->npatterns; i++) {
		bool found = false;
		for (int k = 0; names && names[k] && !found; k++)
			found = strcmp(names[k], s->patterns[i]) == 0;
		if (!found)
			coach_diag_add(bad, "%s/spec.yaml:%d:1: unknown pattern '%s'", s->dir,
			               s->patterns_line, s->patterns[i]);
	}
}

static int verify_one(struct ctx *c, const struct coach_spec *s, struct coach_diag *bad)
{
	struct coach_check_opts co;
	check_opts(c, &co);
	co.quiet_progress = true;
	co.replay = NULL;
	char path[4600];
	int problems = bad->n;
	struct coach_verdict v;
	const char *must[] = {"api.h", "test.c", "exercise.c", "solution.c", "solution.go"};
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/%s", s->dir, must[i]);
		if (!is_file(path))
			coach_diag_add(bad, "%s: missing", path);
	}

	fprintf(stderr, "verify %s: skeleton...", s->name);
	snprintf(path, sizeof path, "%s/exercise.c", s->dir);
	coach_check(&c->tc, s, path, &co, &v);
	if (v.status != COACH_FAIL || !strcmp(v.kind, "crash") || !strcmp(v.kind, "globals"))
		coach_diag_add(bad, "%s: the skeleton must fail a check by a verdict (got %s%s%s)",
		               path, v.status == COACH_PASS ? "a pass" : v.kind,
		               v.why[0] ? ": " : "", v.why);
	else
		printf("%s: skeleton fails (%s check)\n", s->name, v.kind);
	coach_verdict_free(&v);

	fprintf(stderr, " solution...");
	snprintf(path, sizeof path, "%s/solution.c", s->dir);
	coach_check(&c->tc, s, path, &co, &v);
	if (v.status != COACH_PASS)
		coach_diag_add(bad, "%s: the solution must pass (got %s: %s, schedule %s)", path,
		               v.kind, v.why, v.schedule);
	else
		printf("%s: solution passes %ld schedules (%s %ld with <= %d preemptions, then %ld PCT "
		       "and %ld random)\n", s->name, v.schedules,
		       v.exhaustive_complete ? "all" : "the first", v.exhaustive,
		       v.exhaustive_bound, v.pct, v.random);
	coach_verdict_free(&v);

	char mdir[4096];
	snprintf(mdir, sizeof mdir, "%s/mutants", s->dir);
	int nmut = 0;
	/* ls lists the mutants in name order. */
	char cmdline[4600];
	snprintf(cmdline, sizeof cmdline, "ls '%s' 2>/dev/null", mdir);
	FILE *ls = popen(cmdline, "r");
	char name[256];
	while (ls && fgets(name, sizeof name, ls)) {
		name[strcspn(name, "\n")] = '\0';
		size_t n = strlen(name);
		if (n < 3 || strcmp(name + n - 2, ".c"))
			continue;
		nmut++;
		snprintf(path, sizeof path, "%s/%s", mdir, name);
		char want[16];
		if (!mutant_expect(path, want, sizeof want)) {
			coach_diag_add(bad, "%s:1:1: the header must name the check it fails "
			               "(/* expect: KIND */)", path);
			continue;
		}
		fprintf(stderr, " %s...", name);
		coach_check(&c->tc, s, path, &co, &v);
		if (v.status != COACH_FAIL)
			coach_diag_add(bad, "%s: the mutant is not caught (%s)", path,
			               v.status == COACH_PASS ? "it passes" : v.why);
		else if (strcmp(v.kind, want))
			coach_diag_add(bad, "%s: caught by the %s check, but its header expects %s (%s)",
			               path, v.kind, want, v.why);
		else {
			char found[200];
			coach_verdict_found(s, &v, found, sizeof found);
			printf("%s: mutant %s caught by the %s check in schedule %s (%d preemption%s)%s%s\n",
			       s->name, name, v.kind, v.schedule, v.to_preemptions,
			       v.to_preemptions == 1 ? "" : "s", found[0] ? ", " : "", found);
		}
		coach_verdict_free(&v);
	}
	if (ls)
		pclose(ls);
	if (nmut < 2)
		coach_diag_add(bad, "%s: %d mutant%s; at least 2 are required", mdir, nmut,
		               nmut == 1 ? "" : "s");
	fprintf(stderr, " done\n");
	return bad->n > problems;
}

static int do_verify(struct ctx *c)
{
	int rc = find_toolchain(c);
	if (rc)
		return rc;
	struct coach_diag bad = {0};
	int failed = 0;
	/* With --pack, only the given packs are verified. */
	struct coach_pack only = {0};
	const struct coach_pack *pk = &c->pack;
	if (!c->o.npacks)
		for (int i = 0; i < c->load_diag.n; i++)
			coach_diag_add(&bad, "%s", c->load_diag.lines[i]);
	if (c->o.npacks) {
		struct coach_diag d = {0};
		coach_pack_load(c->o.packs, c->o.npacks, &only, &d);
		for (int i = 0; i < d.n; i++)
			coach_diag_add(&bad, "%s", d.lines[i]);
		coach_diag_free(&d);
		pk = &only;
	}
	struct quiz_bank bank;
	struct quiz_diag qd = {0};
	quiz_bank_init(&bank);
	bool have_bank = cmd_quiz_load_shipped(&bank, &qd) == 0;
	quiz_diag_free(&qd);
	for (int i = 0; i < pk->n; i++) {
		if (cmd_interrupted())
			break;
		int before = bad.n;
		verify_links(pk->ex[i], have_bank ? &bank : NULL, &bad);
		failed += verify_one(c, pk->ex[i], &bad) || bad.n > before;
	}
	quiz_bank_free(&bank);
	for (int i = 0; i < bad.n; i++)
		fprintf(stderr, "chanlab: %s\n", bad.lines[i]);
	printf("%d exercise%s verified, %d with problems\n", pk->n, pk->n == 1 ? "" : "s", failed);
	rc = bad.n ? CL_EXIT_ERROR : cmd_interrupted() ? CL_EXIT_INTERRUPTED : 0;
	coach_diag_free(&bad);
	coach_pack_free(&only);
	return rc;
}

/* ---- grade ----------------------------------------------------------------------------------- */

/* One row of grade's table or CSV, after the header when first.  Names
 * come from files students wrote: control characters are shown as '?', and
 * CSV fields are quoted where they need it. */
static void grade_row(bool csv, bool first, const char *student, const char *ex,
                      const char *verdict, const char *check, long long hints, long long secs,
                      const char *note)
{
	if (csv) {
		if (first)
			printf("student,exercise,verdict,check,hints,seconds,note\n");
		const char *fields[] = {student, ex, verdict, check};
		for (size_t i = 0; i < 4; i++) {
			quiz_csv_field(stdout, fields[i]);
			putchar(',');
		}
		printf("%lld,%lld,", hints, secs);
		quiz_csv_field(stdout, note);
		putchar('\n');
		return;
	}
	if (first)
		printf("%-16s %-28s %-8s %-9s %5s %8s  %s\n", "student", "exercise", "verdict", "check",
		       "hints", "seconds", "note");
	const char *fields[] = {student, ex, verdict, check};
	static const int widths[] = {16, 28, 8, 9};
	for (size_t i = 0; i < 4; i++) {
		quiz_safe_fputs(stdout, fields[i], false);
		int pad = widths[i] - (int)strlen(fields[i]);
		printf("%*s ", pad > 0 ? pad : 0, "");
	}
	printf("%5lld %8lld  %s\n", hints, secs, note);
}

static int do_grade(struct ctx *c)
{
	if (!c->o.npos)
		return cmd_fail(CL_EXIT_USAGE, "exercise grade: name one or more result files");
	int rc = 0, rows = 0, flagged = 0;
	for (int i = 0; i < c->o.npos; i++) {
		json_error_t je;
		size_t size;
		char *text = coach_read_file(c->o.pos[i], &size);
		if (!text) {
			rc = cmd_fail(CL_EXIT_ERROR, "%s: cannot read: %s", c->o.pos[i], strerror(errno));
			continue;
		}
		json_t *j = json_loadb(text, size, 0, &je);
		free(text);
		const char *student = NULL, *ex = NULL, *verdict = NULL, *check = NULL, *src = NULL;
		json_int_t hints = 0, secs = 0;
		if (!j || json_unpack(j, "{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "student", &student,
		                      "exercise", &ex, "verdict", &verdict, "check", &check,
		                      "hints_used", &hints, "seconds", &secs, "source", &src)) {
			rc = cmd_fail(CL_EXIT_ERROR, "%s:%d:%d: not a chanlab result file%s%s", c->o.pos[i],
			              j ? 1 : je.line, j ? 1 : je.column, j ? "" : ": ", j ? "" : je.text);
			json_decref(j);
			continue;
		}
		char note[128] = "";
		bool differs = false;     /* checked again, the verdict is not the file's */
		char v_str[16], k_str[16];
		/* The source must be the one the result was written for. */
		const char *claimed = NULL;
		json_unpack(j, "{s?s}", "source_hash", &claimed);
		char hex[2 * COACH_SHA256_SIZE + 1];
		coach_sha256_hex(src, strlen(src), hex);
		bool hash_bad = claimed && strncmp(claimed, "sha256:", 7) == 0 &&
		                strcmp(claimed + 7, hex) != 0;
		snprintf(v_str, sizeof v_str, "%s", verdict);
		snprintf(k_str, sizeof k_str, "%s", check);
		const struct coach_spec *s = coach_pack_find(&c->pack, ex);
		if (c->o.trust) {
			snprintf(note, sizeof note, "trusted (not re-checked)");
		} else if (!s) {
			snprintf(note, sizeof note, "unknown exercise; not re-checked");
		} else {
			char tmpl[] = "/tmp/chanlab-grade-XXXXXX";
			char *dir = mkdtemp(tmpl);
			char file[4400];
			int frc = -1;
			if (dir) {
				char fn[256];
				coach_student_file(s, fn, sizeof fn);
				snprintf(file, sizeof file, "%s/%s", dir, fn);
				FILE *f = fopen(file, "w");
				if (f) {
					fputs(src, f);
					frc = fclose(f);
				}
			}
			struct coach_verdict v;
			if (frc == 0 && check_one(c, s, file, false, &v) < 0) {
				snprintf(v_str, sizeof v_str, "%s", v.status == COACH_PASS ? "pass" : "fail");
				snprintf(k_str, sizeof k_str, "%s", v.status == COACH_PASS ? "" : v.kind);
				differs = strcmp(v_str, verdict) != 0;
				snprintf(note, sizeof note, "re-checked%s",
				         differs ? "; differs from the file's verdict" : "");
				coach_verdict_free(&v);
			} else {
				snprintf(note, sizeof note, "could not re-check");
			}
			if (dir) {
				unlink(file);
				rmdir(dir);
			}
		}
		int forced = 0;
		json_unpack(j, "{s?b}", "solution_before_pass", &forced);
		if (forced) {
			size_t used = strlen(note);
			snprintf(note + used, sizeof note - used, "%sthe solution was shown before a pass",
			         used ? "; " : "");
		}
		if (hash_bad) {
			size_t used = strlen(note);
			snprintf(note + used, sizeof note - used, "%sthe source does not match its hash",
			         used ? "; " : "");
		}
		/* A result whose source or verdict is not what was checked is
		 * flagged: the class table exits 1, as quiz grade does. */
		flagged += hash_bad || differs;
		grade_row(c->o.csv, rows++ == 0, student, ex, v_str, k_str, hints, secs, note);
		json_decref(j);
	}
	if (flagged) {
		fprintf(stderr, "chanlab: %d result%s flagged\n", flagged, flagged == 1 ? "" : "s");
		if (!rc)
			rc = CL_EXIT_ERROR;
	}
	return rc;
}

/* ---- options and dispatch ---------------------------------------------------------------- */

static int parse(int argc, char **argv, struct opts *o)
{
	for (int i = 2; i < argc; i++) {
		bool missing = false;
		const char *v;
		if ((v = cmd_opt_value(argc, argv, &i, "--pack", &missing))) {
			if (o->npacks == MAX_PACKS)
				return cmd_fail(CL_EXIT_USAGE, "exercise: at most %d --pack", MAX_PACKS);
			o->packs[o->npacks++] = v;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--db", &missing)))
			o->db = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--dir", &missing)))
			o->dir = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--replay", &missing)))
			o->replay = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--result", &missing)))
			o->result = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--name", &missing)))
			o->student = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--max-checks", &missing)))
			o->max_checks = atol(v);
		else if ((v = cmd_opt_value(argc, argv, &i, "--timeout", &missing))) {
			o->timeout = atoi(v);
			if (o->timeout <= 0)
				return cmd_fail(CL_EXIT_USAGE, "exercise: --timeout takes seconds > 0, not '%s'", v);
		} else if (missing)
			return cmd_fail(CL_EXIT_USAGE, "exercise: option '%s' needs a value", argv[i]);
		else if (strcmp(argv[i], "--force") == 0)
			o->force = true;
		else if (strcmp(argv[i], "--poll") == 0)
			o->poll = true;
		else if (strcmp(argv[i], "--trust") == 0)
			o->trust = true;
		else if (strcmp(argv[i], "--csv") == 0)
			o->csv = true;
		else if (strcmp(argv[i], "--no-race") == 0)
			o->no_race = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return cmd_fail(CL_EXIT_USAGE, "exercise %s: unknown option '%s'", argv[1], argv[i]);
		else if (o->npos < 64)
			o->pos[o->npos++] = argv[i];
	}
	return 0;
}

int cmd_exercise(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return CL_EXIT_USAGE;
	}
	if (cmd_is_help(argv[1])) {
		fputs(usage_text, stdout);
		return CL_EXIT_OK;
	}
	static const char *const subs[] = {"list", "start", "check", "hint", "watch", "reset",
	                                   "solution", "next", "verify", "grade"};
	int sub = -1;
	for (int i = 0; i < 10; i++)
		if (strcmp(argv[1], subs[i]) == 0)
			sub = i;
	if (sub < 0)
		return cmd_fail(CL_EXIT_USAGE, "exercise: unknown subcommand '%s' (try 'chanlab "
		                "exercise --help')", argv[1]);
	for (int i = 2; i < argc; i++)
		if (cmd_is_help(argv[i])) {
			fputs(sub_help[sub][1], stdout);
			return CL_EXIT_OK;
		}
	struct ctx c = {0};
	int rc = parse(argc, argv, &c.o);
	if (rc)
		return rc;
	cmd_interrupt_install();
	if ((rc = load_pack(&c, sub == 8)))
		return rc;
	if (sub != 8 && sub != 9 && (rc = open_store(&c))) {
		coach_pack_free(&c.pack);
		return rc;
	}
	switch (sub) {
	case 0: rc = do_list(&c); break;
	case 1: rc = do_start(&c); break;
	case 2: rc = do_check(&c); break;
	case 3: rc = do_hint(&c); break;
	case 4: rc = do_watch(&c); break;
	case 5: rc = do_reset(&c); break;
	case 6: rc = do_solution(&c); break;
	case 7: rc = do_next(&c); break;
	case 8: rc = do_verify(&c); break;
	case 9: rc = do_grade(&c); break;
	}
	coach_store_close(c.store);
	coach_pack_free(&c.pack);
	coach_diag_free(&c.load_diag);
	return rc;
}

/* The shipped pack's folder, for the quiz's check of `exercises:` keys
 * (cmd/quiz_bank.h). */
void cmd_exercise_shipped_pack(char *buf, size_t size)
{
	shipped_pack(buf, size);
}
