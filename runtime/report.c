/*
 * report.c - what a run that went wrong prints: the headline Go would print
 * (panic message, "all tasks are asleep - deadlock!", a leak) and a dump of
 * every task with its wait reason, the object it waits on, the source line
 * where it blocked, where it was created, and the wait-for cycle if there is
 * one.
 *
 * The wait-for graph has one edge per blocked task at most: to the last
 * task that used the other end of its channel, or to a mutex's holder.
 * Following edges from each task finds any cycle in O(tasks).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rt.h"

struct buf {
	char *data;
	size_t len, cap;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? b->cap - b->len : 0,
		                  fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->data && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap + (size_t)n + 1) * 2;
		char *d = realloc(b->data, cap);
		if (!d)
			return;
		b->data = d;
		b->cap = cap;
	}
}

static const char *where(const char *file, int line, char *tmp, size_t size)
{
	if (!file || !file[0])
		return "runtime";
	snprintf(tmp, size, "%s:%d", file, line);
	return tmp;
}

static void dump_task(struct buf *b, struct rt_task *t, bool running)
{
	char loc[300];
	if (t->state == RT_BLOCKED) {
		put(b, "task %d \"%s\" [%s", t->id, t->name, cl_wait_name(t->wait));
		if (t->wait_obj_name && t->wait_obj_name[0])
			put(b, ", %s \"%s\"", cl_obj_kind_name(t->wait_obj_kind), t->wait_obj_name);
		put(b, "]:\n\tblocked at %s\n", where(t->file, t->line, loc, sizeof loc));
	} else {
		put(b, "task %d \"%s\" [%s]:\n\t%s at %s\n", t->id, t->name,
		    running ? "running" : "runnable", running ? "stopped" : "last ran",
		    where(t->file, t->line, loc, sizeof loc));
	}
	if (t->parent == 1)   /* main: by name, as Go's "created by main.main" */
		put(b, "\tcreated by main at %s\n", where(t->created_file, t->created_line, loc, sizeof loc));
	else if (t->parent)
		put(b, "\tcreated by task %d at %s\n", t->parent,
		    where(t->created_file, t->created_line, loc, sizeof loc));
	else
		put(b, "\tcreated by the runtime\n");
}

/* The task with id, by binary search in the id-ordered table. */
static struct rt_task *find(struct rt_task **tasks, int n, int id)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (tasks[mid]->id == id)
			return tasks[mid];
		if (tasks[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* One link of the cycle in words: what task t waits on and how the next
 * task holds it up ("waits for mutex "fork-1" held by"). */
static void put_link(struct buf *b, const struct rt_task *t)
{
	const char *kind = cl_obj_kind_name(t->wait_obj_kind);
	const char *name = t->wait_obj_name ? t->wait_obj_name : "";
	switch (t->wait) {
	case CL_WAIT_MUTEX:
	case CL_WAIT_RLOCK:
	case CL_WAIT_WLOCK:
		put(b, " waits for %s \"%s\" held by", kind, name);
		break;
	case CL_WAIT_CHAN_SEND:
		put(b, " waits to send on %s \"%s\" to", kind, name);
		break;
	case CL_WAIT_CHAN_RECV:
		put(b, " waits to receive from %s \"%s\" from", kind, name);
		break;
	default:
		if (name[0])
			put(b, " waits (%s) on %s \"%s\" for", cl_wait_name(t->wait), kind, name);
		else
			put(b, " waits (%s) for", cl_wait_name(t->wait));
		break;
	}
}

/* Prints the first wait-for cycle among blocked tasks, if any, in one line
 * that names each link: task 2 "p0" waits for mutex "fork-1" held by task 3
 * "p1", who waits for ... held by task 2 "p0". */
static void dump_cycle(struct buf *b, struct rt_task **tasks, int n)
{
	for (int k = 0; k < n; k++) {
		/* Walk at most n edges from start; a cycle through start
		 * returns to it. */
		struct rt_task *start = tasks[k];
		struct rt_task *t = start;
		int steps = 0;
		while (t && t->state == RT_BLOCKED && t->waits_for && steps <= n) {
			t = find(tasks, n, t->waits_for);
			steps++;
			if (t == start) {
				put(b, "\nwait-for cycle: task %d \"%s\"", start->id, start->name);
				struct rt_task *u = start;
				do {
					put_link(b, u);
					u = find(tasks, n, u->waits_for);
					put(b, " task %d \"%s\"%s", u->id, u->name, u == start ? "" : ", who");
				} while (u != start);
				put(b, " (back to the start)\n");
				return;
			}
		}
	}
}

void rt_report_build(struct rt_sched *s, const char *headline)
{
	struct buf b = {0};
	enum cl_outcome outcome = s->finished ? s->outcome : CL_OUTCOME_LIMIT;
	switch (outcome) {
	case CL_OUTCOME_DEADLOCK:
		put(&b, "fatal error: all tasks are asleep - deadlock!\n");
		break;
	case CL_OUTCOME_PANIC:
		put(&b, "panic: %s\n", s->panic_task && s->panic_task->panic_chain
		                          ? s->panic_task->panic_chain : s->panic_msg);
		break;
	case CL_OUTCOME_OK:
	case CL_OUTCOME_LEAK:
		if (s->leaked)
			put(&b, "leak: main returned with %d task%s still blocked\n", s->leaked,
			    s->leaked == 1 ? "" : "s");
		else
			put(&b, "main returned with %d task%s still runnable (abandoned)\n",
			    s->abandoned, s->abandoned == 1 ? "" : "s");
		break;
	case CL_OUTCOME_LIMIT:
	case CL_OUTCOME_FATAL:
	case CL_OUTCOME_RACE:
		put(&b, "%s\n", headline ? headline : "limit reached");
		break;
	}
	bool leak_report = outcome == CL_OUTCOME_LEAK || outcome == CL_OUTCOME_OK;
	int n;
	struct rt_task **tasks = rt_tasks_by_id(s, &n);
	for (int k = 0; k < n; k++) {
		struct rt_task *t = tasks[k];
		if (leak_report && t->state != RT_BLOCKED)
			continue;
		put(&b, "\n");
		/* Under par every processor is back on g0 when this runs. */
		bool running = t == s->panic_task || (s->procs && t == s->procs->current);
		dump_task(&b, t, running);
	}
	if (leak_report && s->abandoned) {
		put(&b, "\nabandoned (runnable when main returned):");
		for (int k = 0; k < n; k++)
			if (tasks[k]->state == RT_RUNNABLE)
				put(&b, " task %d \"%s\"", tasks[k]->id, tasks[k]->name);
		put(&b, "\n");
	}
	if (outcome == CL_OUTCOME_DEADLOCK || outcome == CL_OUTCOME_LIMIT)
		dump_cycle(&b, tasks, n);
	free(tasks);
	free(s->report);
	s->report = b.data;
}
