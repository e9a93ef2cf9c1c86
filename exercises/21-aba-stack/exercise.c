/* chanlab exercise 21-aba-stack */
/*
 * Lock-free stack with a tagged pointer: every successful change of head
 * also bumps the tag, so a compare-and-swap against a head that went
 * A -> B -> A fails.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include "api.h"

#define NODE(w) ((int)((w) & 0xffffffff))
#define TAG(w) ((int64_t)((uint64_t)(w) >> 32))
#define WORD(tag, node) ((int64_t)(((uint64_t)(tag) << 32) | (uint32_t)(node)))

void stack_push(struct stack *s, int node)
{
	/* TODO: a compare-and-swap loop; the new head word gets tag + 1. */
	int64_t old = cl_atomic_load(&s->head);
	cl_atomic_store(&s->next[node], NODE(old));
	cl_atomic_store(&s->head, WORD(TAG(old), node));
}

int stack_pop(struct stack *s)
{
	/* TODO: a compare-and-swap loop on the whole word (node and tag). */
	int64_t old = cl_atomic_load(&s->head);
	int top = NODE(old);
	if (top == 0)
		return 0;
	cl_atomic_store(&s->head, WORD(TAG(old), cl_atomic_load(&s->next[top])));
	return top;
}
