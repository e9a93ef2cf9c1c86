/*
 * import_gift.c - reads Moodle GIFT (multiple choice, multiple answer,
 * true/false, short answer, essay) and writes a YAML bank (export.h).
 *
 * GIFT is read a question at a time: questions are separated by blank lines,
 * "//" lines are comments (except "// chanlab: key=value..." lines, written
 * by export_gift.c to carry what GIFT cannot), "$CATEGORY:" lines name the
 * topic.  Inside a question a backslash escapes ~ = # { } : and itself, and
 * "\n" is a newline.  The YAML is written by hand, every string double-quoted
 * (or as a literal block for multi-line text), so any text survives.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/export.h"

/* --- a growing string -------------------------------------------------------- */

struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			quiz_oom();
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static char *dupn(const char *s, size_t n)
{
	struct buf b = {0};
	buf_add(&b, s, n);
	return b.s;
}

/* --- GIFT text ------------------------------------------------------------------ */

/* Index of the first unescaped c in s[from..n), or n. */
static size_t find(const char *s, size_t from, size_t n, char c)
{
	for (size_t i = from; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == c)
			return i;
	}
	return n;
}

/* Index of the first unescaped string t in s[from..n), or n. */
static size_t find_str(const char *s, size_t from, size_t n, const char *t)
{
	size_t m = strlen(t);
	for (size_t i = from; i + m <= n; i++) {
		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (strncmp(s + i, t, m) == 0)
			return i;
	}
	return n;
}

/* The unescaped, trimmed text of s[0..n) (malloc'd). */
static char *unescape(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]) && !(n >= 2 && s[n - 2] == '\\'))
		n--;
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			buf_add(&b, s[i] == 'n' ? "\n" : &s[i], 1);
		} else {
			buf_add(&b, &s[i], 1);
		}
	}
	return b.s;
}

/* s without its leading and trailing blanks; frees s. */
static char *trim(char *s)
{
	const char *b = s;
	while (isspace((unsigned char)*b))
		b++;
	size_t n = strlen(b);
	while (n && isspace((unsigned char)b[n - 1]))
		n--;
	char *t = dupn(b, n);
	free(s);
	return t;
}

/* Replaces the few entities export_gift.c and editors write. */
static char *html_decode(const char *s, size_t n, bool strip_tags)
{
	static const struct { const char *ent; const char *ch; } ents[] = {
		{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}, {"&quot;", "\""}, {"&#39;", "'"},
		{"&nbsp;", " "}, {"&#9;", "\t"},
	};
	struct buf b = {0};
	buf_add(&b, "", 0);
	bool no_more_gt = false;  /* a '<' found no '>': none will (linear time) */
	for (size_t i = 0; i < n; i++) {
		if (strip_tags && s[i] == '<' && !no_more_gt) {
			const char *end = memchr(s + i, '>', n - i);
			no_more_gt = !end;
			if (end) {
				if (strncmp(s + i, "<br", 3) == 0)
					buf_add(&b, "\n", 1);
				i = (size_t)(end - s);
				continue;
			}
		}
		size_t k = 0, nents = sizeof ents / sizeof ents[0];
		while (k < nents && (s[i] != '&' || i + strlen(ents[k].ent) > n ||
		                     strncmp(s + i, ents[k].ent, strlen(ents[k].ent)) != 0))
			k++;
		if (k < nents) {
			buf_add(&b, ents[k].ch, 1);
			i += strlen(ents[k].ent) - 1;
		} else {
			buf_add(&b, s + i, 1);
		}
	}
	return b.s;
}

/* --- the question being read --------------------------------------------------- */

struct gq {
	struct quiz_question q;
	size_t chcap;
	char *level;       /* from "// chanlab:", else NULL */
	char *type;
	char *topics;      /* comma-separated */
	char *patterns;
	char *sources;     /* comma-separated */
	char *exercises;   /* comma-separated */
	char *go;          /* the minimum Go version, "1.21" */
	bool html;         /* the text was [html]: answers are too */
};

static void gq_free(struct gq *g)
{
	quiz_question_free(&g->q);
	free(g->level);
	free(g->type);
	free(g->topics);
	free(g->patterns);
	free(g->sources);
	free(g->exercises);
	free(g->go);
	memset(g, 0, sizeof *g);
}

