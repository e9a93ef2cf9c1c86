/*
 * api.h - 21-aba-stack: what your file and the checks share.
 *
 * A lock-free stack (Treiber's) of node numbers 1..POOL, with nodes
 * reused: a node popped by one task is pushed back later.  head packs a
 * node number (low 32 bits; 0 = empty) and a tag (high 32 bits) into one
 * atomic word; next[i] is node i's successor.  Under chanlab's det
 * scheduler every atomic operation is a scheduling point, so the checker
 * can interleave tasks between a pop's load and its compare-and-swap.
 */
#ifndef EXERCISE_API_H
#define EXERCISE_API_H

#include "runtime/chanlab.h"

#define POOL 3

struct stack {
	cl_atomic64 head;             /* (tag << 32) | node */
	cl_atomic64 next[POOL + 1];   /* next[node]: the node below it (0 = none) */
};

/* Yours: pushes node (1..POOL) on the stack. */
void stack_push(struct stack *s, int node);
/* Yours: pops the top node, or returns 0 when the stack is empty. */
int stack_pop(struct stack *s);

#endif
