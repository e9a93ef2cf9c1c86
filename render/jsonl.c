/*
 * jsonl.c - the jsonl renderer: one JSON object a line for every event, all
 * fields of struct cl_event, after a header line naming the schema.  The
 * schema is docs/events.md; keep them in step.
 *
 * Speed matters (tools read million-event traces): a fixed output buffer,
 * no allocation per event, hand-rolled numbers and escaping (buf.c).
 */
#include <stdlib.h>

#include "render/internal.h"

struct jsonl {
	struct render_base base;
	bool live;
	struct render_buf buf;      /* last: it is big */
};

/* A literal key or punctuation: length known at compile time. */
#define LIT(b, s) render_buf_write((b), (s), sizeof(s) - 1)

static void jsonl_event(void *ctx, const struct cl_event *ev)
{
	struct jsonl *j = ctx;
	struct render_buf *b = &j->buf;
	LIT(b, "{\"seq\":");
	render_buf_u64(b, ev->seq);
	LIT(b, ",\"time\":");
	render_buf_i64(b, ev->time);
	LIT(b, ",\"kind\":\"");
	render_buf_puts(b, render_kind_name(ev->kind));
	LIT(b, "\",\"task\":");
	render_buf_i64(b, ev->task);
	LIT(b, ",\"task_name\":");
	render_buf_json_str(b, ev->task_name ? ev->task_name : "");
	LIT(b, ",\"peer\":");
	render_buf_i64(b, ev->peer);
	LIT(b, ",\"obj_kind\":\"");
	render_buf_puts(b, render_obj_kind_name(ev->obj_kind));
	LIT(b, "\",\"obj_id\":");
	render_buf_u64(b, ev->obj_id);
	LIT(b, ",\"obj_name\":");
	render_buf_json_str(b, ev->obj_name ? ev->obj_name : "");
	LIT(b, ",\"wait\":\"");
	render_buf_puts(b, render_wait_name(ev->wait));
	LIT(b, "\",\"value\":");
	render_buf_json_str(b, ev->value ? ev->value : "");
	LIT(b, ",\"flow\":");
	render_buf_u64(b, ev->flow);
	LIT(b, ",\"ok\":");
	render_buf_i64(b, ev->ok);
	LIT(b, ",\"arg\":");
	render_buf_i64(b, ev->arg);
	LIT(b, ",\"count\":");
	render_buf_i64(b, ev->count);
	LIT(b, ",\"text\":");
	render_buf_json_str(b, ev->text ? ev->text : "");
	LIT(b, ",\"file\":");
	render_buf_json_str(b, ev->file ? ev->file : "");
	LIT(b, ",\"line\":");
	render_buf_i64(b, ev->line);
	/* Schema version 2. */
	LIT(b, ",\"lesson\":");
	render_buf_json_str(b, ev->lesson ? ev->lesson : "");
	LIT(b, ",\"mistake\":");
	render_buf_json_str(b, ev->mistake ? ev->mistake : "");
	LIT(b, ",\"go_mistake\":");
	render_buf_json_str(b, ev->go_mistake ? ev->go_mistake : "");
	LIT(b, ",\"proc\":");
	render_buf_i64(b, ev->proc);
	LIT(b, "}\n");
	if (j->live) {
		render_buf_flush(b);
		fflush(b->out);
	}
}

static void jsonl_finish(struct render_base *base)
{
	struct jsonl *j = (struct jsonl *)base;
	render_buf_flush(&j->buf);
	fflush(j->buf.out);
}

static void jsonl_destroy(struct render_base *base)
{
	free(base);
}

struct render_base *render_jsonl_open(const struct render_opts *opts,
                                      void (**event)(void *, const struct cl_event *),
                                      char *err, size_t errsize)
{
	struct jsonl *j = malloc(sizeof *j);
	if (!j) {
		snprintf(err, errsize, "jsonl: out of memory");
		return NULL;
	}
	j->base.finish = jsonl_finish;
	j->base.destroy = jsonl_destroy;
	j->base.finished = false;
	j->live = opts->live;
	j->buf.out = opts->out;
	j->buf.len = 0;
	j->buf.error = false;
	render_buf_puts(&j->buf, "{\"schema\":\"chanlab-events\",\"version\":");
	render_buf_i64(&j->buf, CL_EVENT_SCHEMA_VERSION);
	render_buf_puts(&j->buf, "}\n");
	*event = jsonl_event;
	return &j->base;
}
