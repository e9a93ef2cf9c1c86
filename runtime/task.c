/*
 * task.c - tasks (goroutines): spawn, entry and exit, defer, panic, recover.
 *
 * A task's record lives at the top of its stack mapping (stack.c).  When a
 * deferred function recovers a panic, the task ends there and then, as if
 * its function had returned (what Go does for the function that deferred
 * the recover): the frames below the panic are simply never returned to,
 * and the stack goes back to the cache.  C has no destructors to run, so
 * no unwinding is needed.  Defers belong to the task, not to a C frame.
 *
 * A panic inside a deferred function that a panic is running joins the
 * chain (Go prints them all; once a deferred function has recovered and
 * returned, the chain starts afresh) and jumps back, with longjmp, to the outermost
 * panic's loop, which runs the remaining defers: the stack does not grow
 * with the chain, so 10,000 panicking defers in a row are fine.
 *
 * recover works only when called directly by the deferred function, as in
 * Go: call_defer records its own frame address, and cl_recover() (a macro)
 * passes the frame pointer its caller saved, which must be that one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/fiber.h"
#include "runtime/race.h"
#include "runtime/rt.h"
#include "runtime/sched.h"

/* Calls one deferred function from a frame of its own, whose address
 * cl_recover_from compares with its caller's saved frame pointer.  The
 * store after the call keeps it from being a tail call. */
static __attribute__((noinline)) void call_defer(struct rt_task *t, struct rt_defer d)
{
	void *volatile outer = t->defer_frame;
	t->defer_frame = __builtin_frame_address(0);
	d.fn(d.arg);
	t->defer_frame = outer;
}

static void run_defers(struct rt_task *t)
{
	while (t->ndefers > 0) {
		struct rt_defer d = t->defers[--t->ndefers];
		call_defer(t, d);
	}
}

static _Noreturn void task_exit(struct rt_sched *s, struct rt_task *t);

static void task_entry(void)
{
	struct rt_sched *s = rt_s();
	struct rt_task *t = rt_cur(s);
	s->ops->task_entered(s, t);
	rt_footprint(s, CL_STEP_LOCAL, NULL);   /* up to its first point, the task's own code */
	t->fn(t->arg);
	run_defers(t);
	task_exit(s, t);
}

/* Whether the task table (slots, ntasks, the ids) needs tasks_lock: only
 * when tasks on several processors can spawn and exit at once.  Under det,
 * and under par with one processor, only the thread running tasks touches
 * it (under par, one thread at a time: a processor's hand-off to another
 * thread synchronises, as does the host's start and end of the run). */
static inline bool table_shared(const struct rt_sched *s)
{
	return s->nprocs > 1;
}

/* A new slot at the end of the task table, which grows; tasks_lock held
 * if table_shared. */
static __attribute__((noinline)) int new_slot(struct rt_sched *s)
{
	if (s->nslots == s->cap_slots) {
		int cap = s->cap_slots ? s->cap_slots * 2 : 64;
		struct rt_task **slots = realloc(s->slots, (size_t)cap * sizeof *slots);
		int *free_slots = realloc(s->free_slots, (size_t)cap * sizeof *free_slots);
		if (!slots || !free_slots)
			rt_oom();
		s->slots = slots;
		s->free_slots = free_slots;
		s->cap_slots = cap;
	}
	return s->nslots++;
}

/* Puts t in a free slot of the task table (one a dead task left, most
 * often); tasks_lock held if table_shared. */
static inline void add_slot(struct rt_sched *s, struct rt_task *t)
{
	t->slot = s->nfree_slots ? s->free_slots[--s->nfree_slots] : new_slot(s);
	s->slots[t->slot] = t;
}

/* Zeroes a task record but for the buffers written before they are read:
 * the name (written next), the panic message (written by rt_panic), the
 * sleep timer (set by each sleep; only its heap index is read before) and
 * the random stream (task_init's).  Zeroing all of the 640-byte record was
 * most of rt_task_create's time: these are 360 bytes of it.  The fields
 * from state to panic_msg go in two pieces, each small enough for the
 * compiler to write with a few vector stores instead of a string
 * instruction that costs more to start than the whole. */
static inline __attribute__((always_inline)) void zero_small(char *p, size_t n)
{
	for (; n > 48; p += 48, n -= 48)
		memset(p, 0, 48);
	memset(p, 0, n);
}

