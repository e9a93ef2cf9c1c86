/*
 * html.c - the html renderer: one self-contained page that plays a run in a
 * browser (lanes, arrows, stepping, following a task, highlighting a
 * channel), for a classroom projector or a student replaying a failure.
 *
 * The page is render/html_page.html, compiled in (gen/html_page.c); this
 * file only collects the events and embeds them as data where the page says
 * CHANLAB_EVENTS_HERE.  The data is JSON inside a <script type=
 * "application/json"> element, so nothing in it can end the element early:
 * '<', '>' and '&' are written as \u003c, \u003e and \u0026, and U+2028 and
 * U+2029 as escapes too (old JavaScript engines end a line there).
 *
 * Events are kept compactly (numbers, and strings interned once) and the
 * page is written when the renderer is closed, not at the run's end, so
 * the events the CLI sends after cl_run returns (the verdict) are included.
 * A run longer than HTML_MAX_EVENTS keeps the first and the last half of
 * that many and says how many it left out; the end of a run (verdict,
 * dumps) is always in the last half.  The runtime's report (the fatal
 * error or panic and the task dump, as the terminal prints it) comes from
 * the CLI through render_report and is embedded beside the events, whole.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/internal.h"

#define HTML_MAX_EVENTS 100000
#define HTML_HALF (HTML_MAX_EVENTS / 2)

extern const char render_html_page[];   /* gen/html_page.c, from render/html_page.html */

#define DATA_MARKER "CHANLAB_EVENTS_HERE"

/* One event, with every string replaced by its index in the string table. */
struct html_event {
	uint64_t seq, obj_id, flow;
	int64_t time, arg;
	int kind, task, peer, obj_kind, wait, ok, count, line;
	uint32_t task_name, obj_name, value, text, file;
	uint32_t lesson, mistake, go_mistake;   /* the CLI's verdict event */
	int proc;                                /* par: processor + 1 (v2) */
};

struct html {
	struct render_base base;
	FILE *out;
	char *title;
	char *report;                          /* the runtime's report (render_report), or NULL */
	/* The first HTML_HALF events, then a ring of the last HTML_HALF. */
	struct html_event *head, *tail;
	size_t nhead, head_cap, ntail_total;   /* ntail_total: events offered to the ring */
	/* Interned strings: strs[i] is string i; the hash maps a string to i+1. */
	char **strs;
	uint32_t nstrs, strs_cap;
	uint32_t *hash;                        /* open addressing, 0 = empty */
	uint32_t hash_cap;                     /* a power of two */
	bool nomem;
	struct render_buf buf;                 /* last: it is big */
};

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static bool grow_hash(struct html *h)
{
	uint32_t cap = h->hash_cap ? h->hash_cap * 2 : 1024;
	uint32_t *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return false;
	for (uint32_t i = 0; i < h->nstrs; i++) {
		uint32_t k = fnv1a(h->strs[i]) & (cap - 1);
		while (slots[k])
			k = (k + 1) & (cap - 1);
		slots[k] = i + 1;
	}
	free(h->hash);
	h->hash = slots;
	h->hash_cap = cap;
	return true;
}

/* The index of s in the string table, adding it the first time. */
static uint32_t intern(struct html *h, const char *s)
{
	if (!s)
		s = "";
	if ((h->nstrs + 1) * 2 > h->hash_cap && !grow_hash(h))
		goto oom;
	uint32_t k = fnv1a(s) & (h->hash_cap - 1);
	while (h->hash[k]) {
		if (strcmp(h->strs[h->hash[k] - 1], s) == 0)
			return h->hash[k] - 1;
		k = (k + 1) & (h->hash_cap - 1);
	}
	if (h->nstrs == h->strs_cap) {
		uint32_t cap = h->strs_cap ? h->strs_cap * 2 : 256;
		char **strs = realloc(h->strs, cap * sizeof *strs);
		if (!strs)
			goto oom;
		h->strs = strs;
		h->strs_cap = cap;
	}
	char *copy = strdup(s);
	if (!copy)
		goto oom;
	h->strs[h->nstrs] = copy;
	h->hash[k] = ++h->nstrs;
	return h->nstrs - 1;
oom:
	h->nomem = true;
	return 0;
}

