/*
 * switch_amd64.S - rt_ctx_switch for x86-64, System V ABI.
 *
 * void rt_ctx_switch(struct rt_ctx *from, struct rt_ctx *to)
 * Pushes the callee-saved registers on the current stack, stores the stack
 * pointer in from->sp, loads to->sp and pops the same registers; the final
 * ret returns into the resumed task (or, the first time, into its entry
 * function, as laid out by rt_ctx_make in switch_asm.c).
 */
#if defined(__x86_64__) && !defined(CHANLAB_UCONTEXT)
	.text
	.globl rt_ctx_switch
	.type rt_ctx_switch, @function
	.p2align 4
rt_ctx_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq (%rsi), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size rt_ctx_switch, .-rt_ctx_switch
#endif
	.section .note.GNU-stack,"",@progbits
