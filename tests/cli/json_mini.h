/*
 * json_mini.h - a tiny strict JSON parser for the CLI tests: checks that the
 * chrome output is JSON and reads the fields of jsonl and chrome events.
 */
#ifndef CHANLAB_TESTS_CLI_JSON_MINI_H
#define CHANLAB_TESTS_CLI_JSON_MINI_H

#include <stdbool.h>
#include <stddef.h>

enum jm_type { JM_NULL, JM_BOOL, JM_NUMBER, JM_STRING, JM_ARRAY, JM_OBJECT };

struct jm {
	enum jm_type type;
	bool boolean;
	double number;
	char *string;          /* JM_STRING: decoded (\uXXXX kept as '?') */
	struct jm **items;     /* JM_ARRAY: values; JM_OBJECT: values */
	char **keys;           /* JM_OBJECT: keys */
	size_t n;
};

/* Parses one JSON value filling all of text (whitespace around allowed).
 * NULL with a message naming the byte offset in err on error. */
struct jm *jm_parse(const char *text, size_t len, char *err, size_t errsize);
void jm_free(struct jm *v);

/* The member KEY of an object, or NULL. */
const struct jm *jm_get(const struct jm *obj, const char *key);
/* Member helpers with defaults when absent or of another type. */
double jm_num(const struct jm *obj, const char *key, double def);
const char *jm_str(const struct jm *obj, const char *key, const char *def);

#endif
