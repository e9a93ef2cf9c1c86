/*
 * pack.c - loading exercise packs and their specs (see pack.h).  The spec
 * is read with libyaml's document API, as the question banks are, so every
 * node keeps its line and column for the messages.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "coach/pack.h"

void coach_diag_add(struct coach_diag *d, const char *fmt, ...)
{
	char line[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (d->n == d->cap) {
		int cap = d->cap ? 2 * d->cap : 8;
		char **l = realloc(d->lines, (size_t)cap * sizeof *l);
		if (!l)
			abort();
		d->lines = l;
		d->cap = cap;
	}
	d->lines[d->n] = strdup(line);
	if (!d->lines[d->n])
		abort();
	d->n++;
}

void coach_diag_free(struct coach_diag *d)
{
	for (int i = 0; i < d->n; i++)
		free(d->lines[i]);
	free(d->lines);
	memset(d, 0, sizeof *d);
}

char *coach_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			abort();
		n += fread(buf + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		cap *= 2;
		buf = realloc(buf, cap);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	buf[n] = '\0';
	if (size)
		*size = n;
	return buf;
}

/* A copy without the trailing newline YAML's folded scalars keep. */
static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	size_t n = strlen(d);
	while (n && (d[n - 1] == '\n' || d[n - 1] == ' '))
		d[--n] = '\0';
	return d;
}

struct loader {
	yaml_document_t doc;
	const char *file;
	struct coach_diag *d;
	int errors;
};

static void problem(struct loader *L, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct loader *L, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	coach_diag_add(L->d, "%s:%d:%d: %s", L->file, n ? (int)n->start_mark.line + 1 : 1,
	               n ? (int)n->start_mark.column + 1 : 1, msg);
	L->errors++;
}

static const char *scalar(struct loader *L, yaml_node_t *n, const char *key)
{
	if (n->type != YAML_SCALAR_NODE) {
		problem(L, n, "'%s' must be a string", key);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

static long number(struct loader *L, yaml_node_t *n, const char *key)
{
	const char *s = scalar(L, n, key);
	char *end;
	long v = s ? strtol(s, &end, 10) : -1;
	if (s && (*end || end == s || v < 0)) {
		problem(L, n, "'%s' must be a whole number, not '%s'", key, s);
		return -1;
	}
	return v;
}

/* A list of strings (or one string) into out[]. */
static int strings(struct loader *L, yaml_node_t *n, const char *key, char **out, int max)
{
	if (n->type == YAML_SCALAR_NODE) {
		out[0] = xstrdup((const char *)n->data.scalar.value);
		return 1;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		problem(L, n, "'%s' must be a list of strings", key);
		return 0;
	}
	int k = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = yaml_document_get_node(&L->doc, *it);
		if (k == max) {
			problem(L, item, "'%s' has more than %d entries", key, max);
			break;
		}
		const char *s = scalar(L, item, key);
		if (s)
			out[k++] = xstrdup(s);
	}
	return k;
}

static const char *const levels[] = {"junior", "middle", "senior", "staff", NULL};

static void load_bounds(struct loader *L, yaml_node_t *n, struct coach_spec *s)
{
	if (n->type != YAML_MAPPING_NODE) {
		problem(L, n, "'bounds' must be a mapping");
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&L->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&L->doc, p->value);
		const char *key = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
		long x = number(L, v, key);
		if (strcmp(key, "preemptions") == 0)
			s->bounds.preemptions = (int)x;
		else if (strcmp(key, "pct") == 0)
			s->bounds.pct = x;
		else if (strcmp(key, "pct_depth") == 0)
			s->bounds.pct_depth = (int)x;
		else if (strcmp(key, "random") == 0)
			s->bounds.random = x;
		else if (strcmp(key, "max_steps") == 0)
			s->bounds.max_steps = x;
		else if (strcmp(key, "latency_seeds") == 0)
			s->bounds.latency_seeds = (int)x;
		else if (strcmp(key, "exhaustive_cap") == 0)
			s->bounds.exhaustive_cap = x;
		else
			problem(L, k, "unknown key 'bounds.%s' (preemptions, latency_seeds, "
			        "exhaustive_cap, pct, pct_depth, random, max_steps)", key);
	}
	if (s->bounds.preemptions < COACH_MIN_PREEMPTIONS)
		problem(L, n, "bounds.preemptions is %d; at least %d is required", s->bounds.preemptions,
		        COACH_MIN_PREEMPTIONS);
	if (s->bounds.pct < COACH_MIN_PCT)
		problem(L, n, "bounds.pct is %ld; at least %d PCT schedules are required", s->bounds.pct,
		        COACH_MIN_PCT);
}

