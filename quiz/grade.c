/*
 * grade.c - reading exam result files and the class table (see grade.h).
 * First a small JSON reader (a tree of values with their line numbers), then
 * the grader that walks the shape exam.c writes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/grade.h"

/* --- JSON ---------------------------------------------------------------------------- */

enum jkind { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jkind kind;
	int line;
	bool b;
	double num;
	char *str;               /* J_STR */
	struct jval *items;      /* J_ARR, J_OBJ (values) */
	char **keys;             /* J_OBJ */
	size_t n, cap;
};

struct jparser {
	const char *s, *end;
	int line;
	const char *name;
	struct quiz_err *err;
	int depth;
};

#define JSON_MAX_DEPTH 64

static int jfail(struct jparser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int jfail(struct jparser *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->err->msg, sizeof p->err->msg, "%s:%d: %s", p->name, p->line, msg);
	return -1;
}

static void jfree(struct jval *v)
{
	free(v->str);
	for (size_t i = 0; i < v->n; i++) {
		jfree(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	memset(v, 0, sizeof *v);
}

static void skip_ws(struct jparser *p)
{
	while (p->s < p->end) {
		char c = *p->s;
		if (c == '\n')
			p->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			return;
		p->s++;
	}
}

static void put_utf8(char *out, size_t *k, uint32_t cp)
{
	if (cp < 0x80) {
		out[(*k)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*k)++] = (char)(0xc0 | cp >> 6);
		out[(*k)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*k)++] = (char)(0xe0 | cp >> 12);
		out[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*k)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*k)++] = (char)(0xf0 | cp >> 18);
		out[(*k)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*k)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static int hex4(struct jparser *p, uint32_t *out)
{
	if (p->end - p->s < 4)
		return jfail(p, "truncated \\u escape");
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = *p->s++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return jfail(p, "bad \\u escape");
	}
	*out = v;
	return 0;
}

/* At the opening quote; *out is a malloc'd UTF-8 string. */
static int parse_string(struct jparser *p, char **out)
{
	p->s++;
	/* The decoded string is never longer than the source text. */
	char *buf = malloc((size_t)(p->end - p->s) + 1);
	if (!buf)
		return jfail(p, "out of memory");
	size_t k = 0;
	for (;;) {
		if (p->s >= p->end) {
			free(buf);
			return jfail(p, "unterminated string");
		}
		unsigned char c = (unsigned char)*p->s++;
		if (c == '"')
			break;
		if (c < 0x20) {
			free(buf);
			return jfail(p, "control character in a string");
		}
		if (c != '\\') {
			buf[k++] = (char)c;
			continue;
		}
		if (p->s >= p->end) {
			free(buf);
			return jfail(p, "unterminated string");
		}
		char e = *p->s++;
		uint32_t cp, lo;
		switch (e) {
		case '"': buf[k++] = '"'; break;
		case '\\': buf[k++] = '\\'; break;
		case '/': buf[k++] = '/'; break;
		case 'b': buf[k++] = '\b'; break;
		case 'f': buf[k++] = '\f'; break;
		case 'n': buf[k++] = '\n'; break;
		case 'r': buf[k++] = '\r'; break;
		case 't': buf[k++] = '\t'; break;
		case 'u':
			if (hex4(p, &cp)) {
				free(buf);
				return -1;
			}
			if (cp >= 0xd800 && cp < 0xdc00 && p->end - p->s >= 6 && p->s[0] == '\\' &&
			    p->s[1] == 'u') {
				p->s += 2;
				if (hex4(p, &lo)) {
					free(buf);
					return -1;
				}
				if (lo >= 0xdc00 && lo < 0xe000)
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			put_utf8(buf, &k, cp);
			break;
		default:
			free(buf);
			return jfail(p, "bad escape '\\%c'", e);
		}
	}
	buf[k] = '\0';
	*out = buf;
	return 0;
}

static int parse_value(struct jparser *p, struct jval *v);

static int grow(struct jparser *p, struct jval *v, bool keys)
{
	if (v->n < v->cap)
		return 0;
	size_t cap = v->cap ? v->cap * 2 : 8;
	struct jval *items = realloc(v->items, cap * sizeof *items);
	if (!items)
		return jfail(p, "out of memory");
	v->items = items;
	if (keys) {
		char **k = realloc(v->keys, cap * sizeof *k);
		if (!k)
			return jfail(p, "out of memory");
		v->keys = k;
	}
	v->cap = cap;
	return 0;
}

static int parse_array(struct jparser *p, struct jval *v)
{
	v->kind = J_ARR;
	p->s++;
	skip_ws(p);
	if (p->s < p->end && *p->s == ']') {
		p->s++;
		return 0;
	}
	for (;;) {
		if (grow(p, v, false))
			return -1;
		memset(&v->items[v->n], 0, sizeof v->items[v->n]);
		if (parse_value(p, &v->items[v->n]))
			return -1;
		v->n++;
		skip_ws(p);
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			continue;
		}
		if (p->s < p->end && *p->s == ']') {
			p->s++;
			return 0;
		}
		return jfail(p, "expected ',' or ']'");
	}
}

