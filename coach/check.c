/*
 * check.c - the parent side of a check (see check.h).
 *
 * The student's file is compiled from a copy in a private temp directory
 * that starts with a #line directive naming the original, so the pack's
 * api.h is the one included (not a copy the student edited) while the
 * compiler's messages still name the student's file and line.
 *
 * The child: its own process group, RLIMIT_CPU, RLIMIT_CORE 0 and
 * RLIMIT_NPROC 0 (det runs need no thread or process; the limit keeps a
 * fork bomb in), stdout and stderr into one pipe read with a cap, the
 * report on fd 3.  The parent polls both pipes and, every 50 ms, the
 * child's resident memory (/proc/PID/statm) and the wall clock; past a
 * limit it kills the process group.  RLIMIT_AS is not used: every task
 * stack reserves address space it never touches.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "coach/check.h"

int coach_find_cc(char *path, size_t size)
{
	const char *cc = getenv("CC");
	if (!cc || !*cc)
		cc = "cc";
	if (strchr(cc, '/')) {
		if (access(cc, X_OK) != 0)
			return -1;
		snprintf(path, size, "%s", cc);
		return 0;
	}
	const char *p = getenv("PATH");
	if (!p)
		return -1;
	while (*p) {
		size_t n = strcspn(p, ":");
		if (n) {
			snprintf(path, size, "%.*s/%s", (int)n, p, cc);
			if (access(path, X_OK) == 0)
				return 0;
		}
		p += n + (p[n] == ':');
	}
	return -1;
}

/* Splits a space-separated flag string into argv entries (no quoting:
 * paths with spaces are not supported in the build tree or prefix). */
struct args {
	char *v[256];
	int n;
	char buf[8192];
	size_t used;
};

static void arg(struct args *a, const char *s)
{
	size_t len = strlen(s) + 1;
	if (a->n >= 254 || a->used + len > sizeof a->buf)
		return;
	memcpy(a->buf + a->used, s, len);
	a->v[a->n++] = a->buf + a->used;
	a->v[a->n] = NULL;
	a->used += len;
}

static void args_split(struct args *a, const char *flags)
{
	char word[1024];
	while (*flags) {
		flags += strspn(flags, " \t\n");
		size_t n = strcspn(flags, " \t\n");
		if (!n)
			break;
		snprintf(word, sizeof word, "%.*s", (int)n, flags);
		arg(a, word);
		flags += n;
	}
}

/* Runs argv; its stdout goes to *out (malloc'd, when out is not NULL) or is
 * inherited, stderr is inherited.  Returns the exit status, -1 if it could
 * not run. */