static void html_event(void *ctx, const struct cl_event *ev)
{
	struct html *h = ctx;
	if (h->nomem)
		return;
	struct html_event e = {
		.seq = ev->seq, .obj_id = ev->obj_id, .flow = ev->flow,
		.time = ev->time, .arg = ev->arg,
		.kind = ev->kind, .task = ev->task, .peer = ev->peer, .obj_kind = ev->obj_kind,
		.wait = ev->wait, .ok = ev->ok, .count = ev->count, .line = ev->line,
		.task_name = intern(h, ev->task_name), .obj_name = intern(h, ev->obj_name),
		.value = intern(h, ev->value), .text = intern(h, ev->text), .file = intern(h, ev->file),
		.lesson = intern(h, ev->lesson), .mistake = intern(h, ev->mistake),
		.go_mistake = intern(h, ev->go_mistake), .proc = ev->proc,
	};
	if (h->nhead < HTML_HALF) {
		if (h->nhead == h->head_cap) {
			size_t cap = h->head_cap ? h->head_cap * 2 : 1024;
			struct html_event *head = realloc(h->head, cap * sizeof *head);
			if (!head) {
				h->nomem = true;
				return;
			}
			h->head = head;
			h->head_cap = cap;
		}
		h->head[h->nhead++] = e;
		return;
	}
	if (!h->tail && !(h->tail = malloc(HTML_HALF * sizeof *h->tail))) {
		h->nomem = true;
		return;
	}
	h->tail[h->ntail_total++ % HTML_HALF] = e;
}

/* A JSON string that is also safe inside an HTML <script> element. */
static void put_safe_str(struct render_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	render_buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned c = *p;
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			render_buf_write(b, esc, 2);
		} else if (c == '\n') {
			render_buf_write(b, "\\n", 2);
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			render_buf_write(b, esc, 6);
		} else if (c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			render_buf_write(b, p[2] == 0xa8 ? "\\u2028" : "\\u2029", 6);
			p += 2;
		} else {
			render_buf_putc(b, (char)c);
		}
	}
	render_buf_putc(b, '"');
}

static void put_event(struct render_buf *b, const struct html_event *e)
{
	const int64_t fields[] = {
		(int64_t)e->seq, e->time, e->kind, e->task, e->peer, e->obj_kind, (int64_t)e->obj_id,
		e->obj_name, e->wait, e->value, (int64_t)e->flow, e->ok, e->arg, e->count, e->text,
		e->file, e->line, e->task_name, e->lesson, e->mistake, e->go_mistake, e->proc,
	};
	render_buf_putc(b, '[');
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (i)
			render_buf_putc(b, ',');
		render_buf_i64(b, fields[i]);
	}
	render_buf_putc(b, ']');
}

static void put_name_list(struct render_buf *b, const char *key, int n,
                          const char *(*name)(int))
{
	render_buf_putc(b, '"');
	render_buf_puts(b, key);
	render_buf_puts(b, "\":[");
	for (int i = 0; i < n; i++) {
		if (i)
			render_buf_putc(b, ',');
		put_safe_str(b, name(i));
	}
	render_buf_putc(b, ']');
}

static const char *kind_at(int i) { return render_kind_name((enum cl_event_kind)i); }
static const char *wait_at(int i) { return render_wait_name((enum cl_wait)i); }
static const char *obj_at(int i) { return render_obj_kind_name((enum cl_obj_kind)i); }