static int parse_object(struct jparser *p, struct jval *v)
{
	v->kind = J_OBJ;
	p->s++;
	skip_ws(p);
	if (p->s < p->end && *p->s == '}') {
		p->s++;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (p->s >= p->end || *p->s != '"')
			return jfail(p, "expected a string key");
		if (grow(p, v, true))
			return -1;
		char *key;
		if (parse_string(p, &key))
			return -1;
		v->keys[v->n] = key;
		memset(&v->items[v->n], 0, sizeof v->items[v->n]);
		v->n++; /* counted now so jfree releases the key on error */
		skip_ws(p);
		if (p->s >= p->end || *p->s != ':')
			return jfail(p, "expected ':' after key \"%s\"", key);
		p->s++;
		if (parse_value(p, &v->items[v->n - 1]))
			return -1;
		skip_ws(p);
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			continue;
		}
		if (p->s < p->end && *p->s == '}') {
			p->s++;
			return 0;
		}
		return jfail(p, "expected ',' or '}'");
	}
}

static bool word(struct jparser *p, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(p->end - p->s) >= n && memcmp(p->s, w, n) == 0) {
		p->s += n;
		return true;
	}
	return false;
}

static int parse_number(struct jparser *p, struct jval *v)
{
	const char *start = p->s;
	while (p->s < p->end && strchr("+-0123456789.eE", *p->s))
		p->s++;
	char tmp[64];
	size_t n = (size_t)(p->s - start);
	if (n == 0 || n >= sizeof tmp)
		return jfail(p, "unexpected character '%c'", *start);
	memcpy(tmp, start, n);
	tmp[n] = '\0';
	char *end;
	errno = 0;
	v->num = strtod(tmp, &end);
	if (*end || errno)
		return jfail(p, "bad number '%s'", tmp);
	v->kind = J_NUM;
	return 0;
}

static int parse_value(struct jparser *p, struct jval *v)
{
	skip_ws(p);
	v->line = p->line;
	if (p->s >= p->end)
		return jfail(p, "unexpected end of file");
	if (++p->depth > JSON_MAX_DEPTH)
		return jfail(p, "nested too deeply");
	int rc;
	switch (*p->s) {
	case '{':
		rc = parse_object(p, v);
		break;
	case '[':
		rc = parse_array(p, v);
		break;
	case '"':
		v->kind = J_STR;
		rc = parse_string(p, &v->str);
		break;
	default:
		if (word(p, "true")) {
			v->kind = J_BOOL;
			v->b = true;
			rc = 0;
		} else if (word(p, "false")) {
			v->kind = J_BOOL;
			rc = 0;
		} else if (word(p, "null")) {
			v->kind = J_NULL;
			rc = 0;
		} else {
			rc = parse_number(p, v);
		}
	}
	p->depth--;
	return rc;
}

