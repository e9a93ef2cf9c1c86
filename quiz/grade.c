/*
 * grade.c - reading exam result files with jansson and grading them again
 * against the banks (see grade.h).  Lookups are by a sorted index of the
 * bank's ids and an array from bank index to table row, so grading is
 * linear in the size of the files (times log of the bank's size).
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/exam.h"
#include "quiz/grade.h"
#include "quiz/present.h"
#include "quiz/session.h"

#define MAX_CHOICES 26

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		quiz_oom();
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		quiz_oom();
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		quiz_oom();
	return d;
}

/* --- the bank index --------------------------------------------------------------- */

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct quiz_grade_index *)a)->id,
	              ((const struct quiz_grade_index *)b)->id);
}

void quiz_grade_init(struct quiz_grade *g, const struct quiz_bank *bank)
{
	memset(g, 0, sizeof *g);
	g->bank = bank;
	size_t n = bank ? bank->count : 0;
	g->by_id = xcalloc(n, sizeof *g->by_id);
	g->row_of = xcalloc(n, sizeof *g->row_of);
	for (size_t i = 0; i < n; i++) {
		const char *id = bank->questions[i].id;
		g->by_id[i] = (struct quiz_grade_index){id ? id : "", i};
		g->row_of[i] = -1;
	}
	if (n > 1)
		qsort(g->by_id, n, sizeof *g->by_id, by_id);
}

/* The bank index of id, or -1. */
static long find(const struct quiz_grade *g, const char *id)
{
	size_t lo = 0, hi = g->bank ? g->bank->count : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(g->by_id[mid].id, id);
		if (c == 0)
			return (long)g->by_id[mid].index;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void quiz_grade_free(struct quiz_grade *g)
{
	for (size_t i = 0; i < g->nstudents; i++) {
		free(g->students[i].file);
		free(g->students[i].name);
		free(g->students[i].paper);
	}
	for (size_t i = 0; i < g->nquestions; i++) {
		for (size_t j = 0; j < g->questions[i].nanswers; j++)
			free(g->questions[i].answers[j].text);
		free(g->questions[i].answers);
	}
	for (size_t i = 0; i < g->nnotes; i++)
		free(g->notes[i]);
	free(g->notes);
	free(g->students);
	free(g->questions);
	free(g->by_id);
	free(g->row_of);
	memset(g, 0, sizeof *g);
}

static void note(struct quiz_grade *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct quiz_grade *g, const char *fmt, ...)
{
	char *s;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		quiz_oom();
	va_end(ap);
	if (g->nnotes == g->ncap) {
		g->ncap = g->ncap ? g->ncap * 2 : 16;
		g->notes = xrealloc(g->notes, g->ncap * sizeof *g->notes);
	}
	g->notes[g->nnotes++] = s;
}

static struct quiz_grade_question *row(struct quiz_grade *g, size_t bank_index)
{
	if (g->row_of[bank_index] >= 0)
		return &g->questions[g->row_of[bank_index]];
	if (g->nquestions == g->qcap) {
		g->qcap = g->qcap ? g->qcap * 2 : 32;
		g->questions = xrealloc(g->questions, g->qcap * sizeof *g->questions);
	}
	struct quiz_grade_question *q = &g->questions[g->nquestions];
	memset(q, 0, sizeof *q);
	q->q = &g->bank->questions[bank_index];
	g->row_of[bank_index] = (long)g->nquestions++;
	return q;
}

static void add_answer(struct quiz_grade_question *q, size_t student, const char *text)
{
	if (q->nanswers == q->acap) {
		q->acap = q->acap ? q->acap * 2 : 8;
		q->answers = xrealloc(q->answers, q->acap * sizeof *q->answers);
	}
	q->answers[q->nanswers++] = (struct quiz_grade_answer){student, xstrdup(text)};
}

/* --- reading one file ---------------------------------------------------------------- */

static int fail(struct quiz_err *err, const char *name, const json_t *at, const char *what)
{
	(void)at; /* jansson keeps no positions for values once loaded */
	snprintf(err->msg, sizeof err->msg, "%s: %s", name, what);
	return -1;
}

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3u;
	}
	return h;
}

static bool free_text(const struct quiz_question *q)
{
	return q->type == QUIZ_SHORT || q->type == QUIZ_CODE;
}

