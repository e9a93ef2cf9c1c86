/*
 * bank.c - the bank loader: turns a YAML bank file (docs/bank-format.md) into
 * struct quiz_question records, reporting every problem of the format as
 * "file:line:col: message".  Also the diagnostics list and the level/type
 * names.  The rules that need a whole question or the whole bank (right
 * choices, answers, duplicate ids...) are in lint.c.
 *
 * One pass over libyaml's events refuses aliases, anchors and NULs and builds
 * the file's tree (below); the loader then reads the tree, so a question's
 * keys can be read in any order, each node keeping its mark.  libyaml's own
 * document API would need a second parse after the refusing pass, and a few
 * allocations per node: that second parse was a third of the instructions
 * of loading and linting a thousand-question bank.
 *
 * Out of memory: one policy, quiz_oom() (a message, then abort); nothing else
 * exits.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "quiz/bank.h"

/* --- memory ------------------------------------------------------------------ */

_Noreturn void quiz_oom(void)
{
	static const char msg[] = "chanlab: out of memory\n";
	/* write(2), not stdio: stdio may need the memory that just ran out. */
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
		abort();
	abort();
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		quiz_oom();
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Grows *arr (of elements of size elem) so index n fits. */
static void grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return;
	size_t c = *cap ? *cap * 2 : 8;
	while (c <= n)
		c *= 2;
	*arr = xrealloc(*arr, c * elem);
	*cap = c;
}

/* --- diagnostics ------------------------------------------------------------- */

void quiz_diag_init(struct quiz_diag *d)
{
	memset(d, 0, sizeof *d);
}

void quiz_diag_free(struct quiz_diag *d)
{
	for (size_t i = 0; i < d->count; i++)
		free(d->lines[i]);
	free(d->lines);
	memset(d, 0, sizeof *d);
}

static int diag_vadd(struct quiz_diag *d, const char *file, int line, int col,
                     const char *fmt, va_list ap)
{
	char *msg = NULL, *full = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		quiz_oom();
	int n;
	if (line > 0)
		n = asprintf(&full, "%s:%d:%d: %s", file, line, col, msg);
	else
		n = asprintf(&full, "%s: %s", file, msg);
	if (n < 0)
		quiz_oom();
	free(msg);
	grow((void **)&d->lines, &d->cap, d->count, sizeof *d->lines);
	d->lines[d->count++] = full;
	return -1;
}