static void put_data(struct html *h)
{
	struct render_buf *b = &h->buf;
	size_t ntail = h->ntail_total < HTML_HALF ? h->ntail_total : HTML_HALF;
	size_t omitted = h->ntail_total - ntail;
	render_buf_puts(b, "{\"schema\":\"chanlab-events\",\"version\":");
	render_buf_i64(b, CL_EVENT_SCHEMA_VERSION);
	render_buf_puts(b, ",\"fields\":[\"seq\",\"time\",\"kind\",\"task\",\"peer\",\"obj_kind\","
	                   "\"obj_id\",\"obj_name\",\"wait\",\"value\",\"flow\",\"ok\",\"arg\","
	                   "\"count\",\"text\",\"file\",\"line\",\"task_name\",\"lesson\",\"mistake\","
	                   "\"go_mistake\",\"proc\"],");
	put_name_list(b, "kinds", CL_EV_KIND_COUNT, kind_at);
	render_buf_putc(b, ',');
	put_name_list(b, "waits", CL_WAIT_COUNT, wait_at);
	render_buf_putc(b, ',');
	put_name_list(b, "obj_kinds", CL_OBJ_KIND_COUNT, obj_at);
	render_buf_puts(b, ",\"title\":");
	put_safe_str(b, h->title ? h->title : "chanlab trace");
	render_buf_puts(b, ",\"report\":");
	put_safe_str(b, h->report ? h->report : "");
	render_buf_puts(b, ",\"omitted\":");
	render_buf_u64(b, omitted);
	render_buf_puts(b, ",\"out_of_memory\":");
	render_buf_puts(b, h->nomem ? "true" : "false");
	render_buf_puts(b, ",\"strings\":[");
	for (uint32_t i = 0; i < h->nstrs; i++) {
		if (i)
			render_buf_putc(b, ',');
		put_safe_str(b, h->strs[i]);
	}
	render_buf_puts(b, "],\n\"events\":[");
	for (size_t i = 0; i < h->nhead; i++) {
		render_buf_puts(b, i ? ",\n" : "\n");
		put_event(b, &h->head[i]);
	}
	size_t first = h->ntail_total - ntail;
	for (size_t i = 0; i < ntail; i++) {
		render_buf_puts(b, h->nhead || i ? ",\n" : "\n");
		put_event(b, &h->tail[(first + i) % HTML_HALF]);
	}
	render_buf_puts(b, "]}");
}

/* The run's end (sink->end) writes nothing: the CLI may still send its
 * verdict.  The page is written when the renderer is closed. */
static void html_finish(struct render_base *base)
{
	(void)base;
}

static void html_write_page(struct html *h)
{
	const char *page = render_html_page;
	const char *mark = strstr(page, DATA_MARKER);
	if (!mark) {   /* a broken build: say so in the page rather than crash */
		render_buf_puts(&h->buf, "<!doctype html><p>chanlab: html page template missing</p>");
		render_buf_flush(&h->buf);
		return;
	}
	render_buf_write(&h->buf, page, (size_t)(mark - page));
	put_data(h);
	render_buf_puts(&h->buf, mark + strlen(DATA_MARKER));
	render_buf_flush(&h->buf);
	fflush(h->out);
}

/* The report arrives after the run (cl_run returns it) and before the page
 * is written; a second report replaces the first. */
void render_html_report(struct render_base *base, const char *text)
{
	struct html *h = (struct html *)base;
	char *copy = strdup(text);
	if (!copy) {
		h->nomem = true;
		return;
	}
	free(h->report);
	h->report = copy;
}

static void html_destroy(struct render_base *base)
{
	struct html *h = (struct html *)base;
	html_write_page(h);
	for (uint32_t i = 0; i < h->nstrs; i++)
		free(h->strs[i]);
	free(h->strs);
	free(h->title);
	free(h->report);
	free(h->hash);
	free(h->head);
	free(h->tail);
	free(h);
}

struct render_base *render_html_open(const struct render_opts *opts,
                                     void (**event)(void *, const struct cl_event *), char *err,
                                     size_t errsize)
{
	struct html *h = calloc(1, sizeof *h);
	if (!h) {
		snprintf(err, errsize, "html: out of memory");
		return NULL;
	}
	h->base.finish = html_finish;
	h->base.destroy = html_destroy;
	h->out = opts->out;
	if (opts->title && !(h->title = strdup(opts->title))) {
		free(h);
		snprintf(err, errsize, "html: out of memory");
		return NULL;
	}
	h->buf.out = opts->out;
	*event = html_event;
	return &h->base;
}
