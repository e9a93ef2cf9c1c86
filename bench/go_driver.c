/*
 * go_driver.c - building and running bench/go/, the Go counterparts of
 * `chanlab bench`'s rows, for --vs-go (see go_driver.h).  Go runs in child
 * processes through sh; its output is parsed, never shown unless it fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/buf.h"
#include "bench/go_driver.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bench_median(double *v, int n)
{
	if (n <= 0)
		return -1;
	qsort(v, (size_t)n, sizeof v[0], cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Appends s to buf as one shell word in single quotes. */
static void shell_word(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);
	if (len + 1 < size)
		buf[len++] = '\'';
	for (; *s && len + 5 < size; s++) {
		if (*s == '\'') {
			memcpy(buf + len, "'\\''", 4);
			len += 4;
		} else {
			buf[len++] = *s;
		}
	}
	if (len + 1 < size)
		buf[len++] = '\'';
	buf[len] = '\0';
}

static void append(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);
	snprintf(buf + len, size - len, "%s", s);
}

static bool is_dir_with(const char *dir, const char *file)
{
	char path[PATH_MAX + 64];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, file);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool find_dir(const char *self_exe, char *out, size_t size)
{
	const char *env = getenv("CHANLAB_BENCH_GO");
	if (env && *env) {
		snprintf(out, size, "%s", env);
		return is_dir_with(out, "bench_test.go");
	}
	if (is_dir_with("bench/go", "bench_test.go") && realpath("bench/go", out))
		return true;
	char exe[PATH_MAX];
	if (!self_exe || !realpath(self_exe, exe))
		return false;
	const char *ups[] = {"", "/..", "/../.."};
	char *slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
		char cand[PATH_MAX + 32];
		snprintf(cand, sizeof cand, "%s%s/bench/go", exe, ups[i]);
		if (is_dir_with(cand, "bench_test.go") && realpath(cand, out))
			return true;
	}
#ifdef CHANLAB_DATADIR
	/* installed: make install puts the sources under the data directory */
	if (is_dir_with(CHANLAB_DATADIR "/bench/go", "bench_test.go")) {
		snprintf(out, size, "%s", CHANLAB_DATADIR "/bench/go");
		return true;
	}
#endif
	return false;
}

/* Go needs a cache directory; give it one when the environment has none. */
static void go_environment(void)
{
	const char *home = getenv("HOME");
	bool has_home = home && *home && access(home, W_OK) == 0;
	char dir[128];
	if (!getenv("GOCACHE") && !getenv("XDG_CACHE_HOME") && !has_home) {
		snprintf(dir, sizeof dir, "/tmp/chanlab-gocache-%ld", (long)getuid());
		setenv("GOCACHE", dir, 1);
	}
	if (!getenv("GOPATH") && !has_home) {
		snprintf(dir, sizeof dir, "/tmp/chanlab-gopath-%ld", (long)getuid());
		setenv("GOPATH", dir, 1);
	}
	setenv("GOFLAGS", "-mod=mod", 1);
}

/* Runs cmd through sh; returns its output (malloc'd) and exit status. */
static char *capture(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	if (!p) {
		*status = -1;
		return NULL;
	}
	struct bench_buf out = {0};
	bench_buf_append(&out, "", 0);
	bench_buf_read(&out, p);
	int st = pclose(p);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (out.oom) {
		bench_buf_free(&out);
		*status = -1;
	}
	return out.data;
}

/* The last non-empty line of text, for error messages. */
static void last_line(const char *text, char *out, size_t size)
{
	const char *end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	const char *start = end;
	while (start > text && start[-1] != '\n')
		start--;
	snprintf(out, size, "%.*s", (int)(end - start), start);
}

/* $XDG_CACHE_HOME/chanlab/bench-go (or ~/.cache/...), made if need be. */
static bool cache_dir(char *out, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char base[PATH_MAX - 64];
	if (xdg && *xdg)
		snprintf(base, sizeof base, "%s", xdg);
	else if (home && *home)
		snprintf(base, sizeof base, "%s/.cache", home);
	else
		return false;
	char path[PATH_MAX];
	const char *parts[] = {"", "/chanlab", "/chanlab/bench-go"};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		snprintf(path, sizeof path, "%s%s", base, parts[i]);
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return false;
	}
	if (access(path, W_OK) != 0 || strlen(path) >= size)
		return false;
	memcpy(out, path, strlen(path) + 1);
	return true;
}

