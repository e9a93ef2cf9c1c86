/* chanlab exercise 21-aba-stack */
/* expect: result */
/*
 * MISTAKE (the ABA problem): the compare-and-swap loops are right but the
 * tag is never bumped.  A pop that read (A, next B) sleeps; others pop A,
 * pop B, push A back; the sleeper's CAS sees A again, succeeds, and
 * installs B, which another task is holding.
 */
#include "api.h"

#define NODE(w) ((int)((w) & 0xffffffff))
#define TAG(w) ((int64_t)((uint64_t)(w) >> 32))
#define WORD(tag, node) ((int64_t)(((uint64_t)(tag) << 32) | (uint32_t)(node)))

void stack_push(struct stack *s, int node)
{
	for (;;) {
		int64_t old = cl_atomic_load(&s->head);
		cl_atomic_store(&s->next[node], NODE(old));
		if (cl_atomic_cas(&s->head, old, WORD(TAG(old), node)))
			return;
	}
}

int stack_pop(struct stack *s)
{
	for (;;) {
		int64_t old = cl_atomic_load(&s->head);
		int top = NODE(old);
		if (top == 0)
			return 0;
		int below = (int)cl_atomic_load(&s->next[top]);
		if (cl_atomic_cas(&s->head, old, WORD(TAG(old), below)))
			return top;
	}
}