int quiz_diag_add(struct quiz_diag *d, const char *file, int line, int col,
                  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

void quiz_diag_print(const struct quiz_diag *d, FILE *out)
{
	for (size_t i = 0; i < d->count; i++)
		fprintf(out, "%s\n", d->lines[i]);
}

/* --- names ------------------------------------------------------------------- */

static const char *const level_names[QUIZ_NLEVELS] = {"junior", "middle", "senior", "staff"};
static const char *const type_names[QUIZ_NTYPES] = {"single", "multi", "truefalse", "short",
                                                    "code"};

const char *quiz_level_name(enum quiz_level level)
{
	return (unsigned)level < QUIZ_NLEVELS ? level_names[level] : "?";
}

const char *quiz_type_name(enum quiz_type type)
{
	return (unsigned)type < QUIZ_NTYPES ? type_names[type] : "?";
}

int quiz_level_parse(const char *name, enum quiz_level *out)
{
	for (int i = 0; i < QUIZ_NLEVELS; i++)
		if (strcmp(name, level_names[i]) == 0) {
			*out = (enum quiz_level)i;
			return 0;
		}
	return -1;
}

int quiz_type_parse(const char *name, enum quiz_type *out)
{
	for (int i = 0; i < QUIZ_NTYPES; i++)
		if (strcmp(name, type_names[i]) == 0) {
			*out = (enum quiz_type)i;
			return 0;
		}
	return -1;
}

/* --- the bank ---------------------------------------------------------------- */

void quiz_bank_init(struct quiz_bank *b)
{
	memset(b, 0, sizeof *b);
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void quiz_question_free(struct quiz_question *q)
{
	free(q->id);
	free_list(q->topics, q->ntopics);
	free(q->prompt);
	free(q->code);
	free(q->lang);
	for (size_t i = 0; i < q->nchoices; i++) {
		free(q->choices[i].text);
		free(q->choices[i].why);
	}
	free(q->choices);
	free(q->answer_text);
	free(q->answer_raw);
	free(q->why);
	free(q->explanation);
	free(q->follow_up_prompt);
	free(q->follow_up_answer);
	free(q->hint);
	free_list(q->patterns, q->npatterns);
	free(q->pattern_pos);
	free(q->exercise_pos);
	free_list(q->sources, q->nsources);
	free(q->go);
	free_list(q->exercises, q->nexercises);
}

void quiz_bank_free(struct quiz_bank *b)
{
	for (size_t i = 0; i < b->count; i++)
		quiz_question_free(&b->questions[i]);
	free(b->questions);
	free_list(b->files, b->nfiles);
	free_list(b->names, b->nfiles);
	memset(b, 0, sizeof *b);
}

uint64_t quiz_hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

bool quiz_bank_name_ok(const char *name)
{
	return *name && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(name);
}

const struct quiz_question *quiz_bank_find(const struct quiz_bank *b, const char *id)
{
	for (size_t i = 0; i < b->count; i++)
		if (b->questions[i].id && strcmp(b->questions[i].id, id) == 0)
			return &b->questions[i];
	return NULL;
}

/* --- the file's tree ------------------------------------------------------------ */

/*
 * One pass over libyaml's events refuses what a bank may not hold and builds
 * the first document's tree.  (libyaml's document API would parse the file a
 * second time, after the pass that refuses aliases, and allocate a tag and a
 * list for every node.)  The tree is three arrays grown by doubling: the
 * nodes, the children of every collection, and the text of every scalar.
 * They hold offsets, not pointers, since growing moves them.
 */
enum ynode_type {
	YN_SCALAR,
	YN_SEQUENCE,
	YN_MAPPING,
};

struct ynode {
	enum ynode_type type;
	bool plain;     /* a plain scalar (only those can be a null or a boolean) */
	int line, col;  /* where it starts, 1-based */
	size_t at;      /* scalar: offset of its NUL-terminated text in tree.text;
	                   collection: offset of its children in tree.kids */
	size_t len;     /* scalar: its length; collection: how many children (a
	                   mapping's are key, value, key, value...) */
};

struct tree {
	struct ynode *nodes;
	size_t nnodes, capnodes;
	size_t *kids;       /* node indexes */
	size_t nkids, capkids;
	char *text;
	size_t ntext, captext;
	/* while building: the children found so far of every open collection
	 * (innermost last), and each open collection with where its own begin */
	size_t *pending;
	size_t npending, cappending;
	struct open_node {
		size_t node, first_pending;
	} *open;
	size_t nopen, capopen;
};

#define NO_NODE SIZE_MAX

static void tree_free(struct tree *t)
{
	free(t->nodes);
	free(t->kids);
	free(t->text);
	free(t->pending);
	free(t->open);
}

/* Appends a node started by ev, as a child of the innermost open collection;
 * returns its index. */
static size_t tree_add(struct tree *t, const yaml_event_t *ev, enum ynode_type type)
{
	grow((void **)&t->nodes, &t->capnodes, t->nnodes, sizeof *t->nodes);
	size_t i = t->nnodes++;
	struct ynode *n = &t->nodes[i];
	*n = (struct ynode){.type = type, .line = (int)ev->start_mark.line + 1,
	                    .col = (int)ev->start_mark.column + 1};
	if (type == YN_SCALAR && ev->type == YAML_SCALAR_EVENT) {
		size_t len = ev->data.scalar.length;
		grow((void **)&t->text, &t->captext, t->ntext + len, 1);
		memcpy(t->text + t->ntext, ev->data.scalar.value, len);
		t->text[t->ntext + len] = '\0';
		n->at = t->ntext;
		n->len = len;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		t->ntext += len + 1;
	} else if (type == YN_SCALAR) {
		/* an alias: refused, but kept as an empty string so the tree stays whole */
		grow((void **)&t->text, &t->captext, t->ntext, 1);
		t->text[t->ntext] = '\0';
		n->at = t->ntext++;
	}
	if (t->nopen) {
		grow((void **)&t->pending, &t->cappending, t->npending, sizeof *t->pending);
		t->pending[t->npending++] = i;
	}
	if (type != YN_SCALAR) {
		grow((void **)&t->open, &t->capopen, t->nopen, sizeof *t->open);
		t->open[t->nopen++] = (struct open_node){i, t->npending};
	}
	return i;
}

/* Closes the innermost open collection: its pending children become its kids. */
static void tree_close(struct tree *t)
{
	if (!t->nopen)
		return;
	struct open_node o = t->open[--t->nopen];
	size_t n = t->npending - o.first_pending;
	if (n) {
		grow((void **)&t->kids, &t->capkids, t->nkids + n - 1, sizeof *t->kids);
		memcpy(t->kids + t->nkids, t->pending + o.first_pending, n * sizeof *t->kids);
	}
	t->nodes[o.node].at = t->nkids;
	t->nodes[o.node].len = n;
	t->nkids += n;
	t->npending = o.first_pending;
}

/* What the pass over the events found besides the tree. */
struct scan {
	int refused;        /* aliases, anchors and NULs reported */
	size_t root;        /* the first document's root, or NO_NODE: no document */
	bool failed;        /* a syntax error (the parser says what and where) */
	int failed_doc;     /* ...met in the first document (0) or the second (1) */
	bool second;        /* a second document... */
	int second_line, second_col;  /* ...whose root starts here */
};

/*
 * Reads every event of the file, until its end or the first syntax error.
 * Anchors and aliases are refused (a few kilobytes of nested aliases expand
 * to gigabytes: "billion laughs"; a bank has no use for them), and so is a
 * NUL inside a string ("\0" in a double-quoted scalar), which every C string
 * after the loader would cut short: each is reported at once.  The first
 * document becomes the tree t; of the second only where it starts is kept.
 * Syntax errors are the caller's to report: a document's error counts only
 * if no refusal came before it, and an error after the second document is
 * not one (only two documents are read).
 */
static void scan_events(yaml_parser_t *parser, const char *file, struct tree *t, struct scan *s,
                        struct quiz_diag *diag)
{
	*s = (struct scan){.root = NO_NODE};
	int docs_ended = 0;
	for (bool done = false; !done;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(parser, &ev)) {
			s->failed = docs_ended < 2;
			s->failed_doc = docs_ended;
			break;
		}
		const yaml_mark_t *m = &ev.start_mark;
		const unsigned char *anchor = NULL;
		enum ynode_type type = YN_SCALAR;
		bool starts_node = false, ends_node = false;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_END_EVENT:
			docs_ended++;
			break;
		case YAML_ALIAS_EVENT:
			quiz_diag_add(diag, file, (int)m->line + 1, (int)m->column + 1,
			              "yaml aliases are not allowed in a bank");
			s->refused++;
			starts_node = true;
			break;
		case YAML_SCALAR_EVENT:
			anchor = ev.data.scalar.anchor;
			if (memchr(ev.data.scalar.value, '\0', ev.data.scalar.length)) {
				quiz_diag_add(diag, file, (int)m->line + 1, (int)m->column + 1,
				              "NUL character inside a string");
				s->refused++;
			}
			starts_node = true;
			break;
		case YAML_SEQUENCE_START_EVENT:
			anchor = ev.data.sequence_start.anchor;
			type = YN_SEQUENCE;
			starts_node = true;
			break;
		case YAML_MAPPING_START_EVENT:
			anchor = ev.data.mapping_start.anchor;
			type = YN_MAPPING;
			starts_node = true;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			ends_node = true;
			break;
		default:
			break;
		}
		if (anchor) {
			quiz_diag_add(diag, file, (int)m->line + 1, (int)m->column + 1,
			              "yaml anchors are not allowed in a bank");
			s->refused++;
		}
		if (docs_ended == 0 && starts_node) {
			bool is_root = t->nopen == 0;
			size_t i = tree_add(t, &ev, type);
			if (is_root && s->root == NO_NODE)
				s->root = i;
		} else if (docs_ended == 0 && ends_node) {
			tree_close(t);
		} else if (docs_ended == 1 && starts_node && !s->second) {
			s->second = true;
			s->second_line = (int)m->line + 1;
			s->second_col = (int)m->column + 1;
		}
		yaml_event_delete(&ev);
	}
}

