/*
 * lanes.c - the lanes renderer: a sequence chart in the terminal, a column
 * (lane) per task and a row per event, arrows for messages:
 *
 *	lanes: | running  : blocked  # blocks  ^ wakes  --> message  " note  ! panic  x exit
 *	    0.000ms main
 *	            |--go---------->worker-1
 *	            |               # recv jobs
 *	    0.001ms |--5 (jobs)---->:
 *	            |               ^ by main
 *
 * Lanes are given in order of first appearance, as many as opts.width
 * allows; when they run out, the last lane becomes "others", shared by
 * every later task (its marks name the task).  A send and its receive
 * (paired by flow id) make one arrow, drawn as soon as both ends are known:
 * at the first half when it names its peer (an unbuffered hand-off, whose
 * receive comes first), else at the second; the other half draws no row.
 * Plain ASCII; the time is shown only when it changes.  With colour, each
 * task's marks and the arrows it sends take its colour (the text
 * renderer's), notes are bold and panics red.
 *
 * Under par every event carries the processor it ran on (event.h's proc):
 * each mark's text and each arrow's label then start with it ("P1 lock
 * map", "--P0 5 (jobs)-->": an arrow, the processor of the event that drew
 * it), and a third legend line, written before the first such row, says
 * so.  Steals and hand-offs name their processors in their own words.  Det
 * events have no processor: their chart is what it always was.
 */
#include <stdlib.h>
#include <string.h>

#include "render/internal.h"

#define TIME_W 12       /* "    1.250ms " */
#define LANE_W 16       /* columns per lane */
#define MAX_WIDTH 1000

struct lane {
	int task;           /* -1 = the shared "others" lane */
	bool alive, blocked;
};

struct lanes {
	struct render_base base;
	FILE *out;
	bool live;
	int width, max_lanes;
	struct lane *lane;      /* max_lanes of them */
	int nlanes;
	int *lane_of;           /* task id -> lane index + 1 (0 = none yet) */
	int lane_of_cap;
	bool folded;            /* the others lane exists */
	bool have_time;
	int64_t last_time;
	struct render_tasks tasks;
	struct render_flows flows;
	bool color;
	char *row;              /* width + 1 */
	const char **hue;       /* width: the SGR colour of each cell (NULL = plain) */
	const char *pen;        /* the colour put() writes with */
	int proc;               /* the event being drawn: its processor, number + 1 (0: none) */
	bool proc_legend;       /* the par legend line is written */
};

static int lane_pos(int i)
{
	return TIME_W + i * LANE_W;
}

/* Starts a row: time (or blanks) and every live lifeline. */
static void row_begin(struct lanes *l, int64_t time)
{
	memset(l->row, ' ', (size_t)l->width);
	l->row[l->width] = '\0';
	for (int x = 0; x < l->width; x++)
		l->hue[x] = NULL;
	l->pen = NULL;
	if (!l->have_time || time != l->last_time) {
		char tb[32];
		render_format_time(tb, sizeof tb, time);
		size_t n = strlen(tb);
		memcpy(l->row, tb, n < TIME_W - 1 ? n : TIME_W - 1);
		l->have_time = true;
		l->last_time = time;
	}
	for (int i = 0; i < l->nlanes; i++)
		if (l->lane[i].alive)
			l->row[lane_pos(i)] = l->lane[i].blocked ? ':' : '|';
}

static void row_end(struct lanes *l)
{
	int n = l->width;
	while (n > 0 && l->row[n - 1] == ' ')
		n--;
	if (!l->color) {
		fwrite(l->row, 1, (size_t)n, l->out);
	} else {
		const char *cur = NULL;
		for (int x = 0; x < n; x++) {
			if (l->hue[x] != cur) {
				if (cur)
					fputs("\033[0m", l->out);
				if (l->hue[x])
					fprintf(l->out, "\033[%sm", l->hue[x]);
				cur = l->hue[x];
			}
			fputc(l->row[x], l->out);
		}
		if (cur)
			fputs("\033[0m", l->out);
	}
	fputc('\n', l->out);
	if (l->live)
		fflush(l->out);
}