static inline __attribute__((always_inline)) void init_record(struct rt_task *t)
{
#define ZERO_RANGE(from, to)                                                                   \
	zero_small((char *)t + offsetof(struct rt_task, from),                                       \
	           offsetof(struct rt_task, to) - offsetof(struct rt_task, from))
	ZERO_RANGE(ctx, name);
	ZERO_RANGE(state, panic_msg);
	ZERO_RANGE(panic_chain, sleep_timer);
	memset((char *)t + offsetof(struct rt_task, ran_at), 0,
	       sizeof *t - offsetof(struct rt_task, ran_at));
#undef ZERO_RANGE
	t->name[0] = '\0';
	t->panic_msg[0] = '\0';
	t->sleep_timer.heap_index = -1;
}

/* A zeroed record on a stack of its own, not yet known to the run (its
 * name is written before anyone can read it); NULL if no stack. */
static inline __attribute__((always_inline)) struct rt_task *task_alloc(struct rt_sched *s)
{
	/* The stack the last task to die here left (rt_task_retire): a
	 * spawn+join loop never goes to the cache.  Every stack of a run has
	 * the run's size. */
	struct rt_proc *p = rt_proc_of(s);
	struct rt_stack *st = p ? p->spare_stack : NULL;
	if (st)
		p->spare_stack = NULL;
	else if (!(st = rt_stack_get(s->cfg.stack_size)))
		return NULL;
	struct rt_task *t = st->task;
#ifdef RT_ASAN
	/* A reused stack keeps the poisoned redzones of frames its last task
	 * never returned from (tasks still blocked when a run ended). */
	__asan_unpoison_memory_region(st->lo, st->size);
#endif
	init_record(t);
	t->stack = st;
	return t;
}

/* Makes a named record from task_alloc a runnable task of the run (inlined:
 * a spawn's every call counts). */
static inline __attribute__((always_inline)) void
task_start(struct rt_sched *s, struct rt_task *t, void (*fn)(void *), void *arg, const char *file,
           int line)
{
	struct rt_stack *st = t->stack;
	t->fn = fn;
	t->arg = arg;
	struct rt_task *parent = s->procs ? rt_cur(s) : NULL;
	t->parent = parent ? parent->id : 0;
	t->created_file = file;
	t->created_line = line;
	t->file = file;
	t->line = line;
	t->runq_index = -1;
	s->ops->task_init(s, t);
	rt_ctx_make(&t->ctx, st->lo, st->size, task_entry);
#ifdef RT_TSAN
	t->tsan_fiber = __tsan_create_fiber(0);
#endif
	t->state = RT_RUNNABLE;   /* before the table publishes it: others read it there */
	bool shared = table_shared(s);
	if (shared)
		rt_lock_acquire(&s->tasks_lock);
	t->id = (int)++s->next_task_id;   /* under the table's lock: no atomic of its own */
	add_slot(s, t);
	s->ntasks++;
	s->tasks_spawned++;
	if ((uint64_t)s->ntasks > s->peak_tasks)
		s->peak_tasks = (uint64_t)s->ntasks;
	if (shared)
		rt_lock_release(&s->tasks_lock);
	rt_race_spawn(s, parent, t);   /* go f(): the spawn happens before f starts */
}

struct rt_task *rt_task_create(struct rt_sched *s, void (*fn)(void *), void *arg,
                               const char *name, const char *file, int line)
{
	struct rt_task *t = task_alloc(s);
	if (!t)
		return NULL;
	rt_copy_name(t->name, sizeof t->name, name);
	task_start(s, t, fn, arg, file, line);
	return t;
}

/* Frees what a task allocated besides its stack; it must not be running. */
static inline void release_extras(struct rt_task *t)
{
#ifdef RT_TSAN
	if (t->tsan_fiber)
		__tsan_destroy_fiber(t->tsan_fiber);
#endif
	/* Most tasks never deferred, panicked or made a big select. */
	if (t->defers)
		free(t->defers);
	if (t->panic_chain)
		free(t->panic_chain);
	if (t->select_buf)
		free(t->select_buf);
}

/* Gives a task's stack back; it must not be running. */
void rt_task_release(struct rt_task *t)
{
	release_extras(t);
	rt_stack_put(t->stack);
}

