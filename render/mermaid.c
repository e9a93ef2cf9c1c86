/*
 * mermaid.c - the mermaid renderer: a Mermaid sequenceDiagram that GitHub
 * renders in a ```mermaid block:
 *
 *	sequenceDiagram
 *	    participant t1 as main
 *	    participant t2 as worker-1
 *	    t1-)t2: go worker-1
 *	    t1->>t2: 5 (jobs)
 *	    Note over t2: worker 1 takes job 5
 *
 * A participant per task (id "t<task id>", the name as alias), an arrow per
 * delivered value (a send and its receive, paired by flow id, drawn once),
 * notes for the pattern's notes, closes, panics, cancels, waits on sync
 * objects, and the tasks still blocked when the run ends (a deadlock or a
 * leak shows where everyone is stuck).  Channel blocks that end in a wake
 * are not drawn: the arrow says it.
 *
 * Mermaid refuses text over 50,000 characters (maxTextSize), so when the
 * next statement would reach that, the block ends and a new sequenceDiagram
 * starts after a blank line, declaring again the participants it uses.
 */
#include <stdlib.h>
#include <string.h>

#include "render/internal.h"

#define BLOCK_LIMIT 50000   /* Mermaid's maxTextSize: every block stays below */
#define BLOCK_BUDGET (BLOCK_LIMIT - 1000)  /* what a block may use: room for the
                                              separator and a reader's wrapping */
#define TEXT_MAX 160        /* longest label, before escaping */

struct mtask {
	int declared_block;     /* block number that declared it (0 = none yet) */
	bool blocked;           /* parked (not asleep): listed at the end if never woken */
	enum cl_wait wait;
	char obj[64];
};

struct mermaid {
	struct render_base base;
	FILE *out;
	bool live;
	int block;              /* current block number, from 1 */
	size_t block_len;       /* bytes written in the current block */
	int first_task;         /* first task declared: where run-wide notes go */
	struct render_tasks tasks;
	struct mtask *mt;
	int mt_cap;
	struct render_flows flows;
	bool markdown;          /* each block in a ```mermaid fence (--out FILE.md) */
	/* Buffered sends not yet received: drawn at the end if never received. */
	struct pending {
		uint64_t flow;
		int task;
		char label[TEXT_MAX];
	} *pending;
	int npending, pending_cap;
};

static struct mtask *mtask(struct mermaid *m, int id)
{
	if (id < 0)
		id = 0;
	if (id >= m->mt_cap) {
		int cap = m->mt_cap ? m->mt_cap : 16;
		while (cap <= id)
			cap *= 2;
		struct mtask *mt = realloc(m->mt, (size_t)cap * sizeof *mt);
		if (!mt)
			return NULL;
		memset(mt + m->mt_cap, 0, (size_t)(cap - m->mt_cap) * sizeof *mt);
		m->mt = mt;
		m->mt_cap = cap;
	}
	return &m->mt[id];
}

/* Mermaid text: ';' and '#' are syntax, '<' '>' may be read as HTML, a
 * newline ends the statement: entity codes and spaces instead. */
static void escape(char *dst, size_t size, const char *src)
{
	size_t n = 0, in = 0;
	for (; src && *src && in < TEXT_MAX && n + 6 < size; src++, in++) {
		const char *rep = NULL;
		switch (*src) {
		case ';': rep = "#59;"; break;
		case '#': rep = "#35;"; break;
		case '<': rep = "#lt;"; break;
		case '>': rep = "#gt;"; break;
		case '\n': case '\r': case '\t': rep = " "; break;
		}
		if (rep) {
			size_t r = strlen(rep);
			memcpy(dst + n, rep, r);
			n += r;
		} else {
			dst[n++] = *src;
		}
	}
	dst[n] = '\0';
}

static void write_out(struct mermaid *m, const char *s)
{
	size_t n = strlen(s);
	fwrite(s, 1, n, m->out);
	m->block_len += n;
}

