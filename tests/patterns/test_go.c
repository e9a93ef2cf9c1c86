/*
 * test_go.c - the Go originals in patterns/go/: each passes `go vet`, runs
 * its correct form to a clean exit, and knows every variant the registry
 * lists under the same name.  Skipped with a notice when `go` is not on PATH.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patterns/registry.h"
#include "tests/testlib.h"

static bool have_go(void)
{
	int status;
	char *out = test_run_capture("command -v go >/dev/null 2>&1 && echo yes", &status);
	bool yes = out && strncmp(out, "yes", 3) == 0;
	free(out);
	return yes;
}

/* Runs a shell command; returns its exit status, with its output in msg. */
static int sh(const char *cmd, char *msg, size_t size)
{
	int status;
	char *out = test_run_capture(cmd, &status);
	snprintf(msg, size, "%s: %.600s", cmd, out ? out : "(no output)");
	free(out);
	return status;
}

/* The one vet finding a Go original is meant to have, because its variant
 * teaches it (issue 16); every other original passes vet clean. */
static const char *expected_vet_finding(const char *go_source)
{
	if (strcmp(go_source, "patterns/go/loop_capture.go") == 0)
		return "loop variable i captured by func literal";
	return NULL;
}

/* Each Go original passes go vet (or reports exactly the finding it teaches),
 * and its correct form runs and exits 0;
 * every variant name of the registry is known to it (exit status not 64). */
START_TEST(go_originals)
{
	if (!have_go()) {
		fprintf(stderr, "test_go: notice: 'go' is not on PATH; Go originals not checked\n");
		return;
	}
	char dir[] = "/tmp/chanlab-go-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (const struct pattern *const *pp = pattern_all(); *pp; pp++) {
		const struct pattern *p = *pp;
		char cmd[600], msg[2048];
		const char *finding = expected_vet_finding(p->go_source);
		if (finding) {
			/* Exactly one finding, the expected one ("# command-line-arguments" heads it). */
			snprintf(cmd, sizeof cmd, "go vet %s 2>&1 | grep -v '^#'", p->go_source);
			int status;
			char *out = test_run_capture(cmd, &status);
			int lines = 0;
			for (const char *c = out; c && *c; c++)
				lines += *c == '\n';
			ck_assert_msg(out && strstr(out, finding) && lines == 1,
			              "go vet %s: want exactly '%s', got: %s", p->go_source, finding,
			              out ? out : "(nothing)");
			free(out);
		} else {
			snprintf(cmd, sizeof cmd, "go vet %s 2>&1", p->go_source);
			ck_assert_msg(sh(cmd, msg, sizeof msg) == 0, "%s", msg);
		}
		snprintf(cmd, sizeof cmd, "go build -o %s/%s %s 2>&1", dir, p->name, p->go_source);
		ck_assert_msg(sh(cmd, msg, sizeof msg) == 0, "%s", msg);
		for (int i = 0; i < p->nvariants; i++) {
			const char *v = p->variants[i].name;
			snprintf(cmd, sizeof cmd, "timeout 60 %s/%s %s >/dev/null 2>&1", dir, p->name, v);
			int status = sh(cmd, msg, sizeof msg);
			if (i == 0)
				ck_assert_msg(status == 0, "%s:%s exited %d: %s", p->name, v, status, msg);
			else
				ck_assert_msg(status != 64 && status != 124, "%s:%s exited %d (64: unknown "
				              "variant, 124: hung)", p->name, v, status);
		}
		snprintf(cmd, sizeof cmd, "rm -f %s/%s", dir, p->name);
		sh(cmd, msg, sizeof msg);
	}
	rmdir(dir);
}
END_TEST

Suite *suite_go_originals(void)
{
	Suite *s = suite_create("go-originals");
	TCase *tc = tcase_create("go");
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, go_originals);
	suite_add_tcase(s, tc);
	return s;
}