/* The shape every result needs, checked before anything is added. */
static int check_shape(const char *name, json_t *root, struct quiz_err *err)
{
	if (!json_is_object(root))
		return fail(err, name, root, "expected an object (an exam result)");
	json_t *tag = json_object_get(root, "chanlab");
	if (!json_is_string(tag) || strcmp(json_string_value(tag), "exam-result") != 0)
		return fail(err, name, root, "not a chanlab exam result "
		            "(\"chanlab\": \"exam-result\" missing)");
	if (!json_is_string(json_object_get(root, "name")))
		return fail(err, name, root, "\"name\" must be a string");
	json_t *seed = json_object_get(root, "seed");
	if (!json_is_integer(seed) || json_integer_value(seed) < 0)
		return fail(err, name, root, "\"seed\" must be a whole number");
	json_t *qs = json_object_get(root, "questions");
	if (!json_is_array(qs))
		return fail(err, name, root, "\"questions\" must be an array");
	size_t i;
	json_t *it;
	json_array_foreach(qs, i, it) {
		char msg[160];
		if (!json_is_object(it)) {
			snprintf(msg, sizeof msg, "question %zu is not an object", i + 1);
			return fail(err, name, it, msg);
		}
		if (!json_is_string(json_object_get(it, "id"))) {
			snprintf(msg, sizeof msg, "question %zu has no string \"id\"", i + 1);
			return fail(err, name, it, msg);
		}
		json_t *a = json_object_get(it, "answer");
		if (a && !json_is_string(a) && !json_is_null(a)) {
			snprintf(msg, sizeof msg, "question %zu: \"answer\" must be a string or null",
			         i + 1);
			return fail(err, name, it, msg);
		}
		json_t *c = json_object_get(it, "correct");
		if (c && !json_is_boolean(c) && !json_is_null(c)) {
			snprintf(msg, sizeof msg,
			         "question %zu: \"correct\" must be true, false or null", i + 1);
			return fail(err, name, it, msg);
		}
	}
	return 0;
}

/* "seed 42" plus the filters, to compare papers. */
static char *paper_of(json_t *root)
{
	char *s;
	json_t *f = json_object_get(root, "filters");
	const char *keys[] = {"level", "topic", "type", "pattern"};
	char buf[512];
	size_t k = (size_t)snprintf(buf, sizeof buf, "seed %" JSON_INTEGER_FORMAT,
	                            json_integer_value(json_object_get(root, "seed")));
	for (size_t i = 0; i < 4 && json_is_object(f); i++) {
		json_t *v = json_object_get(f, keys[i]);
		if (json_is_string(v) && k < sizeof buf)
			k += (size_t)snprintf(buf + k, sizeof buf - k, ", %s %.80s", keys[i],
			                      json_string_value(v));
	}
	json_t *count = json_is_object(f) ? json_object_get(f, "count") : NULL;
	if (json_is_integer(count) && k < sizeof buf)
		snprintf(buf + k, sizeof buf - k, ", count %" JSON_INTEGER_FORMAT,
		         json_integer_value(count));
	s = xstrdup(buf);
	return s;
}

/* At most this many flag lines per file; the rest are counted in one. */
#define MAX_FLAG_NOTES 20
#define FLAG(...)                                                  \
	do {                                                       \
		if (g->nnotes - notes_before < MAX_FLAG_NOTES)     \
			note(g, __VA_ARGS__);                      \
		else                                               \
			hidden++;                                  \
	} while (0)

/* Grades the paper's questions into student s (index si). */
static void grade_questions(struct quiz_grade *g, size_t si, json_t *qs, uint64_t seed)
{
	size_t notes_before = g->nnotes;
	long hidden = 0;
	struct quiz_grade_student *s = &g->students[si];
	const char *file = s->file;
	bool *seen = xcalloc(g->bank ? g->bank->count : 0, sizeof *seen);
	size_t i;
	json_t *it;
	json_array_foreach(qs, i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		long bi = find(g, id);
		if (bi < 0) {
			FLAG("%s: flagged: question '%s' is not in the banks", file, id);
			s->flagged = true;
			continue;
		}
		if (seen[bi]) {
			FLAG("%s: flagged: question '%s' appears twice", file, id);
			s->flagged = true;
			continue;
		}
		seen[bi] = true;
		const struct quiz_question *q = &g->bank->questions[bi];
		json_t *type = json_object_get(it, "type");
		if (json_is_string(type) && strcmp(json_string_value(type), quiz_type_name(q->type))) {
			FLAG("%s: flagged: question '%s' is %s in the banks, %s in the result", file,
			     id, quiz_type_name(q->type), json_string_value(type));
			s->flagged = true;
			continue;
		}
		json_t *digest = json_object_get(it, "digest");
		if (json_is_string(digest)) {
			char want[17];
			snprintf(want, sizeof want, "%016" PRIx64, quiz_question_digest(q));
			if (strcmp(json_string_value(digest), want) != 0) {
				FLAG("%s: flagged: question '%s' changed since the exam "
				     "(its text, choices or answer differ)", file, id);
				s->flagged = true;
				continue;
			}
		}
		const char *answer = json_string_value(json_object_get(it, "answer"));
		struct quiz_grade_question *r = row(g, (size_t)bi);
		if (free_text(q)) {
			r->ungraded++;
			s->ungraded++;
			if (answer)
				add_answer(r, si, answer);
			continue;
		}
		int right = 0;
		if (answer && q->nchoices <= MAX_CHOICES) {
			size_t order[MAX_CHOICES];
			quiz_choice_order(q, seed, order);
			right = quiz_check_answer(q, order, answer, NULL, 0) == 1;
		}
		json_t *claim = json_object_get(it, "correct");
		if (json_is_boolean(claim) && json_is_true(claim) != right) {
			FLAG("%s: flagged: question '%s' is marked %s, but the answer '%s' is %s", file,
			     id, right ? "wrong" : "right", answer ? answer : "(none)",
			     right ? "right" : "wrong");
			s->flagged = true;
		}
		r->graded++;
		s->graded++;
		r->right += right;
		s->right += right;
	}
	free(seen);
	if (hidden)
		note(g, "%s: flagged: %ld more problem%s not shown", file, hidden,
		     hidden == 1 ? "" : "s");
}