/* Called by the context that runs next on the dead task's processor (det:
 * the next task; par: that processor's g0 or next task), so the processor
 * is the caller's own. */
void rt_task_retire(struct rt_sched *s, struct rt_task *t)
{
	release_extras(t);
	struct rt_proc *p = rt_proc_of(s);
	if (p && !p->spare_stack)
		p->spare_stack = t->stack;
	else
		rt_stack_put(t->stack);
}

void rt_task_spares_put(struct rt_sched *s)
{
	for (int i = 0; s->procs && i < s->nprocs; i++) {
		if (s->procs[i].spare_stack)
			rt_stack_put(s->procs[i].spare_stack);
		s->procs[i].spare_stack = NULL;
	}
}

static void unlink_task(struct rt_sched *s, struct rt_task *t)
{
	bool shared = table_shared(s);
	if (shared)
		rt_lock_acquire(&s->tasks_lock);
	s->slots[t->slot] = NULL;
	s->free_slots[s->nfree_slots++] = t->slot;
	s->ntasks--;
	if (shared)
		rt_lock_release(&s->tasks_lock);
}

static int by_id(const void *a, const void *b)
{
	int x = (*(struct rt_task *const *)a)->id, y = (*(struct rt_task *const *)b)->id;
	return (x > y) - (x < y);
}

struct rt_task **rt_tasks_by_id(struct rt_sched *s, int *n)
{
	struct rt_task **out = malloc(((size_t)s->ntasks + 1) * sizeof *out);
	if (!out)
		rt_oom();
	int k = 0;
	for (int i = 0; i < s->nslots; i++)
		if (s->slots[i])
			out[k++] = s->slots[i];
	qsort(out, (size_t)k, sizeof *out, by_id);
	*n = k;
	return out;
}

/* The conversion at fmt (just after a '%') if it is one format_name
 * writes itself: signed 'i' (int), 'l' (long), 'q' (long long), 'z'
 * (%zd); unsigned 'I', 'L', 'Q', 'Z'; 's', 'c', '%'; else 0.  *len is how
 * many characters it spans. */
static char simple_conversion(const char *fmt, int *len)
{
	int l = 0;
	char size = 'i';
	if (fmt[0] == 'l' && fmt[1] == 'l') {
		size = 'q';
		l = 2;
	} else if (fmt[0] == 'l') {
		size = 'l';
		l = 1;
	} else if (fmt[0] == 'z') {
		size = 'z';
		l = 1;
	}
	char c = fmt[l];
	*len = l + 1;
	if (c == 'd' || c == 'i')
		return size;
	if (c == 'u')
		return (char)(size - 'a' + 'A');
	if (!l && (c == 's' || c == 'c' || c == '%'))
		return c;
	return 0;
}

static size_t put_unsigned(char *out, size_t len, size_t size, unsigned long long v, bool neg)
{
	if (v < 10 && !neg) {   /* "worker-3": one digit, no division */
		if (len < size - 1)
			out[len++] = (char)('0' + v);
		return len;
	}
	char digits[24];
	int n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		digits[n++] = '-';
	while (n && len < size - 1)
		out[len++] = digits[--n];
	return len;
}

static size_t put_signed(char *out, size_t len, size_t size, long long v)
{
	return put_unsigned(out, len, size, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v,
	                    v < 0);
}

/* A task's name from its printf format.  Every spawn formats one, and
 * vsnprintf was a quarter of a spawn's cost, so the formats names use
 * ("worker-%d", "%s-%zu", plain text) are written here, with the same
 * result (truncated to size - 1), in one pass over the format.  At the first
 * other conversion (flags, widths, %x ...) it returns false, and the caller
 * has vsnprintf write the whole name from the arguments again. */