/* Writes s at column x, at most max characters, within the row. */
static void put(struct lanes *l, int x, const char *s, int max)
{
	for (int i = 0; s[i] && i < max && x + i < l->width; i++) {
		l->row[x + i] = s[i] == '\n' || s[i] == '\t' ? ' ' : s[i];
		l->hue[x + i] = l->pen;
	}
}

/* One character at column x, in the pen's colour. */
static void putc_at(struct lanes *l, int x, char c)
{
	if (x >= 0 && x < l->width) {
		l->row[x] = c;
		l->hue[x] = l->pen;
	}
}

/* Room for text starting at x in lane i: up to the next live lifeline
 * (lanes of tasks that exited, or not yet given, may be written over). */
static int room(struct lanes *l, int i, int x)
{
	for (int j = i + 1; j < l->nlanes; j++)
		if (l->lane[j].alive)
			return lane_pos(j) - 1 - x;
	return l->width - x;
}

static int *lane_slot(struct lanes *l, int task)
{
	if (task < 0)
		task = 0;
	if (task >= l->lane_of_cap) {
		int cap = l->lane_of_cap ? l->lane_of_cap : 16;
		while (cap <= task)
			cap *= 2;
		int *m = realloc(l->lane_of, (size_t)cap * sizeof *m);
		if (!m)
			return NULL;
		memset(m + l->lane_of_cap, 0, (size_t)(cap - l->lane_of_cap) * sizeof *m);
		l->lane_of = m;
		l->lane_of_cap = cap;
	}
	return &l->lane_of[task];
}

/* How a task got its lane. */
enum { LANE_OLD, LANE_NEW, LANE_FOLDED_NOW, LANE_SHARED };

/* The lane of task, made if new (*how tells).  When every lane is taken,
 * the last one becomes "others", shared from then on by its task and every
 * later one.  -1 if out of memory. */
static int lane_for(struct lanes *l, int task, int *how)
{
	*how = LANE_OLD;
	int *slot = lane_slot(l, task);
	if (!slot)
		return -1;
	if (*slot)
		return *slot - 1;
	int i;
	if (l->nlanes < l->max_lanes) {
		i = l->nlanes++;
		l->lane[i] = (struct lane){.task = task, .alive = true};
		*how = LANE_NEW;
	} else {
		i = l->max_lanes - 1;
		*how = l->folded ? LANE_SHARED : LANE_FOLDED_NOW;
		l->lane[i] = (struct lane){.task = -1, .alive = true};
		l->folded = true;
	}
	*slot = i + 1;
	return i;
}

static const char *task_name(struct lanes *l, int task, char *buf, size_t size)
{
	return render_tasks_name(&l->tasks, task, buf, size);
}

/* A new lane's first row: its name where its lifeline starts; or, when the
 * last lane turns into "others", a row saying so. */
static void announce(struct lanes *l, int i, int task, int how, int64_t time)
{
	char nb[32];
	if (how != LANE_NEW && how != LANE_FOLDED_NOW)
		return;
	row_begin(l, time);
	if (how == LANE_FOLDED_NOW) {
		char msg[160];
		snprintf(msg, sizeof msg, "others (no room for %s: this lane is shared from here on)",
		         task_name(l, task, nb, sizeof nb));
		put(l, lane_pos(i), msg, l->width);
	} else {
		l->pen = render_task_color(task);
		put(l, lane_pos(i), task_name(l, task, nb, sizeof nb), room(l, i, lane_pos(i)));
	}
	row_end(l);
}

/* The lane of a task, announcing it first if new. */
static int lane_of_event(struct lanes *l, int task, int64_t time)
{
	int how;
	int i = lane_for(l, task, &how);
	if (i >= 0)
		announce(l, i, task, how, time);
	return i;
}

/* A mark and text in a lane; in the shared lane the text names the task. */
/* Writes as many whole words of s at x as fit in max columns (a word cut in
 * half could lose its unit: "219.638us" must not become "219.638");
 * returns the rest of s, "" when all of it fit.  A first word longer than
 * max is cut. */
static const char *put_words(struct lanes *l, int x, const char *s, int max)
{
	int n = (int)strlen(s);
	if (max <= 0)
		return s;
	if (n <= max) {
		put(l, x, s, n);
		return s + n;
	}
	int cut = max;
	while (cut > 0 && s[cut] != ' ')
		cut--;
	if (cut == 0)
		cut = max;
	put(l, x, s, cut);
	s += cut;
	while (*s == ' ')
		s++;
	return s;
}