/* "// chanlab: level=junior type=short topics=a,b patterns=p lang=go shuffle=false
 *  sources=a,b go=1.21 exercises=a,b" */
static void read_metadata(struct gq *g, const char *line)
{
	const char *s = line + strlen("// chanlab:");
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		const char *eq = strchr(s, '='), *end = s + strcspn(s, " \t\r\n");
		if (!eq || eq > end) {
			s = end;
			if (*s)
				s++;
			continue;
		}
		char *val = dupn(eq + 1, (size_t)(end - eq - 1));
		size_t klen = (size_t)(eq - s);
		char **slot = NULL;
		if (klen == 5 && !strncmp(s, "level", 5))
			slot = &g->level;
		else if (klen == 4 && !strncmp(s, "type", 4))
			slot = &g->type;
		else if (klen == 6 && !strncmp(s, "topics", 6))
			slot = &g->topics;
		else if (klen == 8 && !strncmp(s, "patterns", 8))
			slot = &g->patterns;
		else if (klen == 7 && !strncmp(s, "sources", 7))
			slot = &g->sources;
		else if (klen == 9 && !strncmp(s, "exercises", 9))
			slot = &g->exercises;
		else if (klen == 2 && !strncmp(s, "go", 2))
			slot = &g->go;
		else if (klen == 4 && !strncmp(s, "lang", 4))
			slot = &g->q.lang;
		else if (klen == 7 && !strncmp(s, "shuffle", 7))
			g->q.shuffle = strcmp(val, "false") != 0;
		if (slot) {
			free(*slot);
			*slot = val;
		} else {
			free(val);
		}
		s = end;
	}
}

static void add_choice(struct gq *g, char *text, char *why, bool correct)
{
	struct quiz_question *q = &g->q;
	if (q->nchoices == g->chcap) {
		g->chcap = g->chcap ? g->chcap * 2 : 8;
		q->choices = realloc(q->choices, g->chcap * sizeof *q->choices);
		if (!q->choices)
			quiz_oom();
	}
	q->choices[q->nchoices++] = (struct quiz_choice){.text = text, .why = why,
	                                                 .correct = correct};
}

/* Splits "text#feedback" (unescaped #) into two malloc'd strings. */
static void text_and_feedback(const char *s, size_t n, char **text, char **fb)
{
	size_t h = find(s, 0, n, '#');
	*text = unescape(s, h);
	*fb = NULL;
	if (h < n) {
		char *f = unescape(s + h + 1, n - h - 1);
		if (*f)
			*fb = f;
		else
			free(f);
	}
}

/* "=a ~b#why ~%50%c": one answer per unescaped = or ~. */
static int read_choices(struct gq *g, const char *s, size_t n, bool *has_equals)
{
	*has_equals = false;
	size_t i = 0, next_eq = 0, next_tilde = 0;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	while (i < n) {
		char mark = s[i];
		if (mark != '=' && mark != '~')
			return -1;
		*has_equals |= mark == '=';
		/* The next '=' and '~' are searched for again only once passed, so
		 * the answers are read in linear time. */
		size_t start = ++i;
		if (next_eq < start)
			next_eq = find(s, start, n, '=');
		if (next_tilde < start)
			next_tilde = find(s, start, n, '~');
		size_t end = next_eq < next_tilde ? next_eq : next_tilde;
		double w = mark == '=' ? 100 : 0;
		size_t t = start;
		while (t < end && isspace((unsigned char)s[t]))
			t++;
		if (t < end && s[t] == '%') {
			size_t close = find(s, t + 1, end, '%');
			if (close < end) {
				w = strtod(s + t + 1, NULL);
				start = close + 1;
			}
		}
		char *text, *why;
		text_and_feedback(s + start, end - start, &text, &why);
		add_choice(g, text, why, w > 0);
		i = end;
	}
	return 0;
}

static bool is_tf(const char *s, bool *v)
{
	if (!strcasecmp(s, "T") || !strcasecmp(s, "TRUE")) {
		*v = true;
		return true;
	}
	if (!strcasecmp(s, "F") || !strcasecmp(s, "FALSE")) {
		*v = false;
		return true;
	}
	return false;
}

/* s, an answer or feedback, decoded when the question is [html]; frees s. */
static char *decode(const struct gq *g, char *s)
{
	if (!g->html)
		return s;
	char *d = html_decode(s, strlen(s), true);
	free(s);
	return trim(d);
}

