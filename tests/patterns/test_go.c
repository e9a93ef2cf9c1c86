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

/* What a broken variant's Go original prints when it shows the mistake
 * its C twin declares. */
static void failure_words(const char *outcome, char *buf, size_t size)
{
	if (strcmp(outcome, "deadlock") == 0)
		snprintf(buf, size, "all goroutines are asleep - deadlock!");
	else if (strcmp(outcome, "panic") == 0)
		snprintf(buf, size, "panic: ");
	else if (strcmp(outcome, "fatal") == 0)
		snprintf(buf, size, "fatal error: ");
	else if (strncmp(outcome, "invariant:", 10) == 0)
		snprintf(buf, size, "invariant %s failed", outcome + 10);
	else if (strcmp(outcome, "leak") == 0)
		snprintf(buf, size, "still running");
	else if (strcmp(outcome, "race") == 0)
		snprintf(buf, size, "WARNING: DATA RACE");   /* from the -race build */
	else if (strncmp(outcome, "limit:", 6) == 0)
		snprintf(buf, size, "%s:", outcome + 6);      /* "livelock:", as the file prints it */
	else
		snprintf(buf, size, "metric ");
}

/* The broken variants whose Go original cannot show its mistake reliably
 * (the file says why in a comment that `chanlab show --go` prints): they
 * may end with "none showed"; the rest must show theirs. */
static const char *const go_unreliable[] = {
	"lock-free-stack:aba", "lock-free-stack:no-retry", "step-down:check-then-close",
	/* only when two cores are free to run the goroutines at the same time */
	"false-sharing:shared-line", "false-sharing:one-counter",
	"sharded-map:one-lock", "sharded-map:bad-hash", "syscall-handoff:busy-poll", NULL,
};

static bool go_unreliable_variant(const char *pattern, const char *variant)
{
	char name[128];
	snprintf(name, sizeof name, "%s:%s", pattern, variant);
	for (int i = 0; go_unreliable[i]; i++)
		if (strcmp(go_unreliable[i], name) == 0)
			return true;
	return false;
}

/* Each Go original passes go vet, and its correct form runs and exits 0;
 * every variant name of the registry is known to it (exit status not 64);
 * a broken variant prints its failure (in a loop of seeded attempts where
 * it depends on timing).  Each file is built once.  Release builds only
 * (CHANLAB_TEST_SCALE < 1 skips: sanitizer builds gain nothing here). */
START_TEST(go_originals)
{
	if (!have_go()) {
		fprintf(stderr, "test_go: notice: 'go' is not on PATH; Go originals not checked\n");
		return;
	}
	const char *scale = getenv("CHANLAB_TEST_SCALE");
	if (scale && atof(scale) < 1) {
		fprintf(stderr, "test_go: notice: CHANLAB_TEST_SCALE < 1; Go originals not run\n");
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
		bool raced = false;   /* a -race build exists, for the variants that declare a race */
		for (int i = 0; i < p->nvariants; i++) {
			const char *v = p->variants[i].name;
			bool race = strcmp(p->variants[i].outcome, "race") == 0;
			if (race && !raced) {
				snprintf(cmd, sizeof cmd, "go build -race -o %s/%s-race %s 2>&1", dir, p->name,
				         p->go_source);
				ck_assert_msg(sh(cmd, msg, sizeof msg) == 0, "%s", msg);
				raced = true;
			}
			/* A race is shown the way a Go developer sees one: go run -race. */
			snprintf(cmd, sizeof cmd, "timeout 60 %s/%s%s %s 2>&1", dir, p->name, race ? "-race" : "",
			         v);
			int status;
			char *out = test_run_capture(cmd, &status);
			ck_assert_ptr_nonnull(out);
			/* A par-only pattern measures real threads on real cores: on a
			 * loaded machine its correct form may miss a timing limit
			 * (its metric), which says nothing about the code. */
			bool loaded = p->sched == PATTERN_SCHED_PAR && status == 1 && strstr(out, "metric ");
			if (i == 0 && loaded)
				fprintf(stderr, "go_originals: notice: %s:%s missed its timing limit under this "
				        "machine's load: %.200s\n", p->name, v, out);
			else if (i == 0)
				ck_assert_msg(status == 0, "%s:%s exited %d: %.600s", p->name, v, status, out);
			else
				ck_assert_msg(status != 64 && status != 124, "%s:%s exited %d (64: unknown "
				              "variant, 124: hung)", p->name, v, status);
			if (strcmp(p->variants[i].outcome, "ok") != 0) {
				char words[120];
				failure_words(p->variants[i].outcome, words, sizeof words);
				bool shows = strstr(out, words) != NULL;
				if (go_unreliable_variant(p->name, v)) {
					ck_assert_msg(shows || strstr(out, "attempts, none showed the mistake") ||
					                  strstr(out, "attempts, no failure"),
					              "%s:%s: %.600s", p->name, v, out);
					char *src = test_read_file(p->go_source, NULL);
					ck_assert_msg(src && strstr(src, "Go cannot show"),
					              "%s does not say why Go cannot show %s", p->go_source, v);
					free(src);
				} else
					ck_assert_msg(shows, "%s:%s's Go original does not print '%s': %.600s",
					              p->name, v, words, out);
			}
			free(out);
		}
		snprintf(cmd, sizeof cmd, "rm -f %s/%s %s/%s-race", dir, p->name, dir, p->name);
		sh(cmd, msg, sizeof msg);
	}
	rmdir(dir);
}
END_TEST

Suite *suite_go_originals(void)
{
	Suite *s = suite_create("go-originals");
	TCase *tc = tcase_create("go");
	tcase_set_tags(tc, TAG_SERIAL);
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, go_originals);
	suite_add_tcase(s, tc);
	return s;
}