/* The mark of an event: m on the lane, then its text up to the next live
 * lane (wide: to the row's end).  What did not fit goes to rest (if not
 * NULL; "" when all fit): the caller wraps a wide mark's rest onto more
 * rows, so a panic's message is never cut. */
static void mark(struct lanes *l, int i, int task, char m, const char *text, bool wide, char *rest,
                 size_t rest_size)
{
	char nb[32], buf[256], tagged[300];
	int x = lane_pos(i);
	l->pen = m == '"' ? "1" : m == '!' ? "1;31" : render_task_color(task);
	putc_at(l, x, m);
	if (l->lane[i].task < 0) {
		snprintf(buf, sizeof buf, "%s: %s", task_name(l, task, nb, sizeof nb), text);
		text = buf;
	}
	if (l->proc > 0) {
		snprintf(tagged, sizeof tagged, *text ? "P%d %s" : "P%d", l->proc - 1, text);
		text = tagged;
	}
	const char *left = "";
	if (*text) {
		int max = wide ? l->width - (x + 2) : room(l, i, x + 2);
		if (max > 0)
			putc_at(l, x + 1, ' ');   /* coloured too: one run, not two */
		left = put_words(l, x + 2, text, max);
	}
	if (rest && rest_size)
		snprintf(rest, rest_size, "%s", left);
}

/* An arrow from lane a to lane b with a label; head_text (may be NULL) is
 * written just past the head (a spawned task's name). */
static void draw_arrow(struct lanes *l, int a, int b, const char *label, const char *head_text,
                       int from_task)
{
	l->pen = render_task_color(from_task);
	int xa = lane_pos(a), xb = lane_pos(b);
	int lo = (xa < xb ? xa : xb) + 1, hi = (xa < xb ? xb : xa) - 1;
	for (int x = lo; x <= hi; x++)
		putc_at(l, x, '-');
	putc_at(l, xa < xb ? hi : lo, xa < xb ? '>' : '<');
	int span = hi - lo + 1 - 3;   /* keep two dashes before and the head */
	char tagged[200];
	if (l->proc > 0) {
		snprintf(tagged, sizeof tagged, "P%d %s", l->proc - 1, label);
		label = tagged;
	}
	if (span > 0)
		put(l, lo + 2, label, span);
	if (head_text) {
		int x = xb + (xa < xb ? 0 : 1);
		if (l->lane[b].task >= 0)
			l->pen = render_task_color(l->lane[b].task);
		put(l, x, head_text, room(l, b, x));
	}
}

static void message_label(char *buf, size_t size, const struct cl_event *ev)
{
	const char *v = ev->value && *ev->value ? ev->value : "value";
	if (ev->obj_name && *ev->obj_name)
		snprintf(buf, size, "%s (%s)", v, ev->obj_name);
	else
		snprintf(buf, size, "%s", v);
}

/* A message between two tasks: an arrow, or a mark if both share a lane. */
static void message(struct lanes *l, int from, int to, const struct cl_event *ev)
{
	char label[128];
	message_label(label, sizeof label, ev);
	int a = lane_of_event(l, from, ev->time);
	int b = lane_of_event(l, to, ev->time);
	if (a < 0 || b < 0)
		return;
	row_begin(l, ev->time);
	if (a == b) {   /* to itself, or between two tasks of the shared lane */
		char text[200], n1[32], n2[32];
		if (from == to)
			snprintf(text, sizeof text, "%s to self", label);
		else
			snprintf(text, sizeof text, "%s>%s %s", task_name(l, from, n1, sizeof n1),
			         task_name(l, to, n2, sizeof n2), label);
		if (l->lane[a].task < 0) {   /* mark() would prefix one name: write it whole */
			char tagged[220];
			if (l->proc > 0) {
				snprintf(tagged, sizeof tagged, "P%d %s", l->proc - 1, text);
				memcpy(text, tagged, sizeof text - 1);
				text[sizeof text - 1] = '\0';
			}
			l->pen = render_task_color(from);
			putc_at(l, lane_pos(a), '*');
			put(l, lane_pos(a) + 2, text, room(l, a, lane_pos(a) + 2));
		} else
			mark(l, a, ev->task, '*', text, false, NULL, 0);
	} else {
		draw_arrow(l, a, b, label, NULL, from);
	}
	row_end(l);
}

