/* chanlab exercise 21-aba-stack */
/*
 * Lock-free stack with a tagged pointer, solved.  push and pop retry a
 * compare-and-swap of the whole head word; each success increments the
 * tag.  A pop that read head = (t, A) and next = B can only install B if
 * head is still (t, A): after A was popped and pushed back the tag is
 * higher, the CAS fails, and the pop starts again (the ABA problem).
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
		if (cl_atomic_cas(&s->head, old, WORD(TAG(old) + 1, node)))
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
		if (cl_atomic_cas(&s->head, old, WORD(TAG(old) + 1, below)))
			return top;
	}
}
