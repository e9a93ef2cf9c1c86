/*
 * bench_go.c - building and running bench/go/, the Go counterparts of
 * `chanlab bench`'s rows, for --vs-go (see bench_go.h).  Go runs in child
 * processes through sh; its output is parsed, never shown unless it fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/bench_go.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double cmd_bench_median(double *v, int n)
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
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	if (!buf) {
		pclose(p);
		*status = -1;
		return NULL;
	}
	size_t r;
	while ((r = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += r;
		if (cap - len < 1024) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	int st = pclose(p);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return buf;
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

int cmd_bench_go_open(struct cmd_bench_go *g, const char *self_exe, int procs, bool quick,
                      char *why, size_t whysize)
{
	memset(g, 0, sizeof *g);
	g->procs = procs;
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
		snprintf(why, whysize, "bench/go not found (run from the source tree or set CHANLAB_BENCH_GO)");
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
	snprintf(g->tmp, sizeof g->tmp, "/tmp/chanlab-bench-XXXXXX");
	if (!mkdtemp(g->tmp)) {
		snprintf(why, whysize, "cannot make a temporary directory: %s", strerror(errno));
		g->tmp[0] = '\0';
		return -1;
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
		cmd_bench_go_close(g);
		return -1;
	}
	free(out);
	return 0;
}

/* "GOMAXPROCS=N 'TMP/PROGRAM'" into cmd. */
static void program_cmd(const struct cmd_bench_go *g, const char *program, char *cmd, size_t size)
{
	char path[PATH_MAX + 32];
	snprintf(cmd, size, "GOMAXPROCS=%d ", g->procs);
	snprintf(path, sizeof path, "%s/%s", g->tmp, program);
	shell_word(cmd, size, path);
}

int cmd_bench_go_tests(const struct cmd_bench_go *g, const char *const *names, double *ns, int n,
                       int count)
{
	char cmd[PATH_MAX + 2048];
	program_cmd(g, "bench.test", cmd, sizeof cmd);
	append(cmd, sizeof cmd, " -test.run '^$' -test.bench '^Benchmark(");
	for (int i = 0; i < n; i++) {
		ns[i] = -1;
		append(cmd, sizeof cmd, i ? "|" : "");
		append(cmd, sizeof cmd, names[i]);
	}
	char tail[128];
	snprintf(tail, sizeof tail, ")$' -test.count %d%s 2>&1", count,
	         g->quick ? " -test.benchtime 100ms" : "");
	append(cmd, sizeof cmd, tail);
	int status;
	char *out = capture(cmd, &status);
	if (!out || status != 0) {
		free(out);
		return -1;
	}
	double *vals = calloc((size_t)n * (size_t)count, sizeof *vals);
	int *nv = calloc((size_t)n, sizeof *nv);
	if (!vals || !nv) {
		free(vals);
		free(nv);
		free(out);
		return -1;
	}
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		char name[128];
		long iters;
		double v;
		if (sscanf(line, "Benchmark%127s %ld %lf ns/op", name, &iters, &v) != 3)
			continue;
		char *dash = strrchr(name, '-');
		if (dash && dash[1] >= '0' && dash[1] <= '9')
			*dash = '\0';
		for (int i = 0; i < n; i++)
			if (strcmp(names[i], name) == 0 && nv[i] < count)
				vals[i * count + nv[i]++] = v;
	}
	for (int i = 0; i < n; i++)
		ns[i] = cmd_bench_median(vals + i * count, nv[i]);
	free(vals);
	free(nv);
	free(out);
	return 0;
}

int cmd_bench_go_million(const struct cmd_bench_go *g, long n, int count, double *secs,
                         double *kib_per_task, double *rss_mib)
{
	double s[16], k[16], m[16];
	int got = 0;
	if (count > 16)
		count = 16;
	for (int i = 0; i < count; i++) {
		char cmd[PATH_MAX + 128], arg[32];
		program_cmd(g, "million", cmd, sizeof cmd);
		snprintf(arg, sizeof arg, " %ld 2>&1", n);
		append(cmd, sizeof cmd, arg);
		int status;
		char *out = capture(cmd, &status);
		if (out && status == 0 &&
		    sscanf(out, "seconds=%lf kib_per_goroutine=%lf peak_rss_mib=%lf", &s[got], &k[got],
		           &m[got]) == 3)
			got++;
		free(out);
	}
	if (!got)
		return -1;
	*secs = cmd_bench_median(s, got);
	*kib_per_task = cmd_bench_median(k, got);
	*rss_mib = cmd_bench_median(m, got);
	return 0;
}

int cmd_bench_go_workerpool(const struct cmd_bench_go *g, long n, int count, double *secs)
{
	double s[16];
	int got = 0;
	if (count > 16)
		count = 16;
	for (int i = 0; i < count; i++) {
		char cmd[PATH_MAX + 128], arg[48];
		program_cmd(g, "workerpool", cmd, sizeof cmd);
		snprintf(arg, sizeof arg, " %ld 8 2>&1", n);
		append(cmd, sizeof cmd, arg);
		int status;
		char *out = capture(cmd, &status);
		if (out && status == 0 && sscanf(out, "seconds=%lf", &s[got]) == 1)
			got++;
		free(out);
	}
	if (!got)
		return -1;
	*secs = cmd_bench_median(s, got);
	return 0;
}

void cmd_bench_go_close(struct cmd_bench_go *g)
{
	if (!g->tmp[0])
		return;
	const char *files[] = {"bench.test", "million", "workerpool"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[PATH_MAX + 32];
		snprintf(path, sizeof path, "%s/%s", g->tmp, files[i]);
		unlink(path);
	}
	rmdir(g->tmp);
	g->tmp[0] = '\0';
}