static const char *wait_short(enum cl_wait w)
{
	switch (w) {
	case CL_WAIT_CHAN_SEND: return "send";
	case CL_WAIT_CHAN_RECV: return "recv";
	case CL_WAIT_CHAN_SEND_NIL: return "send nil";
	case CL_WAIT_CHAN_RECV_NIL: return "recv nil";
	case CL_WAIT_SELECT: return "select";
	case CL_WAIT_SELECT_NO_CASES: return "select{}";
	case CL_WAIT_SLEEP: return "sleep";
	case CL_WAIT_MUTEX: return "Lock";
	case CL_WAIT_RLOCK: return "RLock";
	case CL_WAIT_WLOCK: return "Lock";
	case CL_WAIT_COND: return "Wait";
	case CL_WAIT_WAITGROUP: return "Wait";
	case CL_WAIT_ONCE: return "Do";
	case CL_WAIT_SEMA: return "Acquire";
	default: return "?";
	}
}

/* Send or receive: one arrow per pair (see the top of the file). */
static void chan_op(struct lanes *l, const struct cl_event *ev, int i)
{
	char text[160];
	const char *obj = ev->obj_name && *ev->obj_name ? ev->obj_name : "chan";
	if (ev->kind == CL_EV_RECV && !ev->ok) {
		row_begin(l, ev->time);
		snprintf(text, sizeof text, "%s closed", obj);
		mark(l, i, ev->task, '*', text, false, NULL, 0);
		row_end(l);
		return;
	}
	struct render_flow *f = render_flows_get(&l->flows, ev->flow);
	if (f) {
		bool drawn = f->done;
		int first = f->task;
		render_flows_del(&l->flows, ev->flow);
		if (!drawn) {
			if (ev->kind == CL_EV_SEND)
				message(l, ev->task, first, ev);
			else
				message(l, first, ev->task, ev);
		}
		return;
	}
	bool drawn = false;
	if (ev->peer > 0) {
		if (ev->kind == CL_EV_SEND)
			message(l, ev->task, ev->peer, ev);
		else
			message(l, ev->peer, ev->task, ev);
		drawn = true;
	} else {
		row_begin(l, ev->time);
		const char *v = ev->value && *ev->value ? ev->value : "value";
		if (ev->kind == CL_EV_SEND)
			snprintf(text, sizeof text, "%s>%s", v, obj);
		else
			snprintf(text, sizeof text, "%s<%s", v, obj);
		mark(l, i, ev->task, '*', text, false, NULL, 0);
		row_end(l);
	}
	if (ev->flow && (f = render_flows_put(&l->flows, ev->flow)) != NULL) {
		f->task = ev->task;
		f->kind = (int)ev->kind;
		f->done = drawn;
	}
}

