/*
 * race.c - the race detector of the det scheduler: every cl_rd/cl_wr of
 * shared plain memory (shared.h) is checked against the happens-before order
 * of Go's memory model, kept with vector clocks; two accesses to the same
 * variable, one a write, that the order does not relate are a data race.
 *
 * Clocks.  Each task has a vector clock (one counter per task id; entry 0
 * is the runtime, which fires timers).  Every synchronising object has a
 * clock too, found by address (race.h): a release merges the task's clock
 * into the object's and then ticks the task's own entry; an acquire merges
 * the object's into the task's.  The edges, where runtime/ calls the hooks:
 *
 *   go f()                     the child starts with its parent's clock
 *   send / receive             buffered: each slot has a clock, and both the
 *                              value going in and coming out acquire and
 *                              release it (Go's racenotify), so a send
 *                              happens before its receive completes and the
 *                              k-th receive before the (k+cap)-th send
 *                              completes; unbuffered: the two tasks' clocks
 *                              are joined (each completes after the other
 *                              started); select cases are the same halves
 *   close                      before a receive that returns because closed
 *   Mutex                      Unlock before the next Lock
 *   RWMutex                    Unlock before later RLock and Lock; RUnlock
 *                              before later Lock (two clocks, as Go's)
 *   WaitGroup                  Done before the Wait it releases
 *   Once                       the function before every Do returns
 *   Cond                       Signal/Broadcast before the woken Wait returns
 *   semaphore                  Release before a later Acquire
 *   context                    cancel before Err() != nil (and Done, a close)
 *   atomics                    sequentially consistent, as Go's: a load
 *                              acquires, a store release-stores, an add or a
 *                              successful CAS does both (a failed CAS loads)
 *   timers                     the start before the fire; the fire's send
 *                              is by the runtime with the starter's clock
 *
 * Accesses (FastTrack, Flanagan and Freund 2009): a variable keeps the epoch
 * (task, that task's clock entry) of its last write and of the reads since,
 * each with file:line; an access races with an earlier one whose epoch the
 * accessing task's clock has not reached.  Reads ordered before a new read
 * are dropped, so the list holds only concurrent readers.
 *
 * A race does not stop the run (Go's race detector does not either, by
 * default): the run goes on, each distinct pair of source lines is reported
 * once (an event, and a report like Go's), and a run that would have been
 * ok ends with outcome race.  So a racy program still shows what the race
 * does to its result, and an invariant that breaks is still reported.
 *
 * Nothing here depends on an address's value, only on its identity: the
 * tables are looked up, never walked in address order, so reports and events
 * are the same on every machine.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/chan.h"
#include "runtime/race.h"
#include "runtime/rt.h"
#include "runtime/sched.h"

#define MAX_REPORTS 8          /* distinct races printed in full; all are counted */

struct vc {
	uint32_t *c;
	int n;                      /* entries 0..n-1; missing ones are 0 */
	int cap;                    /* entries c has room for */
};

struct access {
	int task;
	uint32_t clock;
	const char *file;
	int line;
	const char *name;
};

struct var {
	const void *addr;
	bool has_write;
	struct access write;
	struct access *reads;
	int nreads, cap_reads;
};

struct sync {
	const void *key;
	struct vc vc;
};

/* What a report says about a task, kept after the task has exited. */
struct task_info {
	char name[RT_NAME_MAX];
	const char *created_file;
	int created_line;
	int parent;
	bool alive;
	void *stack_lo;             /* its stack's range, forgotten when it exits */
	size_t stack_size;
	struct vc vc;
};

/* Address -> index into an array (open addressing, linear probing). */
struct map {
	const void **keys;
	uint32_t *vals;
	uint32_t cap, n;            /* cap a power of two, n <= cap / 2 */
};

/* A pair of source lines already reported. */
struct seen_pair {
	const char *file1, *file2;
	int line1, line2;
};

struct rt_race {
	struct task_info *tasks;    /* by task id; 0 is the runtime */
	int cap_tasks;
	struct map var_map, sync_map;
	struct var *vars;
	uint32_t nvars, cap_vars;
	struct sync *syncs;
	uint32_t nsyncs, cap_syncs;
	uint32_t owned_syncs;       /* syncs[0..owned_syncs) own their vc.c (kept across runs) */
	struct seen_pair *seen;
	int nseen, cap_seen;
	uint64_t races;
	char *text;                 /* the reports, in order */
	size_t len, cap;
};

static void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		rt_oom();
	return q;
}

/* ---- vector clocks ------------------------------------------------------------ */

static inline uint32_t vc_get(const struct vc *v, int i)
{
	return i < v->n ? v->c[i] : 0;
}