/* The question text: [html] text is decoded and its <pre> becomes `code`. */
static void read_text(struct gq *g, const char *s, size_t n)
{
	char *raw = unescape(s, n);
	const char *t = raw;
	bool html = false;
	if (!strncmp(t, "[html]", 6)) {
		html = g->html = true;
		t += 6;
	} else if (!strncmp(t, "[plain]", 7) || !strncmp(t, "[moodle]", 8) ||
	           !strncmp(t, "[markdown]", 10)) {
		t = strchr(t, ']') + 1;
	}
	if (!html) {
		g->q.prompt = dupn(t, strlen(t));
		free(raw);
		return;
	}
	const char *pre = strstr(t, "<pre>");
	size_t plen = pre ? (size_t)(pre - t) : strlen(t);
	char *p = html_decode(t, plen, true);
	g->q.prompt = trim(p);
	if (pre) {
		const char *c = pre + 5, *end = strstr(c, "</pre>");
		if (!strncmp(c, "<code>", 6))
			c += 6;
		if (!end)
			end = c + strlen(c);
		size_t clen = (size_t)(end - c);
		if (clen >= 7 && !strncmp(end - 7, "</code>", 7))
			clen -= 7;
		g->q.code = html_decode(c, clen, false);
	}
	free(raw);
}

static const char *topic_of(const char *category)
{
	const char *slash = category ? strrchr(category, '/') : NULL;
	return slash ? slash + 1 : category;
}

static bool slug_ok(const char *s, bool dots)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' &&
		    !(dots && *s == '.'))
			return false;
	return true;
}

/* --- writing YAML ---------------------------------------------------------------- */

/*
 * The code point of the UTF-8 sequence at s (the input was checked to be
 * UTF-8) and its length in *n.
 */
static uint32_t code_point(const unsigned char *s, size_t *n)
{
	if (s[0] < 0x80 || !s[1]) {
		*n = 1;
		return s[0];
	}
	size_t len = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : 4;
	uint32_t cp = s[0] & (0x7f >> len);
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80) {
			*n = 1;
			return 0xfffd;
		}
		cp = cp << 6 | (s[k] & 0x3f);
	}
	*n = len;
	return cp;
}

/* What YAML lets stand in a document as it is (its "printable" set, less
 * NEL and the line and paragraph separators, which it reads as line
 * breaks, and the BOM). */
static bool yaml_plain_char(uint32_t c)
{
	return c == '\t' || c == '\n' || (c >= 0x20 && c <= 0x7e) ||
	       (c >= 0xa0 && c <= 0xd7ff && c != 0x2028 && c != 0x2029) ||
	       (c >= 0xe000 && c <= 0xfffd && c != 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);
}

static bool block_ok(const char *s)
{
	if (!strchr(s, '\n') || *s == ' ' || *s == '\n' || *s == '\t')
		return false;
	for (const char *p = s; *p;) {
		size_t n;
		uint32_t c = code_point((const unsigned char *)p, &n);
		if (!yaml_plain_char(c) || c == '\r')
			return false;
		if ((*p == ' ' || *p == '\t') && (p[1] == '\n' || p[1] == '\0'))
			return false;  /* trailing blanks would be lost */
		if (*p == '\n' && p[1] == '\t')
			return false;  /* a tab cannot indent a block line */
		p += n;
	}
	return true;
}

/* s as a double-quoted YAML scalar: every character YAML would not take
 * as it is (controls, NEL, separators, the BOM) escaped. */
static void yaml_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (const char *p = s; *p;) {
		size_t n;
		uint32_t c = code_point((const unsigned char *)p, &n);
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", (char)c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (!yaml_plain_char(c))
			fprintf(out, c < 0x10000 ? "\\u%04x" : "\\U%08x", (unsigned)c);
		else
			fwrite(p, 1, n, out);
		p += n;
	}
	fputc('"', out);
}

/* A YAML string: a literal block for clean multi-line text (indented by
 * indent), else double-quoted with escapes. */
