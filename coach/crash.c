/*
 * crash.c - writes the schedule of the run a signal interrupts (crash.h).
 *
 * The handler runs in a process that is about to die, maybe with a
 * corrupted heap: it calls no malloc and no stdio, only write(2), and
 * formats the numbers itself.  The decisions so far are in the recording
 * explore asked the runtime for (cl_config.record of the run in
 * progress, from cl_run_config).  Replayed, those decisions lead to
 * the step that crashed; there the replay's continuation rule takes over,
 * and the crash comes before it has a choice to make.
 *
 * Signal dispositions are process-wide, so the fd and the replaced
 * actions are too: the only statics of the coach, set once before the
 * first run and read by the handler alone.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "coach/crash.h"
#include "runtime/chanlab.h"
#include "runtime/schedule.h"

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGXCPU};
#define NSIGNALS (sizeof crash_signals / sizeof crash_signals[0])

static int report_fd = -1;
static struct sigaction replaced[NSIGNALS];

/* Output that is only counted (fd < 0) or written through a small buffer. */
struct out {
	int fd;
	size_t len;
	char buf[512];
	size_t n;
};

static void flush(struct out *o)
{
	size_t done = 0;
	while (o->fd >= 0 && done < o->n) {
		ssize_t w = write(o->fd, o->buf + done, o->n - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	o->n = 0;
}

static void put(struct out *o, const char *s, size_t n)
{
	o->len += n;
	if (o->fd < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (o->n == sizeof o->buf)
			flush(o);
		o->buf[o->n++] = s[i];
	}
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_u64(struct out *o, uint64_t v, unsigned base, int width)
{
	char digits[24];
	int n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < width)
		digits[n++] = '0';
	char text[24];
	for (int i = 0; i < n; i++)
		text[i] = digits[n - 1 - i];
	put(o, text, (size_t)n);
}

/* The checker's name of the run: strategy and seed, then the schedule
 * string as cl_schedule_format writes it. */
static void put_name(struct out *o, const struct cl_config *cfg, const struct cl_schedule *rec)
{
	if (cfg->strategy == CL_STRATEGY_PCT) {
		put_str(o, "pct:");
		put_u64(o, (uint64_t)cfg->pct_depth, 10, 0);
		put_str(o, ":");
		put_u64(o, cfg->pct_steps, 10, 0);
		put_str(o, ":");
	} else {
		put_str(o, "random:");
	}
	put_u64(o, cfg->seed, 10, 0);
	put_str(o, ":S");
	put_u64(o, CL_SCHEDULE_VERSION, 10, 0);
	put_str(o, "-");
	put_u64(o, rec->hash, 16, 16);
	put_str(o, "-");
	for (size_t i = 0; i < rec->n;) {
		size_t j = i + 1;
		while (j < rec->n && rec->d[j].task == rec->d[i].task)
			j++;
		if (i)
			put_str(o, ".");
		put_u64(o, (uint64_t)rec->d[i].task, 10, 0);
		if (j - i > 1) {
			put_str(o, "x");
			put_u64(o, j - i, 10, 0);
		}
		i = j;
	}
}

static void write_schedule(void)
{
	const struct cl_config *cfg = cl_run_config();
	if (report_fd < 0 || !cfg || cfg->sched != CL_SCHED_DET || !cfg->record ||
	    !cfg->record->hash)
		return;
	struct out count = {.fd = -1};
	put_name(&count, cfg, cfg->record);
	struct out o = {.fd = report_fd};
	put_str(&o, "crash ");
	put_u64(&o, count.len, 10, 0);
	put_str(&o, "\n");
	put_name(&o, cfg, cfg->record);
	put_str(&o, "\n");
	flush(&o);
}

static void on_crash(int sig, siginfo_t *si, void *uc)
{
	write_schedule();
	size_t k = 0;
	while (k < NSIGNALS && crash_signals[k] != sig)
		k++;
	if (k == NSIGNALS)
		return;
	/* The replaced action takes over, for this signal and the next. */
	struct sigaction old = replaced[k];
	sigaction(sig, &old, NULL);
	if ((old.sa_flags & SA_SIGINFO) && old.sa_sigaction) {
		old.sa_sigaction(sig, si, uc);
		return;
	}
	if (old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN) {
		old.sa_handler(sig);
		return;
	}
	/* The default: a fault returns to its instruction, which faults again
	 * and is killed; a signal that was sent (raise, abort's first raise,
	 * the CPU limit) is sent once more. */
	if (si->si_code <= 0 || sig == SIGXCPU || sig == SIGABRT)
		raise(sig);
}

void coach_crash_report_install(int fd)
{
	report_fd = fd;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_crash;
	/* On the runtime's alternate stack when there is one (a task's stack
	 * may be the trouble); NODEFER so the replaced action's signal comes. */
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t k = 0; k < NSIGNALS; k++)
		sigaction(crash_signals[k], &sa, &replaced[k]);
}
