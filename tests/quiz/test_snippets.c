/*
 * test_snippets.c - every Go snippet of the shipped banks compiles as its
 * question claims: each question's `code` is written into a package of a
 * temporary module and the whole module goes through one `go vet ./...`.
 *
 * A snippet with a package clause is taken as it is.  A fragment gets
 * `package main`, an import for each standard package it names (with a
 * `var _ = pkg.Name` so none is unused), and either a `func main() {}`
 * (when it is only declarations) or a stub main around it (when it has
 * statements at the top level).  Helpers a fragment uses but does not show
 * (a `process(j Job)`, a `type Request`) come from
 * tests/quiz/data/snippet-context.txt, one `-- id --` section per question.
 * golang.org/x/sync/errgroup is a local stand-in with its API, so the test
 * never needs the network.
 *
 * Skipped, and counted: questions whose point is that the code does not
 * compile (not_compiling below), and snippets whose `go` key asks for a
 * newer Go than the installed one.  A snippet that shows a mistake vet
 * rightly finds (a copied lock, a captured loop variable before Go 1.22)
 * is listed in vet_expect with the words of the finding, so the finding is
 * allowed there and nowhere else.
 *
 * The model answers of "write the code" questions (short questions whose
 * answer starts with a Go declaration) go through the same check.
 *
 * Release `make check` only: skipped with a notice when CHANLAB_TEST_SCALE
 * is below 1 (the sanitizer builds) or when `go` is not installed.
 */
#include <check.h>
#include <ctype.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quiz/bank.h"
#include "tests/testlib.h"

#define BANK_GLOB "data/*.yaml"
#define CONTEXT_FILE "tests/quiz/data/snippet-context.txt"

/* Questions whose code does not compile as shown, on purpose: a compile
 * error to find, or a body for the student to write. */
static const char *const not_compiling[] = {
	"channels.directional-compile",
	"reply-channels.request-with-timeout",
	NULL,
};

/* Snippets that show a mistake go vet reports: the id and words of the finding. */
static const struct {
	const char *id, *finding;
} vet_expect[] = {
	{"concurrency-design.bulk-fetcher-review", "loop variable"},
	{"decisions.copied-mutex-and-missing-done", "passes lock by value"},
	{"decisions.copied-mutex-and-missing-done", "loop variable i captured by func literal"},
	{"goroutine-code-reading.add-inside-and-capture", "loop variable"},
	{"goroutine-code-reading.loopvar-output", "loop variable i captured by func literal"},
	{"errgroup.wrong-ctx", "loop variable u captured by func literal"},
	{"sync.value-receiver", "passes lock by value"},
	{"sync.wg-by-value", "passes lock by value"},
	{"sync.wg-by-value", "copies lock value"},
	/* Questions that point out the capture before Go 1.22 besides their main bug. */
	{"fan-patterns.sem-bug", "loop variable u captured by func literal"},
	{"goroutine-lifecycle.loop-capture", "loop variable o captured by func literal"},
	{"goroutine-lifecycle.wait-inside-code", "loop variable i captured by func literal"},
	{"leaks.first-result", "loop variable r captured by func literal"},
	{"pipelines.wordcount-add-inside", "loop variable p captured by func literal"},
	{"pipelines.goroutine-per-send", "loop variable it captured by func literal"},
	{"shutdown.context-not-propagated", "loop variable i captured by func literal"},
	{NULL, NULL},
};

/* Standard packages a fragment may name, the path, and a name to use it by. */
static const struct {
	const char *name, *path, *use;
} known_pkgs[] = {
	{"fmt", "fmt", "Sprint"},
	{"sync", "sync", "NewCond"},
	{"context", "context", "Background"},
	{"time", "time", "Now"},
	{"log", "log", "Print"},
	{"http", "net/http", "Get"},
	{"httptest", "net/http/httptest", "NewServer"},
	{"runtime", "runtime", "Gosched"},
	{"atomic", "sync/atomic", "AddInt64"},
	{"errors", "errors", "New"},
	{"io", "io", "EOF"},
	{"bufio", "bufio", "NewReader"},
	{"bytes", "bytes", "NewBuffer"},
	{"strings", "strings", "Contains"},
	{"strconv", "strconv", "Itoa"},
	{"sort", "sort", "Ints"},
	{"rand", "math/rand", "Intn"},
	{"os", "os", "Exit"},
	{"signal", "os/signal", "Notify"},
	{"syscall", "syscall", "Getpid"},
	{"debug", "runtime/debug", "SetGCPercent"},
	{"pprof", "runtime/pprof", "Do"},
	{"trace", "runtime/trace", "Start"},
	{"crc32", "hash/crc32", "ChecksumIEEE"},
	{"maphash", "hash/maphash", "MakeSeed"},
	{"net", "net", "Dial"},
	{"sql", "database/sql", "Open"},
	{"json", "encoding/json", "Marshal"},
	{"filepath", "path/filepath", "Join"},
	{"fnv", "hash/fnv", "New32a"},
	{"testing", "testing", "Short"},
	{"errgroup", "golang.org/x/sync/errgroup", "WithContext"},
};
#define NKNOWN (sizeof known_pkgs / sizeof known_pkgs[0])