static __attribute__((noinline)) void vc_extend(struct vc *v, int n)
{
	if (n > v->cap) {
		/* Room for 8 at first, then doubled: a clock grows by one entry
		 * per task it hears of, and a realloc each time was a tenth of a
		 * worker-pool run's instructions with the detector on. */
		int cap = v->cap ? v->cap : 8;
		while (cap < n)
			cap *= 2;
		v->c = xrealloc(v->c, (size_t)cap * sizeof *v->c);
		v->cap = cap;
	}
	memset(v->c + v->n, 0, (size_t)(n - v->n) * sizeof *v->c);
	v->n = n;
}

/* Entries 0..n-1 at least; the test inline, since most clocks are long
 * enough already. */
static inline void vc_grow(struct vc *v, int n)
{
	if (__builtin_expect(n > v->n, 0))
		vc_extend(v, n);
}

static void vc_join(struct vc *dst, const struct vc *src)
{
	vc_grow(dst, src->n);
	for (int i = 0; i < src->n; i++)
		if (src->c[i] > dst->c[i])
			dst->c[i] = src->c[i];
}

static void vc_copy(struct vc *dst, const struct vc *src)
{
	vc_grow(dst, src->n);
	if (src->n > 0)	/* an empty clock may have no array at all */
		memcpy(dst->c, src->c, (size_t)src->n * sizeof *src->c);
	if (dst->n > src->n)
		memset(dst->c + src->n, 0, (size_t)(dst->n - src->n) * sizeof *dst->c);
}

static void vc_tick(struct vc *v, int self)
{
	vc_grow(v, self + 1);
	v->c[self]++;
}

/* ---- the address maps ------------------------------------------------------------ */

static inline uint32_t map_slot(const struct map *m, const void *key)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 32) & (m->cap - 1);
}

/* The index stored for key, or UINT32_MAX. */
static inline uint32_t map_get(const struct map *m, const void *key)
{
	if (!m->cap)
		return UINT32_MAX;
	for (uint32_t i = map_slot(m, key);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key)
			return m->vals[i];
		if (!m->keys[i])
			return UINT32_MAX;
	}
}

static void map_put(struct map *m, const void *key, uint32_t val);

