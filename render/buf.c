/*
 * buf.c - the buffered writer of the machine formats (jsonl, chrome): a
 * fixed buffer, hand-rolled number formatting and JSON string escaping,
 * because printf per field is too slow for a million events a second.
 */
#include <string.h>

#include "render/internal.h"

void render_buf_flush(struct render_buf *b)
{
	if (b->len && fwrite(b->data, 1, b->len, b->out) != b->len)
		b->error = true;
	b->len = 0;
}

void render_buf_write_long(struct render_buf *b, const char *s, size_t n)
{
	render_buf_flush(b);
	if (fwrite(s, 1, n, b->out) != n)
		b->error = true;
}

void render_buf_u64(struct render_buf *b, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char tmp[24];
	char *p = tmp + sizeof tmp;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	render_buf_write(b, p, (size_t)(tmp + sizeof tmp - p));
}

void render_buf_i64(struct render_buf *b, int64_t v)
{
	if (v < 0) {
		render_buf_putc(b, '-');
		render_buf_u64(b, -(uint64_t)v);
	} else {
		render_buf_u64(b, (uint64_t)v);
	}
}

void render_buf_us(struct render_buf *b, int64_t ns)
{
	uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	if (ns < 0)
		render_buf_putc(b, '-');
	render_buf_u64(b, a / 1000);
	unsigned frac = (unsigned)(a % 1000);
	render_buf_reserve(b, 4);
	b->data[b->len++] = '.';
	b->data[b->len++] = (char)('0' + frac / 100);
	b->data[b->len++] = (char)('0' + frac / 10 % 10);
	b->data[b->len++] = (char)('0' + frac % 10);
}

void render_buf_json_str(struct render_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	render_buf_putc(b, '"');
	for (;;) {
		/* Fast path: copy the run of characters needing no escape. */
		size_t run = 0;
		while ((unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\')
			run++;
		if (run) {
			render_buf_write(b, s, run);
			s += run;
		}
		unsigned char c = (unsigned char)*s;
		if (c == 0)
			break;
		render_buf_reserve(b, 6);
		char *p = b->data + b->len;
		switch (c) {
		case '"': memcpy(p, "\\\"", 2); b->len += 2; break;
		case '\\': memcpy(p, "\\\\", 2); b->len += 2; break;
		case '\n': memcpy(p, "\\n", 2); b->len += 2; break;
		case '\t': memcpy(p, "\\t", 2); b->len += 2; break;
		case '\r': memcpy(p, "\\r", 2); b->len += 2; break;
		default:
			memcpy(p, "\\u00", 4);
			p[4] = hex[c >> 4];
			p[5] = hex[c & 15];
			b->len += 6;
		}
		s++;
	}
	render_buf_putc(b, '"');
}