static void yaml_str(FILE *out, const char *s, int indent)
{
	if (block_ok(s)) {
		fputs("|-\n", out);
		fprintf(out, "%*s", indent, "");
		for (; *s; s++) {
			fputc(*s, out);
			if (*s == '\n' && s[1] != '\n')
				fprintf(out, "%*s", indent, "");
		}
		fputc('\n', out);
		return;
	}
	yaml_quoted(out, s);
	fputc('\n', out);
}

static void yaml_key(FILE *out, const char *key, const char *val, int indent)
{
	if (!val)
		return;
	fprintf(out, "%*s%s: ", indent, "", key);
	yaml_str(out, val, indent + 2);
}

/* "a,b" as a flow list of quoted strings. */
static void yaml_list(FILE *out, const char *key, const char *csv)
{
	if (!csv || !*csv)
		return;
	fprintf(out, "    %s: [", key);  /* flow list: items are quoted below */
	const char *s = csv;
	for (bool first = true; *s; first = false) {
		size_t n = strcspn(s, ",");
		char *item = dupn(s, n);
		fputs(first ? "" : ", ", out);
		yaml_quoted(out, item);
		free(item);
		s += n;
		if (*s)
			s++;
	}
	fputs("]\n", out);
}

static void write_question(FILE *out, const struct gq *g, const char *topic)
{
	const struct quiz_question *q = &g->q;
	fputs("  - id: ", out);
	yaml_str(out, q->id, 6);
	fputs("    level: ", out);
	yaml_str(out, g->level ? g->level : "junior", 6);
	yaml_list(out, "topics", g->topics ? g->topics : topic);
	fprintf(out, "    type: %s\n", quiz_type_name(q->type));
	yaml_key(out, "prompt", q->prompt, 4);
	if (q->code) {
		yaml_key(out, "code", q->code, 4);
		if (q->lang)
			yaml_key(out, "lang", q->lang, 4);
	}
	if (q->nchoices)
		fputs("    choices:\n", out);
	for (size_t i = 0; i < q->nchoices; i++) {
		fputs("      - text: ", out);
		yaml_str(out, q->choices[i].text, 10);
		if (q->choices[i].correct)
			fputs("        correct: true\n", out);
		yaml_key(out, "why", q->choices[i].why, 8);
	}
	if (q->type == QUIZ_TRUEFALSE)
		fprintf(out, "    answer: %s\n", q->answer_bool ? "true" : "false");
	else
		yaml_key(out, "answer", q->answer_text, 4);
	yaml_key(out, "why", q->why, 4);
	yaml_key(out, "explanation", q->explanation ? q->explanation : "", 4);
	if (q->follow_up_prompt && q->follow_up_answer) {
		fputs("    follow_up:\n", out);
		yaml_key(out, "prompt", q->follow_up_prompt, 6);
		yaml_key(out, "answer", q->follow_up_answer, 6);
	}
	yaml_key(out, "hint", q->hint, 4);
	yaml_list(out, "patterns", g->patterns);
	yaml_list(out, "source", g->sources);
	if (g->go && *g->go) {
		fputs("    go: ", out);  /* quoted: a plain 1.20 would still load as "1.20" */
		yaml_quoted(out, g->go);
		fputc('\n', out);
	}
	yaml_list(out, "exercises", g->exercises);
	if (!q->shuffle)
		fputs("    shuffle: false\n", out);
}

/* --- reading questions -------------------------------------------------------- */

/* One bank being written (split mode: one per $CATEGORY). */
struct out_bank {
	char *bank;
	char *text;
	size_t len;
	FILE *f;
	int written;
};

struct importer {
	const char *name;
	const char *bank;
	char *category;
	struct quiz_diag *diag;
	FILE *out;
	bool split;               /* a bank per $CATEGORY, into banks[] */
	struct out_bank **banks;  /* each allocated apart: its memstream holds
	                             the addresses of text and len */
	size_t nbanks;
	int written;
	int number;     /* questions seen, for made-up ids */
	int no_feedback;  /* questions without general feedback (the first are named) */
	int problems;
	char **ids;     /* the ids written so far (each is used once): an
	                   open-addressing hash set, cap a power of two */
	size_t nids, cap_ids;
};

static void problem(struct importer *im, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct importer *im, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		quiz_oom();
	va_end(ap);
	quiz_diag_add(im->diag, im->name, line, 1, "%s", msg);
	free(msg);
	im->problems++;
}

/* Questions without general feedback named one by one; the rest counted. */
#define NO_FEEDBACK_NAMED 20