static void map_grow(struct map *m)
{
	struct map old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->n = 0;
	m->keys = calloc(m->cap, sizeof *m->keys);
	m->vals = calloc(m->cap, sizeof *m->vals);
	if (!m->keys || !m->vals)
		rt_oom();
	for (uint32_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			map_put(m, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
}

static void map_put(struct map *m, const void *key, uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap)
		map_grow(m);
	uint32_t i = map_slot(m, key);
	while (m->keys[i])
		i = (i + 1) & (m->cap - 1);
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
}

/* ---- tasks and objects ------------------------------------------------------------- */

static __attribute__((noinline)) void tasks_grow(struct rt_race *r, int id)
{
	int cap = r->cap_tasks ? r->cap_tasks : 16;
	while (cap <= id)
		cap *= 2;
	r->tasks = xrealloc(r->tasks, (size_t)cap * sizeof *r->tasks);
	memset(r->tasks + r->cap_tasks, 0, (size_t)(cap - r->cap_tasks) * sizeof *r->tasks);
	r->cap_tasks = cap;
}

/* Inline, the table's growth aside: every hook looks up a task or two. */
static inline struct task_info *task_info(struct rt_race *r, int id)
{
	if (__builtin_expect(id >= r->cap_tasks, 0))
		tasks_grow(r, id);
	return &r->tasks[id];
}

static struct vc *task_vc(struct rt_race *r, struct rt_task *t)
{
	return &task_info(r, t ? t->id : 0)->vc;
}

static struct vc *sync_vc(struct rt_race *r, const void *key)
{
	uint32_t i = map_get(&r->sync_map, key);
	if (i == UINT32_MAX) {
		if (r->nsyncs == r->cap_syncs) {
			r->cap_syncs = r->cap_syncs ? r->cap_syncs * 2 : 64;
			r->syncs = xrealloc(r->syncs, r->cap_syncs * sizeof *r->syncs);
		}
		i = r->nsyncs++;
		struct vc kept = {0};
		if (i < r->owned_syncs)
			kept = (struct vc){.c = r->syncs[i].vc.c, .cap = r->syncs[i].vc.cap};
		else
			r->owned_syncs = i + 1;
		r->syncs[i] = (struct sync){.key = key, .vc = kept};
		map_put(&r->sync_map, key, i);
	}
	return &r->syncs[i].vc;
}

static struct var *var_of(struct rt_race *r, const void *addr)
{
	uint32_t i = map_get(&r->var_map, addr);
	if (i == UINT32_MAX) {
		if (r->nvars == r->cap_vars) {
			r->cap_vars = r->cap_vars ? r->cap_vars * 2 : 64;
			r->vars = xrealloc(r->vars, r->cap_vars * sizeof *r->vars);
		}
		i = r->nvars++;
		r->vars[i] = (struct var){.addr = addr};
		map_put(&r->var_map, addr, i);
	}
	return &r->vars[i];
}

/* ---- the run ----------------------------------------------------------------------- */

/* The explorer runs thousands of programs with the detector on, one after
 * another: a thread keeps its last run's detector and reuses its tables
 * (emptied as a new one's are: clocks of length 0, maps without keys), where
 * a new detector per run spent a tenth of a worker-pool run in malloc. */
static _Thread_local struct rt_race *spare_detector;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static pthread_key_t spare_key;

static void race_free(struct rt_race *r)
{
	for (int i = 0; i < r->cap_tasks; i++)
		free(r->tasks[i].vc.c);
	for (uint32_t i = 0; i < r->nvars; i++)
		free(r->vars[i].reads);
	for (uint32_t i = 0; i < r->owned_syncs; i++)
		free(r->syncs[i].vc.c);
	free(r->tasks);
	free(r->var_map.keys);
	free(r->var_map.vals);
	free(r->sync_map.keys);
	free(r->sync_map.vals);
	free(r->vars);
	free(r->syncs);
	free(r->seen);
	free(r->text);
	free(r);
}

static void spare_free(void *arg)
{
	race_free(arg);
	spare_detector = NULL;
}

static void spare_key_make(void)
{
	pthread_key_create(&spare_key, spare_free);
}

static void map_clear(struct map *m)
{
	if (m->cap)
		memset(m->keys, 0, m->cap * sizeof *m->keys);
	m->n = 0;
}

/* Empties the detector of an earlier run, keeping its memory. */
static void race_clear(struct rt_race *r)
{
	for (int i = 0; i < r->cap_tasks; i++) {
		struct vc kept = {.c = r->tasks[i].vc.c, .cap = r->tasks[i].vc.cap};
		r->tasks[i] = (struct task_info){.vc = kept};
	}
	map_clear(&r->var_map);
	map_clear(&r->sync_map);
	for (uint32_t i = 0; i < r->nvars; i++)
		free(r->vars[i].reads);
	r->nvars = 0;
	r->nsyncs = 0;
	r->nseen = 0;
	r->races = 0;
	r->len = 0;
}

void rt_race_start(struct rt_sched *s)
{
	if (!s->cfg.race)   /* par's setup turns it off */
		return;
	struct rt_race *r = spare_detector;
	if (r) {
		spare_detector = NULL;
		race_clear(r);
	} else if (!(r = calloc(1, sizeof *r))) {
		rt_oom();
	}
	struct task_info *rt = task_info(r, 0);
	rt_copy_name(rt->name, sizeof rt->name, "runtime");
	rt->alive = true;
	vc_tick(&rt->vc, 0);
	s->race = r;
}

static void put(struct rt_race *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct rt_race *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (r->len + (size_t)n + 1 > r->cap) {
		r->cap = (r->len + (size_t)n + 1) * 2;
		r->text = xrealloc(r->text, r->cap);
	}
	va_start(ap, fmt);
	vsnprintf(r->text + r->len, r->cap - r->len, fmt, ap);
	va_end(ap);
	r->len += (size_t)n;
}

void rt_race_end(struct rt_sched *s)
{
	struct rt_race *r = s->race;
	if (!r)
		return;
	s->races = r->races;
	if (r->races) {
		put(r, "Found %llu data race%s\n", (unsigned long long)r->races,
		    r->races == 1 ? "" : "s");
		char *old = s->report;
		if (s->outcome == CL_OUTCOME_OK)
			s->outcome = CL_OUTCOME_RACE;
		/* The outcome's own report comes first (its first line is the
		 * headline explore prints); a race-only run starts with the race. */
		size_t old_len = old ? strlen(old) : 0;
		char *report = xrealloc(NULL, old_len + r->len + 2);
		if (s->outcome == CL_OUTCOME_RACE)
			snprintf(report, old_len + r->len + 2, "%s%s%s", r->text, old ? "\n" : "",
			         old ? old : "");
		else
			snprintf(report, old_len + r->len + 2, "%s%s%s", old ? old : "", old ? "\n" : "",
			         r->text);
		free(old);
		s->report = report;
	}
	s->race = NULL;
	/* Kept for the thread's next run unless it grew big (a run of many
	 * tasks or variables). */
	if (spare_detector || r->cap_tasks > 4096 || r->var_map.cap > 65536 || r->sync_map.cap > 65536) {
		race_free(r);
		return;
	}
	pthread_once(&spare_once, spare_key_make);
	pthread_setspecific(spare_key, r);
	spare_detector = r;
}

void rt_race_spawn_(struct rt_sched *s, struct rt_task *parent, struct rt_task *child)
{
	struct rt_race *r = s->race;
	struct task_info *ci = task_info(r, child->id);
	rt_copy_name(ci->name, sizeof ci->name, child->name);
	ci->created_file = child->created_file;
	ci->created_line = child->created_line;
	ci->parent = parent ? parent->id : 0;
	ci->alive = true;
	ci->stack_lo = child->stack->lo;
	ci->stack_size = child->stack->size;
	if (parent) {
		struct vc *pv = task_vc(r, parent);
		vc_copy(&ci->vc, pv);
		vc_tick(pv, parent->id);
	}
	vc_tick(&ci->vc, child->id);
}

void rt_race_exit_(struct rt_sched *s, struct rt_task *t)
{
	struct rt_race *r = s->race;
	struct task_info *ti = task_info(r, t->id);
	ti->alive = false;
	ti->vc.n = 0;   /* an empty clock; its memory stays for a later run */
	/* Its stack may hold variables other tasks touched; a later task may
	 * get the same memory, and must not inherit their history. */
	const char *lo = ti->stack_lo, *hi = lo + ti->stack_size + sizeof(struct rt_task);
	for (uint32_t i = 0; i < r->nvars; i++) {
		struct var *v = &r->vars[i];
		const char *a = v->addr;
		if (a >= lo && a < hi) {
			v->has_write = false;
			v->nreads = 0;
		}
	}
}

void rt_race_sync_(struct rt_sched *s, const void *key, struct rt_task *t, enum rt_race_op op)
{
	struct rt_race *r = s->race;
	struct vc *tv = task_vc(r, t);
	struct vc *ov = sync_vc(r, key);
	int self = t ? t->id : 0;
	switch (op) {
	case RT_RACE_ACQUIRE:
		vc_join(tv, ov);
		break;
	case RT_RACE_RELEASE:
		vc_join(ov, tv);
		vc_tick(tv, self);
		break;
	case RT_RACE_RELEASE_STORE:
		vc_copy(ov, tv);
		vc_tick(tv, self);
		break;
	case RT_RACE_ACQ_REL:
		vc_join(tv, ov);
		vc_copy(ov, tv);
		vc_tick(tv, self);
		break;
	}
}

void rt_race_chan_slot_(struct rt_sched *s, struct cl_chan *c, size_t slot, struct rt_task *t)
{
	/* The slot's clock is named by its flow word, one per slot. */
	rt_race_sync_(s, &c->flows[slot], t, RT_RACE_ACQ_REL);
}

void rt_race_chan_pass_(struct rt_sched *s, struct cl_chan *c, struct rt_task *first,
                        struct rt_task *second)
{
	if (c->cap) {
		rt_race_chan_slot_(s, c, c->head, first);
		rt_race_chan_slot_(s, c, c->head, second);
		return;
	}
	/* Unbuffered: the receive completes after the send started and the
	 * send after the receive started; both end with the join. */
	struct rt_race *r = s->race;
	struct vc *a = task_vc(r, first), *b = task_vc(r, second);
	vc_join(a, b);
	vc_copy(b, a);
	vc_tick(a, first ? first->id : 0);
	vc_tick(b, second ? second->id : 0);
}

void rt_race_timer_fire_(struct rt_sched *s, const void *timer)
{
	struct rt_race *r = s->race;
	struct vc *rv = task_vc(r, NULL);
	uint32_t own = vc_get(rv, 0);
	vc_copy(rv, sync_vc(r, timer));
	vc_grow(rv, 1);
	if (rv->c[0] < own)
		rv->c[0] = own;
	vc_tick(rv, 0);
}

/* ---- accesses ---------------------------------------------------------------------- */

static bool seen_before(struct rt_race *r, const struct access *now, const struct access *prev)
{
	for (int i = 0; i < r->nseen; i++) {
		struct seen_pair *p = &r->seen[i];
		if (p->line1 == now->line && p->line2 == prev->line && p->file1 == now->file &&
		    p->file2 == prev->file)
			return true;
	}
	if (r->nseen == r->cap_seen) {
		r->cap_seen = r->cap_seen ? r->cap_seen * 2 : 16;
		r->seen = xrealloc(r->seen, (size_t)r->cap_seen * sizeof *r->seen);
	}
	r->seen[r->nseen++] = (struct seen_pair){now->file, prev->file, now->line, prev->line};
	return false;
}

static void put_task(struct rt_race *r, int id)
{
	struct task_info *ti = task_info(r, id);
	put(r, "\nTask %d \"%s\" (%s) created at:\n", id, ti->name, ti->alive ? "running" : "finished");
	if (ti->parent)
		put(r, "  %s:%d by task %d \"%s\"\n", ti->created_file ? ti->created_file : "runtime",
		    ti->created_line, ti->parent, task_info(r, ti->parent)->name);
	else
		put(r, "  the runtime (the program's first task)\n");
}

static void race_found(struct rt_sched *s, struct rt_task *t, bool write, const struct access *now,
                       const struct access *prev, bool prev_write)
{
	struct rt_race *r = s->race;
	if (seen_before(r, now, prev))
		return;
	r->races++;
	const char *op = write ? "Write" : "Read", *pop = prev_write ? "write" : "read";
	if (s->tracing) {
		char text[300];
		snprintf(text, sizeof text, "%s races with the %s by task %d at %s:%d", write ? "write" : "read",
		         pop, prev->task, prev->file ? prev->file : "?", prev->line);
		struct cl_event ev = rt_event(s, CL_EV_RACE);
		ev.peer = prev->task;
		ev.obj_name = now->name;
		ev.text = text;
		ev.file = now->file;
		ev.line = now->line;
		rt_emit(s, &ev);
	}
	if (r->races > MAX_REPORTS)
		return;
	if (r->races == MAX_REPORTS)
		put(r, "(only the first %d races are shown)\n", MAX_REPORTS);
	put(r, "WARNING: DATA RACE\n%s at %s by task %d \"%s\":\n  %s:%d\n", op, now->name, t->id,
	    t->name, now->file, now->line);
	put(r, "\nPrevious %s at %s by task %d \"%s\":\n  %s:%d\n", pop, prev->name, prev->task,
	    task_info(r, prev->task)->name, prev->file, prev->line);
	put_task(r, t->id);
	if (prev->task != t->id)
		put_task(r, prev->task);
	put(r, "==================\n");
}

/* The check of one access by t; the value is read or written right after. */
static void race_access(struct rt_sched *s, struct rt_task *t, const char *file, int line,
                        const char *name, const void *addr, bool write)
{
	struct rt_race *r = s->race;
	struct var *v = var_of(r, addr);
	struct vc *tv = task_vc(r, t);
	uint32_t epoch = vc_get(tv, t->id);
	struct access now = {t->id, epoch, file, line, name};
	bool write_ordered = !v->has_write || v->write.clock <= vc_get(tv, v->write.task);
	if (write) {
		if (v->has_write && v->nreads == 0 && v->write.task == t->id && v->write.clock == epoch) {
			v->write = now;   /* same epoch: nothing new to check */
			return;
		}
		if (!write_ordered)
			race_found(s, t, true, &now, &v->write, true);
		for (int i = 0; i < v->nreads; i++) {
			const struct access *rd = &v->reads[i];
			if (rd->clock > vc_get(tv, rd->task)) {
				race_found(s, t, true, &now, rd, false);
				break;
			}
		}
		v->write = now;
		v->has_write = true;
		v->nreads = 0;
		return;
	}
	if (!write_ordered)
		race_found(s, t, false, &now, &v->write, true);
	/* Keep only the reads this one is not ordered after, then this one. */
	int k = 0;
	for (int i = 0; i < v->nreads; i++) {
		const struct access *rd = &v->reads[i];
		if (rd->task != t->id && rd->clock > vc_get(tv, rd->task))
			v->reads[k++] = *rd;
	}
	v->nreads = k;
	if (v->nreads == v->cap_reads) {
		v->cap_reads = v->cap_reads ? v->cap_reads * 2 : 4;
		v->reads = xrealloc(v->reads, (size_t)v->cap_reads * sizeof *v->reads);
	}
	v->reads[v->nreads++] = now;
}

void cl_shared_at(const char *file, int line, const char *name, const void *addr, int write)
{
	struct rt_sched *s = rt_s();
	if (!s)
		return;   /* outside a run: a plain access */
	rt_pending_op(s, write ? CL_STEP_WRITE : CL_STEP_READ, addr);
	rt_sched_point(file, line);
	rt_footprint(s, write ? CL_STEP_WRITE : CL_STEP_READ, addr);
	if (RT_RACE_ON(s)) {
		struct rt_task *t = rt_cur(s);
		if (t)
			race_access(s, t, file, line, name, addr, write != 0);
	}
}