static bool format_name(char *out, size_t size, const char *fmt, va_list ap)
{
	size_t n = 0;
	for (const char *p = fmt; *p && n < size - 1; p++) {
		if (*p != '%') {
			/* Names are short: a byte at a time costs less than
			 * strchrnul and memcpy's calls. */
			out[n++] = *p;
			continue;
		}
		int len;
		char conv = simple_conversion(p + 1, &len);
		p += len;
		switch (conv) {
		case 'i':
			n = put_signed(out, n, size, va_arg(ap, int));
			break;
		case 'l':
			n = put_signed(out, n, size, va_arg(ap, long));
			break;
		case 'q':
			n = put_signed(out, n, size, va_arg(ap, long long));
			break;
		case 'z':
			n = put_signed(out, n, size, va_arg(ap, ptrdiff_t));   /* %zd: size_t's signed type */
			break;
		case 'I':
			n = put_unsigned(out, n, size, va_arg(ap, unsigned), false);
			break;
		case 'L':
			n = put_unsigned(out, n, size, va_arg(ap, unsigned long), false);
			break;
		case 'Q':
			n = put_unsigned(out, n, size, va_arg(ap, unsigned long long), false);
			break;
		case 'Z':
			n = put_unsigned(out, n, size, va_arg(ap, size_t), false);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";   /* what glibc prints */
			while (*str && n < size - 1)
				out[n++] = *str++;
			break;
		}
		case 'c':
			out[n++] = (char)va_arg(ap, int);
			break;
		case '%':
			out[n++] = '%';
			break;
		default:   /* not one of ours: the name is vsnprintf's */
			return false;
		}
	}
	out[n] = '\0';
	return true;
}

int cl_spawn_at(const char *file, int line, void (*fn)(void *), void *arg,
                const char *name_fmt, ...)
{
	struct rt_sched *s = rt_s();
	struct rt_task *t = task_alloc(s);
	if (!t)
		rt_panic(file, line, rt_stack_error());
	/* Formatted straight into the record, before the run can see it. */
	va_list ap;
	va_start(ap, name_fmt);
	bool written = format_name(t->name, sizeof t->name, name_fmt, ap);
	va_end(ap);
	if (!written) {
		va_start(ap, name_fmt);
		vsnprintf(t->name, sizeof t->name, name_fmt, ap);
		va_end(ap);
	}
	task_start(s, t, fn, arg, file, line);
	int id = t->id;
	rt_progress(s);
	if (s->tracing) {
		struct cl_event ev = rt_event(s, CL_EV_SPAWN);
		ev.peer = t->id;
		ev.text = t->name;
		ev.file = file;
		ev.line = line;
		rt_emit(s, &ev);
	}
	s->ops->ready(s, t);
	rt_sched_point(file, line);
	return id;
}

static _Noreturn void task_exit(struct rt_sched *s, struct rt_task *t)
{
	if (s->tracing) {
		struct cl_event ev = rt_event(s, CL_EV_EXIT);
		rt_emit(s, &ev);
	}
	/* Other processors read a task's state without its owner's locks. */
	__atomic_store_n(&t->state, RT_DEAD, __ATOMIC_RELEASE);
	if (s->footprint_on)
		s->fp_tainted = true;   /* an exit conflicts with every step (main's ends the run) */
	rt_race_exit(s, t);
	rt_progress(s);
	if (t->messages)   /* under par an atomic on a shared line: not for every exit */
		rt_count(&s->messages, t->messages);
	unlink_task(s, t);
	s->ops->exit(s, t);   /* when main returns the program ends, as in Go */
}

int cl_task_id(void)
{
	return rt_current_id();
}

const char *cl_task_name(void)
{
	struct rt_sched *s = rt_s();
	struct rt_task *t = s ? rt_cur(s) : NULL;
	return t ? t->name : "runtime";
}

/* ---- defer, panic, recover ---------------------------------------------------- */

void cl_defer(void (*fn)(void *), void *arg)
{
	struct rt_task *t = rt_cur(rt_s());
	if (t->ndefers == t->cap_defers) {
		int cap = t->cap_defers ? t->cap_defers * 2 : 4;
		struct rt_defer *d = realloc(t->defers, (size_t)cap * sizeof *d);
		if (!d)
			rt_oom();
		t->defers = d;
		t->cap_defers = cap;
	}
	t->defers[t->ndefers++] = (struct rt_defer){fn, arg};
}

bool rt_defer_cancel(void (*fn)(void *), void *arg)
{
	struct rt_task *t = rt_cur(rt_s());
	for (int i = t->ndefers - 1; i >= 0; i--) {
		if (t->defers[i].fn == fn && t->defers[i].arg == arg) {
			memmove(&t->defers[i], &t->defers[i + 1],
			        (size_t)(t->ndefers - i - 1) * sizeof t->defers[0]);
			t->ndefers--;
			return true;
		}
	}
	return false;
}