static int json_parse(const char *name, const char *text, size_t len, struct jval *v,
                      struct quiz_err *err)
{
	struct jparser p = {text, text + len, 1, name, err, 0};
	memset(v, 0, sizeof *v);
	if (parse_value(&p, v)) {
		jfree(v);
		return -1;
	}
	skip_ws(&p);
	if (p.s < p.end) {
		jfree(v);
		return jfail(&p, "unexpected text after the end");
	}
	return 0;
}

static const struct jval *jget(const struct jval *obj, const char *key)
{
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}

/* --- grading ----------------------------------------------------------------------------- */

void quiz_grade_init(struct quiz_grade *g)
{
	memset(g, 0, sizeof *g);
}

void quiz_grade_free(struct quiz_grade *g)
{
	for (size_t i = 0; i < g->nstudents; i++) {
		free(g->students[i].file);
		free(g->students[i].name);
	}
	for (size_t i = 0; i < g->nquestions; i++)
		free(g->questions[i].id);
	free(g->students);
	free(g->questions);
	memset(g, 0, sizeof *g);
}

static int shape(struct quiz_err *err, const char *name, int line, const char *what)
{
	snprintf(err->msg, sizeof err->msg, "%s:%d: %s", name, line, what);
	return -1;
}

static struct quiz_grade_question *question_row(struct quiz_grade *g, const char *id)
{
	for (size_t i = 0; i < g->nquestions; i++)
		if (strcmp(g->questions[i].id, id) == 0)
			return &g->questions[i];
	if (g->nquestions == g->qcap) {
		size_t cap = g->qcap ? g->qcap * 2 : 32;
		struct quiz_grade_question *qs = realloc(g->questions, cap * sizeof *qs);
		if (!qs)
			return NULL;
		g->questions = qs;
		g->qcap = cap;
	}
	struct quiz_grade_question *q = &g->questions[g->nquestions];
	memset(q, 0, sizeof *q);
	if (!(q->id = strdup(id)))
		return NULL;
	g->nquestions++;
	return q;
}

/* Checks the shape first, so a bad file adds nothing. */
static int check_shape(const char *name, const struct jval *root, struct quiz_err *err)
{
	if (root->kind != J_OBJ)
		return shape(err, name, root->line, "expected an object (an exam result)");
	const struct jval *tag = jget(root, "chanlab");
	if (!tag || tag->kind != J_STR || strcmp(tag->str, "exam-result") != 0)
		return shape(err, name, root->line, "not a chanlab exam result "
		             "(\"chanlab\": \"exam-result\" missing)");
	const struct jval *nm = jget(root, "name");
	if (!nm || nm->kind != J_STR)
		return shape(err, name, nm ? nm->line : root->line, "\"name\" must be a string");
	const struct jval *qs = jget(root, "questions");
	if (!qs || qs->kind != J_ARR)
		return shape(err, name, qs ? qs->line : root->line, "\"questions\" must be an array");
	for (size_t i = 0; i < qs->n; i++) {
		const struct jval *it = &qs->items[i];
		if (it->kind != J_OBJ)
			return shape(err, name, it->line, "a question must be an object");
		const struct jval *id = jget(it, "id");
		if (!id || id->kind != J_STR)
			return shape(err, name, it->line, "question without a string \"id\"");
		const struct jval *c = jget(it, "correct");
		if (!c || (c->kind != J_BOOL && c->kind != J_NULL))
			return shape(err, name, c ? c->line : it->line,
			             "\"correct\" must be true, false or null");
	}
	return 0;
}