static void lanes_event(void *ctx, const struct cl_event *ev)
{
	struct lanes *l = ctx;
	char text[256], nb[32];
	render_tasks_learn(&l->tasks, ev);
	/* Steals and hand-offs say their processors themselves. */
	l->proc = ev->kind == CL_EV_STEAL || ev->kind == CL_EV_HANDOFF ? 0 : ev->proc;
	if (l->proc > 0 && !l->proc_legend) {
		fputs("       P0 P1 ...  the processor (par) a mark or an arrow ran on\n", l->out);
		l->proc_legend = true;
	}
	if (ev->kind == CL_EV_END) {
		row_begin(l, ev->time);
		snprintf(text, sizeof text, "== end: %s ==", ev->text && *ev->text ? ev->text : "?");
		put(l, TIME_W, text, l->width);
		row_end(l);
		return;
	}
	if (ev->kind == CL_EV_VERDICT) {
		/* The lesson and mistake follow on the terminal (cmd/verdict.c);
		 * the chart ends with what went wrong. */
		row_begin(l, ev->time);
		snprintf(text, sizeof text, "== verdict: %s ==",
		         ev->value && *ev->value ? ev->value : ev->text && *ev->text ? ev->text : "?");
		put(l, TIME_W, text, l->width);
		row_end(l);
		return;
	}
	if (ev->kind == CL_EV_SPAWN && ev->task == 0) {
		/* The runtime starting main: main's lane appears, the runtime
		 * gets none (only timers give it one). */
		lane_of_event(l, ev->peer, ev->time);
		return;
	}
	int i = lane_of_event(l, ev->task, ev->time);
	if (i < 0)
		return;
	struct lane *ln = &l->lane[i];
	const char *obj = ev->obj_name ? ev->obj_name : "";
	const char *tx = ev->text ? ev->text : "";
	char m = '*';
	bool wide = false;
	text[0] = '\0';
	switch (ev->kind) {
	case CL_EV_SPAWN: {
		int how;
		int c = lane_for(l, ev->peer, &how);
		if (c < 0)
			return;
		if (how == LANE_FOLDED_NOW)
			announce(l, c, ev->peer, how, ev->time);
		row_begin(l, ev->time);
		const char *child = *tx ? tx : task_name(l, ev->peer, nb, sizeof nb);
		if (c == i) {
			snprintf(text, sizeof text, "go %s", child);
			mark(l, i, ev->task, '*', text, false, NULL, 0);
		} else if (how == LANE_NEW) {
			draw_arrow(l, i, c, "go", child, ev->task);
		} else {
			snprintf(text, sizeof text, "go %s", child);
			draw_arrow(l, i, c, text, NULL, ev->task);
		}
		row_end(l);
		return;
	}
	case CL_EV_SEND:
	case CL_EV_RECV:
		chan_op(l, ev, i);
		return;
	case CL_EV_EXIT:
		m = 'x';
		snprintf(text, sizeof text, "exit");
		break;
	case CL_EV_BLOCK:
		m = '#';
		snprintf(text, sizeof text, *obj ? "%s %s" : "%s", wait_short(ev->wait), obj);
		break;
	case CL_EV_WAKE:
		m = '^';
		if (ev->peer > 0)
			snprintf(text, sizeof text, "by %s", task_name(l, ev->peer, nb, sizeof nb));
		else
			snprintf(text, sizeof text, "woke");
		break;
	case CL_EV_CLOSE:
		snprintf(text, sizeof text, "close %s", obj);
		break;
	case CL_EV_SELECT:
		if (ev->arg < 0)
			snprintf(text, sizeof text, "select dflt");
		else if (*obj)
			snprintf(text, sizeof text, "select %s %s", strcmp(tx, "send") == 0 ? "send" : "recv",
			         obj);
		else
			snprintf(text, sizeof text, "select %lld/%d", (long long)ev->arg + 1, ev->count);
		break;
	case CL_EV_SLEEP:
		render_format_duration(nb, sizeof nb, ev->arg);
		snprintf(text, sizeof text, "sleep %s", nb);
		break;
	case CL_EV_TIMER:
		snprintf(text, sizeof text, *obj ? "timer %s" : "timer", obj);
		break;
	case CL_EV_LOCK:
	case CL_EV_UNLOCK:
		snprintf(text, sizeof text, "%s%s %s", strcmp(tx, "r") == 0 ? "r" : "",
		         ev->kind == CL_EV_LOCK ? "lock" : "unlock", obj);
		break;
	case CL_EV_CANCEL:
		snprintf(text, sizeof text, "cancel %s", obj);
		break;
	case CL_EV_PANIC:
		m = '!';
		wide = true;
		snprintf(text, sizeof text, "panic: %s", tx);
		break;
	case CL_EV_RECOVER:
		snprintf(text, sizeof text, "recovered");
		break;
	case CL_EV_NOTE:
		m = '"';
		wide = true;
		snprintf(text, sizeof text, "%s", tx);
		break;
	case CL_EV_YIELD:
		snprintf(text, sizeof text, "yield");
		break;
	case CL_EV_ATOMIC:
	case CL_EV_SYNC:
		snprintf(text, sizeof text, *obj ? "%s %s" : "%s", *tx ? tx : render_kind_name(ev->kind), obj);
		break;
	case CL_EV_STEAL:   /* the stolen task's lane: "P0->P1", the processors it moved between */
		snprintf(text, sizeof text, "stolen P%lld->P%d", (long long)ev->arg - 1, ev->proc - 1);
		break;
	case CL_EV_HANDOFF:
		snprintf(text, sizeof text, "syscall: P%d handed off", ev->proc - 1);
		break;
	default:
		snprintf(text, sizeof text, "%s", render_kind_name(ev->kind));
	}
	if (ln->task >= 0) {
		if (ev->kind == CL_EV_BLOCK)
			ln->blocked = true;
		else if (ev->kind == CL_EV_WAKE)
			ln->blocked = false;
	}
	row_begin(l, ev->time);
	char rest[sizeof text];
	mark(l, i, ev->task, m, text, wide, rest, sizeof rest);
	row_end(l);
	/* A wide mark (panic, note) wraps: its rest on more rows, under its text. */
	for (int guard = 0; wide && rest[0] && guard < 16; guard++) {
		char more[sizeof text];
		snprintf(more, sizeof more, "%s", rest);
		row_begin(l, ev->time);
		l->pen = m == '!' ? "1;31" : m == '"' ? "1" : render_task_color(ev->task);
		snprintf(rest, sizeof rest, "%s",
		         put_words(l, lane_pos(i) + 2, more, l->width - lane_pos(i) - 2));
		row_end(l);
	}
	if (ev->kind == CL_EV_EXIT && ln->task >= 0)
		ln->alive = false;
}