/* The bank a question goes to: in split mode its $CATEGORY's last
 * component when that is a bank name, else the default bank. */
static const char *bank_of(const struct importer *im)
{
	const char *t = im->split ? topic_of(im->category) : NULL;
	return t && slug_ok(t, false) ? t : im->bank;
}

/* The slot of id in the set: where it is, or the empty slot it would go to. */
static size_t id_slot(const struct importer *im, const char *id)
{
	size_t i = (size_t)quiz_hash_str(id) & (im->cap_ids - 1);
	while (im->ids[i] && strcmp(im->ids[i], id) != 0)
		i = (i + 1) & (im->cap_ids - 1);
	return i;
}

static bool id_taken(const struct importer *im, const char *id)
{
	return im->cap_ids && im->ids[id_slot(im, id)];
}

/* Adds id (not in the set) to the set, which stays at most half full, so
 * import time stays linear in the number of questions. */
static void id_add(struct importer *im, char *id)
{
	if (2 * (im->nids + 1) > im->cap_ids) {
		struct importer grown = *im;
		grown.cap_ids = im->cap_ids ? 2 * im->cap_ids : 64;
		grown.ids = calloc(grown.cap_ids, sizeof *grown.ids);
		if (!grown.ids)
			quiz_oom();
		for (size_t i = 0; i < im->cap_ids; i++)
			if (im->ids[i])
				grown.ids[id_slot(&grown, im->ids[i])] = im->ids[i];
		free(im->ids);
		im->ids = grown.ids;
		im->cap_ids = grown.cap_ids;
	}
	im->ids[id_slot(im, id)] = id;
	im->nids++;
}

/* The id: the title when it looks like an id ("<bank>.<slug>"; kept even
 * from another bank, since progress is stored by id: lint then says so),
 * else "<bank>.<the title as a slug>" or "<bank>.q<N>".  A question whose
 * title an earlier one had (GIFT allows it) gets "-<N>", N its number in
 * the file: ids must be unique, and progress is stored by id. */
static char *make_id(struct importer *im, const char *title, int line)
{
	const char *bank = bank_of(im);
	struct buf b = {0};
	if (title && slug_ok(title, true) && strchr(title, '.') && title[0] != '.') {
		buf_add(&b, title, strlen(title));
	} else {
		buf_add(&b, bank, strlen(bank));
		buf_add(&b, ".", 1);
		size_t before = b.len;
		for (const char *s = title ? title : ""; *s; s++) {
			char c = (char)tolower((unsigned char)*s);
			if (!isalnum((unsigned char)c))
				c = '-';
			if (c == '-' && (b.len == before || b.s[b.len - 1] == '-'))
				continue;
			buf_add(&b, &c, 1);
		}
		while (b.len > before && b.s[b.len - 1] == '-')
			b.s[--b.len] = '\0';
		if (b.len == before) {
			char num[32];
			snprintf(num, sizeof num, "q%d", im->number);
			buf_add(&b, num, strlen(num));
		}
	}
	if (id_taken(im, b.s)) {
		/* The question's number in the file: one look in the set for
		 * each duplicate, however many there are (a title that is
		 * itself "<id>-<N>" makes more). */
		size_t stem = b.len;
		for (int n = im->number, again = 0; id_taken(im, b.s); again++) {
			char suffix[48];
			if (again)
				snprintf(suffix, sizeof suffix, "-%d-%d", n, again + 1);
			else
				snprintf(suffix, sizeof suffix, "-%d", n);
			b.len = stem;
			buf_add(&b, suffix, strlen(suffix));
		}
		problem(im, line, "a second question with the id '%.*s': this one is '%s'", (int)stem,
		        b.s, b.s);
	}
	id_add(im, dupn(b.s, b.len));
	return b.s;
}

static void bank_header(FILE *out, const char *source, const char *bank);

/*
 * Split mode: the output of the current $CATEGORY's bank (its last path
 * component when that is a valid bank name, else the default bank),
 * created on first use.  The one in use is moved last, so
 * banks[nbanks - 1] is always the current one.
 */