static const char errgroup_stub[] =
	"// Package errgroup stands in for golang.org/x/sync/errgroup (same API) so\n"
	"// the snippets type-check without the network.\n"
	"package errgroup\n\n"
	"import \"context\"\n\n"
	"type Group struct{}\n\n"
	"func WithContext(ctx context.Context) (*Group, context.Context) { return &Group{}, ctx }\n"
	"func (g *Group) Go(f func() error)                             {}\n"
	"func (g *Group) TryGo(f func() error) bool                     { return true }\n"
	"func (g *Group) SetLimit(n int)                                {}\n"
	"func (g *Group) Wait() error                                   { return nil }\n";

/* --- small helpers -------------------------------------------------------------------- */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->s = realloc(b->s, b->cap);
		ck_assert_ptr_nonnull(b->s);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	ck_assert(n >= 0 && (size_t)n < sizeof tmp);
	sb_putn(b, tmp, (size_t)n);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool listed(const char *const *list, const char *id)
{
	for (; *list; list++)
		if (strcmp(*list, id) == 0)
			return true;
	return false;
}

/* The minor version of the installed Go ("go1.19.8" -> 19), or 0 if none. */
static int installed_go_minor(void)
{
	FILE *p = popen("go env GOVERSION 2>/dev/null", "r");
	if (!p)
		return 0;
	char line[64] = "";
	if (!fgets(line, sizeof line, p))
		line[0] = '\0';
	int st = pclose(p);
	int major = 0, minor = 0;
	if (st != 0 || sscanf(line, "go%d.%d", &major, &minor) != 2 || major != 1)
		return 0;
	return minor;
}

/* --- the context file ----------------------------------------------------------------- */

/* The Go text of id's `-- id --` section, or NULL.  Points into text; the
 * section runs to the next line starting with "-- " (not included). */
static const char *context_of(const char *text, const char *id, size_t *len)
{
	size_t idlen = strlen(id);
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (!(starts_with(l, "-- ") && strncmp(l + 3, id, idlen) == 0 &&
		      starts_with(l + 3 + idlen, " --\n")))
			continue;
		const char *start = l + 3 + idlen + 4, *end = start;
		while (*end && !starts_with(end, "-- ")) {
			const char *nl = strchr(end, '\n');
			end = nl ? nl + 1 : end + strlen(end);
		}
		*len = (size_t)(end - start);
		return start;
	}
	return NULL;
}

/* --- wrapping a fragment ---------------------------------------------------------------- */

static bool is_decl_line(const char *l)
{
	static const char *const kw[] = {"func", "type", "var", "const", "import"};
	for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++) {
		size_t n = strlen(kw[i]);
		if (strncmp(l, kw[i], n) == 0 && (l[n] == ' ' || l[n] == '('))
			return true;
	}
	return false;
}

/* Whether text names pkg as a package: "pkg.X" with X upper case, not
 * preceded by a letter, digit, '_' or '.'. */
static bool names_pkg(const char *text, const char *pkg)
{
	size_t n = strlen(pkg);
	for (const char *s = strstr(text, pkg); s; s = strstr(s + 1, pkg)) {
		if (s > text && (isalnum((unsigned char)s[-1]) || s[-1] == '_' || s[-1] == '.'))
			continue;
		if (s[n] == '.' && isupper((unsigned char)s[n + 1]))
			return true;
	}
	return false;
}