static int run_tool(char *const argv[], char **out)
{
	int fds[2];
	if (out && pipe(fds) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (out) {
			dup2(fds[1], 1);
			close(fds[0]);
			close(fds[1]);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "chanlab: cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (out) {
		close(fds[1]);
		size_t cap = 4096, n = 0;
		char *buf = malloc(cap);
		ssize_t r;
		while (buf && (r = read(fds[0], buf + n, cap - n - 1)) > 0) {
			n += (size_t)r;
			if (n + 1 == cap)
				buf = realloc(buf, cap *= 2);
		}
		close(fds[0]);
		if (!buf)
			abort();
		buf[n] = '\0';
		*out = buf;
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void set_why(struct coach_verdict *v, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_why(struct coach_verdict *v, const char *kind, const char *fmt, ...)
{
	snprintf(v->kind, sizeof v->kind, "%s", kind);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->why, sizeof v->why, fmt, ap);
	va_end(ap);
}

/* The writable objects of the student's object file (.data, .bss and their
 * small and common variants), as nm lists them; sanitizer and compiler
 * bookkeeping is left out.  Returns the names, space separated, or "". */
static void writable_globals(const char *obj, char *names, size_t size)
{
	names[0] = '\0';
	char *out = NULL;
	char *argv[] = {"nm", "--defined-only", (char *)obj, NULL};
	if (run_tool(argv, &out) != 0) {
		free(out);
		return;
	}
	size_t used = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		char type, name[256];
		if (sscanf(line, "%*s %c %255s", &type, name) != 2 &&
		    sscanf(line, " %c %255s", &type, name) != 2)
			continue;
		if (!strchr("DdBbGgSsCV", type))
			continue;
		if (strncmp(name, "__asan", 6) == 0 || strncmp(name, "__ubsan", 7) == 0 ||
		    strncmp(name, "__tsan", 6) == 0 || strncmp(name, "__sancov", 8) == 0 ||
		    strncmp(name, ".L", 2) == 0 || strncmp(name, "__gcov", 6) == 0)
			continue;
		char *dot = strchr(name, '.');   /* a static local: "count.0" */
		if (dot)
			*dot = '\0';
		int n = snprintf(names + used, size - used, "%s'%s'", used ? ", " : "", name);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	free(out);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kib(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/statm", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	long size = 0, res = 0;
	if (fscanf(f, "%ld %ld", &size, &res) != 2)
		res = 0;
	fclose(f);
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

struct buf {
	char *p;
	size_t n, cap;
};

static bool buf_add(struct buf *b, const char *s, size_t n, size_t max)
{
	if (b->n + n > max)
		n = max > b->n ? max - b->n : 0;
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return b->n < max;
}

/* What the child left in the report pipe. */
struct report {
	char at[64];
	long done, total;
	bool has_result, passed, has_fail;
	char kind[16];
	char *schedule, *why, *runtime_report;
	char *crash_schedule;  /* the schedule a signal killed the program in (coach/crash.h) */
	char *shrinking;       /* "KIND SCHEDULE": the failure being shrunk */
	char found_phase[16];
	long found_index;
	int found_bound;
	unsigned long long found_seed;
	long schedules, random, pct, exhaustive;
	int complete, latency_seeds, complete_bound, exhaustive_bound;
	long complete_count;
	bool shrunk;
	size_t from_decisions, to_decisions;
	int from_preemptions, to_preemptions;
};

/* Parses the protocol of harness.h from the whole of what was read. */
static void parse_report(const char *nonce, char *text, size_t len, struct report *r)
{
	char *p = text, *end = text + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		*nl = '\0';
		size_t blen;
		char word[16];
		int shrunk;
		if (sscanf(p, "at %63s %ld %ld", r->at, &r->done, &r->total) == 3) {
		} else if (sscanf(p, "found %15s %ld %d %llu", r->found_phase, &r->found_index,
		                  &r->found_bound, &r->found_seed) == 4) {
		} else if (sscanf(p, "fail %15s %*s", r->kind) == 1) {
			r->has_fail = true;
		} else if (sscanf(p, "shrunk %d %zu %d %zu %d", &shrunk, &r->from_decisions,
		                  &r->from_preemptions, &r->to_decisions, &r->to_preemptions) == 5) {
			r->shrunk = shrunk != 0;
		} else if (sscanf(p, "%15s %zu", word, &blen) == 2 &&
		           (strcmp(word, "why") == 0 || strcmp(word, "report") == 0 ||
		            strcmp(word, "schedule") == 0 || strcmp(word, "crash") == 0 ||
		            strcmp(word, "shrinking") == 0) &&
		           blen <= (size_t)(end - nl - 1)) {
			char *s = malloc(blen + 1);
			if (!s)
				abort();
			memcpy(s, nl + 1, blen);
			s[blen] = '\0';
			char **slot = word[0] == 'w' ? &r->why : strcmp(word, "schedule") == 0 ? &r->schedule
			              : word[0] == 's' ? &r->shrinking
			              : word[0] == 'c' ? &r->crash_schedule : &r->runtime_report;
			free(*slot);
			*slot = s;
			nl += blen + 1;
		} else {
			char got[64], verdict[8];
			if (sscanf(p, "result %63s %7s %ld %ld %ld %ld %d %d %d %ld %d", got, verdict,
			           &r->schedules, &r->random, &r->pct, &r->exhaustive, &r->complete,
			           &r->latency_seeds, &r->complete_bound, &r->complete_count,
			           &r->exhaustive_bound) == 11 &&
			    strcmp(got, nonce) == 0) {
				r->has_result = true;
				r->passed = strcmp(verdict, "pass") == 0;
			}
		}
		p = nl + 1;
	}
}

static const char *signal_words(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV (segmentation fault: a bad pointer, or a task's stack overflowed)";
	case SIGBUS: return "SIGBUS (bus error)";
	case SIGABRT: return "SIGABRT (abort: an assertion or a corrupted heap)";
	case SIGFPE: return "SIGFPE (arithmetic error: a division by zero)";
	case SIGILL: return "SIGILL (illegal instruction)";
	case SIGXCPU: return "SIGXCPU (CPU time limit)";
	case SIGKILL: return "SIGKILL";
	default: return strsignal(sig);
	}
}

struct child_run {
	int status;            /* waitpid status */
	char *output;          /* stdout+stderr, capped */
	bool output_capped;
	char killed_for[96];   /* "" or why the parent killed it */
	bool interrupted;
	struct report rep;
};

static void run_child(char *const argv[], const struct coach_check_opts *o, bool progress,
                      struct child_run *cr)
{
	memset(cr, 0, sizeof *cr);
	int outp[2], repp[2];
	if (pipe(outp) != 0 || pipe(repp) != 0) {
		snprintf(cr->killed_for, sizeof cr->killed_for, "cannot make a pipe");
		return;
	}
	char nonce[40];
	snprintf(nonce, sizeof nonce, "%lx%lx", (unsigned long)getpid() ^ (unsigned long)random(),
	         (unsigned long)(now() * 1e6));
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		dup2(outp[1], 1);
		dup2(outp[1], 2);
		dup2(repp[1], 3);
		for (int fd = 4; fd < 256; fd++)
			close(fd);
		struct rlimit cpu = {(rlim_t)o->limits.cpu_seconds, (rlim_t)o->limits.cpu_seconds + 1};
		setrlimit(RLIMIT_CPU, &cpu);
		struct rlimit zero = {0, 0};
		setrlimit(RLIMIT_CORE, &zero);
		setrlimit(RLIMIT_NPROC, &zero);
		setenv("CHANLAB_COACH_FD", "3", 1);
		setenv("CHANLAB_COACH_NONCE", nonce, 1);
		setenv("ASAN_OPTIONS", "detect_leaks=0", 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execv(argv[0], argv);
		_exit(127);
	}
	close(outp[1]);
	close(repp[1]);
	if (pid < 0) {
		close(outp[0]);
		close(repp[0]);
		snprintf(cr->killed_for, sizeof cr->killed_for, "cannot start the program");
		return;
	}
	struct buf out = {0}, rep = {0};
	struct pollfd pf[2] = {{outp[0], POLLIN, 0}, {repp[0], POLLIN, 0}};
	double start = now(), last_progress = start;
	size_t out_max = (size_t)o->limits.output_kib * 1024;
	bool tty = progress && isatty(2);
	int open_fds = 2;
	while (open_fds > 0) {
		int n = poll(pf, 2, 50);
		if (n < 0 && errno != EINTR)
			break;
		char chunk[8192];
		for (int i = 0; i < 2; i++) {
			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t r = read(pf[i].fd, chunk, sizeof chunk);
			if (r <= 0) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_fds--;
			} else if (i == 0) {
				if (!buf_add(&out, chunk, (size_t)r, out_max) && !cr->killed_for[0]) {
					cr->output_capped = true;
					snprintf(cr->killed_for, sizeof cr->killed_for,
					         "the program printed more than %ld KiB", o->limits.output_kib);
					kill(-pid, SIGKILL);
				}
			} else {
				buf_add(&rep, chunk, (size_t)r, (size_t)64 << 20);
			}
		}
		double t = now();
		if (!cr->killed_for[0] && t - start > o->limits.wall_seconds) {
			snprintf(cr->killed_for, sizeof cr->killed_for,
			         "the program did not finish within %d s of wall-clock time",
			         o->limits.wall_seconds);
			kill(-pid, SIGKILL);
		}
		long rss = rss_kib(pid);
		if (!cr->killed_for[0] && rss > o->limits.rss_mib * 1024) {
			snprintf(cr->killed_for, sizeof cr->killed_for,
			         "the program used more than %ld MiB of memory", o->limits.rss_mib);
			kill(-pid, SIGKILL);
		}
		if (o->interrupt && *o->interrupt && !cr->interrupted) {
			cr->interrupted = true;
			kill(-pid, SIGKILL);
		}
		if (tty && t - last_progress > 0.2 && rep.n) {
			last_progress = t;
			/* The last "at" line says how far the harness is. */
			char *at = NULL;
			for (char *q = rep.p; (q = strstr(q, "at ")); q++)
				if (q == rep.p || q[-1] == '\n')
					at = q;
			long done = 0, total = 0;
			if (at && sscanf(at, "at %*s %ld %ld", &done, &total) == 2)
				fprintf(stderr, "\rchecking: %ld/%ld schedules ", done, total);
		}
	}
	if (tty)
		fputs("\r\033[K", stderr);
	while (waitpid(pid, &cr->status, 0) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL);   /* anything the program left behind in its group */
	cr->output = out.p;
	if (rep.p)
		parse_report(nonce, rep.p, rep.n, &cr->rep);
	free(rep.p);
}

static void report_free(struct report *r)
{
	free(r->shrinking);
	free(r->crash_schedule);
	free(r->schedule);
	free(r->why);
	free(r->runtime_report);
}

static char *make_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/chanlab-check-XXXXXX", t && *t ? t : "/tmp");
	char *d = mkdtemp(path);
	return d ? strdup(d) : NULL;
}

static void remove_tmpdir(const char *dir)
{
	const char *names[] = {"student.c", "student.o", "test.o", "program", "replay", NULL};
	char path[4200];
	for (int i = 0; names[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* The harness's --replay argument: @FILE as given, else the schedule
 * written to a file in the temp dir (one argument is capped at 128 KiB). */
static const char *replay_arg(const char *tmp, const char *schedule, char *buf, size_t size)
{
	if (schedule[0] == '@')
		return schedule;
	snprintf(buf, size, "%s/replay", tmp);
	FILE *f = fopen(buf, "w");
	if (!f || fputs(schedule, f) < 0) {
		if (f)
			fclose(f);
		return schedule;
	}
	fclose(f);
	memmove(buf + 1, buf, strlen(buf) + 1);
	buf[0] = '@';
	return buf;
}

/* The argv of the harness run: bounds from the spec, limits from opts. */
static void harness_args(struct args *a, const char *prog, const struct coach_spec *s,
                         const struct coach_check_opts *o, const char *replay)
{
	char num[32];
	arg(a, prog);
#define NUM(name, value) (snprintf(num, sizeof num, "%ld", (long)(value)), arg(a, name), arg(a, num))
	NUM("--random", s->bounds.random);
	NUM("--pct", s->bounds.pct);
	NUM("--depth", s->bounds.pct_depth);
	NUM("--preemptions", s->bounds.preemptions);
	NUM("--max-steps", s->bounds.max_steps);
	NUM("--latency-seeds", s->bounds.latency_seeds);
	NUM("--exhaustive-cap", s->bounds.exhaustive_cap);
	NUM("--task-cap", o->limits.task_cap);
	if (o->no_race)
		arg(a, "--no-race");
	if (replay) {
		arg(a, "--replay");
		arg(a, replay);
		arg(a, "--format");
		arg(a, o->format ? o->format : "lanes");
		NUM("--width", o->width > 0 ? o->width : 100);
		NUM("--color", o->color);
	}
#undef NUM
}

/* A crash's phase, from the last "at" line: "exhaustive-k2-17" (the 17th
 * schedule of the pass with <= 2 preemptions), "pct:3:90:9", "random:9",
 * "shrink-4", "replay-1". */
static void crash_phase(const char *at, struct coach_verdict *v)
{
	unsigned long long seed;
	int depth;
	long n;
	v->found_bound = -1;
	int bound;
	if (sscanf(at, "exhaustive-k%d-%ld", &bound, &n) == 2) {
		snprintf(v->found_phase, sizeof v->found_phase, "exhaustive");
		v->found_index = n;
		v->found_bound = bound;
	} else if (sscanf(at, "random:%llu", &seed) == 1) {
		snprintf(v->found_phase, sizeof v->found_phase, "random");
		v->found_seed = seed;
	} else if (sscanf(at, "pct:%d:%*u:%llu", &depth, &seed) == 2) {
		snprintf(v->found_phase, sizeof v->found_phase, "pct");
		v->found_seed = seed;
	} else if (sscanf(at, "shrink-%ld", &n) == 1) {
		snprintf(v->found_phase, sizeof v->found_phase, "shrink");
		v->found_index = n;
	} else if (sscanf(at, "replay-%ld", &n) == 1) {
		snprintf(v->found_phase, sizeof v->found_phase, "replay");
	}
}

static void fill_from_child(struct coach_verdict *v, struct child_run *cr,
                            const struct coach_check_opts *o)
{
	struct report *r = &cr->rep;
	v->schedules = r->schedules ? r->schedules : r->done;
	v->random = r->random;
	v->pct = r->pct;
	v->exhaustive = r->exhaustive;
	v->exhaustive_complete = r->complete;
	v->latency_seeds = r->latency_seeds;
	v->complete_bound = r->has_result ? r->complete_bound : -1;
	v->complete_count = r->complete_count;
	v->exhaustive_bound = r->exhaustive_bound;
	v->no_race = o->no_race;
	if (cr->interrupted) {
		v->status = COACH_INTERRUPTED;
		set_why(v, "interrupted", "interrupted after %ld schedules", r->done);
		return;
	}
	if (r->has_result && r->passed) {
		v->status = COACH_PASS;
		return;
	}
	if (o->replay && !r->has_result && WIFEXITED(cr->status) && WEXITSTATUS(cr->status) == 64 &&
	    cr->output && strstr(cr->output, "cannot replay")) {
		/* The harness refused the schedule: the command line is wrong. */
		const char *m = strstr(cr->output, "cannot replay");
		v->status = COACH_ERROR;
		set_why(v, "usage", "exercise check --replay: %.*s", (int)strcspn(m, "\n"), m);
		return;
	}
	v->status = COACH_FAIL;
	snprintf(v->found_phase, sizeof v->found_phase, "%s", r->found_phase);
	v->found_index = r->found_index;
	v->found_bound = r->found_bound;
	v->found_seed = r->found_seed;
	if (r->has_fail) {
		snprintf(v->kind, sizeof v->kind, "%s", r->kind);
		snprintf(v->why, sizeof v->why, "%s", r->why ? r->why : "");
		v->schedule = r->schedule;
		r->schedule = NULL;
		v->report = r->runtime_report;
		r->runtime_report = NULL;
		v->shrunk = r->shrunk;
		v->from_decisions = r->from_decisions;
		v->from_preemptions = r->from_preemptions;
		v->to_decisions = r->to_decisions;
		v->to_preemptions = r->to_preemptions;
		return;
	}
	/* A crash names the schedule it was in: the one its signal handler
	 * wrote (every phase's, decisions included), else the last "at" line's
	 * when that replays by its name (a random or PCT seed; an exhaustive
	 * schedule is named there by its number only). */
	crash_phase(r->at, v);
	char during[200] = "";
	if (r->crash_schedule) {
		v->schedule = r->crash_schedule;
		r->crash_schedule = NULL;
	} else if (strncmp(r->at, "random:", 7) == 0 || strncmp(r->at, "pct:", 4) == 0) {
		v->schedule = strdup(r->at);
	} else if (strncmp(r->at, "shrink-", 7) == 0 && r->shrinking && strchr(r->shrinking, ' ')) {
		/* The shrinker's candidates have no name that replays; the
		 * schedule it was shrinking has, and fails (its own way) too. */
		const char *sp = strchr(r->shrinking, ' ');
		v->schedule = strdup(sp + 1);
		snprintf(during, sizeof during, ", while shrinking a schedule that fails the %.*s "
		         "check (the replay below runs that schedule as found; the crash came in "
		         "one of the shrinker's runs of it or of a variation)", (int)(sp - r->shrinking),
		         r->shrinking);
	}
	const char *in = r->at[0] ? " in schedule " : "";
	if (cr->killed_for[0]) {
		set_why(v, "limit", "%s%s%s", cr->killed_for, in, r->at);
	} else if (WIFSIGNALED(cr->status) && WTERMSIG(cr->status) == SIGXCPU) {
		set_why(v, "limit", "the program used its %d s of CPU time%s%s (a loop with no "
		        "scheduling point in it never gives another task a turn)",
		        o->limits.cpu_seconds, in, r->at);
	} else if (WIFSIGNALED(cr->status)) {
		set_why(v, "crash", "the program crashed with %s%s%s%s",
		        signal_words(WTERMSIG(cr->status)), in, r->at, during);
	} else if (cr->output && strstr(cr->output, "ERROR: AddressSanitizer: ")) {
		/* A sanitizer build: its report is the crash. */
		const char *e = strstr(cr->output, "ERROR: AddressSanitizer: ") + 25;
		set_why(v, "crash", "AddressSanitizer found a memory error%s%s%s: %.*s", in, r->at,
		        during, (int)strcspn(e, "\n"), e);
	} else if (WIFEXITED(cr->status)) {
		set_why(v, "crash", "the program exited with status %d%s%s before the checker "
		        "finished (a call to exit() in the exercise's code?)",
		        WEXITSTATUS(cr->status), in, r->at);
	} else {
		set_why(v, "crash", "the program ended without a report");
	}
}

void coach_check(const struct coach_toolchain *tc, const struct coach_spec *spec,
                 const char *file, const struct coach_check_opts *o, struct coach_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->status = COACH_ERROR;
	char *tmp = make_tmpdir();
	if (!tmp) {
		set_why(v, "error", "cannot make a temporary directory: %s", strerror(errno));
		return;
	}
	char path[4200], obj[4200], test_obj[4200], prog[4200], inc[4200], test_c[4200];
	char abs[4096];
	if (!realpath(file, abs))
		snprintf(abs, sizeof abs, "%s", file);
	size_t len;
	char *src = coach_read_file(file, &len);
	if (!src) {
		set_why(v, "error", "%s: cannot read: %s", file, strerror(errno));
		goto out;
	}
	snprintf(path, sizeof path, "%s/student.c", tmp);
	FILE *f = fopen(path, "w");
	if (!f) {
		free(src);
		set_why(v, "error", "%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	fprintf(f, "#line 1 \"%s\"\n", abs);
	fwrite(src, 1, len, f);
	fclose(f);
	free(src);

	snprintf(obj, sizeof obj, "%s/student.o", tmp);
	snprintf(test_obj, sizeof test_obj, "%s/test.o", tmp);
	snprintf(prog, sizeof prog, "%s/program", tmp);
	snprintf(inc, sizeof inc, "-I%s", spec->dir);
	snprintf(test_c, sizeof test_c, "%s/test.c", spec->dir);

	struct args a = {0};
	arg(&a, tc->cc);
	args_split(&a, tc->cflags);
	arg(&a, inc);
	arg(&a, "-c");
	arg(&a, path);
	arg(&a, "-o");
	arg(&a, obj);
	if (run_tool(a.v, NULL) != 0) {
		v->status = COACH_COMPILE;
		set_why(v, "compile", "%s does not compile (the compiler's messages are above)", file);
		goto out;
	}
	char globals[1024];
	writable_globals(obj, globals, sizeof globals);
	if (globals[0]) {
		v->status = COACH_FAIL;
		set_why(v, "globals", "%s has writable globals or statics: %s.  Thousands of "
		        "schedules run in one process, so state must live in the run: in a task's "
		        "locals, the structs the exercise hands you, or runtime objects", file, globals);
		goto out;
	}
	struct args t = {0};
	arg(&t, tc->cc);
	args_split(&t, tc->cflags);
	arg(&t, inc);
	arg(&t, "-c");
	arg(&t, test_c);
	arg(&t, "-o");
	arg(&t, test_obj);
	if (run_tool(t.v, NULL) != 0) {
		set_why(v, "error", "%s: the exercise's checks do not compile", test_c);
		goto out;
	}
	struct args l = {0};
	arg(&l, tc->cc);
	args_split(&l, tc->cflags);
	arg(&l, test_obj);
	arg(&l, obj);
	args_split(&l, tc->libs);
	arg(&l, "-o");
	arg(&l, prog);
	if (run_tool(l.v, NULL) != 0) {
		v->status = COACH_COMPILE;
		set_why(v, "compile", "%s does not link with the exercise's checks (the linker's "
		        "messages are above: a function missing or misnamed?)", file);
		goto out;
	}

	char replay_file[4300];
	struct args h = {0};
	harness_args(&h, prog, spec, o, o->replay ? replay_arg(tmp, o->replay, replay_file,
	                                                       sizeof replay_file) : NULL);
	struct child_run cr;
	run_child(h.v, o, !o->quiet_progress, &cr);
	fill_from_child(v, &cr, o);
	v->output = cr.output;
	report_free(&cr.rep);
	if (o->replay && cr.output && v->status != COACH_ERROR) {
		/* The replay's output is its trace. */
		v->trace = v->output;
		v->output = NULL;
	}
	/* The failing schedule's trace: replayed (a crash's up to the step
	 * that crashed; a limit's is not replayed, it would run to the limit). */
	if (v->status == COACH_FAIL && !o->replay && v->schedule && v->schedule[0] &&
	    strcmp(v->kind, "limit")) {
		struct args rp = {0};
		harness_args(&rp, prog, spec, o, replay_arg(tmp, v->schedule, replay_file,
		                                            sizeof replay_file));
		struct child_run tr;
		run_child(rp.v, o, false, &tr);
		v->trace = tr.output;
		report_free(&tr.rep);
	}
out:
	if (!v->schedule)
		v->schedule = strdup("");
	remove_tmpdir(tmp);
	free(tmp);
}

void coach_verdict_free(struct coach_verdict *v)
{
	free(v->schedule);
	free(v->report);
	free(v->trace);
	free(v->output);
	v->schedule = v->report = v->trace = v->output = NULL;
}

static void thousands(long n, char *buf, size_t size)
{
	char raw[32];
	snprintf(raw, sizeof raw, "%ld", n);
	size_t len = strlen(raw), j = 0;
	for (size_t i = 0; i < len && j + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = raw[i];
	}
	buf[j] = '\0';
}

/* Which phase found the failure: a schedule named random:SEED:... may be
 * an exhaustive one (they replay under the random strategy) or a random
 * one. */
void coach_verdict_found(const struct coach_spec *spec, const struct coach_verdict *v,
                         char *buf, size_t size)
{
	const char *ph = v->found_phase;
	char seed[48] = "";
	if (v->found_seed)   /* a crash's line names no latency seed */
		snprintf(seed, sizeof seed, " (latency seed %llu)", v->found_seed);
	buf[0] = '\0';
	if (strcmp(ph, "exhaustive") == 0 && v->found_bound >= 0)
		snprintf(buf, size, "found in the exhaustive phase, schedule %ld of all with <= %d "
		         "preemption%s%s", v->found_index, v->found_bound,
		         v->found_bound == 1 ? "" : "s", seed);
	else if (strcmp(ph, "pct") == 0)
		snprintf(buf, size, "found by PCT schedule seed %llu (depth %d)", v->found_seed,
		         spec->bounds.pct_depth);
	else if (strcmp(ph, "random") == 0)
		snprintf(buf, size, "found by random schedule seed %llu", v->found_seed);
	else if (strcmp(ph, "shrink") == 0)
		snprintf(buf, size, "found while shrinking a failing schedule (candidate run %ld)",
		         v->found_index);
	else if (strcmp(ph, "replay") == 0)
		snprintf(buf, size, "found while replaying the failing schedule");
}

/* word as the shell reads it back: as it is when it holds only safe
 * characters, else in single quotes (a quote inside as '\''), so a replay
 * line pasted into a shell runs nothing a folder's name says. */
static void shell_word(FILE *out, const char *word)
{
	if (*word && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	                          "_./-:@%+=,") == strlen(word)) {
		fputs(word, out);
		return;
	}
	fputc('\'', out);
	for (const char *c = word; *c; c++)
		if (*c == '\'')
			fputs("'\\''", out);
		else
			fputc(*c, out);
	fputc('\'', out);
}

void coach_verdict_print(FILE *out, const struct coach_spec *spec, const char *file,
                         const struct coach_verdict *v)
{
	char r[32], p[32];
	thousands(v->random, r, sizeof r);
	thousands(v->pct, p, sizeof p);
	switch (v->status) {
	case COACH_PASS: {
		char e[32], seeds[48] = "";
		thousands(v->exhaustive, e, sizeof e);
		if (v->latency_seeds > 1)
			snprintf(seeds, sizeof seeds, " for latency seeds 1..%d", v->latency_seeds);
		else if (v->latency_seeds == 1)
			snprintf(seeds, sizeof seeds, " for latency seed 1");
		if (v->exhaustive_complete)
			fprintf(out, "passed %s: all %s schedules with <= %d preemptions%s, %s PCT "
			        "schedules (depth %d) and %s random ones; no %sdeadlock, leak, panic or "
			        "broken check\n", spec->name, e, spec->bounds.preemptions, seeds, p,
			        spec->bounds.pct_depth, r, v->no_race ? "" : "race, ");
		else {
			char done[96] = "", cnt[32];
			thousands(v->complete_count, cnt, sizeof cnt);
			if (v->complete_bound >= 0)
				snprintf(done, sizeof done, "all %s schedules with <= %d preemption%s, then ",
				         cnt, v->complete_bound, v->complete_bound == 1 ? "" : "s");
			fprintf(out, "passed %s: %sthe first %s schedules with <= %d preemptions (the "
			        "cap: not all of them), %s PCT schedules (depth %d) and %s random ones; "
			        "no %sdeadlock, leak, panic or broken check\n", spec->name, done, e,
			        v->exhaustive_bound, p, spec->bounds.pct_depth, r,
			        v->no_race ? "" : "race, ");
		}
		return;
	}
	case COACH_FAIL:
		fprintf(out, "FAILED %s: %s check\n  %s\n", spec->name, v->kind, v->why);
		if (v->report && *v->report && strcmp(v->kind, "result") && strcmp(v->kind, "event")) {
			fprintf(out, "\nwhat the runtime saw:\n");
			for (const char *q = v->report; *q;) {
				size_t n = strcspn(q, "\n");
				fprintf(out, "  %.*s\n", (int)n, q);
				q += n + (q[n] == '\n');
			}
		}
		char found[200];
		coach_verdict_found(spec, v, found, sizeof found);
		if (found[0])
			fprintf(out, "\n%s\n", found);
		if (v->shrunk && (v->from_decisions != v->to_decisions ||
		                  v->from_preemptions != v->to_preemptions))
			fprintf(out, "\nshrunk from %zu decisions and %d preemption%s to %zu and %d\n",
			        v->from_decisions, v->from_preemptions, v->from_preemptions == 1 ? "" : "s",
			        v->to_decisions, v->to_preemptions);
		if (v->trace && *v->trace)
			fprintf(out, "\nthe failing schedule%s:\n%s", v->shrunk ? " (shrunk)" : "",
			        v->trace);
		if (v->output && *v->output && strcmp(v->kind, "limit") && strcmp(v->kind, "crash") == 0)
			fprintf(out, "\nthe program printed:\n%s\n", v->output);
		if (v->schedule && v->schedule[0]) {
			fputs("\nreplay: chanlab exercise check ", out);
			shell_word(out, file);
			fprintf(out, " --replay %s\n", v->schedule);
		}
		fprintf(out, "stuck? 'chanlab exercise hint %s' gives a hint\n", spec->name);
		return;
	case COACH_COMPILE:
	case COACH_NO_CC:
	case COACH_ERROR:
	case COACH_INTERRUPTED:
		fprintf(out, "%s\n", v->why);
		return;
	}
}