static FILE *select_bank(struct importer *im)
{
	const char *name = bank_of(im);
	for (size_t i = 0; i < im->nbanks; i++)
		if (strcmp(im->banks[i]->bank, name) == 0) {
			struct out_bank *b = im->banks[i];
			memmove(&im->banks[i], &im->banks[i + 1],
			        (im->nbanks - i - 1) * sizeof *im->banks);
			im->banks[im->nbanks - 1] = b;
			return b->f;
		}
	im->banks = realloc(im->banks, (im->nbanks + 1) * sizeof *im->banks);
	struct out_bank *b = calloc(1, sizeof *b);
	if (!im->banks || !b)
		quiz_oom();
	im->banks[im->nbanks++] = b;
	b->bank = dupn(name, strlen(name));
	b->f = open_memstream(&b->text, &b->len);
	if (!b->f)
		quiz_oom();
	bank_header(b->f, im->name, b->bank);
	return b->f;
}

/* One question's text (comments removed), starting on line. */
static void read_question(struct importer *im, struct gq *g, const char *s, size_t n, int line)
{
	im->number++;
	size_t i = 0;
	char *title = NULL;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i + 1 < n && s[i] == ':' && s[i + 1] == ':') {
		size_t end = find_str(s, i + 2, n, "::");
		if (end == n) {
			problem(im, line, "title not closed with '::'");
			return;
		}
		title = unescape(s + i + 2, end - i - 2);
		i = end + 2;
	}
	size_t open = find(s, i, n, '{');
	size_t close = open < n ? find(s, open + 1, n, '}') : n;
	if (open == n) {
		free(title);
		problem(im, line, "question has no answer block '{...}' (descriptions are not "
		                  "imported)");
		return;
	}
	if (close == n) {
		free(title);
		problem(im, line, "answer block not closed with '}'");
		return;
	}
	/* Text after the block: the "missing word" form; keep a blank there. */
	struct buf text = {0};
	buf_add(&text, s + i, open - i);
	size_t after = close + 1;
	while (after < n && isspace((unsigned char)s[after]))
		after++;
	if (after < n) {
		buf_add(&text, " _____ ", 7);
		buf_add(&text, s + after, n - after);
	}
	read_text(g, text.s ? text.s : "", text.len);
	free(text.s);

	const char *a = s + open + 1;
	size_t alen = close - open - 1;
	size_t gf = find_str(a, 0, alen, "####");
	if (gf < alen)
		g->q.explanation = decode(g, unescape(a + gf + 4, alen - gf - 4));
	alen = gf;
	char *body = unescape(a, alen);  /* only to classify */
	bool tf;
	char *head = dupn(body, strcspn(body, "#"));
	for (size_t k = strlen(head); k && isspace((unsigned char)head[k - 1]); k--)
		head[k - 1] = '\0';

	int rc = 0;
	if (!*body) {
		g->q.type = QUIZ_SHORT;
		/* export_gift.c writes "model answer\n\nExplanation: why" */
		char *e = g->q.explanation;
		char *sep = NULL;
		for (char *p = e ? strstr(e, "\n\nExplanation: ") : NULL; p;
		     p = strstr(p + 1, "\n\nExplanation: "))
			sep = p;
		if (sep) {
			g->q.answer_text = dupn(e, (size_t)(sep - e));
			g->q.explanation = dupn(sep + 15, strlen(sep + 15));
			free(e);
		} else {
			g->q.answer_text = e;
			g->q.explanation = NULL;
		}
	} else if (is_tf(head, &tf)) {
		g->q.type = QUIZ_TRUEFALSE;
		g->q.answer_bool = tf;
		size_t h = find(a, 0, alen, '#');
		if (h < alen) {
			size_t h2 = find(a, h + 1, alen, '#');
			char *w = decode(g, unescape(a + h + 1, h2 - h - 1));
			if (*w)
				g->q.why = w;
			else
				free(w);
		}
	} else if (body[0] == '#') {
		rc = -1;
		problem(im, line, "numerical questions are not imported");
	} else if (find_str(a, 0, alen, "->") < alen) {
		rc = -1;
		problem(im, line, "matching questions are not imported");
	} else {
		bool eq;
		if (read_choices(g, a, alen, &eq) < 0) {
			rc = -1;
			problem(im, line, "cannot read the answers (each starts with '=' or '~')");
		} else if (g->html) {
			for (size_t k = 0; k < g->q.nchoices; k++) {
				g->q.choices[k].text = decode(g, g->q.choices[k].text);
				if (g->q.choices[k].why)
					g->q.choices[k].why = decode(g, g->q.choices[k].why);
			}
		}
		if (rc < 0) {
			/* reported */
		} else if (find(a, 0, alen, '~') == alen) {
			/* Only '=' answers: short answer; they are the accepted answers. */
			g->q.type = QUIZ_SHORT;
			struct buf ans = {0};
			for (size_t k = 0; k < g->q.nchoices; k++) {
				if (k)
					buf_add(&ans, " / ", 3);
				buf_add(&ans, g->q.choices[k].text, strlen(g->q.choices[k].text));
				free(g->q.choices[k].text);
				free(g->q.choices[k].why);
			}
			g->q.nchoices = 0;
			g->q.answer_text = ans.s;
		} else {
			g->q.type = eq ? QUIZ_SINGLE : QUIZ_MULTI;
		}
	}
	free(body);
	free(head);
	if (rc == 0) {
		enum quiz_type t;
		if (g->type && quiz_type_parse(g->type, &t) == 0 &&
		    (t == QUIZ_CODE) == (g->q.type == QUIZ_SHORT))
			g->q.type = t;  /* essays exported from code questions */
		if (g->q.type == QUIZ_CODE && !g->q.code)
			g->q.type = QUIZ_SHORT;
		g->q.id = make_id(im, title, line);
		/* Each of the first few by name; a whole export without feedback
		 * is one more line, not a line a question. */
		if ((!g->q.explanation || !*g->q.explanation) &&
		    ++im->no_feedback <= NO_FEEDBACK_NAMED)
			problem(im, line, "question '%s' has no general feedback ('####'); fill in "
			                  "its 'explanation'", g->q.id);
		const char *topic = topic_of(im->category);
		FILE *out = im->split ? select_bank(im) : im->out;
		write_question(out, g, topic && slug_ok(topic, false) ? topic : im->bank);
		im->written++;
		if (im->split)
			im->banks[im->nbanks - 1]->written++;
	}
	free(title);
}