/* The Go file for code (plus context, which may be NULL). */
static char *wrap(const char *code, const char *ctx, size_t ctxlen)
{
	struct sbuf out = {0}, imports = {0}, body = {0};
	bool has_package = starts_with(code, "package ") || strstr(code, "\npackage ");
	if (has_package) {
		sb_puts(&out, code);
		sb_puts(&out, "\n");
		if (ctx)
			sb_putn(&out, ctx, ctxlen);
		return out.s;
	}
	bool statements = false, in_import = false;
	sb_puts(&imports, "");
	sb_puts(&body, "");
	for (const char *l = code; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) + 1 : strlen(l);
		if (in_import || starts_with(l, "import ")) {
			sb_putn(&imports, l, n);
			if (starts_with(l, "import ("))
				in_import = true;
			else if (l[0] == ')')
				in_import = false;
		} else {
			sb_putn(&body, l, n);
			if (n > 1 && !isspace((unsigned char)l[0]) && l[0] != '}' && l[0] != ')' &&
			    !starts_with(l, "//") && !is_decl_line(l))
				statements = true;
		}
		l += n;
	}
	struct sbuf all = {0};
	sb_puts(&all, body.s);
	if (ctx)
		sb_putn(&all, ctx, ctxlen);
	sb_puts(&out, "package main\n\n");
	sb_puts(&out, imports.s);
	for (size_t k = 0; k < NKNOWN; k++) {
		char quoted[128];
		snprintf(quoted, sizeof quoted, "\"%s\"", known_pkgs[k].path);
		if (names_pkg(all.s, known_pkgs[k].name) && !strstr(imports.s, quoted))
			sb_printf(&out, "import %s\n", quoted);
	}
	for (size_t k = 0; k < NKNOWN; k++)
		if (names_pkg(all.s, known_pkgs[k].name))
			sb_printf(&out, "\nvar _ = %s.%s", known_pkgs[k].name, known_pkgs[k].use);
	sb_puts(&out, "\n\n");
	if (statements) {
		sb_puts(&out, "func main() {\n");
		sb_puts(&out, body.s);
		sb_puts(&out, "\n}\n");
	} else {
		sb_puts(&out, body.s);
		if (!starts_with(body.s, "func main()") && !strstr(body.s, "\nfunc main()"))
			sb_puts(&out, "\nfunc main() {}\n");
	}
	if (ctx) {
		sb_puts(&out, "\n");
		sb_putn(&out, ctx, ctxlen);
	}
	free(all.s);
	free(imports.s);
	free(body.s);
	return out.s;
}

/* --- the test --------------------------------------------------------------------------- */

/* The Go a question shows: its `code`, or the model answer of a "write the
 * code" short question (one that starts with a Go declaration); NULL if none. */
static const char *go_text(const struct quiz_question *q)
{
	if (q->code)
		return strcmp(q->lang, "go") == 0 ? q->code : NULL;
	const char *a = q->answer_text;
	if (q->type == QUIZ_SHORT && a &&
	    (starts_with(a, "type ") || starts_with(a, "func ") || starts_with(a, "const ")))
		return a;
	return NULL;
}

/* Whether finding (a line of vet's output) is one vet_expect allows for id. */
static bool expected(const char *id, const char *finding, bool *hit)
{
	for (size_t i = 0; vet_expect[i].id; i++)
		if (strcmp(vet_expect[i].id, id) == 0 && strstr(finding, vet_expect[i].finding)) {
			hit[i] = true;
			return true;
		}
	return false;
}

