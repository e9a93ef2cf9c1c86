/* json_mini.c - a tiny strict JSON parser for the CLI tests (json_mini.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/cli/json_mini.h"

struct parser {
	const char *s;
	size_t len, pos;
	int depth;
	char *err;
	size_t errsize;
	bool failed;
};

static void fail(struct parser *p, const char *what)
{
	if (!p->failed)
		snprintf(p->err, p->errsize, "%s at byte %zu", what, p->pos);
	p->failed = true;
}

static void *xcalloc(size_t n, size_t size)
{
	void *v = calloc(n ? n : 1, size);
	if (!v)
		abort();
	return v;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
}

static bool literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);
	if (p->len - p->pos >= n && memcmp(p->s + p->pos, word, n) == 0) {
		p->pos += n;
		return true;
	}
	return false;
}

static char *parse_string(struct parser *p)
{
	if (p->pos >= p->len || p->s[p->pos] != '"') {
		fail(p, "expected a string");
		return NULL;
	}
	p->pos++;
	size_t cap = 16, n = 0;
	char *out = xcalloc(cap, 1);
	while (p->pos < p->len && p->s[p->pos] != '"') {
		unsigned char c = (unsigned char)p->s[p->pos++];
		if (c < 0x20) {
			fail(p, "control character in a string");
			free(out);
			return NULL;
		}
		if (c == '\\') {
			if (p->pos >= p->len)
				break;
			char e = p->s[p->pos++];
			switch (e) {
			case '"': case '\\': case '/': c = (unsigned char)e; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u':
				for (int i = 0; i < 4; i++, p->pos++)
					if (p->pos >= p->len || !strchr("0123456789abcdefABCDEF", p->s[p->pos]) ||
					    !p->s[p->pos]) {
						fail(p, "bad \\u escape");
						free(out);
						return NULL;
					}
				c = '?';
				break;
			default:
				fail(p, "bad escape");
				free(out);
				return NULL;
			}
		}
		if (n + 2 > cap) {
			char *bigger = realloc(out, cap *= 2);
			if (!bigger)
				abort();
			out = bigger;
		}
		out[n++] = (char)c;
	}
	if (p->pos >= p->len) {
		fail(p, "unterminated string");
		free(out);
		return NULL;
	}
	p->pos++;
	out[n] = '\0';
	return out;
}

static bool parse_number(struct parser *p, double *out)
{
	size_t start = p->pos;
	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
		return false;
	if (p->s[p->pos] == '0')
		p->pos++;
	else
		while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
			return false;
		while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
			return false;
		while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
	}
	char buf[64];
	size_t n = p->pos - start;
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, p->s + start, n);
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	return true;
}

static struct jm *parse_value(struct parser *p);

static void push(struct jm *v, struct jm *item, char *key, size_t *cap)
{
	if (v->n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		struct jm **items = realloc(v->items, *cap * sizeof *items);
		if (!items)
			abort();
		v->items = items;
		if (v->type == JM_OBJECT) {
			char **keys = realloc(v->keys, *cap * sizeof *keys);
			if (!keys)
				abort();
			v->keys = keys;
		}
	}
	if (v->type == JM_OBJECT)
		v->keys[v->n] = key;
	v->items[v->n++] = item;
}

static struct jm *parse_container(struct parser *p, bool object)
{
	struct jm *v = xcalloc(1, sizeof *v);
	size_t cap = 0;
	v->type = object ? JM_OBJECT : JM_ARRAY;
	p->pos++;
	if (++p->depth > 64) {
		fail(p, "nested too deep");
		return v;
	}
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == (object ? '}' : ']')) {
		p->pos++;
		p->depth--;
		return v;
	}
	for (;;) {
		char *key = NULL;
		skip_ws(p);
		if (object) {
			key = parse_string(p);
			if (!key)
				return v;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				free(key);
				fail(p, "expected ':'");
				return v;
			}
			p->pos++;
		}
		struct jm *item = parse_value(p);
		if (!item) {
			free(key);
			return v;
		}
		push(v, item, key, &cap);
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == (object ? '}' : ']')) {
			p->pos++;
			p->depth--;
			return v;
		}
		fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
		return v;
	}
}

static struct jm *parse_value(struct parser *p)
{
	skip_ws(p);
	if (p->failed)
		return NULL;
	if (p->pos >= p->len) {
		fail(p, "unexpected end");
		return NULL;
	}
	char c = p->s[p->pos];
	if (c == '{' || c == '[')
		return parse_container(p, c == '{');
	struct jm *v = xcalloc(1, sizeof *v);
	if (c == '"') {
		v->type = JM_STRING;
		v->string = parse_string(p);
	} else if (literal(p, "true") || literal(p, "false")) {
		v->type = JM_BOOL;
		v->boolean = c == 't';
	} else if (literal(p, "null")) {
		v->type = JM_NULL;
	} else if (parse_number(p, &v->number)) {
		v->type = JM_NUMBER;
	} else {
		fail(p, "expected a value");
	}
	if (p->failed) {
		jm_free(v);
		return NULL;
	}
	return v;
}

struct jm *jm_parse(const char *text, size_t len, char *err, size_t errsize)
{
	struct parser p = {.s = text, .len = len, .err = err, .errsize = errsize};
	struct jm *v = parse_value(&p);
	skip_ws(&p);
	if (!p.failed && p.pos != p.len)
		fail(&p, "text after the value");
	if (p.failed) {
		jm_free(v);
		return NULL;
	}
	return v;
}

void jm_free(struct jm *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		jm_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->string);
	free(v);
}

const struct jm *jm_get(const struct jm *obj, const char *key)
{
	if (!obj || obj->type != JM_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

double jm_num(const struct jm *obj, const char *key, double def)
{
	const struct jm *v = jm_get(obj, key);
	return v && v->type == JM_NUMBER ? v->number : def;
}

const char *jm_str(const struct jm *obj, const char *key, const char *def)
{
	const struct jm *v = jm_get(obj, key);
	return v && v->type == JM_STRING ? v->string : def;
}
