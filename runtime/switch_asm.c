/*
 * switch_asm.c - rt_ctx_make for the assembly backends: lays out a new
 * stack so that the first rt_ctx_switch to it enters entry() with
 * the stack aligned as the ABI requires at a function's first instruction.
 */
#include "runtime/ctx.h"

#if RT_CTX_ASM
#include <stdint.h>
#include <string.h>

void rt_ctx_make(struct rt_ctx *ctx, void *lo, size_t size, void (*entry)(void))
{
	uintptr_t top = ((uintptr_t)lo + size) & ~(uintptr_t)15;
	void **sp = (void **)top;
#if defined(__x86_64__)
	/* After 6 pops and the pop of entry, rsp = top - 8: as if entry had
	 * been called. */
	*--sp = 0;                 /* entry's return address: none */
	*--sp = (void *)entry;     /* popped and jumped to (rbp 0: a new context) */
	for (int i = 0; i < 6; i++)
		*--sp = 0;             /* rbp rbx r12 r13 r14 r15 */
#else
	/* A 176-byte frame of zeros but x30 (offset 88) = entry; x29 = 0 ends
	 * frame-pointer walks. */
	sp -= 176 / sizeof(void *);
	memset(sp, 0, 176);
	sp[88 / sizeof(void *)] = (void *)entry;
#endif
	ctx->sp = sp;
}
#endif
