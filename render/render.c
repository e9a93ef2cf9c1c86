/*
 * render.c - the table of formats, opening and closing renderers, the
 * schema names of the event enums (docs/events.md) and time formatting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/internal.h"

struct format {
	const char *name;
	const char *summary;
	render_open_fn *open;
	void (*report)(struct render_base *self, const char *text);   /* NULL: ignores it */
};

static const struct format formats[] = {
	{"text", "one line an event, coloured by task", render_text_open},
	{"lanes", "a column per task, arrows for messages: a sequence chart in the terminal",
	 render_lanes_open},
	{"jsonl", "one JSON object an event, for tools (docs/events.md)", render_jsonl_open},
	{"chrome", "Chrome trace-event JSON for Perfetto's UI (ui.perfetto.dev)", render_chrome_open},
	{"mermaid", "a Mermaid sequenceDiagram, split below 50,000 characters", render_mermaid_open},
	{"html", "one self-contained page that plays the run in a browser (offline)", render_html_open,
	 render_html_report},
};
#define NFORMATS (sizeof formats / sizeof formats[0])

static const char *const format_names[] = {"text", "lanes", "jsonl", "chrome", "mermaid", "html", NULL};

const char *const *render_formats(void)
{
	return format_names;
}

const char *render_format_summary(const char *format)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (format && strcmp(formats[i].name, format) == 0)
			return formats[i].summary;
	return NULL;
}

static void set_err(char *err, size_t errsize, const char *msg, const char *subject)
{
	if (err && errsize)
		snprintf(err, errsize, msg, subject ? subject : "");
}

int render_open(const char *format, const struct render_opts *opts, struct cl_sink *sink,
                char *err, size_t errsize)
{
	if (sink)
		memset(sink, 0, sizeof *sink);
	if (!sink || !opts || !opts->out) {
		set_err(err, errsize, "render_open: no sink or output stream%s", "");
		return RENDER_E_ARG;
	}
	const struct format *f = NULL;
	for (size_t i = 0; i < NFORMATS; i++)
		if (format && strcmp(formats[i].name, format) == 0)
			f = &formats[i];
	if (!f) {
		set_err(err, errsize,
		        "unknown format '%s' (choose text, lanes, jsonl, chrome, mermaid, html)", format);
		return RENDER_E_FORMAT;
	}
	void (*event)(void *, const struct cl_event *) = NULL;
	struct render_base *self = f->open(opts, &event, err, errsize);
	if (!self)
		return RENDER_E_NOMEM;
	self->report = f->report;
	sink->event = event;
	sink->end = render_base_end;
	sink->ctx = self;
	return 0;
}

void render_report(struct cl_sink *sink, const char *report)
{
	if (!sink || !sink->ctx || !report || !*report)
		return;
	struct render_base *self = sink->ctx;
	if (self->report)
		self->report(self, report);
}

void render_base_end(void *ctx)
{
	struct render_base *self = ctx;
	if (!self->finished) {
		self->finished = true;
		self->finish(self);
	}
}

void render_close(struct cl_sink *sink)
{
	if (!sink || !sink->ctx)
		return;
	struct render_base *self = sink->ctx;
	render_base_end(self);
	self->destroy(self);
	memset(sink, 0, sizeof *sink);
}

const char *render_task_color(int id)
{
	static const char *const palette[] = {"36", "33", "35", "32", "34",
	                                      "96", "93", "95", "92", "94"};
	return palette[(unsigned)id % (sizeof palette / sizeof palette[0])];
}

/* ---- names -----------------------------------------------------------------
 * The runtime owns the names (event.h); the schema (docs/events.md) pins
 * them, and tests/render/test_render.c checks every one, so a rename in the
 * runtime cannot silently change a tool's input.  The one difference: jsonl
 * writes "" for "no wait reason" where the runtime's dump says "running". */

const char *render_kind_name(enum cl_event_kind kind)
{
	return cl_event_kind_name(kind);
}

const char *render_wait_name(enum cl_wait wait)
{
	return wait == CL_WAIT_NONE ? "" : cl_wait_name(wait);
}

const char *render_obj_kind_name(enum cl_obj_kind kind)
{
	return cl_obj_kind_name(kind);
}

char *render_format_time(char *buf, size_t size, int64_t ns)
{
	const char *sign = ns < 0 ? "-" : "";
	uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	char num[32];
	snprintf(num, sizeof num, "%s%llu.%03llu", sign, (unsigned long long)(a / 1000000),
	         (unsigned long long)(a / 1000 % 1000));
	snprintf(buf, size, "%9sms", num);
	return buf;
}

char *render_format_duration(char *buf, size_t size, int64_t ns)
{
	static const struct {
		int64_t ns;
		const char *unit;
	} units[] = {{1000000000, "s"}, {1000000, "ms"}, {1000, "us"}, {1, "ns"}};
	uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	const char *sign = ns < 0 ? "-" : "";
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		uint64_t u = (uint64_t)units[i].ns;
		if (a < u && u > 1)
			continue;
		if (a % u == 0) {   /* exact: "2ms", "1500us" */
			snprintf(buf, size, "%s%llu%s", sign, (unsigned long long)(a / u), units[i].unit);
			return buf;
		}
		/* else three decimals, trailing zeros dropped: "219.638us", "4.9ms" */
		char frac[24];
		uint64_t thousandths = (a % u) * 1000 / u;
		snprintf(frac, sizeof frac, "%03llu", (unsigned long long)thousandths);
		for (int k = 2; k > 0 && frac[k] == '0'; k--)
			frac[k] = '\0';
		if (thousandths == 0)
			snprintf(buf, size, "%s%llu%s", sign, (unsigned long long)(a / u), units[i].unit);
		else
			snprintf(buf, size, "%s%llu.%s%s", sign, (unsigned long long)(a / u), frac,
			         units[i].unit);
		return buf;
	}
	snprintf(buf, size, "0ns");
	return buf;
}
