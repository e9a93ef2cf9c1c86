/*
 * lock_free_stack.c - a Treiber stack: push and pop with compare-and-swap on
 * the head, no lock.  Nodes come from a fixed pool and are recycled through
 * a free list (itself such a stack), which is what makes the ABA problem
 * possible: a head that looks unchanged may have been popped and pushed
 * back in between.  The correct form packs a 32-bit node index and a 32-bit
 * counter into one 64-bit word, and bumps the counter on every change, so a
 * recycled head never compares equal.  Under the det scheduler every atomic
 * operation is a scheduling point, so the explorer can find the interleaving.
 * Read it beside patterns/go/lock_free_stack.go.
 *
 * Invariant the pattern checks:
 *   exactly-once  every value pushed comes out exactly once (popped by a
 *                 worker or left on the stack at the end).
 */
#include "patterns/pattern.h"

#define NIL 0u   /* node index 0 means "no node"; nodes are 1..size */

/* Go: type Stack struct { head atomic.Uint64 } -- index in the low 32 bits, counter in the high 32 */
struct stack {
	cl_atomic64 head;
	/* mutex form only */
	cl_mutex *mu;
	cl_shared(uint32_t) top;
};

/* The node pool: value[i] and next[i] belong to node i. */
struct pool {
	struct pattern_run *run;
	int *value;                /* shared: cl_rd/cl_wr */
	cl_atomic64 *next;         /* index of the node below (lock-free forms) */
	uint32_t *below;           /* the same, for the mutex form (cl_rd/cl_wr) */
	struct stack stack;        /* the stack under test */
	struct stack free;         /* unused nodes, recycled */
	cl_atomic64 fresh;         /* how many nodes were ever handed out */
	const struct stack_ops *ops;
	cl_waitgroup *wg;
};

struct stack_ops {
	void (*push)(struct pool *p, struct stack *s, uint32_t n);
	uint32_t (*pop)(struct pool *p, struct stack *s);
};

static int64_t pack(uint32_t index, uint32_t counter)
{
	return (int64_t)(((uint64_t)counter << 32) | index);
}

static uint32_t index_of(int64_t head)
{
	return (uint32_t)((uint64_t)head & 0xffffffffu);
}

static uint32_t counter_of(int64_t head)
{
	return (uint32_t)((uint64_t)head >> 32);
}

/* ---- the correct form: tagged index ------------------------------------------- */

/* Go: func (s *Stack) Push(n uint32) */
static void push(struct pool *p, struct stack *s, uint32_t n)
{
	/* Go: for { old := s.head.Load(); next[n] = index(old); if s.head.CompareAndSwap(old, pack(n, counter(old)+1)) { return } } */
	for (;;) {
		int64_t old = cl_atomic_load(&s->head);
		cl_atomic_store(&p->next[n], index_of(old));
		if (cl_atomic_cas(&s->head, old, pack(n, counter_of(old) + 1)))
			return;
	}
}

/* Go: func (s *Stack) Pop() uint32 */
static uint32_t pop(struct pool *p, struct stack *s)
{
	for (;;) {
		/* Go: old := s.head.Load(); if index(old) == nil { return nil } */
		int64_t old = cl_atomic_load(&s->head);
		uint32_t top = index_of(old);
		if (top == NIL)
			return NIL;
		/* Go: below := next[index(old)] -- may be stale if top was popped
		 * meanwhile; then the counter has moved and the CAS fails. */
		uint32_t below = (uint32_t)cl_atomic_load(&p->next[top]);
		if (cl_atomic_cas(&s->head, old, pack(below, counter_of(old) + 1)))
			return top;
	}
}

static const struct stack_ops ops_correct = {push, pop};

/* ---- variant aba: no counter ------------------------------------------------------ */

static void push_aba(struct pool *p, struct stack *s, uint32_t n)
{
	for (;;) {
		int64_t old = cl_atomic_load(&s->head);
		cl_atomic_store(&p->next[n], index_of(old));
		/* The push half of the mistake: pack(n, 0), no counter: the CAS compares only the node,
		 * like a plain pointer CAS. */
		if (cl_atomic_cas(&s->head, old, pack(n, 0)))
			return;
	}
}

static uint32_t pop_aba(struct pool *p, struct stack *s)
{
	for (;;) {
		int64_t old = cl_atomic_load(&s->head);
		uint32_t top = index_of(old);
		if (top == NIL)
			return NIL;
		uint32_t below = (uint32_t)cl_atomic_load(&p->next[top]);
		/* MISTAKE(aba): pack(below, 0) -- if top was popped and pushed back while
		 * we looked away, the head "looks the same" and the CAS succeeds
		 * with a stale below. */
		if (cl_atomic_cas(&s->head, old, pack(below, 0)))
			return top;
	}
}