int quiz_grade_add_text(struct quiz_grade *g, const char *name, const char *text, size_t len,
                        struct quiz_err *err)
{
	struct jval root;
	if (json_parse(name, text, len, &root, err))
		return -1;
	if (check_shape(name, &root, err)) {
		jfree(&root);
		return -1;
	}
	if (g->nstudents == g->scap) {
		size_t cap = g->scap ? g->scap * 2 : 16;
		struct quiz_grade_student *st = realloc(g->students, cap * sizeof *st);
		if (!st) {
			jfree(&root);
			return shape(err, name, 0, "out of memory");
		}
		g->students = st;
		g->scap = cap;
	}
	struct quiz_grade_student *s = &g->students[g->nstudents];
	memset(s, 0, sizeof *s);
	s->file = strdup(name);
	s->name = strdup(jget(&root, "name")->str);
	if (!s->file || !s->name) {
		free(s->file);
		free(s->name);
		jfree(&root);
		return shape(err, name, 0, "out of memory");
	}
	g->nstudents++;
	const struct jval *qs = jget(&root, "questions");
	for (size_t i = 0; i < qs->n; i++) {
		const struct jval *it = &qs->items[i];
		const struct jval *c = jget(it, "correct");
		struct quiz_grade_question *q = question_row(g, jget(it, "id")->str);
		if (!q) {
			jfree(&root);
			return shape(err, name, 0, "out of memory");
		}
		if (c->kind == J_NULL) {
			q->ungraded++;
			s->ungraded++;
			continue;
		}
		q->graded++;
		s->graded++;
		if (c->b) {
			q->right++;
			s->right++;
		}
	}
	jfree(&root);
	return 0;
}

int quiz_grade_add_file(struct quiz_grade *g, const char *path, struct quiz_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err->msg, sizeof err->msg, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 8192, len = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			char *b = realloc(buf, cap *= 2);
			if (!b)
				free(buf);
			buf = b;
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		free(buf);
		snprintf(err->msg, sizeof err->msg, "%s: cannot read", path);
		return -1;
	}
	int rc = quiz_grade_add_text(g, path, buf, len, err);
	free(buf);
	return rc;
}

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
	return strcmp(x->id, y->id);
}

void quiz_grade_sort(struct quiz_grade *g)
{
	qsort(g->questions, g->nquestions, sizeof *g->questions, hardest_first);
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

/* s left-aligned in w columns. */
static void pad(FILE *out, const char *s, int w)
{
	fputs(s, out);
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
		fprintf(out, "  %7s  %3d%%  %d\n", score, pct(s->right, s->graded), s->ungraded);
	}
	int qw = 8;
	for (size_t i = 0; i < g->nquestions; i++)
		if (text_width(g->questions[i].id) > qw)
			qw = text_width(g->questions[i].id);
	fputc('\n', out);
	pad(out, "question", qw);
	fprintf(out, "  %7s  %4s\n", "right", "%");
	for (size_t i = 0; i < g->nquestions; i++) {
		const struct quiz_grade_question *q = &g->questions[i];
		char right[32];
		pad(out, q->id, qw);
		if (q->graded) {
			snprintf(right, sizeof right, "%d/%d", q->right, q->graded);
			fprintf(out, "  %7s  %3d%%\n", right, pct(q->right, q->graded));
		} else {
			fprintf(out, "  %7s  %4s\n", "-", "hand");
		}
	}
}

static void csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void quiz_grade_print_csv(FILE *out, const struct quiz_grade *g)
{
	fputs("kind,name,right,total,percent\n", out);
	for (size_t i = 0; i < g->nstudents; i++) {
		const struct quiz_grade_student *s = &g->students[i];
		fputs("student,", out);
		csv_field(out, s->name);
		fprintf(out, ",%d,%d,%d\n", s->right, s->graded, pct(s->right, s->graded));
	}
	for (size_t i = 0; i < g->nquestions; i++) {
		const struct quiz_grade_question *q = &g->questions[i];
		fputs("question,", out);
		csv_field(out, q->id);
		if (q->graded)
			fprintf(out, ",%d,%d,%d\n", q->right, q->graded, pct(q->right, q->graded));
		else
			fputs(",,,\n", out);
	}
}
