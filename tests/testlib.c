/* testlib.c - helpers shared by the test suites (see testlib.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tests/testlib.h"

long test_scaled(long n, long min)
{
	const char *s = getenv("CHANLAB_TEST_SCALE");
	double scale = s ? atof(s) : 1.0;
	long v = (long)((double)n * scale);
	return v < min ? min : v;
}

bool test_scaled_down(void)
{
	const char *s = getenv("CHANLAB_TEST_SCALE");
	return s && atof(s) < 1.0;
}

bool test_heavy_skipped(const char *name)
{
	if (!test_scaled_down())
		return false;
	fprintf(stderr, "%s: notice: heavy check, run by the release make check only\n", name);
	return true;
}

static char *read_stream(FILE *f, size_t *size)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (cap - len - 1 == 0) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger) {
				free(buf);
				return NULL;
			}
			buf = bigger;
		}
	}
	if (buf)
		buf[len] = '\0';
	if (size)
		*size = len;
	return buf;
}

char *test_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = read_stream(f, size);
	fclose(f);
	return buf;
}

const char *test_chanlab_bin(void)
{
	const char *bin = getenv("CHANLAB_BIN");
	return bin && *bin ? bin : "./chanlab";
}

char *test_run_capture(const char *command, int *status)
{
	FILE *p = popen(command, "r");
	if (!p)
		return NULL;
	char *out = read_stream(p, NULL);
	int st = pclose(p);
	if (status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return out;
}
