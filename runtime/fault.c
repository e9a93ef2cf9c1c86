/*
 * fault.c - a task that runs off its stack is reported by name, and the run
 * ends as fatal; no other task's memory is touched.
 *
 * Every task stack has a guard page below it (stack.c), and the program is
 * built with stack probing, so an overflow always faults in that page
 * before it writes anywhere else.  The fault arrives as SIGSEGV on the
 * faulting task's OS thread, whose stack is the one that just ran out: the
 * handler therefore runs on an alternate signal stack, one per OS thread
 * (the thread that calls cl_run and every par thread get one here).
 *
 * The handler maps the fault address to the task this thread runs (det:
 * the run's one processor; par: rt_par_task_here) and, if it lies in that
 * task's guard page, leaves the task for good:
 *
 *   det  builds the report (headline, task dump) on the signal stack, marks
 *        the run finished as CL_OUTCOME_FATAL and switches to the host
 *        context, exactly as rt_finish does; cl_run carries on there;
 *   par  records the outcome (rt_par_finish) and switches to the thread's
 *        g0 as an abandoned task (rt_par_abandon); cl_run builds the report.
 *
 * Either way the handler never returns: the faulting context is dropped
 * like any task still alive at the end of a run.  SA_NODEFER keeps SIGSEGV
 * deliverable afterwards, and leaving the signal stack by a context switch
 * is what the kernel expects of a handler that does not return (it looks at
 * the stack pointer, not at a flag).  A fault anywhere else is not ours: it
 * goes to the handler that was there before (a sanitizer's), or the default
 * action kills the process as it would have without us.
 *
 * Limits: the task could have been inside malloc or holding a runtime lock
 * when it overflowed; building the report then takes that lock again and
 * hangs.  The runtime's own frames are small, so an overflow almost always
 * happens in the pattern's code.
 *
 * The same file handles RT_STOP_SIGNAL, which ends a par run's task that
 * keeps its thread after the run is over (on_stop; sched_par.c).
 *
 * The handler and the previous handlers are process-wide (signal dispositions
 * are), installed once; the alternate stacks belong to their threads and are
 * unmapped when a thread exits.
 */
#include <pthread.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <ucontext.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/rt.h"
#include "runtime/sched.h"

#define ALT_STACK_SIZE (256 * 1024)

static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static pthread_key_t alt_key;
static struct sigaction old_segv, old_bus;

static _Thread_local char thread_tag;
/* This thread's alternate stack is ours and set (alt_key holds it): every
 * cl_run asks, and the answer need not cost pthread_once and a key look-up. */
static _Thread_local bool alt_installed;

const void *rt_thread_tag(void)
{
	return &thread_tag;
}

_Noreturn void rt_bug(const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "chanlab: BUG: %s\n", msg);
	struct rt_sched *s = rt_sched_cur;
	if (s && s->procs && s->slots) {
		/* The dump as a fatal report would print it, headline first. */
		s->finished = true;
		s->outcome = CL_OUTCOME_FATAL;
		rt_report_build(s, "task dump:");
		if (s->report)
			fputs(s->report, stderr);
	}
	fflush(stderr);
	_exit(70);
}

static void size_text(char *buf, size_t n, size_t bytes)
{
	if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
		snprintf(buf, n, "%zu MiB", bytes / (1024 * 1024));
	else if (bytes % 1024 == 0)
		snprintf(buf, n, "%zu KiB", bytes / 1024);
	else
		snprintf(buf, n, "%zu bytes", bytes);
}

static _Noreturn void overflow(struct rt_sched *s, struct rt_task *t)
{
	char headline[200], size[32];
	size_text(size, sizeof size, s->cfg.stack_size);
	const char *advice = s->cfg.stack_advice;
	snprintf(headline, sizeof headline, "fatal error: stack overflow in task %d \"%s\" (stack %s%s%s)",
	         t->id, t->name, size, advice && *advice ? "; " : "", advice ? advice : "");
	rt_lock_acquire(&s->finish_lock);
	if (!s->finished && !s->panic_task)
		s->panic_task = t;   /* listed as running in the dump */
	rt_lock_release(&s->finish_lock);
	s->ops->finish(s, t, CL_OUTCOME_FATAL, headline);
}

static void pass_on(int sig, siginfo_t *si, void *uc)
{
	struct sigaction *old = sig == SIGSEGV ? &old_segv : &old_bus;
	if (old->sa_flags & SA_SIGINFO) {
		old->sa_sigaction(sig, si, uc);
		return;
	}
	if (old->sa_handler == SIG_DFL || old->sa_handler == SIG_IGN) {
		/* Returning re-runs the faulting instruction, which now gets the
		 * default action: the crash the program would have had. */
		signal(sig, SIG_DFL);
		return;
	}
	old->sa_handler(sig);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	struct rt_sched *s = rt_sched_cur;
	struct rt_task *t = NULL;
	if (s)
		t = s->ops->task_here(s);
	if (t && rt_stack_guard_hit(t->stack, si->si_addr))
		overflow(s, t);
	pass_on(sig, si, uc);
}

/* The stack pointer where the signal interrupted this thread. */
static const void *interrupted_sp(void *uc)
{
#if defined(__x86_64__)
	return (const void *)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
	return (const void *)((ucontext_t *)uc)->uc_mcontext.sp;
#else
	(void)uc;
	return NULL;
#endif
}

/* RT_STOP_SIGNAL: the par run is over and this thread's task has not given
 * the thread back (sched_par.c stop_threads).  If the signal interrupted
 * the task itself (not the thread's g0), its context is dropped as any
 * task's still alive at the end of a run: switch to g0 for good. */
static void on_stop(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	struct rt_sched *s = rt_sched_cur;
	if (!s || !__atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE))   /* set by par alone */
		return;
	struct rt_task *t = rt_par_task_here();
	if (t && rt_par_on_task_stack(interrupted_sp(uc)))
		rt_par_abandon(t);
}

static void alt_free(void *base)
{
	alt_installed = false;
	stack_t off = {.ss_flags = SS_DISABLE};
	sigaltstack(&off, NULL);
	munmap(base, ALT_STACK_SIZE + (size_t)sysconf(_SC_PAGESIZE));
}

static void install(void)
{
	pthread_key_create(&alt_key, alt_free);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	sa.sa_sigaction = on_stop;
	sigaction(RT_STOP_SIGNAL, &sa, NULL);
}

void rt_fault_thread_init(void)
{
	if (alt_installed)
		return;
	pthread_once(&install_once, install);
	if (pthread_getspecific(alt_key)) {
		alt_installed = true;
		return;
	}
	stack_t cur;
	if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) &&
	    cur.ss_size >= ALT_STACK_SIZE / 4)
		return;   /* the thread has a big enough one already (a sanitizer's) */
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	char *base = mmap(NULL, ALT_STACK_SIZE + ps, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return;   /* an overflow then crashes plainly, as without us */
	mprotect(base, ps, PROT_NONE);
	stack_t ss = {.ss_sp = base + ps, .ss_size = ALT_STACK_SIZE};
	if (sigaltstack(&ss, NULL) != 0) {
		munmap(base, ALT_STACK_SIZE + ps);
		return;
	}
	pthread_setspecific(alt_key, base);
	alt_installed = true;
}

void rt_fault_thread_fini(void)
{
	void *base = pthread_once(&install_once, install) == 0 ? pthread_getspecific(alt_key) : NULL;
	if (!base)
		return;
	alt_installed = false;
	pthread_setspecific(alt_key, NULL);
	alt_free(base);
}