/* The bank's name: given, else the prefix of the first ::title:: that looks
 * like an id, else the file's base name. */
static char *guess_bank(const char *name, const char *text, size_t len)
{
	size_t t = find_str(text, 0, len, "::");
	if (t < len) {
		size_t e = find_str(text, t + 2, len, "::");
		const char *dot = memchr(text + t + 2, '.', e < len ? e - t - 2 : 0);
		if (dot) {
			char *b = dupn(text + t + 2, (size_t)(dot - text - t - 2));
			if (slug_ok(b, false))
				return b;
			free(b);
		}
	}
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	char *b = dupn(base, strcspn(base, "."));
	for (char *p = b; *p; p++)
		*p = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '-';
	if (!*b) {
		free(b);
		b = dupn("imported", 8);
	}
	return b;
}

/* The offset of the first byte that is not part of well-formed UTF-8
 * (overlong forms, surrogates and code points past U+10FFFF refused), or
 * len when there is none. */
size_t quiz_utf8_bad_offset(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 2, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 3, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return i;
		}
		if (len - i < n)
			return i;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			return i;
		i += n;
	}
	return len;
}

static void bank_header(FILE *out, const char *source, const char *bank)
{
	fputs("# Imported by chanlab from ", out);
	for (const char *p = source; *p; p++)
		fputc((unsigned char)*p < 0x20 ? '?' : *p, out);  /* one comment line */
	fputs("; check it with 'chanlab quiz lint'.\nbank: ", out);
	yaml_str(out, bank, 2);
	fputs("questions:\n", out);
}

static int import(struct importer *im, const char *text, size_t len);

static void free_ids(struct importer *im)
{
	for (size_t i = 0; i < im->cap_ids; i++)
		free(im->ids[i]);
	free(im->ids);
}

int quiz_import_gift(const char *name, const char *text, size_t len, const char *bank,
                     FILE *out, struct quiz_diag *diag)
{
	size_t bad = quiz_utf8_bad_offset(text, len);
	if (bad < len) {
		quiz_diag_add(diag, name, 0, 0, "not UTF-8 (bad byte at offset %zu)", bad);
		return -1;
	}
	char *guessed = bank ? NULL : guess_bank(name, text, len);
	struct importer im = {.name = name, .bank = bank ? bank : guessed, .diag = diag, .out = out};
	bank_header(out, name, im.bank);
	int rc = import(&im, text, len);
	free_ids(&im);
	free(guessed);
	if (ferror(out))
		return -1;
	return rc;
}