START_TEST(snippets_vet_clean)
{
	const char *scale = getenv("CHANLAB_TEST_SCALE");
	if (scale && atof(scale) < 1.0) {
		fprintf(stderr, "snippets: skipped (CHANLAB_TEST_SCALE < 1: release make check only)\n");
		return;
	}
	int have_minor = installed_go_minor();
	if (have_minor == 0) {
		fprintf(stderr, "snippets: skipped (go is not installed)\n");
		return;
	}

	struct quiz_bank bank;
	struct quiz_diag diag;
	quiz_bank_init(&bank);
	quiz_diag_init(&diag);
	glob_t g;
	ck_assert_int_eq(glob(BANK_GLOB, 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++)
		ck_assert_int_eq(quiz_bank_load_file(&bank, g.gl_pathv[i], &diag), 0);
	globfree(&g);
	char *context = test_read_file(CONTEXT_FILE, NULL);
	ck_assert_msg(context != NULL, "cannot read %s", CONTEXT_FILE);

	char dir[] = "/tmp/chanlab-snippets-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[512], gomod[256];
	snprintf(gomod, sizeof gomod,
	         "module snippets\n\ngo 1.%d\n\nrequire golang.org/x/sync v0.0.0\n\n"
	         "replace golang.org/x/sync => ./xsync\n",
	         have_minor);
	snprintf(path, sizeof path, "%s/go.mod", dir);
	write_file(path, gomod);
	snprintf(path, sizeof path, "%s/xsync", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/xsync/errgroup", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/xsync/go.mod", dir);
	write_file(path, "module golang.org/x/sync\n\ngo 1.19\n");
	snprintf(path, sizeof path, "%s/xsync/errgroup/errgroup.go", dir);
	write_file(path, errgroup_stub);

	/* One package per snippet: s<index of the question>. */
	size_t vetted = 0, skipped_nocompile = 0, skipped_newer = 0;
	bool *written = calloc(bank.count + 1, sizeof *written);
	ck_assert_ptr_nonnull(written);
	for (size_t i = 0; i < bank.count; i++) {
		const struct quiz_question *q = &bank.questions[i];
		const char *go = go_text(q);
		if (!go)
			continue;
		if (listed(not_compiling, q->id)) {
			skipped_nocompile++;
			continue;
		}
		if (q->go_minor > have_minor) {
			skipped_newer++;
			continue;
		}
		size_t ctxlen = 0;
		const char *ctx = context_of(context, q->id, &ctxlen);
		char *src = wrap(go, ctx, ctxlen);
		snprintf(path, sizeof path, "%s/s%03zu", dir, i);
		ck_assert_int_eq(mkdir(path, 0755), 0);
		snprintf(path, sizeof path, "%s/s%03zu/main.go", dir, i);
		write_file(path, src);
		free(src);
		written[i] = true;
		vetted++;
	}

	char cmd[700];
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOWORK=off "
	         "go vet ./... 2>&1",
	         dir);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	bool *failed = calloc(bank.count + 1, sizeof *failed);
	bool *found = calloc(bank.count + 1, sizeof *found);
	ck_assert(failed && found);
	bool hit[sizeof vet_expect / sizeof vet_expect[0]] = {false};
	size_t stray = 0;
	char line[4096];
	while (fgets(line, sizeof line, p)) {
		if (starts_with(line, "# "))
			continue;  /* vet's package header */
		const char *s = strstr(line, "s");
		size_t idx = 0;
		bool attributed = false;
		for (; s; s = strchr(s + 1, 's')) {
			if (isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
			    isdigit((unsigned char)s[3]) && starts_with(s + 4, "/main.go:")) {
				idx = (size_t)atoi(s + 1);
				attributed = idx < bank.count && written[idx];
				break;
			}
		}
		if (!attributed) {
			if (line[0] != '\t') {  /* "\tgo get ..." continues the line before */
				fprintf(stderr, "snippets: go vet: %s", line);
				stray++;
			}
			continue;
		}
		const struct quiz_question *q = &bank.questions[idx];
		if (expected(q->id, line, hit)) {
			found[idx] = true;
			continue;
		}
		fprintf(stderr, "snippets: %s (%s:%d): %s", q->id, q->file, q->line, line);
		failed[idx] = true;
	}
	int st = pclose(p);
	/* Not a failure: with go 1.22 semantics the loop-variable findings go away. */
	for (size_t i = 0; vet_expect[i].id; i++)
		if (!hit[i])
			fprintf(stderr, "snippets: note: no '%s' finding in %s\n", vet_expect[i].finding,
			        vet_expect[i].id);
	size_t failing = 0, with_expected = 0;
	for (size_t i = 0; i < bank.count; i++) {
		failing += failed[i];
		with_expected += found[i] && !failed[i];
	}
	fprintf(stderr,
	        "snippets: go 1.%d: %zu vetted (%zu clean, %zu with an expected vet finding), "
	        "%zu failing; skipped %zu (%zu need a newer go, %zu do not compile by design)\n",
	        have_minor, vetted, vetted - failing - with_expected, with_expected, failing,
	        skipped_newer + skipped_nocompile, skipped_newer, skipped_nocompile);

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(failed);
	free(found);
	free(written);
	free(context);
	quiz_bank_free(&bank);
	quiz_diag_free(&diag);
	ck_assert_msg(stray == 0, "go vet printed %zu line(s) no snippet accounts for", stray);
	ck_assert_msg(failing == 0, "%zu snippet(s) fail go vet (listed above)", failing);
	ck_assert_msg(st == 0 || with_expected > 0, "go vet failed with no finding listed");
}
END_TEST

/* The wrapper: a fragment of statements lands in a stub main with its imports. */
START_TEST(wrap_fragment)
{
	char *src = wrap("ch := make(chan int, 1)\nch <- 1\nfmt.Println(<-ch)\n", NULL, 0);
	ck_assert_str_eq(src, "package main\n\nimport \"fmt\"\n\nvar _ = fmt.Sprint\n\n"
	                      "func main() {\nch := make(chan int, 1)\nch <- 1\nfmt.Println(<-ch)\n"
	                      "\n}\n");
	free(src);
	src = wrap("type T struct{ mu sync.Mutex }\n", "func f() {}\n", 12);
	ck_assert_str_eq(src, "package main\n\nimport \"sync\"\n\nvar _ = sync.NewCond\n\n"
	                      "type T struct{ mu sync.Mutex }\n\nfunc main() {}\n\nfunc f() {}\n");
	free(src);
	ck_assert(!names_pkg("x.ctx.Done()", "ctx"));
	ck_assert(names_pkg("(time.Second)", "time"));
	ck_assert(!names_pkg("runtime.Gosched", "time"));
}
END_TEST

Suite *suite_quiz_snippets(void)
{
	Suite *s = suite_create("quiz_snippets");
	TCase *tc = tcase_create("snippets");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, wrap_fragment);
	tcase_add_test(tc, snippets_vet_clean);
	suite_add_tcase(s, tc);
	return s;
}
