/*
 * text.c - the text renderer (the default): one line an event, live, in
 * aligned columns: virtual time, task name (a stable colour per task id),
 * then what happened in plain words with the task as subject:
 *
 *	    1.250ms  worker-2  received 5 from jobs
 *	    1.250ms  main      blocked: chan receive on results
 *	    2.000ms  main      » all jobs sent
 *
 * Notes stand out with a "»" marker (and bold with colour); panics are red.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "render/internal.h"

#define NAME_MIN 8     /* the name column is at least this wide ... */
#define NAME_MAX 24    /* ... and grows with the names seen up to this */

struct text {
	struct render_base base;
	FILE *out;
	bool color, live;
	int name_width;
	struct render_tasks tasks;
};

/* Appends to a fixed line buffer, truncating silently. */
struct line {
	char s[512];
	size_t n;
};

static void add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct line *l, const char *fmt, ...)
{
	if (l->n >= sizeof l->s - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(l->s + l->n, sizeof l->s - l->n, fmt, ap);
	va_end(ap);
	if (r > 0)
		l->n += (size_t)r < sizeof l->s - l->n ? (size_t)r : sizeof l->s - l->n - 1;
}

/* The sentence for ev, its task being the subject shown in the column
 * before it. */
static void describe(struct text *t, const struct cl_event *ev, struct line *l)
{
	char nb[32], d[32], at[32];
	const char *obj = ev->obj_name ? ev->obj_name : "";
	const char *value = ev->value && *ev->value ? ev->value : "a value";
	const char *text = ev->text ? ev->text : "";
	switch (ev->kind) {
	case CL_EV_SPAWN:
		add(l, "started %s", *text ? text : render_tasks_name(&t->tasks, ev->peer, nb, sizeof nb));
		break;
	case CL_EV_EXIT:
		add(l, "exited");
		break;
	case CL_EV_BLOCK:
		add(l, "blocked: %s", render_wait_name(ev->wait));
		if (*obj)
			add(l, " on %s", obj);
		break;
	case CL_EV_WAKE:
		add(l, "woke (by %s)", render_tasks_name(&t->tasks, ev->peer, nb, sizeof nb));
		break;
	case CL_EV_SEND:
		add(l, "sent %s to %s", value, *obj ? obj : "a channel");
		if (ev->peer)
			add(l, " (handed to %s)", render_tasks_name(&t->tasks, ev->peer, nb, sizeof nb));
		break;
	case CL_EV_RECV:
		if (ev->ok)
			add(l, "received %s from %s", value, *obj ? obj : "a channel");
		else
			add(l, "received %s from %s (closed, ok=false)",
			    ev->value && *ev->value ? ev->value : "the zero value", *obj ? obj : "a channel");
		break;
	case CL_EV_CLOSE:
		add(l, "closed %s", *obj ? obj : "a channel");
		break;
	case CL_EV_SELECT:
		if (ev->arg < 0)
			add(l, "select chose default (%d case%s)", ev->count, ev->count == 1 ? "" : "s");
		else if (*obj && (strcmp(text, "send") == 0 || strcmp(text, "recv") == 0))
			add(l, "select chose: %s %s (case %lld of %d)",
			    strcmp(text, "send") == 0 ? "send to" : "receive from", obj,
			    (long long)ev->arg + 1, ev->count);
		else
			add(l, "select chose case %lld of %d", (long long)ev->arg + 1, ev->count);
		break;
	case CL_EV_SLEEP:
		render_format_duration(d, sizeof d, ev->arg);
		render_format_time(at, sizeof at, ev->time + ev->arg);
		add(l, "sleeps %s (until %s)", d, at + strspn(at, " "));
		break;
	case CL_EV_TIMER:
		add(l, *obj ? "timer %s fired" : "timer fired", obj);
		break;
	case CL_EV_LOCK:
		add(l, "%s %s", strcmp(text, "r") == 0 ? "read-locked" : "locked", *obj ? obj : "a mutex");
		break;
	case CL_EV_UNLOCK:
		add(l, "%s %s", strcmp(text, "r") == 0 ? "read-unlocked" : "unlocked",
		    *obj ? obj : "a mutex");
		break;
	case CL_EV_CANCEL:
		add(l, "canceled %s", *obj ? obj : "a context");
		if (*text)
			add(l, ": %s", text);
		break;
	case CL_EV_PANIC:
		add(l, "panic: %s", text);
		if (ev->file && *ev->file)
			add(l, " (at %s:%d)", ev->file, ev->line);
		break;
	case CL_EV_RECOVER:
		add(l, "recovered: %s", text);
		break;
	case CL_EV_NOTE:
		add(l, "\xc2\xbb %s", text);
		break;
	case CL_EV_YIELD:
		add(l, "yielded");
		break;
	case CL_EV_ATOMIC:
		add(l, "atomic %s", *text ? text : "op");
		if (*obj)
			add(l, " on %s", obj);
		add(l, " -> %lld", (long long)ev->arg);
		break;
	case CL_EV_SYNC:
		add(l, "%s", *text ? text : "sync");
		if (*obj)
			add(l, " %s", obj);
		if (ev->obj_kind == CL_OBJ_WAITGROUP || ev->obj_kind == CL_OBJ_SEMA)
			add(l, " (counter %lld)", (long long)ev->arg);
		break;
	case CL_EV_END:
		add(l, "run ended: %s", *text ? text : "?");
		break;
	case CL_EV_RACE:
		add(l, "DATA RACE on %s: %s", obj, text);
		break;
	case CL_EV_VERDICT:
		/* "verdict: invariant all-delivered failed: ...", "verdict: deadlock: ..." */
		if (ev->value && *ev->value && strncmp(ev->value, text, strlen(text)) == 0)
			add(l, "verdict: %s", ev->value);
		else if (ev->value && *ev->value)
			add(l, "verdict: %s: %s", *text ? text : "?", ev->value);
		else
			add(l, "verdict: %s", *text ? text : "?");
		break;
	case CL_EV_STEAL:
		add(l, "stolen: P%d took %d task%s from P%lld's %s and runs this one", ev->proc - 1,
		    ev->count, ev->count == 1 ? "" : "s", (long long)ev->arg - 1,
		    strcmp(text, "runnext") == 0 ? "runnext slot" : "run queue");
		break;
	case CL_EV_HANDOFF:
		add(l, "in a blocking system call: handed P%d to a %s, which runs the others",
		    ev->proc - 1, *text ? text : "thread");
		break;
	default:
		add(l, "event %d", (int)ev->kind);
	}
	/* Under par: the processor it happened on (Go's P0, P1 ...). */
	if (ev->proc > 0 && ev->kind != CL_EV_STEAL && ev->kind != CL_EV_HANDOFF)
		add(l, "  [P%d]", ev->proc - 1);
}

static void text_event(void *ctx, const struct cl_event *ev)
{
	struct text *t = ctx;
	char nb[32], tb[32];
	render_tasks_learn(&t->tasks, ev);
	const char *name = ev->task_name && *ev->task_name
	                       ? ev->task_name : render_tasks_name(&t->tasks, ev->task, nb, sizeof nb);
	int len = (int)strlen(name);
	if (len > t->name_width)
		t->name_width = len < NAME_MAX ? len : NAME_MAX;
	struct line l = {.n = 0};
	l.s[0] = '\0';
	describe(t, ev, &l);
	render_format_time(tb, sizeof tb, ev->time);
	if (!t->color) {
		fprintf(t->out, "%s  %-*s  %s\n", tb, t->name_width, name, l.s);
	} else {
		const char *c = render_task_color(ev->task);
		const char *style = ev->kind == CL_EV_NOTE    ? "\033[1m"
		                    : ev->kind == CL_EV_PANIC ? "\033[1;31m"
		                                              : "";
		fprintf(t->out, "\033[2m%s\033[0m  \033[%sm%-*s\033[0m  %s%s%s\n", tb, c, t->name_width,
		        name, style, l.s, *style ? "\033[0m" : "");
	}
	if (t->live)
		fflush(t->out);
}

static void text_finish(struct render_base *base)
{
	fflush(((struct text *)base)->out);
}

static void text_destroy(struct render_base *base)
{
	struct text *t = (struct text *)base;
	render_tasks_free(&t->tasks);
	free(t);
}

struct render_base *render_text_open(const struct render_opts *opts,
                                     void (**event)(void *, const struct cl_event *),
                                     char *err, size_t errsize)
{
	struct text *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, errsize, "text: out of memory");
		return NULL;
	}
	t->base.finish = text_finish;
	t->base.destroy = text_destroy;
	t->out = opts->out;
	t->color = opts->color;
	t->live = opts->live;
	t->name_width = NAME_MIN;
	render_tasks_init(&t->tasks);
	*event = text_event;
	return &t->base;
}
