/*
 * syscall_handoff.c - a task blocked in a system call must not hold its
 * processor.  As many readers as there are processors each wait in a real
 * blocking call (poll on a pipe); a writer, which needs a processor to run,
 * writes the byte each of them waits for.  Wrapped in cl_syscall_enter and
 * cl_syscall_exit (what Go's runtime does around every syscall), the call
 * hands its processor to another thread (the trace's `handoff` event), so
 * the writer runs at once.  Not wrapped, every processor sits in the kernel
 * and the writer waits for the calls to time out.  Read it beside
 * patterns/go/syscall_handoff.go.
 *
 * Par only (PATTERN_SCHED_PAR): det's one thread would simply block.
 *
 * Checks:
 *   metric read_wait_ms  the longest a reader waited for a byte the writer
 *                        was ready to write (the calls give up at --timeout).
 */
#include <poll.h>

#include "patterns/pattern.h"

#define SH_MAX_READERS 256

struct handoff {
	struct pattern_run *run;
	cl_waitgroup *started;     /* every reader is about to make its call */
	cl_waitgroup *done;
	int fds[SH_MAX_READERS][2];
	int nreaders;
	int timeout_ms;
};

struct reader_args {
	struct handoff *h;
	int i;
	void (*wait_readable)(struct handoff *h, int fd);
};

/* Go: syscall.Syscall(SYS_PPOLL, ...): the runtime's entersyscall and
 * exitsyscall around the call let another thread take the processor. */
static void wait_handing_off(struct handoff *h, int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	cl_syscall_enter();
	int n = poll(&pfd, 1, h->timeout_ms);
	cl_syscall_exit();
	(void)n;   /* the caller reads what arrived, if anything */
}

/* Variant blocks-processor: the same call, nothing around it. */
static void wait_holding_processor(struct handoff *h, int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int n = poll(&pfd, 1, h->timeout_ms); /* MISTAKE(blocks-processor): a blocking call without cl_syscall_enter/exit: the thread sleeps in the kernel holding its processor */
	(void)n;
}

/* Variant busy-poll: non-blocking polls in a loop, until the timeout. */
static void wait_busy_polling(struct handoff *h, int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	cl_time give_up = cl_now() + (cl_time)h->timeout_ms * CL_MS;
	while (poll(&pfd, 1, 0) == 0 && cl_now() < give_up) /* MISTAKE(busy-poll): polls without blocking and retries at once: the processor never comes free */
		pfd.revents = 0;
}

/* Go: go func(i int) { defer done.Done(); started.Done(); waitReadable(fd); read(fd) }(i) */
static void reader(void *arg)
{
	struct reader_args *r = arg;
	struct handoff *h = r->h;
	int fd = h->fds[r->i][0];
	cl_wg_done(h->started);
	cl_time t0 = cl_now();
	r->wait_readable(h, fd);
	char c = 0;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	bool got = poll(&pfd, 1, 0) == 1 && read(fd, &c, 1) == 1;
	cl_time waited = cl_now() - t0;
	pattern_metric_max(h->run, "read_wait_ms", waited / CL_MS);
	if (got)
		cl_note("%s read '%c' after %lld ms", cl_task_name(), c, PATTERN_MS(waited));
	else
		cl_note("%s gave up after %lld ms: nothing arrived", cl_task_name(), PATTERN_MS(waited));
	cl_wg_done(h->done);
}

/* Go: go func() { started.Wait(); for each pipe: write(w, "x") }() -- it
 * needs a processor to run, like any goroutine. */
static void writer(void *arg)
{
	struct handoff *h = arg;
	cl_wg_wait(h->started);
	cl_note("writer writes to all %d pipes", h->nreaders);
	for (int i = 0; i < h->nreaders; i++)
		if (write(h->fds[i][1], "x", 1) != 1)
			pattern_fail(h->run, "written", "the write to pipe %d failed", i);
	cl_wg_done(h->done);
}