static void load_checks(struct loader *L, yaml_node_t *n, struct coach_spec *s)
{
	if (n->type != YAML_MAPPING_NODE) {
		problem(L, n, "'checks' must be a mapping (runtime, results, events)");
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&L->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&L->doc, p->value);
		const char *key = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
		char *tmp[COACH_MAX_LINKS];
		if (strcmp(key, "runtime") == 0) {
			int m = strings(L, v, "checks.runtime", tmp, COACH_MAX_LINKS);
			for (int i = 0; i < m; i++)
				free(tmp[i]);
		} else if (strcmp(key, "results") == 0) {
			s->nresults = strings(L, v, "checks.results", s->results, COACH_MAX_LINKS);
		} else if (strcmp(key, "events") == 0) {
			s->nevents = strings(L, v, "checks.events", s->events, COACH_MAX_LINKS);
		} else {
			problem(L, k, "unknown key 'checks.%s' (runtime, results, events)", key);
		}
	}
}

struct coach_spec *coach_spec_load(const char *dir, struct coach_diag *d)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/spec.yaml", dir);
	size_t len;
	char *text = coach_read_file(path, &len);
	if (!text) {
		coach_diag_add(d, "%s:1:1: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	struct loader L = {.file = path, .d = d};
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &L.doc)) {
		coach_diag_add(d, "%s:%d:%d: %s", path, (int)parser.problem_mark.line + 1,
		               (int)parser.problem_mark.column + 1,
		               parser.problem ? parser.problem : "malformed YAML");
		yaml_parser_delete(&parser);
		free(text);
		return NULL;
	}
	yaml_parser_delete(&parser);
	free(text);

	struct coach_spec *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	const char *base = strrchr(dir, '/');
	base = base && base[1] ? base + 1 : dir;
	s->name = xstrdup(base);
	s->dir = xstrdup(dir);
	s->level_rank = -1;
	yaml_node_t *root = yaml_document_get_root_node(&L.doc);
	if (!root || root->type != YAML_MAPPING_NODE) {
		problem(&L, root, "the spec must be a mapping (title, level, summary, ...)");
		goto out;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(&L.doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&L.doc, p->value);
		const char *key = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
		const char *str;
		if (strcmp(key, "title") == 0 && (str = scalar(&L, v, key)))
			s->title = xstrdup(str);
		else if (strcmp(key, "summary") == 0 && (str = scalar(&L, v, key)))
			s->summary = xstrdup(str);
		else if (strcmp(key, "level") == 0 && (str = scalar(&L, v, key))) {
			s->level = xstrdup(str);
			for (int i = 0; levels[i]; i++)
				if (strcmp(levels[i], str) == 0)
					s->level_rank = i;
			if (s->level_rank < 0)
				problem(&L, v, "unknown level '%s' (junior, middle, senior, staff)", str);
		} else if (strcmp(key, "hints") == 0)
			s->nhints = strings(&L, v, key, s->hints, COACH_MAX_HINTS);
		else if (strcmp(key, "seed") == 0)
			s->nseed = strings(&L, v, key, s->seed, COACH_MAX_LINKS);
		else if (strcmp(key, "quiz") == 0) {
			s->nquiz = strings(&L, v, key, s->quiz, COACH_MAX_LINKS);
			s->quiz_line = (int)v->start_mark.line + 1;
		} else if (strcmp(key, "patterns") == 0) {
			s->npatterns = strings(&L, v, key, s->patterns, COACH_MAX_LINKS);
			s->patterns_line = (int)v->start_mark.line + 1;
		}
		else if (strcmp(key, "checks") == 0)
			load_checks(&L, v, s);
		else if (strcmp(key, "bounds") == 0)
			load_bounds(&L, v, s);
		else if (strcmp(key, "title") && strcmp(key, "summary") && strcmp(key, "level"))
			problem(&L, k, "unknown key '%s'", key);
	}
	if (!s->title)
		problem(&L, root, "missing key 'title'");
	if (!s->level)
		problem(&L, root, "missing key 'level'");
	if (!s->summary)
		problem(&L, root, "missing key 'summary'");
	if (s->nhints < 2)
		problem(&L, root, "%d hint%s; at least 2 are required, gentle first", s->nhints,
		        s->nhints == 1 ? "" : "s");
	for (int i = 0; i < s->nhints; i++)
		if (!s->hints[i][strspn(s->hints[i], " \t\n")])
			problem(&L, root, "hint %d is empty", i + 1);
	if (s->nseed == 0)
		problem(&L, root, "missing key 'seed' (the seed items the exercise covers)");
	if (!s->bounds.preemptions && !s->bounds.pct)
		problem(&L, root, "missing key 'bounds'");
	if (!s->bounds.pct_depth)
		s->bounds.pct_depth = 3;
	if (!s->bounds.random)
		s->bounds.random = 1000;
	if (!s->bounds.max_steps)
		s->bounds.max_steps = 200000;
	if (!s->bounds.latency_seeds)
		s->bounds.latency_seeds = COACH_DEFAULT_LATENCY_SEEDS;
	if (!s->bounds.exhaustive_cap)
		s->bounds.exhaustive_cap = COACH_DEFAULT_EXHAUSTIVE_CAP;