/* The tasks that shared the "others" lane, by name, in a footer wrapped at
 * the width: the chart's marks name them, this says who they all were. */
static void lanes_finish(struct render_base *base)
{
	struct lanes *l = (struct lanes *)base;
	int others = -1;
	for (int i = 0; i < l->nlanes; i++)
		if (l->lane[i].task < 0)
			others = i;
	if (others >= 0) {
		char nb[32];
		int col = fprintf(l->out, "others:");
		int n = 0;
		for (int id = 0; id < l->lane_of_cap; id++) {
			if (l->lane_of[id] != others + 1)
				continue;
			const char *name = task_name(l, id, nb, sizeof nb);
			int len = (int)strlen(name) + (n ? 2 : 1);
			if (col + len > l->width) {
				fputs(n ? ",\n       " : "\n       ", l->out);
				col = 7;
				fprintf(l->out, " %s", name);
			} else {
				fprintf(l->out, "%s %s", n ? "," : "", name);
			}
			col += len;
			n++;
		}
		fputc('\n', l->out);
	}
	fflush(l->out);
}

static void lanes_destroy(struct render_base *base)
{
	struct lanes *l = (struct lanes *)base;
	render_tasks_free(&l->tasks);
	render_flows_free(&l->flows);
	free(l->lane);
	free(l->lane_of);
	free(l->row);
	free(l->hue);
	free(l);
}

struct render_base *render_lanes_open(const struct render_opts *opts,
                                      void (**event)(void *, const struct cl_event *),
                                      char *err, size_t errsize)
{
	struct lanes *l = calloc(1, sizeof *l);
	int width = opts->width > 0 ? opts->width : 80;
	if (width > MAX_WIDTH)
		width = MAX_WIDTH;
	if (width < TIME_W + 2 * LANE_W)
		width = TIME_W + 2 * LANE_W;
	int max_lanes = (width - TIME_W) / LANE_W;
	if (l) {
		l->lane = calloc((size_t)max_lanes, sizeof *l->lane);
		l->row = malloc((size_t)width + 1);
		l->hue = calloc((size_t)width, sizeof *l->hue);
	}
	if (!l || !l->lane || !l->row || !l->hue) {
		if (l) {
			free(l->lane);
			free(l->row);
			free(l->hue);
		}
		free(l);
		snprintf(err, errsize, "lanes: out of memory");
		return NULL;
	}
	l->base.finish = lanes_finish;
	l->base.destroy = lanes_destroy;
	l->out = opts->out;
	l->live = opts->live;
	l->color = opts->color;
	l->width = width;
	l->max_lanes = max_lanes;
	render_tasks_init(&l->tasks);
	render_flows_init(&l->flows);
	/* Two lines, each under 80 columns, every mark explained. */
	fputs("lanes: | running   : blocked   # blocks   ^ wakes   --> message (value, channel)\n"
	      "       \" note   ! panic   x exit   * other (go, select, lock, sleep, atomic ...)\n",
	      l->out);
	*event = lanes_event;
	return &l->base;
}