static void serve(struct pattern_run *run, void (*wait_readable)(struct handoff *, int))
{
	struct handoff *h = pattern_alloc(run, sizeof *h);
	h->run = run;
	h->timeout_ms = (int)pattern_param(run, "timeout");
	long n = pattern_param(run, "readers");
	h->nreaders = (int)(n ? n : cl_procs());
	if (h->nreaders > SH_MAX_READERS)
		h->nreaders = SH_MAX_READERS;
	pattern_limit(run, "read_wait_ms", 50, "ms");
	pattern_metric(run, "read_wait_ms", 0);
	pattern_metric_meaning(run, "read_wait_ms",
	                       "a reader waited {value} for a byte the writer had ready: the writer had "
	                       "no processor to run on while the readers' calls held them all (a "
	                       "hand-off lets it run at once; limit {limit})");
	for (int i = 0; i < h->nreaders; i++)
		if (pipe(h->fds[i]) != 0) {
			pattern_fail(run, "pipes", "cannot make pipe %d", i);
			h->nreaders = i;
			break;
		}
	h->started = cl_wg_new("started");
	h->done = cl_wg_new("done");
	cl_wg_add(h->started, h->nreaders);
	cl_wg_add(h->done, h->nreaders + 1);
	for (int i = 0; i < h->nreaders; i++) {
		struct reader_args *r = pattern_alloc(run, sizeof *r);
		*r = (struct reader_args){h, i, wait_readable};
		cl_go(reader, r, "reader-%d", i);
	}
	cl_go(writer, h, "writer");
	cl_wg_wait(h->done);
	for (int i = 0; i < h->nreaders; i++) {
		close(h->fds[i][0]);
		close(h->fds[i][1]);
	}
}

/* Go: func correct() */
static void syscall_handoff_correct(struct pattern_run *run)
{
	serve(run, wait_handing_off);
}

/* Go: func blocksProcessor() */
static void syscall_handoff_blocks_processor(struct pattern_run *run)
{
	serve(run, wait_holding_processor);
}

/* Go: func busyPoll() */
static void syscall_handoff_busy_poll(struct pattern_run *run)
{
	serve(run, wait_busy_polling);
}

/* ---- registration ------------------------------------------------------------- */

static const char *const topics[] = {
	"t34 a goroutine in a blocking syscall: its M keeps it, its P goes to another M",
	"t1 Go's GMP model: an M must hold a P to run Go code",
	"t3 why goroutines are cheap: a blocking call parks the goroutine, not the program",
	NULL,
};

static const struct pattern_param params[] = {
	{"readers", "0", "readers blocked in a call at once (0: one per processor)", 0,
	 SH_MAX_READERS, NULL},
	{"timeout", "200", "milliseconds after which a reader's call gives up", 60, 10000, NULL},
};

static const struct pattern_variant variants[] = {
	{"correct", "the blocking call hands its processor to another thread: the writer runs at once",
	 "ok", syscall_handoff_correct, "syscall_handoff_correct", 1},
	{"blocks-processor", "a blocking call that keeps its processor: with every one taken, nobody runs",
	 "metric:read_wait_ms>50", syscall_handoff_blocks_processor, "syscall_handoff_blocks_processor", 1,
	 .lesson = "each reader sleeps in the kernel while its thread still holds a processor, so "
	           "once every processor is in such a call no task can run, not even the writer "
	           "they wait for: the calls end only at their timeout. Around a blocking call the "
	           "runtime must give the processor away (Go's entersyscall; here cl_syscall_enter)."},
	{"busy-poll", "non-blocking polls retried at once: the readers spin on every processor",
	 "metric:read_wait_ms>50", syscall_handoff_busy_poll, "syscall_handoff_busy_poll", 1,
	 .lesson = "making the call non-blocking does not help when the reader retries at once: "
	           "it never blocks and never reaches a scheduling point, so it holds its processor "
	           "as surely as a blocking call, and the writer cannot run. Wait in the runtime "
	           "(a blocking call it knows about, or Go's netpoller) instead of spinning."},
};

const struct pattern pattern_syscall_handoff = {
	.name = "syscall-handoff",
	.title = "Blocking system calls: handing the processor off",
	.level = PATTERN_SENIOR,
	.summary = "A goroutine in a blocking system call (a file read, a poll) keeps its OS thread, "
	           "which sleeps in the kernel; Go's runtime takes the processor (P) from that thread "
	           "and gives it to another, so the other goroutines keep running. When the call "
	           "returns, the goroutine queues for a processor again. Here as many readers as "
	           "there are processors wait in a blocking poll on a pipe, and a writer needs a "
	           "processor to write what they wait for. Network I/O in Go avoids even the blocked "
	           "thread: the netpoller parks the goroutine and watches the socket with epoll. "
	           "Par only: the trace shows each hand-off.",
	.handshake = "Each reader says it is about to wait (started.Done), then enters the call; "
	             "cl_syscall_enter gives its processor to a spare or new thread, which runs the "
	             "writer. The writer waits for started, then writes a byte to every pipe; each "
	             "reader's call returns, cl_syscall_exit queues the reader for a processor, and "
	             "it reads its byte.",
	.topics = topics,
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.variants = variants,
	.nvariants = sizeof variants / sizeof variants[0],
	.source = "patterns/syscall_handoff.c",
	.go_source = "patterns/go/syscall_handoff.go",
	.sched = PATTERN_SCHED_PAR,
};