static void start_block(struct mermaid *m)
{
	if (m->block > 0)
		fputs(m->markdown ? "```\n\n" : "\n", m->out);   /* between blocks, part of neither */
	if (m->markdown)
		fputs("```mermaid\n", m->out);
	m->block++;
	m->block_len = 0;
	write_out(m, "sequenceDiagram\n");
	if (m->block > 1) {
		char line[64];
		snprintf(line, sizeof line, "%%%% chanlab: part %d\n", m->block);
		write_out(m, line);
	}
}

static void declaration(struct mermaid *m, int id, char *buf, size_t size)
{
	char nb[32], alias[TEXT_MAX * 5 + 8];
	escape(alias, sizeof alias, render_tasks_name(&m->tasks, id, nb, sizeof nb));
	snprintf(buf, size, "    participant t%d as %s\n", id, alias);
}

/* Writes one statement about tasks a and b (b < 0: only a), declaring them
 * first if this block has not, and starting a new block if the statement
 * would take this one to the limit. */
static void statement(struct mermaid *m, int a, int b, const char *line)
{
	char da[TEXT_MAX * 5 + 64], db[TEXT_MAX * 5 + 64];
	/* mtask() may grow (move) the table: make both entries exist first,
	 * then take both pointers. */
	if (!mtask(m, a) || (b >= 0 && !mtask(m, b)))
		return;
	struct mtask *ta = mtask(m, a), *tb = b >= 0 ? mtask(m, b) : NULL;
	if (b == a)
		tb = NULL;
	for (int attempt = 0; attempt < 2; attempt++) {
		da[0] = db[0] = '\0';
		if (ta->declared_block != m->block)
			declaration(m, a, da, sizeof da);
		if (tb && tb->declared_block != m->block)
			declaration(m, b, db, sizeof db);
		size_t need = strlen(da) + strlen(db) + strlen(line);
		if (m->block_len + need < BLOCK_BUDGET || attempt == 1)
			break;
		start_block(m);
	}
	if (*da) {
		write_out(m, da);
		ta->declared_block = m->block;
	}
	if (*db) {
		write_out(m, db);
		tb->declared_block = m->block;
	}
	if (m->first_task <= 0)
		m->first_task = a;   /* a task rather than the runtime, if any */
	write_out(m, line);
}

static void note(struct mermaid *m, int task, const char *fmt, const char *a, const char *b)
{
	char raw[TEXT_MAX * 2], text[TEXT_MAX * 5 + 8], line[TEXT_MAX * 5 + 64];
	snprintf(raw, sizeof raw, fmt, a ? a : "", b ? b : "");
	escape(text, sizeof text, raw);
	snprintf(line, sizeof line, "    Note over t%d: %s\n", task, text);
	statement(m, task, -1, line);
}

/* A text longer than one note, as several notes split between words. */
static void note_long(struct mermaid *m, int task, const char *label, const char *text)
{
	char part[TEXT_MAX];
	size_t room = TEXT_MAX - strlen(label) - 16;
	bool first = true;
	while (*text) {
		size_t n = strlen(text);
		if (n > room) {
			n = room;
			while (n > room / 2 && text[n] != ' ')
				n--;
		}
		snprintf(part, sizeof part, "%.*s", (int)n, text);
		note(m, task, "%s%s", first ? label : "... ", part);
		first = false;
		text += n;
		while (*text == ' ')
			text++;
	}
}

static void arrow(struct mermaid *m, int from, int to, const char *kind, const char *label)
{
	char text[TEXT_MAX * 5 + 8], line[TEXT_MAX * 5 + 64];
	escape(text, sizeof text, label);
	snprintf(line, sizeof line, "    t%d%st%d: %s\n", from, kind, to, text);
	statement(m, from, to, line);
}

static void message(struct mermaid *m, int from, int to, const struct cl_event *ev)
{
	char label[TEXT_MAX * 2];
	const char *value = ev->value && *ev->value ? ev->value : "value";
	if (ev->obj_name && *ev->obj_name)
		snprintf(label, sizeof label, "%s (%s)", value, ev->obj_name);
	else
		snprintf(label, sizeof label, "%s", value);
	arrow(m, from, to, "->>", label);
}

