/* json.c - a small strict JSON parser for the render tests (json.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/render/json.h"

struct p {
	const char *s;
	size_t i;
	int depth;
};

static void ws(struct p *p)
{
	while (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r')
		p->i++;
}

static struct tj *node(enum tj_type t)
{
	struct tj *v = calloc(1, sizeof *v);
	if (v)
		v->type = t;
	return v;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *string(struct p *p)
{
	if (p->s[p->i] != '"')
		return NULL;
	p->i++;
	size_t cap = 16, n = 0;
	char *out = malloc(cap);
	while (out) {
		unsigned char c = (unsigned char)p->s[p->i];
		if (n + 5 > cap) {
			char *o = realloc(out, cap *= 2);
			if (!o)
				break;
			out = o;
		}
		if (c == '"') {
			p->i++;
			out[n] = '\0';
			return out;
		}
		if (c < 0x20)
			break;
		if (c != '\\') {
			out[n++] = (char)c;
			p->i++;
			continue;
		}
		char e = p->s[p->i + 1];
		p->i += 2;
		const char *map = "\"\"\\\\//b\bf\fn\nr\rt\t";
		const char *m = NULL;
		for (const char *q = map; *q; q += 2)
			if (*q == e)
				m = q;
		if (m) {
			out[n++] = m[1];
			continue;
		}
		if (e != 'u')
			break;
		unsigned cp = 0;
		for (int k = 0; k < 4; k++) {
			int h = hexval(p->s[p->i + k]);
			if (h < 0)
				goto fail;
			cp = cp * 16 + (unsigned)h;
		}
		p->i += 4;
		if (cp >= 0xd800 && cp < 0xe000)
			goto fail;   /* surrogates: not produced by chanlab; reject */
		if (cp < 0x80) {
			out[n++] = (char)cp;
		} else if (cp < 0x800) {
			out[n++] = (char)(0xc0 | cp >> 6);
			out[n++] = (char)(0x80 | (cp & 0x3f));
		} else {
			out[n++] = (char)(0xe0 | cp >> 12);
			out[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
			out[n++] = (char)(0x80 | (cp & 0x3f));
		}
	}
fail:
	free(out);
	return NULL;
}

static struct tj *value(struct p *p);

static struct tj *add_item(struct tj *v, struct tj *item, char *key)
{
	struct tj **items = realloc(v->items, (v->n + 1) * sizeof *items);
	if (!items)
		return NULL;
	v->items = items;
	if (v->type == TJ_OBJ) {
		char **keys = realloc(v->keys, (v->n + 1) * sizeof *keys);
		if (!keys)
			return NULL;
		v->keys = keys;
		keys[v->n] = key;
	}
	items[v->n++] = item;
	return v;
}

static struct tj *container(struct p *p, char open)
{
	char close = open == '[' ? ']' : '}';
	struct tj *v = node(open == '[' ? TJ_ARR : TJ_OBJ);
	if (!v || ++p->depth > 200)
		goto fail;
	p->i++;
	ws(p);
	if (p->s[p->i] == close) {
		p->i++;
		p->depth--;
		return v;
	}
	for (;;) {
		char *key = NULL;
		ws(p);
		if (open == '{') {
			key = string(p);
			if (!key)
				goto fail;
			ws(p);
			if (p->s[p->i] != ':') {
				free(key);
				goto fail;
			}
			p->i++;
		}
		struct tj *item = value(p);
		if (!item || !add_item(v, item, key)) {
			free(key);
			tj_free(item);
			goto fail;
		}
		ws(p);
		if (p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->s[p->i] == close) {
			p->i++;
			p->depth--;
			return v;
		}
		goto fail;
	}
fail:
	tj_free(v);
	return NULL;
}

static struct tj *number(struct p *p)
{
	size_t start = p->i;
	const char *s = p->s;
	if (s[p->i] == '-')
		p->i++;
	if (s[p->i] == '0')
		p->i++;
	else if (s[p->i] >= '1' && s[p->i] <= '9')
		while (s[p->i] >= '0' && s[p->i] <= '9')
			p->i++;
	else
		return NULL;
	if (s[p->i] == '.') {
		p->i++;
		if (!(s[p->i] >= '0' && s[p->i] <= '9'))
			return NULL;
		while (s[p->i] >= '0' && s[p->i] <= '9')
			p->i++;
	}
	if (s[p->i] == 'e' || s[p->i] == 'E') {
		p->i++;
		if (s[p->i] == '+' || s[p->i] == '-')
			p->i++;
		if (!(s[p->i] >= '0' && s[p->i] <= '9'))
			return NULL;
		while (s[p->i] >= '0' && s[p->i] <= '9')
			p->i++;
	}
	struct tj *v = node(TJ_NUM);
	if (!v)
		return NULL;
	v->str = strndup(s + start, p->i - start);
	v->num = strtod(v->str, NULL);
	return v;
}

static struct tj *value(struct p *p)
{
	ws(p);
	const char *s = p->s + p->i;
	if (*s == '{' || *s == '[')
		return container(p, *s);
	if (*s == '"') {
		struct tj *v = node(TJ_STR);
		if (v && !(v->str = string(p))) {
			free(v);
			return NULL;
		}
		return v;
	}
	if (strncmp(s, "true", 4) == 0 || strncmp(s, "false", 5) == 0) {
		struct tj *v = node(TJ_BOOL);
		if (v)
			v->b = *s == 't';
		p->i += *s == 't' ? 4 : 5;
		return v;
	}
	if (strncmp(s, "null", 4) == 0) {
		p->i += 4;
		return node(TJ_NULL);
	}
	return number(p);
}

struct tj *tj_parse(const char *text, size_t *errpos)
{
	struct p p = {text, 0, 0};
	struct tj *v = value(&p);
	if (v) {
		ws(&p);
		if (text[p.i] != '\0') {
			tj_free(v);
			v = NULL;
		}
	}
	if (!v && errpos)
		*errpos = p.i;
	return v;
}

void tj_free(struct tj *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		tj_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

const struct tj *tj_get(const struct tj *obj, const char *key)
{
	if (!obj || obj->type != TJ_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

const char *tj_str(const struct tj *obj, const char *key)
{
	const struct tj *v = tj_get(obj, key);
	return v && v->type == TJ_STR ? v->str : NULL;
}

double tj_num(const struct tj *obj, const char *key)
{
	const struct tj *v = tj_get(obj, key);
	return v && v->type == TJ_NUM ? v->num : NAN;
}
