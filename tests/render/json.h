/*
 * json.h - a small strict JSON parser for the render tests (RFC 8259: no
 * trailing commas, no comments, escapes checked), building a tree.
 */
#ifndef CHANLAB_TEST_JSON_H
#define CHANLAB_TEST_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum tj_type { TJ_NULL, TJ_BOOL, TJ_NUM, TJ_STR, TJ_ARR, TJ_OBJ };

struct tj {
	enum tj_type type;
	bool b;
	double num;
	char *str;            /* TJ_STR: decoded (UTF-8); TJ_NUM: the literal */
	size_t n;             /* TJ_ARR, TJ_OBJ: number of items */
	char **keys;          /* TJ_OBJ */
	struct tj **items;
};

/* Parses the whole of text (whitespace around allowed); NULL on any error,
 * with the offset of the error in *errpos if errpos is not NULL. */
struct tj *tj_parse(const char *text, size_t *errpos);
void tj_free(struct tj *v);
/* Member of an object, or NULL. */
const struct tj *tj_get(const struct tj *obj, const char *key);
/* Shorthands: the member as a string / number / integer (NULL, NAN, -1 when
 * absent or of another type). */
const char *tj_str(const struct tj *obj, const char *key);
double tj_num(const struct tj *obj, const char *key);

#endif
