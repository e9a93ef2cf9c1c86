/*
 * test_shipped_bank.c - the question banks chanlab ships (the data/ YAML files)
 * against issue 6's checks: enough questions at every level and of every
 * type, no id or prompt used twice, every question naming the source items it
 * covers, every item of the source documents (tests/data/source-items.txt)
 * covered by a question and every `source` entry naming an item of that
 * manifest, and `chanlab quiz lint` (plain and --strict) clean.
 *
 * The coverage test also writes docs/bank-coverage.md (item -> question ids,
 * grouped by document) for a reader to audit.  Its content depends only on
 * the manifest and the banks, so rerunning it leaves git with no diff.
 *
 * Tests run from the repository root (the Makefile's test-quiz target).
 */
#include <check.h>
#include <ctype.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "quiz/bank.h"
#include "tests/testlib.h"

#define BANK_GLOB "data/*.yaml"
#define MANIFEST "tests/data/source-items.txt"
#define COVERAGE_MD "docs/bank-coverage.md"

/* Issue 6's minimums. */
#define MIN_TOTAL 250
#define MIN_PER_LEVEL 40
#define MIN_PER_TYPE 25

/* --- growable arrays --------------------------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	ck_assert_ptr_nonnull(q);
	return q;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	ck_assert_ptr_nonnull(d);
	return d;
}

/* A malloc'd, growing string. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->s = xrealloc(b->s, b->cap);
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
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	ck_assert(n >= 0 && (size_t)n < sizeof tmp);
	sb_putn(b, tmp, (size_t)n);
}

/* Text for a Markdown table cell: the characters Markdown would take for
 * syntax are backslash-escaped. */
