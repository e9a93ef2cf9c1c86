/*
 * switch_ucontext.c - the portable context backend (see ctx.h for why it is
 * only the fallback): swapcontext saves and restores the signal mask too.
 */
#include "runtime/ctx.h"

#if !RT_CTX_ASM
void rt_ctx_switch(struct rt_ctx *from, struct rt_ctx *to)
{
	swapcontext(&from->uc, &to->uc);
}

void rt_ctx_make(struct rt_ctx *ctx, void *lo, size_t size, void (*entry)(void))
{
	getcontext(&ctx->uc);
	ctx->uc.uc_stack.ss_sp = lo;
	ctx->uc.uc_stack.ss_size = size;
	ctx->uc.uc_link = NULL;
	makecontext(&ctx->uc, entry, 0);
}
#endif