/* --- the loader -------------------------------------------------------------- */

struct loader {
	struct quiz_bank *b;
	struct quiz_diag *diag;
	const struct tree *t;
	const char *file;      /* owned by b */
	const char *bankname;  /* owned by b; NULL until read */
	int problems;
};

static int problem_at(struct loader *L, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int problem_at(struct loader *L, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(L->diag, L->file, n->line, n->col, fmt, ap);
	va_end(ap);
	L->problems++;
	return -1;
}

static struct quiz_pos pos_of(const struct ynode *n)
{
	return (struct quiz_pos){n->line, n->col};
}

/* The i-th child of collection n. */
static const struct ynode *kid(const struct loader *L, const struct ynode *n, size_t i)
{
	return &L->t->nodes[L->t->kids[n->at + i]];
}

static const char *sval(const struct loader *L, const struct ynode *n)
{
	return L->t->text + n->at;
}

static bool is_plain(const struct ynode *n)
{
	return n->type == YN_SCALAR && n->plain;
}

/* A YAML null: an empty plain value, ~ or null. */
static bool is_null(const struct loader *L, const struct ynode *n)
{
	if (!is_plain(n))
		return false;
	const char *v = sval(L, n);
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

/* A YAML 1.2 boolean.  (yes/no/on/off are strings here, as in YAML 1.2.) */
static bool is_bool(const struct loader *L, const struct ynode *n, bool *v)
{
	if (!is_plain(n) || n->len < 4 || n->len > 5)
		return false;
	const char *s = sval(L, n);
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
		*v = true;
		return true;
	}
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
		*v = false;
		return true;
	}
	return false;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

/* A copy of the scalar without its trailing blank lines and spaces (block
 * scalars end with a newline). */
static char *scalar_dup(const struct loader *L, const struct ynode *n)
{
	const char *s = sval(L, n);
	size_t len = n->len;
	while (len && (s[len - 1] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\t' ||
	               s[len - 1] == '\r'))
		len--;
	return xstrndup(s, len);
}

/*
 * Reads a string value into *out.  A mapping, list, boolean or null is a
 * wrong type; a blank string is empty.  Returns 0 or -1 (reported).
 */
static int get_string(struct loader *L, const struct ynode *v, const char *key, char **out)
{
	bool b;
	if (v->type != YN_SCALAR || is_bool(L, v, &b))
		return problem_at(L, v, "'%s' must be a string", key);
	if (is_null(L, v) || blank(sval(L, v), v->len))
		return problem_at(L, v, "'%s' is empty", key);
	free(*out);
	*out = scalar_dup(L, v);
	return 0;
}

static int get_bool(struct loader *L, const struct ynode *v, const char *key, bool *out)
{
	if (!is_bool(L, v, out))
		return problem_at(L, v, "'%s' must be true or false", key);
	return 0;
}

/* A list of strings into *out and *n (and each item's place into *pos if pos). */
static int get_list(struct loader *L, const struct ynode *v, const char *key, char ***out,
                    size_t *n, struct quiz_pos **pos)
{
	if (v->type != YN_SEQUENCE)
		return problem_at(L, v, "'%s' must be a list of strings", key);
	int rc = 0;
	size_t cap = 0, pcap = 0;
	for (size_t k = 0; k < v->len; k++) {
		const struct ynode *item = kid(L, v, k);
		char *s = NULL;
		if (get_string(L, item, key, &s) < 0) {
			rc = -1;
			continue;
		}
		grow((void **)out, &cap, *n, sizeof **out);
		if (pos) {
			grow((void **)pos, &pcap, *n, sizeof **pos);
			(*pos)[*n] = pos_of(item);
		}
		(*out)[(*n)++] = s;
	}
	return rc;
}

/* N of a Go version "1.N" (N from 1, no leading zero, no patch part), or 0
 * when v has another form. */
static int go_minor_of(const char *v)
{
	if (v[0] != '1' || v[1] != '.' || v[2] < '1' || v[2] > '9')
		return 0;
	int n = 0;
	for (const char *s = v + 2; *s; s++) {
		if (*s < '0' || *s > '9' || n > 999)
			return 0;
		n = n * 10 + (*s - '0');
	}
	return n;
}

/* Keys of a question, in the order of docs/bank-format.md. */
enum qkey {
	K_ID, K_LEVEL, K_TOPICS, K_TYPE, K_PROMPT, K_CODE, K_LANG, K_CHOICES, K_ANSWER, K_WHY,
	K_EXPLANATION, K_FOLLOW_UP, K_HINT, K_PATTERNS, K_SOURCE, K_SHUFFLE, K_GO, K_EXERCISES,
	K_NKEYS
};
static const char *const qkey_names[K_NKEYS] = {
	"id", "level", "topics", "type", "prompt", "code", "lang", "choices", "answer", "why",
	"explanation", "follow_up", "hint", "patterns", "source", "shuffle", "go", "exercises",
};
static const bool qkey_required[K_NKEYS] = {
	[K_ID] = true, [K_LEVEL] = true, [K_TOPICS] = true, [K_TYPE] = true, [K_PROMPT] = true,
	[K_EXPLANATION] = true,
};

static int key_index(const char *const *names, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (names[i][0] == key[0] && strcmp(names[i], key) == 0)
			return i;
	return -1;
}

/*
 * Walks a mapping whose keys must come from names[0..n): reports keys that
 * are not strings, unknown or repeated, and stores each known key's value
 * node in vals[] (NULL when absent).
 */
static int read_mapping(struct loader *L, const struct ynode *m, const char *const *names, int n,
                        const struct ynode **vals)
{
	int rc = 0;
	for (int i = 0; i < n; i++)
		vals[i] = NULL;
	for (size_t p = 0; p + 1 < m->len; p += 2) {
		const struct ynode *k = kid(L, m, p), *v = kid(L, m, p + 1);
		if (k->type != YN_SCALAR) {
			rc = problem_at(L, k, "a key must be a string");
			continue;
		}
		int i = key_index(names, n, sval(L, k));
		if (i < 0)
			rc = problem_at(L, k, "unknown key '%s'", sval(L, k));
		else if (vals[i])
			rc = problem_at(L, k, "duplicate key '%s'", sval(L, k));
		else
			vals[i] = v;
	}
	return rc;
}

static int missing(struct loader *L, const struct ynode *m, const char *const *names,
                   const bool *required, int n, const struct ynode **vals)
{
	int rc = 0;
	for (int i = 0; i < n; i++)
		if (required[i] && !vals[i])
			rc = problem_at(L, m, "missing key '%s'", names[i]);
	return rc;
}

static const char *const choice_keys[] = {"text", "correct", "why"};
static const bool choice_required[] = {true, false, false};

static int load_choices(struct loader *L, struct quiz_question *q, const struct ynode *v)
{
	if (v->type != YN_SEQUENCE)
		return problem_at(L, v, "'choices' must be a list");
	int rc = 0;
	size_t n = v->len;
	q->choices = xrealloc(NULL, n * sizeof *q->choices);
	memset(q->choices, 0, n * sizeof *q->choices);
	for (size_t k = 0; k < n; k++) {
		const struct ynode *cn = kid(L, v, k);
		if (cn->type != YN_MAPPING) {
			rc = problem_at(L, cn, "a choice must be a mapping with 'text'");
			continue;
		}
		const struct ynode *vals[3];
		struct quiz_choice *c = &q->choices[q->nchoices];
		c->pos = pos_of(cn);
		if (read_mapping(L, cn, choice_keys, 3, vals) < 0)
			rc = -1;
		if (missing(L, cn, choice_keys, choice_required, 3, vals) < 0)
			rc = -1;
		if (vals[0] && get_string(L, vals[0], "text", &c->text) < 0)
			rc = -1;
		if (vals[1] && get_bool(L, vals[1], "correct", &c->correct) < 0)
			rc = -1;
		if (vals[2] && get_string(L, vals[2], "why", &c->why) < 0)
			rc = -1;
		if (!c->text) {  /* keep the promise that text is never NULL */
			free(c->why);
			memset(c, 0, sizeof *c);
			continue;
		}
		q->nchoices++;
	}
	return rc;
}

static const char *const follow_keys[] = {"prompt", "answer"};
static const bool follow_required[] = {true, true};

static int load_follow_up(struct loader *L, struct quiz_question *q, const struct ynode *v)
{
	if (v->type != YN_MAPPING)
		return problem_at(L, v, "'follow_up' must be a mapping with 'prompt' and 'answer'");
	const struct ynode *vals[2];
	int rc = read_mapping(L, v, follow_keys, 2, vals);
	if (missing(L, v, follow_keys, follow_required, 2, vals) < 0)
		rc = -1;
	if (vals[0] && get_string(L, vals[0], "prompt", &q->follow_up_prompt) < 0)
		rc = -1;
	if (vals[1] && get_string(L, vals[1], "answer", &q->follow_up_answer) < 0)
		rc = -1;
	return rc;
}

/* The `answer` value: kept as written; interpreted once the type is known. */
static int load_answer(struct loader *L, struct quiz_question *q, const struct ynode *v)
{
	q->has_answer = true;
	q->answer_pos = pos_of(v);
	if (v->type != YN_SCALAR)
		return problem_at(L, v, "'answer' must be a boolean or a string");
	if (is_null(L, v) || blank(sval(L, v), v->len))
		return problem_at(L, v, "'answer' is empty");
	q->answer_is_bool = is_bool(L, v, &q->answer_bool);
	q->answer_raw = scalar_dup(L, v);
	return 0;
}

static int load_enum(struct loader *L, const struct ynode *v, const char *key, int *out,
                     int (*parse)(const char *, int *), const char *known)
{
	char *s = NULL;
	if (get_string(L, v, key, &s) < 0)
		return -1;
	int rc = parse(s, out);
	if (rc < 0)
		problem_at(L, v, "unknown %s '%s' (%s)", key, s, known);
	free(s);
	return rc;
}

static int parse_level(const char *s, int *out)
{
	enum quiz_level l;
	if (quiz_level_parse(s, &l) < 0)
		return -1;
	*out = (int)l;
	return 0;
}

static int parse_type(const char *s, int *out)
{
	enum quiz_type t;
	if (quiz_type_parse(s, &t) < 0)
		return -1;
	*out = (int)t;
	return 0;
}

static void load_question(struct loader *L, const struct ynode *qn)
{
	if (qn->type != YN_MAPPING) {
		problem_at(L, qn, "a question must be a mapping");
		return;
	}
	struct quiz_bank *b = L->b;
	grow((void **)&b->questions, &b->cap, b->count, sizeof *b->questions);
	struct quiz_question *q = &b->questions[b->count++];
	memset(q, 0, sizeof *q);
	q->shuffle = true;
	q->file = L->file;
	q->bank = L->bankname;
	q->line = qn->line;
	q->col = qn->col;

	const struct ynode *v[K_NKEYS];
	int rc = read_mapping(L, qn, qkey_names, K_NKEYS, v);
	if (missing(L, qn, qkey_names, qkey_required, K_NKEYS, v) < 0)
		rc = -1;
	int level = -1, type = -1;
	if (v[K_ID]) {
		q->line = v[K_ID]->line;
		q->col = v[K_ID]->col;
		rc |= get_string(L, v[K_ID], "id", &q->id);
	}
	if (v[K_LEVEL])
		rc |= load_enum(L, v[K_LEVEL], "level", &level, parse_level,
		                "junior, middle, senior or staff");
	if (v[K_TYPE])
		rc |= load_enum(L, v[K_TYPE], "type", &type, parse_type,
		                "single, multi, truefalse, short or code");
	if (v[K_TOPICS]) {
		rc |= get_list(L, v[K_TOPICS], "topics", &q->topics, &q->ntopics, NULL);
		if (v[K_TOPICS]->type == YN_SEQUENCE && q->ntopics == 0 && rc == 0)
			rc = problem_at(L, v[K_TOPICS], "'topics' is empty");
	}
	if (v[K_PROMPT])
		rc |= get_string(L, v[K_PROMPT], "prompt", &q->prompt);
	if (v[K_CODE])
		rc |= get_string(L, v[K_CODE], "code", &q->code);
	if (v[K_LANG])
		rc |= get_string(L, v[K_LANG], "lang", &q->lang);
	if (v[K_CHOICES]) {
		q->choices_pos = pos_of(v[K_CHOICES]);
		rc |= load_choices(L, q, v[K_CHOICES]);
	}
	if (v[K_ANSWER])
		rc |= load_answer(L, q, v[K_ANSWER]);
	if (v[K_WHY])
		rc |= get_string(L, v[K_WHY], "why", &q->why);
	if (v[K_EXPLANATION])
		rc |= get_string(L, v[K_EXPLANATION], "explanation", &q->explanation);
	if (v[K_FOLLOW_UP])
		rc |= load_follow_up(L, q, v[K_FOLLOW_UP]);
	if (v[K_HINT])
		rc |= get_string(L, v[K_HINT], "hint", &q->hint);
	if (v[K_PATTERNS])
		rc |= get_list(L, v[K_PATTERNS], "patterns", &q->patterns, &q->npatterns,
		               &q->pattern_pos);
	if (v[K_SOURCE])
		rc |= get_list(L, v[K_SOURCE], "source", &q->sources, &q->nsources, NULL);
	if (v[K_SHUFFLE])
		rc |= get_bool(L, v[K_SHUFFLE], "shuffle", &q->shuffle);
	if (v[K_GO]) {
		q->go_pos = pos_of(v[K_GO]);
		if (get_string(L, v[K_GO], "go", &q->go) != 0)
			rc = -1;
		else if ((q->go_minor = go_minor_of(q->go)) == 0)
			rc = problem_at(L, v[K_GO], "malformed go version '%s' (1.N, e.g. 1.21)", q->go);
	}
	if (v[K_EXERCISES])
		rc |= get_list(L, v[K_EXERCISES], "exercises", &q->exercises, &q->nexercises,
		               &q->exercise_pos);

	if (!q->lang)
		q->lang = xstrndup("go", 2);
	if (level >= 0)
		q->level = (enum quiz_level)level;
	if (type >= 0) {
		q->type = (enum quiz_type)type;
		if ((q->type == QUIZ_SHORT || q->type == QUIZ_CODE) && q->answer_raw &&
		    !q->answer_is_bool)
			q->answer_text = xstrndup(q->answer_raw, strlen(q->answer_raw));
	}
	/* A question missing its id, level or type cannot be checked further. */
	q->malformed = rc != 0 || level < 0 || type < 0 || !q->id;
}

static const char *const root_keys[] = {"bank", "questions"};
static const bool root_required[] = {true, true};

static void load_root(struct loader *L, const struct ynode *root)
{
	if (root->type != YN_MAPPING) {
		problem_at(L, root, "a bank must be a mapping with 'bank' and 'questions'");
		return;
	}
	const struct ynode *v[2];
	read_mapping(L, root, root_keys, 2, v);
	missing(L, root, root_keys, root_required, 2, v);
	if (v[0]) {
		char *name = NULL;
		if (get_string(L, v[0], "bank", &name) == 0) {
			L->b->names[L->b->nfiles - 1] = name;
			L->bankname = name;
			if (!quiz_bank_name_ok(name))
				problem_at(L, v[0], "malformed bank name '%s' (lowercase letters, "
				                    "digits and '-')", name);
		}
	}
	if (!v[1])
		return;
	if (v[1]->type != YN_SEQUENCE) {
		problem_at(L, v[1], "'questions' must be a list");
		return;
	}
	if (v[1]->len == 0) {
		problem_at(L, v[1], "'questions' is empty");
		return;
	}
	/* every question appends one record: make room for them all at once */
	struct quiz_bank *b = L->b;
	if (b->count + v[1]->len > b->cap) {
		b->cap = b->count + v[1]->len > 2 * b->cap ? b->count + v[1]->len : 2 * b->cap;
		b->questions = xrealloc(b->questions, b->cap * sizeof *b->questions);
	}
	for (size_t k = 0; k < v[1]->len; k++)
		load_question(L, kid(L, v[1], k));
}

/* Adds name to b->files (and an empty slot to b->names); returns the copy. */
static const char *add_file(struct quiz_bank *b, const char *name)
{
	size_t cap = b->nfiles;  /* arrays are kept exactly sized */
	b->files = xrealloc(b->files, (cap + 1) * sizeof *b->files);
	b->names = xrealloc(b->names, (cap + 1) * sizeof *b->names);
	b->files[b->nfiles] = xstrndup(name, strlen(name));
	b->names[b->nfiles] = NULL;
	return b->files[b->nfiles++];
}

int quiz_bank_load_mem(struct quiz_bank *b, const char *name, const char *text, size_t len,
                       struct quiz_diag *diag)
{
	struct tree t = {0};
	struct loader L = {.b = b, .diag = diag, .t = &t};
	L.file = add_file(b, name);

	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		quiz_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	struct scan s;
	scan_events(&parser, L.file, &t, &s, diag);
	if (s.refused) {
		L.problems = s.refused;
	} else if (s.failed && s.failed_doc == 0) {
		const char *what = parser.problem ? parser.problem : "cannot parse";
		yaml_mark_t m = parser.problem_mark;
		if (parser.context)
			quiz_diag_add(diag, L.file, (int)m.line + 1, (int)m.column + 1,
			              "yaml syntax: %s (%s from line %d)", what, parser.context,
			              (int)parser.context_mark.line + 1);
		else
			quiz_diag_add(diag, L.file, (int)m.line + 1, (int)m.column + 1,
			              "yaml syntax: %s", what);
		L.problems++;
	} else {
		if (s.root == NO_NODE) {
			quiz_diag_add(diag, L.file, 1, 1, "empty bank file");
			L.problems++;
		} else {
			load_root(&L, &t.nodes[s.root]);
		}
		/* A second document would be ignored silently: refuse it. */
		if (s.failed) {
			yaml_mark_t m = parser.problem_mark;
			quiz_diag_add(diag, L.file, (int)m.line + 1, (int)m.column + 1,
			              "yaml syntax: %s", parser.problem ? parser.problem : "cannot parse");
			L.problems++;
		} else if (s.second) {
			quiz_diag_add(diag, L.file, s.second_line, s.second_col,
			              "a bank file holds one yaml document");
			L.problems++;
		}
	}
	yaml_parser_delete(&parser);
	tree_free(&t);
	return L.problems ? -1 : 0;
}

int quiz_bank_load_file(struct quiz_bank *b, const char *path, struct quiz_diag *diag)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return quiz_diag_add(diag, path, 0, 0, "cannot open: %s", strerror(errno));
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		grow((void **)&buf, &cap, len + 4096, 1);
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	int err = ferror(f);
	fclose(f);
	if (err) {
		free(buf);
		return quiz_diag_add(diag, path, 0, 0, "cannot read");
	}
	int rc = quiz_bank_load_mem(b, path, buf, len, diag);
	free(buf);
	return rc;
}