static void still_blocked(struct mermaid *m)
{
	for (int id = 0; id < m->mt_cap; id++) {
		struct mtask *t = &m->mt[id];
		if (!t->blocked)
			continue;
		t->blocked = false;
		note(m, id, *t->obj ? "still blocked: %s on %s" : "still blocked: %s", render_wait_name(t->wait),
		     t->obj);
	}
}

static void pending_add(struct mermaid *m, const struct cl_event *ev)
{
	if (m->npending == m->pending_cap) {
		int cap = m->pending_cap ? m->pending_cap * 2 : 16;
		struct pending *p = realloc(m->pending, (size_t)cap * sizeof *p);
		if (!p)
			return;   /* out of memory: that value goes undrawn if never received */
		m->pending = p;
		m->pending_cap = cap;
	}
	struct pending *p = &m->pending[m->npending++];
	p->flow = ev->flow;
	p->task = ev->task;
	snprintf(p->label, sizeof p->label, "%s into the buffer of %s", ev->value && *ev->value ? ev->value : "a value",
	         ev->obj_name && *ev->obj_name ? ev->obj_name : "a channel");
}

/* A buffered value has been received: forget it.  Few are pending at once
 * (at most the buffers' capacity), so a linear search is enough. */
static void pending_del(struct mermaid *m, uint64_t flow)
{
	for (int i = m->npending - 1; i >= 0; i--)
		if (m->pending[i].flow == flow) {
			m->pending[i] = m->pending[--m->npending];
			return;
		}
}

/* At the end: every buffered value nobody received. */
static void never_received(struct mermaid *m)
{
	for (int i = 0; i < m->npending; i++)
		note(m, m->pending[i].task, "sent %s, never received", m->pending[i].label, NULL);
	m->npending = 0;
}

static bool chan_wait(enum cl_wait w)
{
	return w == CL_WAIT_CHAN_SEND || w == CL_WAIT_CHAN_RECV || w == CL_WAIT_CHAN_SEND_NIL ||
	       w == CL_WAIT_CHAN_RECV_NIL || w == CL_WAIT_SELECT || w == CL_WAIT_SELECT_NO_CASES;
}