int quiz_grade_add_text(struct quiz_grade *g, const char *name, const char *text, size_t len,
                        struct quiz_err *err)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(err->msg, sizeof err->msg, "%s:%d:%d: %s", name, je.line, je.column,
		         je.text);
		return -1;
	}
	if (check_shape(name, root, err)) {
		json_decref(root);
		return -1;
	}
	uint64_t content = fnv(text, len);
	for (size_t i = 0; i < g->nstudents; i++)
		if (g->students[i].content == content) {
			note(g, "%s: warning: the same result as %s (counted once)", name,
			     g->students[i].file);
			json_decref(root);
			return 0;
		}
	if (g->nstudents == g->scap) {
		g->scap = g->scap ? g->scap * 2 : 16;
		g->students = xrealloc(g->students, g->scap * sizeof *g->students);
	}
	size_t si = g->nstudents++;
	struct quiz_grade_student *s = &g->students[si];
	memset(s, 0, sizeof *s);
	s->file = xstrdup(name);
	s->name = xstrdup(json_string_value(json_object_get(root, "name")));
	s->seed = (uint64_t)json_integer_value(json_object_get(root, "seed"));
	s->paper = paper_of(root);
	s->content = content;
	for (size_t i = 0; i < si; i++) {
		if (strcmp(g->students[i].name, s->name) == 0)
			note(g, "%s: warning: student '%s' also in %s", name, s->name,
			     g->students[i].file);
	}
	if (si > 0 && strcmp(g->students[0].paper, s->paper) != 0)
		note(g, "%s: warning: a different paper (%s) from %s (%s)", name, s->paper,
		     g->students[0].file, g->students[0].paper);
	json_t *banks = json_object_get(root, "banks");
	if (json_is_string(banks) && g->bank) {
		char want[17];
		snprintf(want, sizeof want, "%016" PRIx64, quiz_bank_digest(g->bank));
		if (strcmp(json_string_value(banks), want) != 0)
			note(g, "%s: warning: written with other banks than these (each question is "
			     "checked)", name);
	}
	grade_questions(g, si, json_object_get(root, "questions"), s->seed);
	if (g->students[si].flagged)
		g->nflagged++;
	json_decref(root);
	return 0;
}

int quiz_grade_add_file(struct quiz_grade *g, const char *path, struct quiz_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err->msg, sizeof err->msg, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 1 << 16, len = 0, got;
	char *buf = xrealloc(NULL, cap);
	while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		snprintf(err->msg, sizeof err->msg, "%s: cannot read", path);
		return -1;
	}
	int rc = quiz_grade_add_text(g, path, buf, len, err);
	free(buf);
	return rc;
}

/* --- the table -------------------------------------------------------------------------- */

/* Share right as a fraction; ungraded questions sort after every graded one. */
static double share(const struct quiz_grade_question *q)
{
	return q->graded ? (double)q->right / q->graded : 2.0;
}

static int hardest_first(const void *a, const void *b)
{
	const struct quiz_grade_question *x = a, *y = b;
	double sx = share(x), sy = share(y);
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return strcmp(x->q->id, y->q->id);
}

void quiz_grade_sort(struct quiz_grade *g)
{
	if (g->nquestions < 2)
		return; /* qsort(NULL, 0, ...) is undefined */
	qsort(g->questions, g->nquestions, sizeof *g->questions, hardest_first);
	if (g->bank)
		for (size_t i = 0; i < g->nquestions; i++)
			g->row_of[g->questions[i].q - g->bank->questions] = (long)i;
}

static int pct(int right, int total)
{
	return total ? (int)((200L * right + total) / (2L * total)) : 0;
}