static const struct stack_ops ops_aba = {push_aba, pop_aba};

/* ---- variant no-retry: one attempt ---------------------------------------------- */

static void push_no_retry(struct pool *p, struct stack *s, uint32_t n)
{
	int64_t old = cl_atomic_load(&s->head);
	cl_atomic_store(&p->next[n], index_of(old));
	/* MISTAKE(no-retry): no loop -- if another task changed head since the load, the
	 * CAS fails and the node is silently not pushed. */
	cl_atomic_cas(&s->head, old, pack(n, counter_of(old) + 1));
}

static uint32_t pop_no_retry(struct pool *p, struct stack *s)
{
	int64_t old = cl_atomic_load(&s->head);
	uint32_t top = index_of(old);
	if (top == NIL)
		return NIL;
	uint32_t below = (uint32_t)cl_atomic_load(&p->next[top]);
	/* The pop half of the mistake: no loop, a failed CAS reports "empty" */
	if (cl_atomic_cas(&s->head, old, pack(below, counter_of(old) + 1)))
		return top;
	return NIL;
}

static const struct stack_ops ops_no_retry = {push_no_retry, pop_no_retry};

/* ---- the mutex form ---------------------------------------------------------------- */

/* Go: func (s *MutexStack) Push(n uint32) { s.mu.Lock(); defer s.mu.Unlock(); below[n] = s.top; s.top = n } */
static void push_locked(struct pool *p, struct stack *s, uint32_t n)
{
	cl_lock(s->mu);
	cl_wr(p->below[n], cl_rd(s->top));
	cl_wr(s->top, n);
	cl_unlock(s->mu);
}

/* Go: func (s *MutexStack) Pop() uint32 */
static uint32_t pop_locked(struct pool *p, struct stack *s)
{
	cl_lock(s->mu);
	uint32_t top = cl_rd(s->top);
	if (top != NIL)
		cl_wr(s->top, cl_rd(p->below[top]));
	cl_unlock(s->mu);
	return top;
}

static const struct stack_ops ops_mutex = {push_locked, pop_locked};

/* ---- the workload ---------------------------------------------------------------------- */

/* A node for a new value: a recycled one, else one never used. */
static uint32_t node_new(struct pool *p)
{
	uint32_t n = p->ops->pop(p, &p->free);
	if (n == NIL)
		n = (uint32_t)cl_atomic_add(&p->fresh, 1);
	return n;
}

struct worker_args {
	struct pool *p;
	int id;
	int *got;                  /* got[v]: times this worker popped value v */
};

/* Go: func worker(id int, s *Stack) -- rounds of push, push, pop, pop */
static void worker(void *arg)
{
	struct worker_args *a = arg;
	struct pool *p = a->p;
	int rounds = (int)pattern_param(p->run, "rounds");
	for (int r = 0; r < rounds; r++) {
		for (int k = 0; k < 2; k++) {
			uint32_t n = node_new(p);
			int v = a->id * 1000 + r * 2 + k;
			cl_wr(p->value[n], v);
			cl_note("worker %d pushes %d (node %u)", a->id, v, n);
			p->ops->push(p, &p->stack, n);
		}
		for (int k = 0; k < 2; k++) {
			uint32_t n = p->ops->pop(p, &p->stack);
			if (n == NIL) {
				cl_note("worker %d finds the stack empty", a->id);
				continue;
			}
			int v = cl_rd(p->value[n]);
			cl_note("worker %d pops %d (node %u)", a->id, v, n);
			a->got[v]++;
			/* Go: free.Push(n) -- recycle the node */
			p->ops->push(p, &p->free, n);
		}
	}
	cl_wg_done(p->wg);
}

/* Go: func runStack(stack, free Stack) -- shared by every variant; ops is the
 * variant's stack. */