/* Appends text to the task's panic chain. */
static void chain_add(struct rt_task *t, const char *text)
{
	size_t n = strlen(text);
	if (t->chain_len + n + 1 > t->chain_cap) {
		size_t cap = (t->chain_len + n + 1) * 2;
		char *c = realloc(t->panic_chain, cap);
		if (!c)
			rt_oom();
		t->panic_chain = c;
		t->chain_cap = cap;
	}
	memcpy(t->panic_chain + t->chain_len, text, n + 1);
	t->chain_len += n;
}

static void emit_panic(struct rt_sched *s, struct rt_task *t, const char *file, int line)
{
	if (s->tracing) {
		struct cl_event ev = rt_event(s, CL_EV_PANIC);
		ev.text = t->panic_msg;
		ev.file = file ? file : "";
		ev.line = line;
		rt_emit(s, &ev);
	}
}

_Noreturn void rt_panic(const char *file, int line, const char *msg)
{
	struct rt_sched *s = rt_s();
	struct rt_task *t = s ? rt_cur(s) : NULL;
	if (!t) {
		rt_bug("panic outside a task: %s", msg);
	}
	snprintf(t->panic_msg, sizeof t->panic_msg, "%s", msg);
	t->panicking = true;
	t->file = file;
	t->line = line;
	if (t->panic_jmp) {
		/* Raised by a deferred function that a panic is running (even
		 * after it recovered): Go prints the chain, and the outer loop
		 * goes on with the next defer. */
		if (t->chain_len)
			chain_add(t, "\n\tpanic: ");
		chain_add(t, msg);
		emit_panic(s, t, file, line);
		longjmp(*(jmp_buf *)t->panic_jmp, 1);
	}
	t->chain_len = 0;
	chain_add(t, msg);
	emit_panic(s, t, file, line);
	jmp_buf here;
	t->panic_jmp = &here;
	t->defer_frame = NULL;
	(void)setjmp(here);   /* a later panic in a defer comes back here */
	while (t->ndefers > 0) {
		struct rt_defer d = t->defers[--t->ndefers];
		call_defer(t, d);
		if (!t->panicking)
			t->chain_len = 0;   /* recovered and returned: a later panic starts afresh */
	}
	t->panic_jmp = NULL;
	t->defer_frame = NULL;
	if (!t->panicking)
		task_exit(s, t);   /* recovered: the task ends as if it returned */
	rt_lock_acquire(&s->finish_lock);
	if (!s->panic_task) {
		s->panic_task = t;
		snprintf(s->panic_msg, sizeof s->panic_msg, "%s", t->panic_chain);
	}
	rt_lock_release(&s->finish_lock);
	rt_finish(CL_OUTCOME_PANIC);
}

_Noreturn void cl_panic_at(const char *file, int line, const char *fmt, ...)
{
	char msg[RT_PANIC_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rt_panic(file, line, msg);
}

const char *cl_recover_from(void *callers_parent_frame)
{
	struct rt_sched *s = rt_s();
	struct rt_task *t = rt_cur(s);
	if (!t->panicking || !t->defer_frame || callers_parent_frame != t->defer_frame)
		return NULL;
	t->panicking = false;
	chain_add(t, " [recovered]");
	if (s->tracing) {
		struct cl_event ev = rt_event(s, CL_EV_RECOVER);
		ev.text = t->panic_msg;
		rt_emit(s, &ev);
	}
	return t->panic_msg;
}

/* `defer recover()`: called by the runtime, not by a deferred function,
 * so, as in Go, it stops nothing. */
void (cl_recover)(void *unused)
{
	(void)unused;
}

void cl_livelock_within(uint64_t steps)
{
	struct rt_sched *s = rt_s();
	/* Det only: under par other processors read the window unlocked
	 * (a pattern that tightens it runs under det).  A config that turned
	 * detection off (window UINT64_MAX) keeps it off. */
	if (!rt_par_active && steps && s->livelock_window != UINT64_MAX && steps < s->livelock_window)
		s->livelock_window = steps;
	s->det_check_step = 0;   /* det's pick looks at the limits again */
}