out:
	yaml_document_delete(&L.doc);
	if (!s->title || !s->level) {
		coach_spec_free(s);
		return NULL;
	}
	return s;
}

void coach_spec_free(struct coach_spec *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->dir);
	free(s->title);
	free(s->level);
	free(s->summary);
	for (int i = 0; i < s->nhints; i++)
		free(s->hints[i]);
	for (int i = 0; i < s->nseed; i++)
		free(s->seed[i]);
	for (int i = 0; i < s->nquiz; i++)
		free(s->quiz[i]);
	for (int i = 0; i < s->npatterns; i++)
		free(s->patterns[i]);
	for (int i = 0; i < s->nresults; i++)
		free(s->results[i]);
	for (int i = 0; i < s->nevents; i++)
		free(s->events[i]);
	free(s);
}

static bool exercise_folder_name(const char *n)
{
	return n[0] >= '0' && n[0] <= '9' && n[1] >= '0' && n[1] <= '9' && n[2] == '-' && n[3];
}

static int by_name(const void *a, const void *b)
{
	const struct coach_spec *x = *(const struct coach_spec *const *)a;
	const struct coach_spec *y = *(const struct coach_spec *const *)b;
	return strcmp(x->name, y->name);
}

int coach_pack_load(const char *const *dirs, int ndirs, struct coach_pack *pack,
                    struct coach_diag *d)
{
	memset(pack, 0, sizeof *pack);
	int cap = 0;
	for (int i = 0; i < ndirs; i++) {
		DIR *dp = opendir(dirs[i]);
		if (!dp) {
			coach_diag_add(d, "%s: cannot open the pack: %s", dirs[i], strerror(errno));
			return -1;
		}
		struct dirent *e;
		while ((e = readdir(dp))) {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", dirs[i], e->d_name);
			struct stat st;
			if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
				continue;
			if (!exercise_folder_name(e->d_name)) {
				/* Only a folder that looks like an exercise is worth a word. */
				char spec[4200];
				snprintf(spec, sizeof spec, "%s/spec.yaml", path);
				if (access(spec, F_OK) == 0) {
					coach_diag_add(d, "%s: left out: an exercise folder is named NN-name "
					               "(two digits, a dash, a name)", path);
					pack->left_out++;
				}
				continue;
			}
			const struct coach_spec *twin = NULL;
			for (int k = 0; k < pack->n && !twin; k++)
				if (strcmp(pack->ex[k]->name, e->d_name) == 0)
					twin = pack->ex[k];
			if (twin) {
				coach_diag_add(d, "%s: left out: %s is already an exercise (%s)", path,
				               e->d_name, twin->dir);
				pack->left_out++;
				continue;
			}
			struct coach_spec *s = coach_spec_load(path, d);
			if (!s) {
				pack->left_out++;
				continue;
			}
			if (pack->n == cap) {
				cap = cap ? 2 * cap : 32;
				pack->ex = realloc(pack->ex, (size_t)cap * sizeof *pack->ex);
				if (!pack->ex)
					abort();
			}
			pack->ex[pack->n++] = s;
		}
		closedir(dp);
	}
	if (pack->n)
		qsort(pack->ex, (size_t)pack->n, sizeof *pack->ex, by_name);
	return 0;
}

void coach_pack_free(struct coach_pack *pack)
{
	for (int i = 0; i < pack->n; i++)
		coach_spec_free(pack->ex[i]);
	free(pack->ex);
	memset(pack, 0, sizeof *pack);
}

const struct coach_spec *coach_pack_find(const struct coach_pack *pack, const char *name)
{
	for (int i = 0; i < pack->n; i++) {
		const char *n = pack->ex[i]->name;
		if (strcmp(n, name) == 0 || strcmp(n + 3, name) == 0)
			return pack->ex[i];
		char *end;
		long num = strtol(name, &end, 10);
		if (*name && !*end && num == strtol(n, NULL, 10))
			return pack->ex[i];
	}
	return NULL;
}

void coach_student_file(const struct coach_spec *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s.c", s->name + 3);
}