int quiz_import_gift_split(const char *name, const char *text, size_t len, const char *bank,
                           quiz_import_emit_fn emit, void *ctx, struct quiz_diag *diag)
{
	size_t bad = quiz_utf8_bad_offset(text, len);
	if (bad < len) {
		quiz_diag_add(diag, name, 0, 0, "not UTF-8 (bad byte at offset %zu)", bad);
		return -1;
	}
	char *guessed = bank ? NULL : guess_bank(name, text, len);
	struct importer im = {.name = name, .bank = bank ? bank : guessed, .diag = diag,
	                      .split = true};
	int rc = import(&im, text, len);
	/* Banks in name order, the same whatever order categories came in. */
	for (size_t i = 1; i < im.nbanks; i++)
		for (size_t j = i; j > 0 && strcmp(im.banks[j - 1]->bank, im.banks[j]->bank) > 0; j--) {
			struct out_bank *t = im.banks[j];
			im.banks[j] = im.banks[j - 1];
			im.banks[j - 1] = t;
		}
	for (size_t i = 0; i < im.nbanks; i++) {
		struct out_bank *b = im.banks[i];
		bool bad_write = fclose(b->f) != 0;
		if (rc >= 0 && b->written && (bad_write || emit(b->bank, b->text, b->len, b->written,
		                                                ctx) != 0))
			rc = -1;
		free(b->text);
		free(b->bank);
		free(b);
	}
	free(im.banks);
	free_ids(&im);
	free(guessed);
	return rc;
}

static int import(struct importer *im, const char *text, size_t len)
{
	const char *name = im->name;
	struct quiz_diag *diag = im->diag;

	struct buf q = {0};
	struct gq g = {.q.shuffle = true};
	int qline = 0, lineno = 0;
	const char *s = text, *end = text + len;
	while (s <= end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		lineno++;
		const char *p = s;
		while (p < le && isspace((unsigned char)*p))
			p++;
		bool blank = p == le;
		if (blank || s == end) {
			if (q.len)
				read_question(im, &g, q.s, q.len, qline);
			gq_free(&g);
			g.q.shuffle = true;
			q.len = 0;
		} else if (le - p >= 2 && p[0] == '/' && p[1] == '/') {
			if (le - p >= 11 && !strncmp(p, "// chanlab:", 11)) {
				char *line = dupn(p, (size_t)(le - p));
				read_metadata(&g, line);
				free(line);
			} else {
				static const char *const keys[] = {"// chanlab-hint:",
				                                   "// chanlab-follow-up:",
				                                   "// chanlab-follow-up-answer:"};
				char **slots[] = {&g.q.hint, &g.q.follow_up_prompt, &g.q.follow_up_answer};
				for (size_t k = 0; k < 3; k++) {
					size_t kl = strlen(keys[k]);
					if ((size_t)(le - p) >= kl && !strncmp(p, keys[k], kl)) {
						free(*slots[k]);
						*slots[k] = unescape(p + kl, (size_t)(le - p) - kl);
						if (!**slots[k]) {
							free(*slots[k]);
							*slots[k] = NULL;
						}
						break;
					}
				}
			}
		} else if (le - p >= 10 && !strncmp(p, "$CATEGORY:", 10)) {
			free(im->category);
			char *c = dupn(p + 10, (size_t)(le - p - 10));
			im->category = unescape(c, strlen(c));
			free(c);
		} else {
			if (!q.len)
				qline = lineno;
			else
				buf_add(&q, "\n", 1);
			buf_add(&q, s, (size_t)(le - s));
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	if (q.len)
		read_question(im, &g, q.s, q.len, qline);
	gq_free(&g);
	free(q.s);
	free(im->category);
	im->category = NULL;
	if (im->no_feedback > NO_FEEDBACK_NAMED)
		problem(im, 0, "%d more questions have no general feedback ('####'); each has "
		               "explanation: \"\" to fill in", im->no_feedback - NO_FEEDBACK_NAMED);
	if (im->written == 0)
		quiz_diag_add(diag, name, 0, 0, "no question to import");
	return im->written ? im->written : -1;
}
