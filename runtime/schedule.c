/*
 * schedule.c - a det run's schedule (schedule.h): the decision hook
 * pick_next calls at every contended step when a run records or replays,
 * the text format, and the hashes a header carries.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rt.h"
#include "runtime/schedule.h"
#include "runtime/sched.h"

/* ---- the schedule as data --------------------------------------------------------- */

void cl_schedule_init(struct cl_schedule *s)
{
	memset(s, 0, sizeof *s);
}

void cl_schedule_free(struct cl_schedule *s)
{
	free(s->d);
	free(s->runnable);
	memset(s, 0, sizeof *s);
}

void cl_schedule_clear(struct cl_schedule *s)
{
	s->n = 0;
	s->nrunnable = 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 256;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static struct cl_decision *append(struct cl_schedule *s)
{
	if (grow((void **)&s->d, &s->cap, s->n + 1, sizeof *s->d) != 0)
		return NULL;
	struct cl_decision *d = &s->d[s->n++];
	memset(d, 0, sizeof *d);
	return d;
}

int cl_schedule_push(struct cl_schedule *s, int task)
{
	struct cl_decision *d = append(s);
	if (!d)
		return -1;
	d->task = task;
	return 0;
}

int cl_schedule_copy_prefix(struct cl_schedule *dst, const struct cl_schedule *src, size_t n)
{
	cl_schedule_clear(dst);
	dst->hash = src->hash;
	if (n > src->n)
		n = src->n;
	for (size_t i = 0; i < n; i++)
		if (cl_schedule_push(dst, src->d[i].task) != 0)
			return -1;
	return 0;
}

int cl_schedule_preemptions(const struct cl_schedule *s, size_t n)
{
	int p = 0;
	if (n > s->n)
		n = s->n;
	for (size_t i = 0; i < n; i++)
		if (s->d[i].current && s->d[i].task != s->d[i].current)
			p++;
	return p;
}

/* ---- the decision hook ------------------------------------------------------------- */

void rt_schedule_start(struct rt_sched *s)
{
	/* par's setup has turned schedules off: they are det's alone. */
	s->schedule_on = s->cfg.replay || s->cfg.record || s->cfg.choose;
	s->replay_pos = 0;
	s->footprint_on = s->schedule_on && s->cfg.choose && !s->cfg.replay;
	s->fp_segs = 0;
	s->fp_kind = CL_STEP_OTHER;
	if (s->cfg.record)
		cl_schedule_clear(s->cfg.record);
}

void rt_schedule_end(struct rt_sched *s, struct cl_result *result)
{
	free(s->choice_ids);
	s->choice_ids = NULL;
	free(s->pend);
	free(s->choice_tasks);
	free(s->choice_next);
	free(s->choice_addr);
	s->pend = NULL;
	s->choice_tasks = NULL;
	s->choice_next = NULL;
	s->choice_addr = NULL;
	s->cap_pend = s->cap_choice_next = 0;
	result->schedule_refused = s->schedule_refused;
	result->schedule_fallbacks = s->schedule_fallbacks;
	result->schedule_unused = s->cfg.replay && s->replay_pos < s->cfg.replay->n
	                          ? s->cfg.replay->n - s->replay_pos : 0;
	if (s->schedule_refused)
		snprintf(result->limit_reason, sizeof result->limit_reason, "schedule");
}

/* ---- what each runnable task does next (cl_choice.next_step) ------------------------ */

void rt_pending_grow(struct rt_sched *s, int id)
{
	size_t cap = s->cap_pend ? s->cap_pend : 64;
	while (cap <= (size_t)id)
		cap *= 2;
	struct rt_pending *p = realloc(s->pend, cap * sizeof *p);
	if (!p)
		rt_oom();
	memset(p + s->cap_pend, 0, (cap - s->cap_pend) * sizeof *p);
	s->pend = p;
	s->cap_pend = cap;
}

/* A task's next op, as cl_choice.next_step says it: the op it announced
 * before the point it waits at; its own code (LOCAL) if it never ran (no
 * scheduling point yet); anything else is OTHER (a channel operation, a
 * lock, a wake-up inside a blocking call ...). */
static void next_op_of(const struct rt_sched *s, const struct rt_task *t, enum cl_step_kind *kind,
                       const void **addr)
{
	*kind = CL_STEP_OTHER;
	*addr = NULL;
	if (t->sched_points == 0) {
		*kind = CL_STEP_LOCAL;
	} else if (t->id >= 0 && (size_t)t->id < s->cap_pend && s->pend[t->id].set) {
		*kind = s->pend[t->id].kind;
		*addr = s->pend[t->id].addr;
	}
}

static struct rt_task *runnable_by_id(struct rt_sched *s, int id)
{
	for (int i = 0; i < s->nrun; i++)
		if (s->runq[i]->id == id)
			return s->runq[i];
	return NULL;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Sorts a step's runnable ids: insertion sort while they are few (nearly
 * every step; glibc's qsort copies through a merge buffer, a sixth of a
 * shrinking run's time), qsort beyond. */
static void sort_ids(int *ids, int n)
{
	if (n > 32) {
		qsort(ids, (size_t)n, sizeof *ids, cmp_int);
		return;
	}
	for (int i = 1; i < n; i++) {
		int v = ids[i], j = i;
		for (; j > 0 && ids[j - 1] > v; j--)
			ids[j] = ids[j - 1];
		ids[j] = v;
	}
}

static int cmp_task_id(const void *a, const void *b)
{
	int x = (*(struct rt_task *const *)a)->id, y = (*(struct rt_task *const *)b)->id;
	return (x > y) - (x < y);
}

/* Tasks by id, as sort_ids sorts ids. */
static void sort_tasks(struct rt_task **t, int n)
{
	if (n > 32) {
		qsort(t, (size_t)n, sizeof *t, cmp_task_id);
		return;
	}
	for (int i = 1; i < n; i++) {
		struct rt_task *v = t[i];
		int j = i;
		for (; j > 0 && t[j - 1]->id > v->id; j--)
			t[j] = t[j - 1];
		t[j] = v;
	}
}

/* The runnable ids, sorted, as "1, 3, 4" for a refusal. */
static void list_runnable(struct rt_sched *s, char *buf, size_t size)
{
	int ids[64];
	int n = s->nrun < 64 ? s->nrun : 64;
	for (int i = 0; i < n; i++)
		ids[i] = s->runq[i]->id;
	qsort(ids, (size_t)n, sizeof ids[0], cmp_int);
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && off + 16 < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%d", i ? ", " : "", ids[i]);
	if (n < s->nrun && off + 8 < size)
		snprintf(buf + off, size - off, ", ...");
}

/* Called by pick_next at a contended step (more than one task runnable),
 * after the strategy picked `chosen` (its draws are kept, so the seed's
 * stream stays the recorded run's).  Returns the task to run. */
struct rt_task *rt_schedule_decide(struct rt_sched *s, struct rt_task *chosen)
{
	struct rt_task *from = s->procs->current, *cur = from;
	if (cur && (cur->state != RT_RUNNABLE || cur->runq_index < 0))
		cur = NULL;
	struct rt_task *dflt = cur;
	if (!dflt) {
		dflt = s->runq[0];
		for (int i = 1; i < s->nrun; i++)
			if (s->runq[i]->id < dflt->id)
				dflt = s->runq[i];
	}
	struct cl_schedule *rec = s->cfg.record;
	bool need_ids = (rec && rec->detail) || (s->cfg.choose && !s->cfg.replay);
	int *ids = NULL;
	if (need_ids) {
		if (grow((void **)&s->choice_ids, &s->cap_choice_ids, (size_t)s->nrun,
		         sizeof *s->choice_ids) != 0)
			rt_oom();
		ids = s->choice_ids;
		if (!s->footprint_on) {   /* else from the tasks sorted below */
			for (int i = 0; i < s->nrun; i++)
				ids[i] = s->runq[i]->id;
			sort_ids(ids, s->nrun);
		}
	}
	if (s->footprint_on) {
		/* Each runnable task's next op, in the order of ids. */
		if ((size_t)s->nrun > s->cap_choice_next) {
			size_t cap = 2 * (size_t)s->nrun > 64 ? 2 * (size_t)s->nrun : 64;
			void *a = realloc(s->choice_tasks, cap * sizeof *s->choice_tasks);
			if (a)
				s->choice_tasks = a;
			void *b = realloc(s->choice_next, cap * sizeof *s->choice_next);
			if (b)
				s->choice_next = b;
			void *c = realloc(s->choice_addr, cap * sizeof *s->choice_addr);
			if (c)
				s->choice_addr = c;
			if (!a || !b || !c)
				rt_oom();
			s->cap_choice_next = cap;
		}
		memcpy(s->choice_tasks, s->runq, (size_t)s->nrun * sizeof *s->choice_tasks);
		sort_tasks(s->choice_tasks, s->nrun);
		for (int i = 0; i < s->nrun; i++) {
			ids[i] = s->choice_tasks[i]->id;
			next_op_of(s, s->choice_tasks[i], &s->choice_next[i], &s->choice_addr[i]);
		}
	}
	const struct cl_schedule *rp = s->cfg.replay;
	if (rp) {
		if (s->replay_pos < rp->n) {
			int want = rp->d[s->replay_pos].task;
			struct rt_task *t = runnable_by_id(s, want);
			if (!t && !s->cfg.replay_lenient) {
				char list[200];
				list_runnable(s, list, sizeof list);
				s->schedule_refused = s->replay_pos + 1;
				rt_finish_limit("schedule refused at decision %zu of %zu: task %d is not "
				                "runnable there (runnable: %s)",
				                s->replay_pos + 1, rp->n, want, list);
			}
			if (!t)
				s->schedule_fallbacks++;
			chosen = t ? t : dflt;
			s->replay_pos++;
		} else {
			chosen = dflt;
		}
	} else if (s->cfg.choose) {
		struct cl_choice c = {
			.index = s->replay_pos++,
			.from = from ? from->id : 0,
			.from_points = from ? from->sched_points : 0,
			.current = cur ? cur->id : 0,
			.dflt = dflt->id,
			.nrunnable = s->nrun,
			.runnable = ids,
			.step = s->fp_segs == 1 && !s->fp_tainted ? s->fp_kind : CL_STEP_OTHER,
			.step_addr = s->fp_addr,
			.next_step = s->footprint_on ? s->choice_next : NULL,
			.next_addr = s->footprint_on ? s->choice_addr : NULL,
		};
		s->fp_segs = 0;
		s->fp_tainted = false;
		s->fp_kind = CL_STEP_OTHER;
		struct rt_task *t = runnable_by_id(s, s->cfg.choose(s->cfg.choose_ctx, &c));
		chosen = t ? t : dflt;
	}
	if (rec) {
		struct cl_decision *d = append(rec);
		if (!d)
			rt_oom();
		d->task = chosen->id;
		d->current = cur ? cur->id : 0;
		d->dflt = dflt->id;
		d->from = from ? from->id : 0;
		d->from_points = from ? from->sched_points : 0;
		if (rec->detail) {
			if (grow((void **)&rec->runnable, &rec->cap_runnable,
			         rec->nrunnable + (size_t)s->nrun, sizeof *rec->runnable) != 0)
				rt_oom();
			memcpy(rec->runnable + rec->nrunnable, ids, (size_t)s->nrun * sizeof *ids);
			d->first = (uint32_t)rec->nrunnable;
			d->nrunnable = (uint32_t)s->nrun;
			rec->nrunnable += (size_t)s->nrun;
		}
	}
	return chosen;
}

/* ---- text ------------------------------------------------------------------------------ */

char *cl_schedule_format(const struct cl_schedule *s, size_t n)
{
	if (n > s->n)
		n = s->n;
	size_t cap = 64, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	len = (size_t)snprintf(buf, cap, "S%d-%016" PRIx64 "-", CL_SCHEDULE_VERSION, s->hash);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && s->d[j].task == s->d[i].task)
			j++;
		char tok[48];
		int k = j - i > 1 ? snprintf(tok, sizeof tok, "%s%dx%zu", i ? "." : "", s->d[i].task, j - i)
		                  : snprintf(tok, sizeof tok, "%s%d", i ? "." : "", s->d[i].task);
		if (len + (size_t)k + 1 > cap) {
			while (len + (size_t)k + 1 > cap)
				cap *= 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		memcpy(buf + len, tok, (size_t)k + 1);
		len += (size_t)k;
		i = j;
	}
	return buf;
}

static int parse_fail(struct cl_schedule *out, char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int parse_fail(struct cl_schedule *out, char *err, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	cl_schedule_free(out);
	return -1;
}

int cl_schedule_parse(const char *text, bool check_hash, uint64_t expect_hash,
                      struct cl_schedule *out, char *err, size_t err_size)
{
	cl_schedule_init(out);
	const char *p = text;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p != 'S' || p[1] < '0' || p[1] > '9')
		return parse_fail(out, err, err_size, "not a schedule: it must start with "
		                  "\"S%d-\" (a format version, a hash, the decisions)", CL_SCHEDULE_VERSION);
	char *end;
	errno = 0;
	unsigned long version = strtoul(p + 1, &end, 10);
	if (errno || *end != '-')
		return parse_fail(out, err, err_size, "not a schedule: a bad format version");
	if (version != CL_SCHEDULE_VERSION)
		return parse_fail(out, err, err_size, "schedule format version %lu; this chanlab "
		                  "reads version %d", version, CL_SCHEDULE_VERSION);
	p = end + 1;
	errno = 0;
	uint64_t hash = strtoull(p, &end, 16);
	if (errno || end - p != 16 || *end != '-')
		return parse_fail(out, err, err_size, "not a schedule: the hash must be 16 hex digits "
		                  "followed by '-'");
	if (check_hash && hash != expect_hash)
		return parse_fail(out, err, err_size, "this schedule was recorded for another program, "
		                  "seed or strategy (its hash %016" PRIx64 ", this run's %016" PRIx64 "): "
		                  "replay it with the options of the command that printed it",
		                  hash, expect_hash);
	out->hash = hash;
	p = end + 1;
	size_t token = 0;
	while (*p && *p != '\n' && *p != '\r' && *p != ' ') {
		token++;
		if (token > 1) {
			if (*p != '.')
				return parse_fail(out, err, err_size, "schedule: decision token %zu: expected "
				                  "'.' at \"%.12s\"", token, p);
			p++;
		}
		if (*p < '0' || *p > '9')
			return parse_fail(out, err, err_size, "schedule: decision token %zu: expected a "
			                  "task id at \"%.12s\"", token, p);
		errno = 0;
		unsigned long id = strtoul(p, &end, 10);
		if (errno || id == 0 || id > 0x7fffffff)
			return parse_fail(out, err, err_size, "schedule: decision token %zu: task id out "
			                  "of range", token);
		p = end;
		unsigned long count = 1;
		if (*p == 'x') {
			errno = 0;
			count = strtoul(p + 1, &end, 10);
			if (errno || end == p + 1 || count == 0 || count > 100000000ul)
				return parse_fail(out, err, err_size, "schedule: decision token %zu: a bad "
				                  "repeat count", token);
			p = end;
		}
		for (unsigned long k = 0; k < count; k++)
			if (cl_schedule_push(out, (int)id) != 0)
				return parse_fail(out, err, err_size, "schedule: out of memory");
	}
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p)
		return parse_fail(out, err, err_size, "schedule: unexpected text after the decisions "
		                  "at \"%.12s\"", p);
	return 0;
}

uint64_t cl_schedule_hash_str(uint64_t h, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	/* A separator, so "ab"+"c" and "a"+"bc" differ. */
	h ^= 0xff;
	h *= 0x100000001b3ull;
	return h;
}

uint64_t cl_schedule_hash_u64(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}
