/*
 * switch_amd64.S - rt_ctx_switch for x86-64, System V ABI.
 *
 * void rt_ctx_switch(struct rt_ctx *from, struct rt_ctx *to)
 * Pushes the callee-saved registers on the current stack, stores the stack
 * pointer in from->sp, loads to->sp and pops the same registers; the final
 * ret returns into the resumed task.
 *
 * The first switch to a new context (rt_ctx_make in switch_asm.c lays it
 * out with a zero rbp, which no frame that switched has: the runtime keeps
 * frame pointers) jumps to its entry function instead of returning there.
 * The CPU predicts a ret from its stack of return addresses, which says
 * "back into the switch's caller": for a resumed task that is often right
 * (tasks switch from the same few call sites), for a new task it is always
 * wrong.  An indirect jump is predicted from where earlier ones went: a
 * spawn+join, one new task per iteration, takes a tenth less time.  Every
 * switch could jump, but a ping-pong, whose two tasks switch from the same
 * site, then took a third more: the return-address stack the skipped ret
 * leaves one entry off mispredicts the resumed task's returns.
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
	testq %rbp, %rbp
	jz 1f
	ret
1:	/* a new context: its entry, as a jump */
	popq %rcx
	jmpq *%rcx
	.size rt_ctx_switch, .-rt_ctx_switch
#endif
	.section .note.GNU-stack,"",@progbits
