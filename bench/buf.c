/*
 * buf.c - the bench's growable text buffer (see buf.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bench/buf.h"

bool bench_buf_reserve(struct bench_buf *b, size_t extra)
{
	if (b->oom)
		return false;
	if (b->len + extra + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *d = realloc(b->data, cap);
	if (!d) {
		b->oom = true;
		return false;
	}
	b->data = d;
	b->cap = cap;
	return true;
}

void bench_buf_append(struct bench_buf *b, const char *s, size_t n)
{
	if (!bench_buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void bench_buf_printf(struct bench_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !bench_buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void bench_buf_read(struct bench_buf *b, FILE *f)
{
	while (bench_buf_reserve(b, 4096)) {
		size_t r = fread(b->data + b->len, 1, b->cap - b->len - 1, f);
		b->len += r;
		b->data[b->len] = '\0';
		if (r == 0)
			break;
	}
}

void bench_buf_free(struct bench_buf *b)
{
	free(b->data);
	*b = (struct bench_buf){0};
}
