/*
 * buf.h - the bench's one growable text buffer: the output of a child
 * process read to its end, a generated question bank.  A failed allocation
 * sets oom and keeps what was there; callers check it once at the end.
 */
#ifndef CHANLAB_BENCH_BUF_H
#define CHANLAB_BENCH_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct bench_buf {
	char *data;                  /* NUL-terminated once anything was added */
	size_t len, cap;
	bool oom;
};

/* Makes room for extra more bytes and the NUL; false (and oom) when it cannot. */
bool bench_buf_reserve(struct bench_buf *b, size_t extra);
void bench_buf_append(struct bench_buf *b, const char *s, size_t n);
void bench_buf_printf(struct bench_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reads f to its end. */
void bench_buf_read(struct bench_buf *b, FILE *f);
void bench_buf_free(struct bench_buf *b);

#endif
