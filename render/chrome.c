/*
 * chrome.c - the chrome renderer: Chrome trace-event JSON that Perfetto's
 * UI (ui.perfetto.dev) and chrome://tracing open.
 *
 *   - a track per task: "M" thread_name / thread_sort_index metadata, pid 1,
 *     tid = task id (0 = the runtime's timers);
 *   - an "X" slice per operation (send, recv, select, lock ...) and one per
 *     blocked interval, from BLOCK to the task's next WAKE, named by the wait
 *     reason in Go's words ("chan receive"); tasks still blocked at the end
 *     (deadlock, leak) get a slice to the end marked "unfinished";
 *   - "i" instants for notes, and a global one for the end of the run;
 *   - a flow arrow per delivered value: "s" inside the send's slice, "f"
 *     with "bp":"e" inside the receive's slice, sharing the event flow id;
 *   - under par, the processor each slice and instant ran on, as the arg
 *     "proc" ("P0", Go's name; a blocked interval: where it blocked), shown
 *     in Perfetto's details of the slice; the track stays the task's, as
 *     tasks move between processors.  Det events have no processor and get
 *     no such arg.
 *
 * Display time.  Many events share one virtual instant, but slices on a
 * track must nest, and a flow's ends must lie inside their slices.  So each
 * event gets a display time D = max(its time floored to a microsecond,
 * previous D + 1 us), every operation slice lasts 1 us from its D, and flow
 * ends sit at D + 0.5 us.
 * Slices then never overlap on a track except by nesting (an operation
 * inside its task's blocked interval).  Exact times and seq numbers are in
 * each slice's args.  A burst of N events at one instant is spread over
 * N us of display time.
 *
 * Order.  On an unbuffered channel the receive is emitted before its send
 * (event.h); an arrow must not go back in time, so such a receive is held
 * until its send has been drawn, then drawn just after it.
 */
#include <stdlib.h>
#include <string.h>

#include "render/internal.h"

#define STEP_NS 1000   /* display-time step between events, and operation length */

struct ctask {
	bool named;        /* metadata written */
	bool blocked;
	enum cl_wait wait;
	int64_t block_d;   /* display time of the BLOCK */
	int block_proc;    /* the BLOCK's processor, number + 1 (0: none) */
	char obj[64];      /* what it blocked on */
};

/* A receive held until its send arrives (unbuffered hand-off). */
struct held {
	struct cl_event ev;
	char task_name[64], obj_name[64], value[96], file[128];
};

struct chrome {
	struct render_base base;
	bool live;
	bool first_item;     /* no trace event written yet */
	bool have_d;
	int64_t d;           /* display time of the last event */
	struct render_tasks tasks;
	struct ctask *ct;    /* by task id */
	int ct_cap;
	struct render_flows flows;  /* send half (kind SEND, when = D) or held receive (aux = index) */
	struct held *held;
	/* The verdict (schema version 2), written again as top-level metadata
	 * at the end of the document. */
	bool have_verdict;
	char v_outcome[32], v_what[400], v_lesson[600], v_mistake[400], v_go_mistake[400];
	int nheld, held_cap;
	struct render_buf buf;      /* last: it is big */
};