static void run_stack(struct pattern_run *run, const struct stack_ops *ops)
{
	int tasks = (int)pattern_param(run, "tasks");
	int rounds = (int)pattern_param(run, "rounds");
	int values = tasks * rounds * 2;
	int max_value = (tasks + 1) * 1000;
	struct pool *p = pattern_alloc(run, sizeof *p);
	p->run = run;
	p->ops = ops;
	p->value = pattern_alloc(run, (size_t)(values + 1) * sizeof *p->value);
	p->next = pattern_alloc(run, (size_t)(values + 1) * sizeof *p->next);
	p->below = pattern_alloc(run, (size_t)(values + 1) * sizeof *p->below);
	/* Names for the trace: which variable each atomic operation is on. */
	cl_atomic_name(&p->stack.head, "head");
	cl_atomic_name(&p->free.head, "free.head");
	cl_atomic_name_array(p->next, (size_t)values + 1, "next");
	cl_atomic_name(&p->fresh, "fresh");
	p->stack.mu = cl_mutex_new("stack.mu");
	p->free.mu = cl_mutex_new("free.mu");
	p->wg = cl_wg_new("wg");

	struct worker_args **w = pattern_alloc(run, (size_t)tasks * sizeof *w);
	cl_wg_add(p->wg, tasks);
	for (int i = 1; i <= tasks; i++) {
		w[i - 1] = pattern_alloc(run, sizeof **w);
		*w[i - 1] = (struct worker_args){p, i, pattern_alloc(run, (size_t)max_value * sizeof(int))};
		cl_go(worker, w[i - 1], "worker-%d", i);
	}
	/* Go: wg.Wait() */
	cl_wg_wait(p->wg);

	/* What is left on the stack counts too; a corrupted stack may loop. */
	int *seen = pattern_alloc(run, (size_t)max_value * sizeof *seen);
	int left = 0;
	uint32_t n;
	while ((n = ops->pop(p, &p->stack)) != NIL) {
		if (++left > values) {
			pattern_fail(run, "exactly-once", "the stack holds more nodes than were pushed: "
			             "its links form a cycle");
			return;
		}
		seen[cl_rd(p->value[n])]++;
	}
	for (int i = 0; i < tasks; i++)
		for (int v = 0; v < max_value; v++)
			seen[v] += w[i]->got[v];
	for (int i = 1; i <= tasks; i++)
		for (int v = i * 1000; v < i * 1000 + rounds * 2; v++)
			if (seen[v] != 1) {
				pattern_fail(run, "exactly-once", "value %d came out %d times", v, seen[v]);
				return;
			}
	cl_note("every one of the %d values came out exactly once", values);
}

static void lock_free_stack_correct(struct pattern_run *run)
{
	run_stack(run, &ops_correct);
}

static void lock_free_stack_aba(struct pattern_run *run)
{
	run_stack(run, &ops_aba);
}

static void lock_free_stack_no_retry(struct pattern_run *run)
{
	run_stack(run, &ops_no_retry);
}

static void lock_free_stack_mutex(struct pattern_run *run)
{
	run_stack(run, &ops_mutex);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t47 lock-free stack with CAS, and the ABA problem",
	"t16 sync/atomic versus sync.Mutex",
	"t48 channel vs mutex decision guide",
	NULL,
};

static const struct pattern_param params[] = {
	{"tasks", "8", "worker tasks sharing the stack", 1, 64, NULL},
	{"rounds", "40", "rounds of push, push, pop, pop per worker", 1, 400, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "a counter beside the node index makes a recycled head compare unequal", "ok",
	 lock_free_stack_correct, "lock_free_stack_correct", 1},
	{"aba", "CAS on the bare node: a head popped and pushed back looks unchanged",
	 "invariant:exactly-once", lock_free_stack_aba, "lock_free_stack_aba", 1,
	 "the CAS compares only the node, so when the head is popped and pushed back between a "
	 "load and the CAS it looks unchanged and the CAS installs a stale next pointer: nodes "
	 "are lost or come out twice; pair the pointer with a counter that every change bumps"},
	{"no-retry", "one CAS attempt and no loop: under contention a push is silently lost",
	 "invariant:exactly-once", lock_free_stack_no_retry, "lock_free_stack_no_retry", 1,
	 "a failed CAS is not retried, so when another task changed the head in between, the "
	 "push or pop is silently dropped; a lock-free operation loops: load, compute, CAS, "
	 "and try again when the CAS fails"},
	{"mutex", "the same stack behind a mutex: simpler, and correct", "ok", lock_free_stack_mutex,
	 "lock_free_stack_mutex", 1},
};

const struct pattern pattern_lock_free_stack = {
	.name = "lock-free-stack",
	.title = "Lock-free stack and the ABA problem",
	.level = PATTERN_STAFF,
	.summary = "A Treiber stack: push and pop read the head, prepare the new head, and install it "
	           "with compare-and-swap, retrying when another task got there first. No lock, so no "
	           "task ever waits for another. Nodes come from a pool and are recycled, so a CAS on "
	           "the bare node can be fooled: the head was popped and pushed back (A, then B, then A "
	           "again) and looks unchanged. Packing a counter beside the node index, bumped on every "
	           "change, makes the fooled CAS fail.",
	.handshake = "There is no hand-off between tasks: the CAS is the only meeting point. A task "
	             "loads the head, reads the node below it, and CASes the head from what it loaded "
	             "to what it computed. If any task changed the head in between, the CAS fails and "
	             "the task starts again with the new head.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/lock_free_stack.c",
	.go_source = "patterns/go/lock_free_stack.go",
};