static void mermaid_event(void *ctx, const struct cl_event *ev)
{
	struct mermaid *m = ctx;
	char nb[32];
	render_tasks_learn(&m->tasks, ev);
	struct mtask *t = mtask(m, ev->task);
	if (!t)
		return;
	const char *obj = ev->obj_name ? ev->obj_name : "";
	const char *text = ev->text ? ev->text : "";
	switch (ev->kind) {
	case CL_EV_SPAWN: {
		if (ev->task == 0)   /* the runtime starting main: no arrow */
			break;
		char label[TEXT_MAX];
		snprintf(label, sizeof label, "go %s",
		         *text ? text : render_tasks_name(&m->tasks, ev->peer, nb, sizeof nb));
		arrow(m, ev->task, ev->peer, "-)", label);
		break;
	}
	case CL_EV_BLOCK:
		if (ev->wait != CL_WAIT_SLEEP && ev->wait != CL_WAIT_NONE) {
			t->blocked = true;
			t->wait = ev->wait;
			snprintf(t->obj, sizeof t->obj, "%s", obj);
		}
		if (!chan_wait(ev->wait) && ev->wait != CL_WAIT_SLEEP && ev->wait != CL_WAIT_NONE)
			note(m, ev->task, *obj ? "waits: %s on %s" : "waits: %s", render_wait_name(ev->wait), obj);
		break;
	case CL_EV_WAKE:
		t->blocked = false;
		break;
	case CL_EV_SEND:
	case CL_EV_RECV: {
		if (ev->kind == CL_EV_RECV && !ev->ok) {
			note(m, ev->task, "%s is closed: zero value, ok=false", *obj ? obj : "channel", NULL);
			break;
		}
		struct render_flow *f = render_flows_get(&m->flows, ev->flow);
		if (f && ev->kind == CL_EV_RECV)
			pending_del(m, ev->flow);
		if (f) {              /* second half: draw unless the first did */
			if (!f->done) {
				int from = ev->kind == CL_EV_SEND ? ev->task : f->task;
				int to = ev->kind == CL_EV_SEND ? f->task : ev->task;
				message(m, from, to, ev);
			}
			render_flows_del(&m->flows, ev->flow);
			break;
		}
		bool drawn = false;
		if (ev->peer > 0) {   /* both ends known now */
			message(m, ev->kind == CL_EV_SEND ? ev->task : ev->peer,
			        ev->kind == CL_EV_SEND ? ev->peer : ev->task, ev);
			drawn = true;
		}
		if (ev->flow && (f = render_flows_put(&m->flows, ev->flow)) != NULL) {
			f->task = ev->task;
			f->kind = (int)ev->kind;
			f->done = drawn;
			if (ev->kind == CL_EV_SEND && !drawn && ev->task != 0)   /* not timers */
				pending_add(m, ev);
		}
		break;
	}
	case CL_EV_CLOSE:
		note(m, ev->task, "close(%s)", obj, NULL);
		break;
	case CL_EV_CANCEL:
		note(m, ev->task, *text ? "cancel %s: %s" : "cancel %s", *obj ? obj : "context", text);
		break;
	case CL_EV_PANIC:
		note(m, ev->task, "panic: %s", text, NULL);
		break;
	case CL_EV_RECOVER:
		note(m, ev->task, "recovered: %s", text, NULL);
		break;
	case CL_EV_NOTE:
		note(m, ev->task, "%s", text, NULL);
		break;
	case CL_EV_VERDICT: {
		/* An end note over the first participant: outcome, lesson, mistake. */
		int over = m->first_task >= 0 ? m->first_task : ev->task;
		never_received(m);
		still_blocked(m);
		note_long(m, over, "verdict: ", ev->value && *ev->value ? ev->value : text);
		if (ev->lesson && *ev->lesson)
			note_long(m, over, "lesson: ", ev->lesson);
		if (ev->mistake && *ev->mistake)
			note_long(m, over, "mistake: ", ev->mistake);
		break;
	}
	case CL_EV_STEAL:
	case CL_EV_HANDOFF: {   /* par's scheduler: a note over the task it moved */
		char a[32], b[32];
		snprintf(a, sizeof a, "P%lld", (long long)ev->arg - 1);
		snprintf(b, sizeof b, "P%d", ev->proc - 1);
		if (ev->kind == CL_EV_STEAL)
			note(m, ev->task, "stolen from %s by %s", a, b);
		else
			note(m, ev->task, "blocking syscall: %s handed to a %s", b, text);
		break;
	}
	case CL_EV_END:
		never_received(m);
		still_blocked(m);
		note(m, m->first_task >= 0 ? m->first_task : ev->task, "end: %s", *text ? text : "?", NULL);
		break;
	default:
		break;   /* exit, select, sleep, locks ...: the chart shows their effect */
	}
	if (m->live)
		fflush(m->out);
}

static void mermaid_finish(struct render_base *base)
{
	struct mermaid *m = (struct mermaid *)base;
	never_received(m);
	still_blocked(m);
	if (m->markdown)
		fputs("```\n", m->out);
	fflush(m->out);
}

static void mermaid_destroy(struct render_base *base)
{
	struct mermaid *m = (struct mermaid *)base;
	render_tasks_free(&m->tasks);
	render_flows_free(&m->flows);
	free(m->pending);
	free(m->mt);
	free(m);
}

struct render_base *render_mermaid_open(const struct render_opts *opts,
                                        void (**event)(void *, const struct cl_event *),
                                        char *err, size_t errsize)
{
	struct mermaid *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errsize, "mermaid: out of memory");
		return NULL;
	}
	m->base.finish = mermaid_finish;
	m->base.destroy = mermaid_destroy;
	m->out = opts->out;
	m->live = opts->live;
	m->markdown = opts->markdown;
	m->first_task = -1;
	render_tasks_init(&m->tasks);
	render_flows_init(&m->flows);
	start_block(m);
	*event = mermaid_event;
	return &m->base;
}