static struct ctask *ctask(struct chrome *c, int id)
{
	if (id < 0)
		id = 0;
	if (id >= c->ct_cap) {
		int cap = c->ct_cap ? c->ct_cap : 16;
		while (cap <= id)
			cap *= 2;
		struct ctask *ct = realloc(c->ct, (size_t)cap * sizeof *ct);
		if (!ct)
			return NULL;
		memset(ct + c->ct_cap, 0, (size_t)(cap - c->ct_cap) * sizeof *ct);
		c->ct = ct;
		c->ct_cap = cap;
	}
	return &c->ct[id];
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* Starts a trace event object: {"name":NAME,"ph":PH,"pid":1,"tid":TID */
static void item(struct chrome *c, const char *name, const char *ph, int tid)
{
	struct render_buf *b = &c->buf;
	render_buf_puts(b, c->first_item ? "\n{\"name\":" : ",\n{\"name\":");
	c->first_item = false;
	render_buf_json_str(b, name);
	render_buf_puts(b, ",\"ph\":\"");
	render_buf_puts(b, ph);
	render_buf_puts(b, "\",\"pid\":1,\"tid\":");
	render_buf_i64(b, tid);
}

static void ts(struct chrome *c, const char *key, int64_t ns)
{
	render_buf_puts(&c->buf, key);
	render_buf_us(&c->buf, ns);
}

static void arg_str(struct chrome *c, const char *key, const char *value)
{
	render_buf_puts(&c->buf, key);
	render_buf_json_str(&c->buf, value ? value : "");
}

static void arg_int(struct chrome *c, const char *key, int64_t v)
{
	render_buf_puts(&c->buf, key);
	render_buf_i64(&c->buf, v);
}

/* ,"proc":"P<n>" for an event on a processor (par); nothing under det. */
static void arg_proc(struct chrome *c, int proc)
{
	if (proc <= 0)
		return;
	char pb[16];
	snprintf(pb, sizeof pb, "P%d", proc - 1);
	arg_str(c, ",\"proc\":", pb);
}

static void name_track(struct chrome *c, int id, const char *name)
{
	struct ctask *t = ctask(c, id);
	if (!t || t->named)
		return;
	char nb[32];
	if (!name || !*name)
		name = render_tasks_name(&c->tasks, id, nb, sizeof nb);
	t->named = true;
	item(c, "thread_name", "M", id);
	render_buf_puts(&c->buf, ",\"args\":{");
	arg_str(c, "\"name\":", name);
	render_buf_puts(&c->buf, "}}");
	item(c, "thread_sort_index", "M", id);
	arg_int(c, ",\"args\":{\"sort_index\":", id);
	render_buf_puts(&c->buf, "}}");
}

/* An operation slice of STEP_NS at display time d; args common to all. */
static void op_slice(struct chrome *c, const struct cl_event *ev, int64_t d, const char *name,
                     const char *cat)
{
	item(c, name, "X", ev->task);
	arg_str(c, ",\"cat\":", cat);
	ts(c, ",\"ts\":", d);
	ts(c, ",\"dur\":", STEP_NS);
	arg_int(c, ",\"args\":{\"seq\":", (int64_t)ev->seq);
	arg_int(c, ",\"time_ns\":", ev->time);
	arg_proc(c, ev->proc);
	if (ev->obj_name && *ev->obj_name)
		arg_str(c, ",\"object\":", ev->obj_name);
	if (ev->value && *ev->value)
		arg_str(c, ",\"value\":", ev->value);
	if (ev->text && *ev->text)
		arg_str(c, ",\"text\":", ev->text);
	if (ev->kind == CL_EV_RECV)
		arg_int(c, ",\"ok\":", ev->ok);
	if (ev->kind == CL_EV_SELECT) {
		arg_int(c, ",\"case\":", ev->arg);
		arg_int(c, ",\"cases\":", ev->count);
	}
	if (ev->file && *ev->file) {
		char loc[160];
		snprintf(loc, sizeof loc, "%s:%d", ev->file, ev->line);
		arg_str(c, ",\"at\":", loc);
	}
	render_buf_puts(&c->buf, "}}");
}

/* One end of an arrow, bound to the send's or receive's slice at display
 * time d: the same timestamp and the same category ("chan") as that slice,
 * which is what Chrome DevTools' trace engine matches on (Perfetto only
 * needs the timestamp inside the slice). */
static void flow_end(struct chrome *c, const char *ph, uint64_t id, int tid, int64_t d)
{
	item(c, "message", ph, tid);
	render_buf_puts(&c->buf, ",\"cat\":\"chan\",\"id\":");
	render_buf_u64(&c->buf, id);
	ts(c, ",\"ts\":", d);
	if (ph[0] == 'f')
		render_buf_puts(&c->buf, ",\"bp\":\"e\"");
	render_buf_puts(&c->buf, "}");
}

static void block_slice(struct chrome *c, int id, struct ctask *t, int64_t end, int woken_by,
                        bool unfinished)
{
	item(c, *render_wait_name(t->wait) ? render_wait_name(t->wait) : "blocked", "X", id);
	render_buf_puts(&c->buf, ",\"cat\":\"block\"");
	ts(c, ",\"ts\":", t->block_d);
	ts(c, ",\"dur\":", end - t->block_d);
	render_buf_puts(&c->buf, ",\"args\":{");
	arg_str(c, "\"object\":", t->obj);
	arg_proc(c, t->block_proc);
	if (unfinished) {
		render_buf_puts(&c->buf, ",\"unfinished\":true");
	} else {
		char nb[32];
		arg_str(c, ",\"woken_by\":", render_tasks_name(&c->tasks, woken_by, nb, sizeof nb));
	}
	render_buf_puts(&c->buf, "}}");
	t->blocked = false;
}

/* The display time of the next event: its time floored to a whole
 * microsecond, and at least one step after the previous event.  Whole
 * microseconds make every ts and dur an exact decimal that any importer
 * turns into the same nanoseconds (rounding or truncating), so nesting
 * holds after import. */
static int64_t next_d(struct chrome *c, int64_t time)
{
	int64_t rem = time % STEP_NS;
	int64_t floor_us = time - (rem < 0 ? rem + STEP_NS : rem);
	int64_t d = c->have_d && floor_us < c->d + STEP_NS ? c->d + STEP_NS : floor_us;
	c->d = d;
	c->have_d = true;
	return d;
}

static void slice_name(char *buf, size_t size, const char *verb, const char *obj)
{
	snprintf(buf, size, obj && *obj ? "%s %s" : "%s", verb, obj ? obj : "");
}

static void draw(struct chrome *c, const struct cl_event *ev);

static void hold(struct chrome *c, const struct cl_event *ev)
{
	if (c->nheld == c->held_cap) {
		int cap = c->held_cap ? c->held_cap * 2 : 8;
		struct held *h = realloc(c->held, (size_t)cap * sizeof *h);
		if (!h) {
			draw(c, ev);   /* out of memory: draw it now, without its arrow */
			return;
		}
		c->held = h;
		c->held_cap = cap;
	}
	struct render_flow *f = render_flows_put(&c->flows, ev->flow);
	if (!f) {
		draw(c, ev);
		return;
	}
	struct held *h = &c->held[c->nheld];
	h->ev = *ev;
	copy_str(h->task_name, sizeof h->task_name, ev->task_name);
	copy_str(h->obj_name, sizeof h->obj_name, ev->obj_name);
	copy_str(h->value, sizeof h->value, ev->value);
	copy_str(h->file, sizeof h->file, ev->file);
	h->ev.task_name = h->task_name;
	h->ev.obj_name = h->obj_name;
	h->ev.value = h->value;
	h->ev.file = h->file;
	f->kind = CL_EV_RECV;
	f->task = ev->task;
	f->aux = c->nheld++;
}

/* Draws the held receive at index i (its send now drawn), and drops it. */
static void release(struct chrome *c, long i)
{
	struct held h = c->held[i];
	h.ev.task_name = h.task_name;
	h.ev.obj_name = h.obj_name;
	h.ev.value = h.value;
	h.ev.file = h.file;
	c->held[i] = c->held[--c->nheld];
	if (i < c->nheld) {
		struct render_flow *moved = render_flows_get(&c->flows, c->held[i].ev.flow);
		if (moved)
			moved->aux = i;
	}
	render_flows_del(&c->flows, h.ev.flow);
	draw(c, &h.ev);
}

static void draw(struct chrome *c, const struct cl_event *ev)
{
	char name[160], nb[32];
	struct ctask *t = ctask(c, ev->task);
	if (!t)
		return;
	/* The runtime (task 0) gets a track for its timers, not for starting
	 * main or ending the run (the end is a global instant). */
	if (ev->task != 0 || (ev->kind != CL_EV_SPAWN && ev->kind != CL_EV_END))
		name_track(c, ev->task, ev->task_name);
	int64_t d = next_d(c, ev->time);
	const char *obj = ev->obj_name;
	const char *text = ev->text ? ev->text : "";
	switch (ev->kind) {
	case CL_EV_SPAWN:
		name_track(c, ev->peer, text);
		if (ev->task == 0)   /* the runtime starting main: its track is enough */
			break;
		slice_name(name, sizeof name, "go", *text ? text : render_tasks_name(&c->tasks, ev->peer, nb, sizeof nb));
		op_slice(c, ev, d, name, "task");
		break;
	case CL_EV_EXIT:
		op_slice(c, ev, d, "exit", "task");
		break;
	case CL_EV_BLOCK:
		if (t->blocked)
			block_slice(c, ev->task, t, d, 0, false);
		t->blocked = true;
		t->wait = ev->wait;
		t->block_d = d;
		t->block_proc = ev->proc;
		copy_str(t->obj, sizeof t->obj, obj);
		break;
	case CL_EV_WAKE:
		if (t->blocked)
			block_slice(c, ev->task, t, d, ev->peer, false);
		break;
	case CL_EV_SEND: {
		slice_name(name, sizeof name, "send", obj);
		op_slice(c, ev, d, name, "chan");
		struct render_flow *f = render_flows_get(&c->flows, ev->flow);
		if (f && f->kind == CL_EV_RECV) {
			/* The held receive of an unbuffered hand-off: arrow, then its slice. */
			long i = f->aux;
			int receiver = c->held[i].ev.task;
			uint64_t flow = ev->flow;
			release(c, i);      /* sets c->d to the receive's display time */
			flow_end(c, "s", flow, ev->task, d);
			flow_end(c, "f", flow, receiver, c->d);
		} else if (ev->flow && (f = render_flows_put(&c->flows, ev->flow)) != NULL) {
			f->kind = CL_EV_SEND;
			f->task = ev->task;
			f->when = d;
		}
		break;
	}
	case CL_EV_RECV: {
		slice_name(name, sizeof name, "recv", obj);
		op_slice(c, ev, d, name, "chan");
		struct render_flow *f = render_flows_get(&c->flows, ev->flow);
		if (f && f->kind == CL_EV_SEND) {
			flow_end(c, "s", ev->flow, f->task, f->when);
			flow_end(c, "f", ev->flow, ev->task, d);
			render_flows_del(&c->flows, ev->flow);
		}
		break;
	}
	case CL_EV_CLOSE:
		slice_name(name, sizeof name, "close", obj);
		op_slice(c, ev, d, name, "chan");
		break;
	case CL_EV_SELECT:
		if (ev->arg < 0)
			snprintf(name, sizeof name, "select: default");
		else
			snprintf(name, sizeof name, "select: case %lld of %d", (long long)ev->arg, ev->count);
		op_slice(c, ev, d, name, "chan");
		break;
	case CL_EV_SLEEP:
		render_format_duration(nb, sizeof nb, ev->arg);
		slice_name(name, sizeof name, "sleep", nb);
		op_slice(c, ev, d, name, "time");
		break;
	case CL_EV_TIMER:
		slice_name(name, sizeof name, "timer", obj);
		op_slice(c, ev, d, name, "time");
		break;
	case CL_EV_LOCK:
		slice_name(name, sizeof name, strcmp(text, "r") == 0 ? "rlock" : "lock", obj);
		op_slice(c, ev, d, name, "sync");
		break;
	case CL_EV_UNLOCK:
		slice_name(name, sizeof name, strcmp(text, "r") == 0 ? "runlock" : "unlock", obj);
		op_slice(c, ev, d, name, "sync");
		break;
	case CL_EV_CANCEL:
		slice_name(name, sizeof name, "cancel", obj);
		op_slice(c, ev, d, name, "context");
		break;
	case CL_EV_PANIC:
		snprintf(name, sizeof name, "panic: %s", text);
		op_slice(c, ev, d, name, "panic");
		break;
	case CL_EV_RECOVER:
		op_slice(c, ev, d, "recover", "panic");
		break;
	case CL_EV_NOTE:
	case CL_EV_END:
		if (ev->kind == CL_EV_END)
			snprintf(name, sizeof name, "end: %s", text);
		item(c, ev->kind == CL_EV_END ? name : text, "i", ev->task);
		render_buf_puts(&c->buf, ev->kind == CL_EV_END ? ",\"s\":\"g\"" : ",\"s\":\"t\"");
		ts(c, ",\"ts\":", d);
		arg_int(c, ",\"args\":{\"seq\":", (int64_t)ev->seq);
		arg_int(c, ",\"time_ns\":", ev->time);
		arg_proc(c, ev->proc);
		render_buf_puts(&c->buf, "}}");
		break;
	case CL_EV_VERDICT:
		c->have_verdict = true;
		copy_str(c->v_outcome, sizeof c->v_outcome, text);
		copy_str(c->v_what, sizeof c->v_what, ev->value);
		copy_str(c->v_lesson, sizeof c->v_lesson, ev->lesson);
		copy_str(c->v_mistake, sizeof c->v_mistake, ev->mistake);
		copy_str(c->v_go_mistake, sizeof c->v_go_mistake, ev->go_mistake);
		snprintf(name, sizeof name, "verdict: %s", text);
		item(c, name, "i", ev->task);
		render_buf_puts(&c->buf, ",\"s\":\"g\"");
		ts(c, ",\"ts\":", d);
		arg_int(c, ",\"args\":{\"seq\":", (int64_t)ev->seq);
		arg_str(c, ",\"what\":", c->v_what);
		arg_str(c, ",\"lesson\":", c->v_lesson);
		arg_str(c, ",\"mistake\":", c->v_mistake);
		arg_str(c, ",\"go_mistake\":", c->v_go_mistake);
		render_buf_puts(&c->buf, "}}");
		break;
	case CL_EV_YIELD:
		op_slice(c, ev, d, "yield", "task");
		break;
	case CL_EV_ATOMIC:
		slice_name(name, sizeof name, *text ? text : "atomic", obj);
		op_slice(c, ev, d, name, "atomic");
		break;
	case CL_EV_SYNC:
		slice_name(name, sizeof name, *text ? text : "sync", obj);
		op_slice(c, ev, d, name, "sync");
		break;
	case CL_EV_STEAL:   /* par: on the stolen task's track */
		snprintf(name, sizeof name, "stolen P%lld->P%d", (long long)ev->arg - 1, ev->proc - 1);
		op_slice(c, ev, d, name, "sched");
		break;
	case CL_EV_HANDOFF:
		snprintf(name, sizeof name, "syscall: P%d to a %s", ev->proc - 1, text);
		op_slice(c, ev, d, name, "sched");
		break;
	default:
		op_slice(c, ev, d, render_kind_name(ev->kind), "other");
	}
}

static void chrome_event(void *ctx, const struct cl_event *ev)
{
	struct chrome *c = ctx;
	render_tasks_learn(&c->tasks, ev);
	/* A task acting again while its receive is held: the send did not come
	 * next after all.  Draw the receive now, without an arrow, so the
	 * task's slices stay in order. */
	for (int i = c->nheld - 1; i >= 0; i--)
		if (c->held[i].ev.task == ev->task && !(ev->kind == CL_EV_SEND && ev->flow == c->held[i].ev.flow))
			release(c, i);
	if (ev->kind == CL_EV_RECV && ev->flow && !render_flows_get(&c->flows, ev->flow))
		hold(c, ev);     /* unbuffered: its send comes next */
	else
		draw(c, ev);
	if (c->live) {
		render_buf_flush(&c->buf);
		fflush(c->buf.out);
	}
}

static void chrome_finish(struct render_base *base)
{
	struct chrome *c = (struct chrome *)base;
	while (c->nheld > 0)      /* receives whose send never came: no arrow */
		release(c, c->nheld - 1);
	int64_t end = c->have_d ? c->d + STEP_NS : 0;
	for (int id = 0; id < c->ct_cap; id++)
		if (c->ct[id].blocked)
			block_slice(c, id, &c->ct[id], end, 0, true);
	render_buf_puts(&c->buf, "\n]");
	if (c->have_verdict) {
		render_buf_puts(&c->buf, ",\"metadata\":{\"verdict\":");
		render_buf_json_str(&c->buf, c->v_outcome);
		arg_str(c, ",\"what\":", c->v_what);
		arg_str(c, ",\"lesson\":", c->v_lesson);
		arg_str(c, ",\"mistake\":", c->v_mistake);
		arg_str(c, ",\"go_mistake\":", c->v_go_mistake);
		render_buf_puts(&c->buf, "}");
	}
	render_buf_puts(&c->buf, "}\n");
	render_buf_flush(&c->buf);
	fflush(c->buf.out);
}

static void chrome_destroy(struct render_base *base)
{
	struct chrome *c = (struct chrome *)base;
	render_tasks_free(&c->tasks);
	render_flows_free(&c->flows);
	free(c->ct);
	free(c->held);
	free(c);
}

struct render_base *render_chrome_open(const struct render_opts *opts,
                                       void (**event)(void *, const struct cl_event *),
                                       char *err, size_t errsize)
{
	struct chrome *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errsize, "chrome: out of memory");
		return NULL;
	}
	c->base.finish = chrome_finish;
	c->base.destroy = chrome_destroy;
	c->live = opts->live;
	c->first_item = true;
	c->buf.out = opts->out;
	render_tasks_init(&c->tasks);
	render_flows_init(&c->flows);
	render_buf_puts(&c->buf, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"chanlab\","
	                         "\"schema_version\":");
	render_buf_i64(&c->buf, CL_EVENT_SCHEMA_VERSION);
	render_buf_puts(&c->buf, "},\"traceEvents\":[");
	item(c, "process_name", "M", 0);
	render_buf_puts(&c->buf, ",\"args\":{\"name\":\"chanlab\"}}");
	*event = chrome_event;
	return &c->base;
}