static void sb_put_md(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\|*_<>[]`#", *s))
			sb_putn(b, "\\", 1);
		sb_putn(b, s, 1);
	}
}

/* --- the shipped banks --------------------------------------------------------------- */

static struct quiz_bank bank;
static size_t nfiles_globbed;

/* Loads every YAML bank of data/ (in name order) and fails on any problem the
 * loader reports.  Run as a checked fixture, so in each test's process. */
static void load_banks(void)
{
	glob_t g;
	ck_assert_msg(glob(BANK_GLOB, 0, NULL, &g) == 0, "no bank matches %s (run from the repo root)",
	              BANK_GLOB);
	nfiles_globbed = g.gl_pathc;
	struct quiz_diag d;
	quiz_bank_init(&bank);
	quiz_diag_init(&d);
	for (size_t i = 0; i < g.gl_pathc; i++)
		quiz_bank_load_file(&bank, g.gl_pathv[i], &d);
	globfree(&g);
	quiz_diag_print(&d, stderr);
	ck_assert_msg(d.count == 0, "loading the shipped banks gave %zu problem(s); first: %s", d.count,
	              d.count ? d.lines[0] : "");
	quiz_diag_free(&d);
}

static void free_banks(void)
{
	quiz_bank_free(&bank);
}

/* --- the manifest of source items ------------------------------------------------------ */

struct item {
	char *id;           /* "000:q1", "004:t07:p2", "002:leak:forgotten-stopper"... */
	char *desc;
	char **qids;        /* questions whose `source` names it, in bank order */
	size_t nqids;
};

struct manifest {
	struct item *items; /* in file order */
	size_t count;
};

/* An item id: a three-digit document number, then ':'-separated parts of
 * lowercase letters, digits and '-'. */
static bool item_id_ok(const char *id)
{
	if (!(isdigit((unsigned char)id[0]) && isdigit((unsigned char)id[1]) &&
	      isdigit((unsigned char)id[2]) && id[3] == ':'))
		return false;
	const char *p = id + 4;
	size_t part = 0;
	for (;; p++) {
		if (*p == ':' || *p == '\0') {
			if (part == 0)
				return false;
			if (*p == '\0')
				return true;
			part = 0;
		} else if (islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-') {
			part++;
		} else {
			return false;
		}
	}
}

/* Reads the manifest, failing on a malformed line, a duplicated id or a
 * document out of order. */
static void load_manifest(struct manifest *m)
{
	size_t size;
	char *text = test_read_file(MANIFEST, &size);
	ck_assert_msg(text != NULL, "cannot read %s", MANIFEST);
	m->items = NULL;
	m->count = 0;
	size_t cap = 0, lineno = 0;
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		char *next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		lineno++;
		ck_assert_msg(*line != '\0', "%s:%zu: empty line", MANIFEST, lineno);
		char *tab = strchr(line, '\t');
		ck_assert_msg(tab != NULL, "%s:%zu: no tab between item id and description", MANIFEST,
		              lineno);
		*tab = '\0';
		const char *desc = tab + 1;
		ck_assert_msg(item_id_ok(line), "%s:%zu: malformed item id '%s'", MANIFEST, lineno, line);
		ck_assert_msg(*desc != '\0' && !strchr(desc, '\t') && !isspace((unsigned char)*desc) &&
		                  !isspace((unsigned char)desc[strlen(desc) - 1]),
		              "%s:%zu: item '%s' needs one trimmed description after one tab", MANIFEST,
		              lineno, line);
		for (size_t i = 0; i < m->count; i++)
			ck_assert_msg(strcmp(m->items[i].id, line) != 0, "%s:%zu: item '%s' listed twice",
			              MANIFEST, lineno, line);
		/* Grouped by document, in document order (the report relies on it). */
		ck_assert_msg(m->count == 0 || strncmp(m->items[m->count - 1].id, line, 3) <= 0,
		              "%s:%zu: item '%s' after document %.3s's items (keep documents in order)",
		              MANIFEST, lineno, line, m->items[m->count - 1].id);
		if (m->count == cap) {
			cap = cap ? cap * 2 : 256;
			m->items = xrealloc(m->items, cap * sizeof *m->items);
		}
		m->items[m->count++] = (struct item){.id = xstrdup(line), .desc = xstrdup(desc)};
		line = next;
	}
	free(text);
	ck_assert_msg(m->count > 0, "%s lists no item", MANIFEST);
}

static void free_manifest(struct manifest *m)
{
	for (size_t i = 0; i < m->count; i++) {
		free(m->items[i].id);
		free(m->items[i].desc);
		free(m->items[i].qids);
	}
	free(m->items);
}

static struct item *manifest_find(struct manifest *m, const char *id)
{
	for (size_t i = 0; i < m->count; i++)
		if (strcmp(m->items[i].id, id) == 0)
			return &m->items[i];
	return NULL;
}

static size_t count_prefix(const struct manifest *m, const char *prefix)
{
	size_t n = 0, len = strlen(prefix);
	for (size_t i = 0; i < m->count; i++)
		if (strncmp(m->items[i].id, prefix, len) == 0)
			n++;
	return n;
}

/* --- counts ----------------------------------------------------------------------- */

/* At least 250 questions, 40 at each level, 25 of each type. */
START_TEST(counts_meet_minimums)
{
	size_t level[QUIZ_NLEVELS] = {0}, type[QUIZ_NTYPES] = {0};
	ck_assert_uint_eq(bank.nfiles, nfiles_globbed);
	for (size_t i = 0; i < bank.count; i++) {
		level[bank.questions[i].level]++;
		type[bank.questions[i].type]++;
	}
	fprintf(stderr, "shipped banks: %zu questions in %zu files\n", bank.count, bank.nfiles);
	ck_assert_msg(bank.count >= MIN_TOTAL, "%zu questions in %s, want at least %d", bank.count,
	              BANK_GLOB, MIN_TOTAL);
	for (int l = 0; l < QUIZ_NLEVELS; l++)
		ck_assert_msg(level[l] >= MIN_PER_LEVEL, "%zu %s questions, want at least %d", level[l],
		              quiz_level_name((enum quiz_level)l), MIN_PER_LEVEL);
	for (int t = 0; t < QUIZ_NTYPES; t++)
		ck_assert_msg(type[t] >= MIN_PER_TYPE, "%zu %s questions, want at least %d", type[t],
		              quiz_type_name((enum quiz_type)t), MIN_PER_TYPE);
}
END_TEST

/* --- hints ------------------------------------------------------------------------ */

/* Whether hay contains needle, ignoring case. */
static bool contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

/* Every shipped question has a hint (issue 14), and no hint quotes a right
 * choice word for word: a hint nudges, it does not answer. */
START_TEST(every_question_has_hint)
{
	size_t missing = 0, quoting = 0;
	for (size_t i = 0; i < bank.count; i++) {
		const struct quiz_question *q = &bank.questions[i];
		if (!q->hint || !*q->hint) {
			fprintf(stderr, "%s:%d:%d: '%s' has no hint\n", q->file, q->line, q->col, q->id);
			missing++;
			continue;
		}
		for (size_t c = 0; c < q->nchoices; c++) {
			const char *t = q->choices[c].text;
			if (q->choices[c].correct && strlen(t) >= 8 && contains_nocase(q->hint, t)) {
				fprintf(stderr, "%s:%d:%d: the hint of '%s' quotes its right choice '%s'\n",
				        q->file, q->line, q->col, q->id, t);
				quoting++;
			}
		}
	}
	ck_assert_msg(missing == 0, "%zu shipped question(s) without a hint", missing);
	ck_assert_msg(quoting == 0, "%zu hint(s) quoting a right choice", quoting);
}
END_TEST

/* --- uniqueness -------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A prompt reduced to what a reader tells apart: lowercase letters and
 * digits, every other run of characters one space, no space at the ends. */
static char *normalize_prompt(const char *s)
{
	char *out = xrealloc(NULL, strlen(s) + 1), *o = out;
	bool gap = false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c >= 0x80) {
			if (gap && o != out)
				*o++ = ' ';
			gap = false;
			*o++ = (char)tolower(c);
		} else {
			gap = true;
		}
	}
	*o = '\0';
	return out;
}

/* A string and the index of the question it belongs to. */
struct keyed {
	char *key;
	size_t q;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->q > y->q) - (x->q < y->q);
}

/* Sorts k and reports each question whose key an earlier one already has;
 * returns how many. */
static size_t report_duplicates(struct keyed *k, size_t n, const char *what)
{
	size_t dups = 0;
	qsort(k, n, sizeof *k, cmp_keyed);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(k[i - 1].key, k[i].key) != 0)
			continue;
		const struct quiz_question *a = &bank.questions[k[i - 1].q], *b = &bank.questions[k[i].q];
		fprintf(stderr, "%s:%d:%d: %s of '%s' is also used by '%s' (%s:%d:%d)\n", b->file, b->line,
		        b->col, what, b->id, a->id, a->file, a->line, a->col);
		dups++;
	}
	return dups;
}

/* No two questions share an id, nor a prompt (compared without case,
 * punctuation or spacing differences). */
START_TEST(ids_and_prompts_unique)
{
	struct keyed *ids = xrealloc(NULL, bank.count * sizeof *ids);
	struct keyed *prompts = xrealloc(NULL, bank.count * sizeof *prompts);
	for (size_t i = 0; i < bank.count; i++) {
		ids[i] = (struct keyed){.key = bank.questions[i].id, .q = i};
		prompts[i] = (struct keyed){.key = normalize_prompt(bank.questions[i].prompt), .q = i};
	}
	size_t dup_ids = report_duplicates(ids, bank.count, "id");
	size_t dup_prompts = report_duplicates(prompts, bank.count, "prompt");
	for (size_t i = 0; i < bank.count; i++)
		free(prompts[i].key);
	free(prompts);
	free(ids);
	ck_assert_msg(dup_ids == 0, "%zu duplicated id(s) in the shipped banks", dup_ids);
	ck_assert_msg(dup_prompts == 0, "%zu duplicated prompt(s) in the shipped banks", dup_prompts);
}
END_TEST

/* --- the manifest itself --------------------------------------------------------------- */

/* The manifest lists every item issue 6 names: the 22 questions of 000, the
 * 35 questions and the red flags of 003, each of the 48 topics of 004 with
 * its two prompts, the self-assessment checklists, common mistakes and
 * tricky points of 001 and 002, and 002's deadlock classes and leak shapes. */
START_TEST(manifest_lists_named_items)
{
	struct manifest m;
	load_manifest(&m);
	char id[64];
	size_t missing = 0;
#define WANT(...)                                                                         \
	do {                                                                              \
		snprintf(id, sizeof id, __VA_ARGS__);                                     \
		if (!manifest_find(&m, id)) {                                             \
			fprintf(stderr, "%s: item '%s' is missing\n", MANIFEST, id);      \
			missing++;                                                        \
		}                                                                         \
	} while (0)
	for (int q = 1; q <= 22; q++)
		WANT("000:q%d", q);
	for (int q = 1; q <= 35; q++)
		WANT("003:q%d", q);
	for (int t = 1; t <= 48; t++) {
		WANT("004:t%02d", t);
		WANT("004:t%02d:p1", t);
		WANT("004:t%02d:p2", t);
	}
	for (int c = 1; c <= 6; c++)
		WANT("001:checklist:%d", c);
	for (int c = 1; c <= 7; c++)
		WANT("002:checklist:%d", c);
#undef WANT
	static const struct {
		const char *prefix;
		size_t n;
	} groups[] = {
		{"003:redflag:", 8},  {"001:mistake:", 5},  {"001:tricky:", 4},
		{"002:mistake:", 5},  {"002:tricky:", 3},   {"002:deadlock:", 4},
		{"002:leak:", 3},     {"000:q", 22},        {"003:q", 35},
		{"001:checklist:", 6}, {"002:checklist:", 7},
	};
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
		size_t n = count_prefix(&m, groups[i].prefix);
		if (n != groups[i].n) {
			fprintf(stderr, "%s: %zu '%s' items, the document has %zu\n", MANIFEST, n,
			        groups[i].prefix, groups[i].n);
			missing++;
		}
	}
	free_manifest(&m);
	ck_assert_msg(missing == 0, "%s misses or miscounts %zu item(s) of the source documents",
	              MANIFEST, missing);
}
END_TEST

/* --- coverage ------------------------------------------------------------------------- */

/* Titles of the source documents, for the report's headings. */
static const char *doc_title(const char *doc)
{
	static const struct {
		const char *doc, *title;
	} titles[] = {
		{"000", "Handshaking: interview questions"},
		{"001", "Handshaking: junior"},
		{"002", "Handshaking: senior"},
		{"003", "Goroutine best practices: interview questions"},
		{"004", "Go concurrency mastery: interview questions"},
	};
	for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (strcmp(titles[i].doc, doc) == 0)
			return titles[i].title;
	return NULL;
}

/* Records, for each item, the questions that name it, and reports source
 * entries naming no item.  Returns the number of such entries. */
static size_t link_sources(struct manifest *m, size_t *unsourced)
{
	size_t unknown = 0;
	*unsourced = 0;
	for (size_t i = 0; i < bank.count; i++) {
		const struct quiz_question *q = &bank.questions[i];
		if (q->nsources == 0) {
			fprintf(stderr, "%s:%d:%d: question '%s' has no source\n", q->file, q->line, q->col,
			        q->id);
			(*unsourced)++;
		}
		for (size_t s = 0; s < q->nsources; s++) {
			struct item *it = manifest_find(m, q->sources[s]);
			if (!it) {
				fprintf(stderr, "%s:%d:%d: source '%s' of '%s' is not an item of %s\n",
				        q->file, q->line, q->col, q->sources[s], q->id, MANIFEST);
				unknown++;
				continue;
			}
			/* A question naming an item twice counts once. */
			if (it->nqids && it->qids[it->nqids - 1] == q->id)
				continue;
			it->qids = xrealloc(it->qids, (it->nqids + 1) * sizeof *it->qids);
			it->qids[it->nqids++] = q->id;
		}
	}
	return unknown;
}

/* The Markdown report: per document, one table row per item in manifest
 * order, the covering question ids sorted. */
static char *coverage_markdown(struct manifest *m)
{
	struct sbuf b = {0};
	size_t level[QUIZ_NLEVELS] = {0}, type[QUIZ_NTYPES] = {0}, covered = 0;
	for (size_t i = 0; i < bank.count; i++) {
		level[bank.questions[i].level]++;
		type[bank.questions[i].type]++;
	}
	for (size_t i = 0; i < m->count; i++)
		covered += m->items[i].nqids > 0;

	sb_puts(&b, "# Question bank coverage of the source documents\n\n");
	sb_puts(&b, "<!-- Generated by tests/quiz/test_shipped_bank.c (`make test-quiz`) from\n"
	            "     " MANIFEST " and " BANK_GLOB ". Do not edit by hand. -->\n\n");
	sb_printf(&b,
	          "Every item of the source documents listed in `" MANIFEST "`, with the "
	          "questions of `" BANK_GLOB "` whose `source` names it. %zu of %zu items are "
	          "covered by %zu questions in %zu bank files.\n\n",
	          covered, m->count, bank.count, bank.nfiles);

	sb_puts(&b, "| Level | Questions |\n|---|---:|\n");
	for (int l = 0; l < QUIZ_NLEVELS; l++)
		sb_printf(&b, "| %s | %zu |\n", quiz_level_name((enum quiz_level)l), level[l]);
	sb_puts(&b, "\n| Type | Questions |\n|---|---:|\n");
	for (int t = 0; t < QUIZ_NTYPES; t++)
		sb_printf(&b, "| %s | %zu |\n", quiz_type_name((enum quiz_type)t), type[t]);

	/* Documents in manifest order (the manifest groups by document). */
	sb_puts(&b, "\n| Document | Items | Covered |\n|---|---:|---:|\n");
	for (size_t i = 0; i < m->count;) {
		size_t j = i, cov = 0;
		while (j < m->count && strncmp(m->items[j].id, m->items[i].id, 3) == 0)
			cov += m->items[j++].nqids > 0;
		char doc[4] = {m->items[i].id[0], m->items[i].id[1], m->items[i].id[2], '\0'};
		const char *title = doc_title(doc);
		sb_printf(&b, "| %s%s%s | %zu | %zu |\n", doc, title ? " " : "", title ? title : "",
		          j - i, cov);
		i = j;
	}

	for (size_t i = 0; i < m->count;) {
		char doc[4] = {m->items[i].id[0], m->items[i].id[1], m->items[i].id[2], '\0'};
		const char *title = doc_title(doc);
		sb_printf(&b, "\n## %s%s%s\n\n", doc, title ? " " : "", title ? title : "");
		sb_puts(&b, "| Item | Description | Questions |\n|---|---|---|\n");
		for (; i < m->count && strncmp(m->items[i].id, doc, 3) == 0; i++) {
			struct item *it = &m->items[i];
			sb_printf(&b, "| `%s` | ", it->id);
			sb_put_md(&b, it->desc);
			sb_puts(&b, " | ");
			char **sorted = xrealloc(NULL, it->nqids * sizeof *sorted);
			if (it->nqids)
				memcpy(sorted, it->qids, it->nqids * sizeof *sorted);
			qsort(sorted, it->nqids, sizeof *sorted, cmp_str);
			for (size_t k = 0; k < it->nqids; k++)
				sb_printf(&b, "%s`%s`", k ? ", " : "", sorted[k]);
			if (it->nqids == 0)
				sb_puts(&b, "**not covered**");
			free(sorted);
			sb_puts(&b, " |\n");
		}
	}
	return b.s;
}

/* Writes text to path through a temporary file, so a reader never sees half
 * a report. */
static void write_file(const char *path, const char *text)
{
	char tmp[256];
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	ck_assert_msg(f != NULL, "cannot write %s", tmp);
	size_t len = strlen(text);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_msg(rename(tmp, path) == 0, "cannot rename %s to %s", tmp, path);
}

/* Every item is covered by a question, every question has a source, every
 * source names an item; writes docs/bank-coverage.md either way. */
START_TEST(sources_cover_manifest)
{
	struct manifest m;
	load_manifest(&m);
	size_t unsourced;
	size_t unknown = link_sources(&m, &unsourced);
	char *md = coverage_markdown(&m);
	write_file(COVERAGE_MD, md);
	free(md);

	size_t uncovered = 0;
	for (size_t i = 0; i < m.count; i++) {
		if (m.items[i].nqids == 0) {
			fprintf(stderr, "%s: item '%s' (%s) is covered by no question\n", MANIFEST,
			            m.items[i].id, m.items[i].desc);
			uncovered++;
		}
	}
	size_t nitems = m.count;
	free_manifest(&m);
	ck_assert_msg(unknown == 0, "%zu source entr%s no item of %s", unknown,
	              unknown == 1 ? "y names" : "ies name", MANIFEST);
	ck_assert_msg(unsourced == 0, "%zu question(s) name no source item", unsourced);
	ck_assert_msg(uncovered == 0, "%zu of %zu items of %s are covered by no question (see %s)",
	              uncovered, nitems, MANIFEST, COVERAGE_MD);
}
END_TEST

/* The report is a function of its inputs: built twice, it is the same, and
 * it is what the file holds. */
START_TEST(coverage_report_stable)
{
	struct manifest m1, m2;
	size_t unsourced;
	load_manifest(&m1);
	load_manifest(&m2);
	link_sources(&m1, &unsourced);
	link_sources(&m2, &unsourced);
	char *a = coverage_markdown(&m1);
	char *b = coverage_markdown(&m2);
	ck_assert_str_eq(a, b);
	write_file(COVERAGE_MD, a);
	char *onfile = test_read_file(COVERAGE_MD, NULL);
	ck_assert_ptr_nonnull(onfile);
	ck_assert_str_eq(onfile, a);
	free(onfile);
	free(a);
	free(b);
	free_manifest(&m1);
	free_manifest(&m2);
}
END_TEST

/* --- the linter ------------------------------------------------------------------------- */

/* `chanlab quiz lint [--strict] ARGS` exits 0; its output is shown if not. */
static void expect_lint_clean(const char *args)
{
	char cmd[512];
	int status;
	snprintf(cmd, sizeof cmd, "%s quiz lint %s 2>&1", test_chanlab_bin(), args);
	char *out = test_run_capture(cmd, &status);
	ck_assert_msg(out != NULL, "cannot run %s", cmd);
	if (status != 0)
		fprintf(stderr, "$ %s\n%s", cmd, out);
	ck_assert_msg(status == 0, "'%s' exited %d", cmd, status);
	ck_assert_msg(strstr(out, "no problems") != NULL, "'%s' printed: %s", cmd, out);
	free(out);
}

START_TEST(lint_files_clean)
{
	expect_lint_clean(BANK_GLOB);
}
END_TEST

START_TEST(lint_files_strict_clean)
{
	expect_lint_clean("--strict " BANK_GLOB);
}
END_TEST

/* With no file the binary lints the banks compiled into it. */
START_TEST(lint_embedded_clean)
{
	expect_lint_clean("");
	expect_lint_clean("--strict");
}
END_TEST

/* The library's own linter agrees (strict; pattern links are the binary's
 * to check, this runner does not link patterns/). */
START_TEST(lint_in_process_clean)
{
	struct quiz_diag d;
	quiz_diag_init(&d);
	struct quiz_lint_opts opts = {.strict = true, .pattern_names = NULL};
	int n = quiz_lint(&bank, &opts, &d);
	quiz_diag_print(&d, stderr);
	quiz_diag_free(&d);
	ck_assert_int_eq(n, 0);
}
END_TEST

Suite *suite_shipped_bank(void)
{
	Suite *s = suite_create("shipped_bank");
	TCase *tc = tcase_create("banks");
	tcase_add_checked_fixture(tc, load_banks, free_banks);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, counts_meet_minimums);
	tcase_add_test(tc, ids_and_prompts_unique);
	tcase_add_test(tc, every_question_has_hint);
	tcase_add_test(tc, manifest_lists_named_items);
	tcase_add_test(tc, sources_cover_manifest);
	tcase_add_test(tc, coverage_report_stable);
	tcase_add_test(tc, lint_in_process_clean);
	suite_add_tcase(s, tc);

	TCase *lint = tcase_create("lint");
	tcase_set_timeout(lint, 120);
	tcase_add_test(lint, lint_files_clean);
	tcase_add_test(lint, lint_files_strict_clean);
	tcase_add_test(lint, lint_embedded_clean);
	suite_add_tcase(s, lint);
	return s;
}
