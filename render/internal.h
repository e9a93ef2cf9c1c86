/*
 * internal.h - what the renderers share and nothing outside render/ sees:
 * the base every renderer's state starts with, the task-name table, the
 * flow map pairing sends with receives, and a buffered writer.
 */
#ifndef CHANLAB_RENDER_INTERNAL_H
#define CHANLAB_RENDER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "render/render.h"

/* Every renderer's state begins with this, so render_close can finish and
 * free any sink made by render_open or render_paced (sink->ctx points to
 * it). */
struct render_base {
	void (*finish)(struct render_base *self);  /* complete the document, flush */
	void (*destroy)(struct render_base *self); /* free everything */
	bool finished;
	/* The runtime's report (render_report); set by render_open from the
	 * format table, NULL for formats that do not show it. */
	void (*report)(struct render_base *self, const char *text);
};

/* The sink's end(): runs finish once. */
void render_base_end(void *ctx);

/* Opens one format: returns the state (its base filled) or NULL with a
 * message in err.  The event function goes into sink->event. */
typedef struct render_base *render_open_fn(const struct render_opts *opts,
                                           void (**event)(void *, const struct cl_event *),
                                           char *err, size_t errsize);
render_open_fn render_text_open, render_lanes_open, render_jsonl_open, render_chrome_open,
	render_mermaid_open, render_html_open;

/* html keeps the runtime's report for its dump panel (render_report). */
void render_html_report(struct render_base *self, const char *text);

/* The ANSI colour (SGR parameters, e.g. "36") of a task: stable per id,
 * readable on dark and light backgrounds; red is kept for panics. */
const char *render_task_color(int id);

/* ---- task names ----------------------------------------------------------
 * Events name their acting task, but WAKE's and SEND's peers come as ids
 * only: the table remembers every name seen (SPAWN's text names the child).
 * Ids are small and dense, so it is an array indexed by id. */
struct render_tasks {
	char **names;     /* names[id], malloc'd, or NULL */
	int cap;
};

void render_tasks_init(struct render_tasks *t);
void render_tasks_free(struct render_tasks *t);
/* Records the acting task's name and, for SPAWN, the child's.  Returns 0 or
 * RENDER_E_NOMEM. */
int render_tasks_learn(struct render_tasks *t, const struct cl_event *ev);
int render_tasks_set(struct render_tasks *t, int id, const char *name);
/* The name of task id: "runtime" for 0, "task N" if never seen. */
const char *render_tasks_name(const struct render_tasks *t, int id, char *buf, size_t size);
bool render_tasks_known(const struct render_tasks *t, int id);

/* ---- flows -----------------------------------------------------------------
 * Open-addressing map from flow id (never 0) to the first half of a
 * send/receive pair, removed when the second half arrives. */
struct render_flow {
	uint64_t flow;          /* 0 = empty slot */
	int task;               /* the task of the first half */
	int kind;               /* CL_EV_SEND or CL_EV_RECV */
	int64_t when;           /* renderer's own use (a display time ...) */
	long aux;               /* renderer's own use (an index ...) */
	bool done;              /* renderer's own use (arrow already drawn ...) */
};

struct render_flows {
	struct render_flow *slots;
	size_t cap, len;        /* cap a power of two; len = used slots */
};

void render_flows_init(struct render_flows *m);
void render_flows_free(struct render_flows *m);
/* The entry for flow, or NULL. */
struct render_flow *render_flows_get(struct render_flows *m, uint64_t flow);
/* Inserts (or finds) flow; NULL only when out of memory. */
struct render_flow *render_flows_put(struct render_flows *m, uint64_t flow);
void render_flows_del(struct render_flows *m, uint64_t flow);

/* ---- buffered output ------------------------------------------------------
 * A fixed buffer flushed to out with fwrite when nearly full: no per-event
 * allocation, no printf on the hot path. */
#define RENDER_BUF_SIZE 65536
struct render_buf {
	FILE *out;
	size_t len;
	bool error;             /* a write failed (reported by ferror on out) */
	char data[RENDER_BUF_SIZE];
};

void render_buf_flush(struct render_buf *b);
static inline void render_buf_reserve(struct render_buf *b, size_t n)
{
	if (b->len + n > RENDER_BUF_SIZE)
		render_buf_flush(b);
}
/* s of length n; long strings go straight through. */
void render_buf_write_long(struct render_buf *b, const char *s, size_t n);
static inline void render_buf_write(struct render_buf *b, const char *s, size_t n)
{
	if (n > RENDER_BUF_SIZE / 2) {
		render_buf_write_long(b, s, n);
		return;
	}
	render_buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
}
static inline void render_buf_puts(struct render_buf *b, const char *s)
{
	render_buf_write(b, s, strlen(s));
}
static inline void render_buf_putc(struct render_buf *b, char c)
{
	render_buf_reserve(b, 1);
	b->data[b->len++] = c;
}
void render_buf_i64(struct render_buf *b, int64_t v);
void render_buf_u64(struct render_buf *b, uint64_t v);
/* A JSON string with quotes, escaped per RFC 8259 (control characters as
 * \u00XX; bytes >= 0x80 passed through, so UTF-8 stays UTF-8). */
void render_buf_json_str(struct render_buf *b, const char *s);
/* Microseconds from ns with 3 decimals: 1250 -> "1.250", -5 -> "-0.005". */
void render_buf_us(struct render_buf *b, int64_t ns);

#endif