int bench_go_open(struct bench_go *g, const char *self_exe, const char *tmp_parent, bool quick,
                  char *why, size_t whysize)
{
	memset(g, 0, sizeof *g);
	g->quick = quick;
	int status;
	char *out = capture("command -v go 2>/dev/null", &status);
	bool have_go = out && status == 0 && *out;
	free(out);
	if (!have_go) {
		snprintf(why, whysize, "go is not on PATH; install golang-go for Go's figures");
		return -1;
	}
	if (!find_dir(self_exe, g->dir, sizeof g->dir)) {
		snprintf(why, whysize, "the Go counterparts (bench/go) are neither in the source tree nor "
#ifdef CHANLAB_DATADIR
		         "under " CHANLAB_DATADIR "/bench/go "
#endif
		         "(run from the source tree, make install, or set CHANLAB_BENCH_GO)");
		return -1;
	}
	go_environment();
	out = capture("go version 2>&1", &status);
	if (out && status == 0) {
		char word[3][64] = {"", "", ""};
		if (sscanf(out, "%63s %63s %63s", word[0], word[1], word[2]) == 3)
			snprintf(g->version, sizeof g->version, "%s", word[2]);
	}
	free(out);
	if (!cache_dir(g->tmp, sizeof g->tmp)) {
		/* no cache folder: build inside the bench's temporary folder */
		snprintf(g->tmp, sizeof g->tmp, "%s/go", tmp_parent);
		if (mkdir(g->tmp, 0700) != 0 && errno != EEXIST) {
			snprintf(why, whysize, "cannot make %s: %s", g->tmp, strerror(errno));
			g->tmp[0] = '\0';
			return -1;
		}
		g->remove = true;
	}
	char cmd[4 * PATH_MAX + 256] = "cd ";
	shell_word(cmd, sizeof cmd, g->dir);
	append(cmd, sizeof cmd, " && go test -c -o ");
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/bench.test", g->tmp);
	shell_word(cmd, sizeof cmd, path);
	append(cmd, sizeof cmd, " . && go build -o ");
	snprintf(path, sizeof path, "%s/million", g->tmp);
	shell_word(cmd, sizeof cmd, path);
	append(cmd, sizeof cmd, " ./million && go build -o ");
	snprintf(path, sizeof path, "%s/workerpool", g->tmp);
	shell_word(cmd, sizeof cmd, path);
	append(cmd, sizeof cmd, " ./workerpool 2>&1");
	out = capture(cmd, &status);
	if (!out || status != 0) {
		char line[200] = "";
		if (out)
			last_line(out, line, sizeof line);
		snprintf(why, whysize, "building bench/go failed: %s", *line ? line : "go exited with an error");
		free(out);
		bench_go_close(g);
		return -1;
	}
	free(out);
	return 0;
}

/* "GOMAXPROCS=N 'DIR/PROGRAM'" into cmd. */
static void program_cmd(const struct bench_go *g, const char *program, int procs, char *cmd,
                        size_t size)
{
	char path[PATH_MAX + 32];
	snprintf(cmd, size, "GOMAXPROCS=%d ", procs);
	snprintf(path, sizeof path, "%s/%s", g->tmp, program);
	shell_word(cmd, size, path);
}

int bench_go_test(const struct bench_go *g, const char *name, int procs, double *ns)
{
	char cmd[PATH_MAX + 512], tail[256];
	program_cmd(g, "bench.test", procs, cmd, sizeof cmd);
	snprintf(tail, sizeof tail, " -test.run '^$' -test.bench '^Benchmark%s$' -test.count 1 "
	         "-test.benchtime %s 2>&1", name, g->quick ? "20ms" : "100ms");
	append(cmd, sizeof cmd, tail);
	int status;
	char *out = capture(cmd, &status);
	int rc = -1;
	for (char *save = NULL, *line = out && status == 0 ? strtok_r(out, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char got[128];
		long iters;
		double v;
		if (sscanf(line, "Benchmark%127s %ld %lf ns/op", got, &iters, &v) != 3)
			continue;
		char *dash = strrchr(got, '-');
		if (dash && dash[1] >= '0' && dash[1] <= '9')
			*dash = '\0';
		if (strcmp(got, name) == 0) {
			*ns = v;
			rc = 0;
		}
	}
	free(out);
	return rc;
}

int bench_go_metric(const struct bench_go *g, const char *name, int procs, const char *unit,
                    double *value)
{
	char cmd[PATH_MAX + 512], tail[256];
	program_cmd(g, "bench.test", procs, cmd, sizeof cmd);
	snprintf(tail, sizeof tail, " -test.run '^$' -test.bench '^Benchmark%s$' -test.count 1 "
	         "-test.benchtime %s 2>&1", name, g->quick ? "20ms" : "100ms");
	append(cmd, sizeof cmd, tail);
	int status;
	char *out = capture(cmd, &status);
	int rc = -1;
	/* "BenchmarkNAME-2  40892  3074 ns/op  0.0002690 crossed": the word
	 * before unit */
	const char *prev = NULL;
	for (char *save = NULL, *w = out && status == 0 ? strtok_r(out, " \t\n", &save) : NULL; w;
	     w = strtok_r(NULL, " \t\n", &save)) {
		if (strcmp(w, unit) == 0 && prev && sscanf(prev, "%lf", value) == 1)
			rc = 0;
		prev = w;
	}
	free(out);
	return rc;
}

int bench_go_million(const struct bench_go *g, long n, int procs, double *secs,
                     double *kib_per_task, double *rss_mib)
{
	char cmd[PATH_MAX + 128], arg[32];
	program_cmd(g, "million", procs, cmd, sizeof cmd);
	snprintf(arg, sizeof arg, " %ld 2>&1", n);
	append(cmd, sizeof cmd, arg);
	int status;
	char *out = capture(cmd, &status);
	int rc = out && status == 0 &&
	                 sscanf(out, "seconds=%lf kib_per_goroutine=%lf peak_rss_mib=%lf", secs,
	                        kib_per_task, rss_mib) == 3
	         ? 0
	         : -1;
	free(out);
	return rc;
}

int bench_go_workerpool(const struct bench_go *g, long n, int procs, double *secs)
{
	char cmd[PATH_MAX + 128], arg[48];
	program_cmd(g, "workerpool", procs, cmd, sizeof cmd);
	snprintf(arg, sizeof arg, " %ld 8 2>&1", n);
	append(cmd, sizeof cmd, arg);
	int status;
	char *out = capture(cmd, &status);
	int rc = out && status == 0 && sscanf(out, "seconds=%lf", secs) == 1 ? 0 : -1;
	free(out);
	return rc;
}

void bench_go_close(struct bench_go *g)
{
	if (!g->tmp[0] || !g->remove) {
		g->tmp[0] = '\0';
		return;
	}
	const char *files[] = {"bench.test", "million", "workerpool"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[PATH_MAX + 32];
		snprintf(path, sizeof path, "%s/%s", g->tmp, files[i]);
		unlink(path);
	}
	rmdir(g->tmp);
	g->tmp[0] = '\0';
}
