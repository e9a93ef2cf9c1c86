/*
 * trace.c - emitting events to sinks, the names of kinds and wait reasons,
 * and the plain-text sink built into the runtime (render/ has the rest).
 *
 * With no sink attached callers skip building events altogether (they test
 * sched->tracing first), so tracing off costs one branch per operation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "runtime/rt.h"
#include "runtime/sched.h"
#include "runtime/taskq.h"

struct cl_event rt_event(struct rt_sched *s, enum cl_event_kind kind)
{
	struct cl_event ev;
	memset(&ev, 0, sizeof ev);
	ev.kind = kind;
	struct rt_task *t = rt_cur(s);
	ev.task = t ? t->id : 0;
	ev.task_name = t ? t->name : "runtime";
	ev.obj_name = "";
	ev.value = "";
	ev.text = "";
	ev.file = "";
	ev.lesson = ev.mistake = ev.go_mistake = "";
	if (rt_par_active) {
		struct rt_proc *p = rt_proc_self();
		ev.proc = p ? p->id + 1 : 0;
	}
	return ev;
}

void rt_emit(struct rt_sched *s, struct cl_event *ev)
{
	if (!ev->file)
		ev->file = "";
	/* Under par, events from several processors are serialised here:
	 * seq and time follow the order sinks see them in. */
	rt_lock_acquire(&s->trace_lock);
	ev->seq = ++s->seq;
	ev->time = s->ops->now(s);
	for (int i = 0; i < s->cfg.nsinks; i++)
		s->cfg.sinks[i].event(s->cfg.sinks[i].ctx, ev);
	rt_lock_release(&s->trace_lock);
}

void cl_note_at(const char *file, int line, const char *fmt, ...)
{
	struct rt_sched *s = rt_s();
	if (s)
		rt_progress(s);   /* a note is progress, traced or not */
	if (!s || !s->tracing)
		return;
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	struct cl_event ev = rt_event(s, CL_EV_NOTE);
	ev.text = text;
	ev.file = file;
	ev.line = line;
	rt_emit(s, &ev);
}

bool cl_note_traced(void)
{
	struct rt_sched *s = rt_s();
	if (!s)
		return false;
	rt_progress(s);   /* a note is progress, traced or not */
	return s->tracing;
}

void rt_emit_sync_traced(enum cl_event_kind kind, const struct rt_obj *obj, const char *text,
                         int64_t arg, const char *file, int line)
{
	struct rt_sched *s = rt_s();
	struct cl_event ev = rt_event(s, kind);
	ev.obj_kind = obj->kind;
	ev.obj_id = obj->id;
	ev.obj_name = obj->name;
	ev.text = text ? text : "";
	ev.arg = arg;
	ev.file = file ? file : "";
	ev.line = line;
	rt_emit(s, &ev);
}

void rt_emit_sync_text(const char *text)
{
	struct rt_sched *s = rt_s();
	if (!s || !s->tracing)
		return;
	struct cl_event ev = rt_event(s, CL_EV_SYNC);
	ev.text = text;
	rt_emit(s, &ev);
}

const char *cl_event_kind_name(enum cl_event_kind kind)
{
	static const char *const names[CL_EV_KIND_COUNT] = {
		"spawn", "exit", "block", "wake", "send", "recv", "close", "select", "sleep",
		"timer", "lock", "unlock", "cancel", "panic", "recover", "note", "yield",
		"atomic", "sync", "end", "race",
		"verdict", "steal", "handoff",
	};
	return (unsigned)kind < CL_EV_KIND_COUNT ? names[kind] : "?";
}

/* Go's own words (runtime2.go's waitReasonStrings). */
const char *cl_wait_name(enum cl_wait wait)
{
	static const char *const names[CL_WAIT_COUNT] = {
		"running", "chan send", "chan receive", "chan send (nil chan)",
		"chan receive (nil chan)", "select", "select (no cases)", "sleep",
		"sync.Mutex.Lock", "sync.RWMutex.RLock", "sync.RWMutex.Lock", "sync.Cond.Wait",
		"sync.WaitGroup.Wait", "sync.Once.Do", "semaphore.Acquire",
	};
	return (unsigned)wait < CL_WAIT_COUNT ? names[wait] : "?";
}

const char *cl_obj_kind_name(enum cl_obj_kind kind)
{
	static const char *const names[CL_OBJ_KIND_COUNT] = {
		"", "channel", "mutex", "rwmutex", "cond", "once", "waitgroup", "semaphore",
		"context", "timer", "atomic",
	};
	return (unsigned)kind < CL_OBJ_KIND_COUNT ? names[kind] : "?";
}

/* ---- the plain-text sink ------------------------------------------------------ */

static void plain_event(void *ctx, const struct cl_event *ev)
{
	FILE *out = ctx;
	fprintf(out, "%6lld.%06lldms %-12s %-7s", (long long)(ev->time / 1000000),
	        (long long)(ev->time % 1000000), ev->task_name, cl_event_kind_name(ev->kind));
	if (ev->obj_name[0])
		fprintf(out, " %s \"%s\"", cl_obj_kind_name(ev->obj_kind), ev->obj_name);
	if (ev->kind == CL_EV_BLOCK)
		fprintf(out, " [%s]", cl_wait_name(ev->wait));
	if (ev->value[0])
		fprintf(out, " value=%s", ev->value);
	if (ev->kind == CL_EV_RECV && !ev->ok)
		fprintf(out, " closed");
	if (ev->peer)
		fprintf(out, " peer=%d", ev->peer);
	if (ev->flow)
		fprintf(out, " flow=%llu", (unsigned long long)ev->flow);
	if (ev->kind == CL_EV_SELECT)
		fprintf(out, " case=%lld/%d", (long long)ev->arg, ev->count);
	if (ev->text[0])
		fprintf(out, " %s", ev->text);
	fputc('\n', out);
}

struct cl_sink cl_sink_plain(void *out)
{
	return (struct cl_sink){plain_event, NULL, out};
}
