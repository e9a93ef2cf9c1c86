/*
 * ctx.h - saving and resuming a task's machine context.
 *
 * One backend is compiled, chosen here once: our own few instructions on
 * x86-64 (System V) and aarch64, because a user-space switch there saves
 * only the callee-saved registers and costs a few nanoseconds; ucontext
 * elsewhere (or with -DCHANLAB_UCONTEXT), which is portable but makes a
 * signal-mask system call on every switch.
 *
 * Neither backend saves the x87 control word or MXCSR: tasks must not
 * change the floating-point environment.
 */
#ifndef CHANLAB_CTX_H
#define CHANLAB_CTX_H

#include <stddef.h>

#if (defined(__x86_64__) || defined(__aarch64__)) && !defined(CHANLAB_UCONTEXT)
#define RT_CTX_ASM 1
struct rt_ctx {
	void *sp;   /* saved stack pointer; the registers are on the stack */
};
#else
#define RT_CTX_ASM 0
#include <ucontext.h>
struct rt_ctx {
	ucontext_t uc;
};
#endif

/* Saves the running context in *from and resumes *to. */
void rt_ctx_switch(struct rt_ctx *from, struct rt_ctx *to);

/* Prepares *ctx so that switching to it calls entry() on the stack
 * [lo, lo + size).  entry must never return. */
void rt_ctx_make(struct rt_ctx *ctx, void *lo, size_t size, void (*entry)(void));

#endif