/* Columns a UTF-8 string takes (one per code point: good enough for names). */
static int text_width(const char *s)
{
	int w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/* s left-aligned in w columns, control characters neutralised. */
static void pad(FILE *out, const char *s, int w)
{
	quiz_safe_fputs(out, s, false);
	for (int n = text_width(s); n < w; n++)
		fputc(' ', out);
}

void quiz_grade_print_table(FILE *out, const struct quiz_grade *g)
{
	int w = 7;
	for (size_t i = 0; i < g->nstudents; i++)
		if (text_width(g->students[i].name) > w)
			w = text_width(g->students[i].name);
	pad(out, "student", w);
	fprintf(out, "  %7s  %4s  %s\n", "score", "%", "ungraded");
	for (size_t i = 0; i < g->nstudents; i++) {
		const struct quiz_grade_student *s = &g->students[i];
		char score[32];
		snprintf(score, sizeof score, "%d/%d", s->right, s->graded);
		pad(out, s->name, w);
		fprintf(out, "  %7s  %3d%%  %d%s\n", score, pct(s->right, s->graded), s->ungraded,
		        s->flagged ? "  flagged" : "");
	}
	int qw = 8;
	for (size_t i = 0; i < g->nquestions; i++)
		if (text_width(g->questions[i].q->id) > qw)
			qw = text_width(g->questions[i].q->id);
	fputc('\n', out);
	pad(out, "question", qw);
	fprintf(out, "  %7s  %4s\n", "right", "%");
	for (size_t i = 0; i < g->nquestions; i++) {
		const struct quiz_grade_question *q = &g->questions[i];
		char right[32];
		pad(out, q->q->id, qw);
		if (q->graded) {
			snprintf(right, sizeof right, "%d/%d", q->right, q->graded);
			fprintf(out, "  %7s  %3d%%\n", right, pct(q->right, q->graded));
		} else {
			fprintf(out, "  %7s  %4s\n", "-", "hand");
		}
	}
}

void quiz_csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		quiz_safe_fputs(out, s, false);
		return;
	}
	fputc('"', out);
	while (*s) {
		size_t n = strcspn(s, "\"");
		quiz_safe_fwrite(out, s, n, true);
		s += n;
		if (*s == '"') {
			fputs("\"\"", out);
			s++;
		}
	}
	fputc('"', out);
}

void quiz_grade_print_csv(FILE *out, const struct quiz_grade *g)
{
	fputs("kind,name,right,total,percent,ungraded,flagged\n", out);
	for (size_t i = 0; i < g->nstudents; i++) {
		const struct quiz_grade_student *s = &g->students[i];
		fputs("student,", out);
		quiz_csv_field(out, s->name);
		fprintf(out, ",%d,%d,%d,%d,%s\n", s->right, s->graded, pct(s->right, s->graded),
		        s->ungraded, s->flagged ? "yes" : "no");
	}
	for (size_t i = 0; i < g->nquestions; i++) {
		const struct quiz_grade_question *q = &g->questions[i];
		fputs("question,", out);
		quiz_csv_field(out, q->q->id);
		if (q->graded)
			fprintf(out, ",%d,%d,%d,%d,\n", q->right, q->graded, pct(q->right, q->graded),
			        q->ungraded);
		else
			fprintf(out, ",,,,%d,\n", q->ungraded);
	}
}

void quiz_grade_print_answers(FILE *out, const struct quiz_grade *g)
{
	bool any = false;
	for (size_t i = 0; i < g->nquestions; i++) {
		const struct quiz_grade_question *q = &g->questions[i];
		if (!free_text(q->q))
			continue;
		fprintf(out, "%s== ", any ? "\n" : "");
		quiz_safe_fputs(out, q->q->id, false);
		fprintf(out, " (%s)\n", quiz_type_name(q->q->type));
		quiz_present_wrapped(out, q->q->prompt, 0, 78);
		any = true;
		if (!q->nanswers)
			fputs("  (no answers)\n", out);
		for (size_t j = 0; j < q->nanswers; j++) {
			fputs("- ", out);
			quiz_safe_fputs(out, g->students[q->answers[j].student].name, false);
			fputs(":\n", out);
			for (const char *s = q->answers[j].text; *s;) {
				size_t n = strcspn(s, "\n");
				fputs("    ", out);
				quiz_safe_fwrite(out, s, n, false);
				fputc('\n', out);
				s += n + (s[n] == '\n');
			}
		}
	}
	if (!any)
		fputs("no short or code questions in these results\n", out);
}

void quiz_grade_print_notes(FILE *out, const struct quiz_grade *g)
{
	for (size_t i = 0; i < g->nnotes; i++) {
		fputs("chanlab: ", out);
		quiz_safe_fputs(out, g->notes[i], false);
		fputc('\n', out);
	}
}
