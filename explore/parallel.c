/*
 * parallel.c - random and PCT exploration on several processes at once
 * (ex_options.processes).  The seeds seed .. seed+runs-1 are cut into
 * blocks; worker processes take the blocks in order from a counter in
 * shared memory, run and judge every seed of a block, and write back the
 * block's counts and where in it the first failing and the first noted
 * runs were.  The parent merges the blocks in seed order and stops where a
 * single process would have stopped (at the first failing seed, or at the
 * first seed an interrupt left unrun), so the counts and what was found
 * are those of explore.c's explore_seeds; only the time differs.  Then it
 * runs the seeds that matter once more itself, recorded, for their
 * schedule strings: a seed fixes its run, so the re-run is the same run.
 *
 * The parent is one of the workers (it forks one fewer), passing Ctrl-C
 * and progress on between its runs, then waits for the others.
 *
 * Processes, not threads: cl_run is one run per thread, and a program
 * under exploration may keep state in globals; a forked worker has its own
 * copy of all of it, and nothing it does reaches the parent but its
 * blocks.  A failure in block b makes every block past b needless: workers
 * stop taking them and leave the one they are in.  Ctrl-C reaches the
 * parent (the workers ignore SIGINT), which raises a flag in the shared
 * memory that every forked worker's run polls (cl_config.interrupt).  A worker
 * that outlives its parent is killed (PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "explore/internal.h"

/* What became of a block.  Written by its worker last (release), read by
 * the parent after every worker has exited. */
enum block_state {
	BLOCK_TODO,       /* nobody took it */
	BLOCK_DONE,       /* every seed run, or up to its first failure */
	BLOCK_LEFT,       /* left unfinished: a failure earlier made it needless */
	BLOCK_STOPPED,    /* an interrupt stopped it after `runs` seeds */
	BLOCK_FAILED,     /* a run could not start (shared.error says why) */
};

struct block {
	int state;
	long runs, kept, aside, broken;
	long first_broken, first_aside;   /* offsets in the block; -1: none */
};

/* The memory the parent and its workers share (MAP_SHARED). */
struct shared {
	long next;                   /* the next block to take */
	long limit;                  /* blocks at or past it are needless */
	long done, kept;             /* runs so far, for progress */
	int interrupt;               /* raised by the parent; every run polls it */
	int failed;                  /* the first worker to fail writes error */
	char error[256];
	struct block blocks[];
};

struct plan {
	long runs;                   /* seeds in all */
	long size;                   /* seeds per block (the last may have fewer) */
	long nblocks;
};

/* Blocks small enough that the workers finish together (about 32 per
 * worker) and that a failure found leaves little needless work, large
 * enough that taking one costs nothing; at most 65,536 of them. */
static struct plan plan_of(long runs, int workers)
{
	struct plan p = {.runs = runs, .size = runs / ((long)workers * 32)};
	if (p.size < 16)
		p.size = 16;
	if (p.size > 1024)
		p.size = 1024;
	if (p.size < (runs + 65535) / 65536)
		p.size = (runs + 65535) / 65536;
	p.nblocks = (runs + p.size - 1) / p.size;
	return p;
}

static void lower_limit(long *limit, long to)
{
	long cur = __atomic_load_n(limit, __ATOMIC_ACQUIRE);
	while (to < cur &&
	       !__atomic_compare_exchange_n(limit, &cur, to, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		;
}

static void pass_on(const struct ex_options *user, struct shared *sh);

/* Runs block b's seeds in a worker.  Stops at the first failure when the
 * exploration does (and makes the blocks after b needless), when an
 * interrupt stops a run, and when an earlier block's failure makes b
 * needless. */
static void run_block(struct explorer *x, const struct ex_options *opt, struct shared *sh,
                      const struct plan *p, long b, const struct ex_options *user)
{
	struct block out = {.state = BLOCK_DONE, .first_broken = -1, .first_aside = -1};
	long lo = b * p->size, hi = lo + p->size < p->runs ? lo + p->size : p->runs;
	for (long i = lo; i < hi; i++) {
		if (b >= __atomic_load_n(&sh->limit, __ATOMIC_ACQUIRE)) {
			out.state = BLOCK_LEFT;
			break;
		}
		struct cl_config cfg;
		ex_config(opt, opt->seed + (uint64_t)i, opt->strategy, &cfg);
		enum ex_judgement j;
		struct ex_failure key;
		bool stopped;
		if (ex_run_once(x, &cfg, &j, &key, &stopped) != 0) {
			out.state = BLOCK_FAILED;
			if (!__atomic_exchange_n(&sh->failed, 1, __ATOMIC_ACQ_REL))
				snprintf(sh->error, sizeof sh->error, "%s", x->error);
			lower_limit(&sh->limit, 0);
			break;
		}
		if (stopped) {
			out.state = BLOCK_STOPPED;
			if (user)
				pass_on(user, sh);
			break;
		}
		out.runs++;
		if (j == EX_KEPT) {
			out.kept++;
			__atomic_fetch_add(&sh->kept, 1, __ATOMIC_RELAXED);
		} else if (j == EX_ASIDE) {
			if (out.aside++ == 0)
				out.first_aside = i - lo;
		} else if (out.broken++ == 0) {
			out.first_broken = i - lo;
		}
		long done = __atomic_add_fetch(&sh->done, 1, __ATOMIC_RELAXED);
		if (user && done % 64 == 0)
			pass_on(user, sh);
		if (j == EX_BROKEN && opt->stop_at_first) {
			lower_limit(&sh->limit, b + 1);
			break;
		}
	}
	struct block *blk = &sh->blocks[b];
	int state = out.state;
	out.state = BLOCK_TODO;
	*blk = out;
	__atomic_store_n(&blk->state, state, __ATOMIC_RELEASE);
}

/* The parent's share of the work, between its runs: the caller's
 * interrupt passed on to the workers, and progress. */
static void pass_on(const struct ex_options *user, struct shared *sh)
{
	if (ex_interrupted(user))
		__atomic_store_n(&sh->interrupt, 1, __ATOMIC_RELEASE);
	struct ex_progress pr = {.phase = "explore", .total = user->runs,
	                         .done = __atomic_load_n(&sh->done, __ATOMIC_RELAXED),
	                         .kept = __atomic_load_n(&sh->kept, __ATOMIC_RELAXED)};
	ex_progress_report(user, &pr);
}

/* Takes blocks in order until none is needed (or a run was stopped or
 * could not start).  user: the parent's options, NULL in a worker. */
static void take_blocks(struct explorer *x, const struct ex_options *opt, struct shared *sh,
                        const struct plan *p, const struct ex_options *user)
{
	for (;;) {
		long b = __atomic_fetch_add(&sh->next, 1, __ATOMIC_ACQ_REL);
		if (b >= p->nblocks || b >= __atomic_load_n(&sh->limit, __ATOMIC_ACQUIRE))
			break;
		run_block(x, opt, sh, p, b, user);
		int state = __atomic_load_n(&sh->blocks[b].state, __ATOMIC_ACQUIRE);
		if (state == BLOCK_STOPPED || state == BLOCK_FAILED)
			break;
	}
}

/* A worker process: its runs poll the shared interrupt flag. */
static _Noreturn void worker(const struct explorer *parent_x, const struct ex_options *parent_opt,
                             struct shared *sh, const struct plan *p, pid_t parent)
{
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
#else
	(void)parent;
#endif
	struct ex_options opt = *parent_opt;
	opt.interrupt = (volatile int *)&sh->interrupt;
	opt.progress = NULL;
	char error[256] = "";
	struct explorer x = *parent_x;
	x.opt = &opt;
	x.error = error;
	x.error_size = sizeof error;
	take_blocks(&x, &opt, sh, p, NULL);
	_exit(0);
}

/* Where the merge of the blocks in seed order ended. */
struct merged {
	long broken_at, aside_at;    /* run indices; -1: none */
	long stopped_at;             /* interrupted: the first seed's index not run; -1: not */
};

static struct merged merge(const struct shared *sh, const struct plan *p,
                           const struct ex_options *opt, struct ex_result *res)
{
	struct merged m = {-1, -1, -1};
	for (long b = 0; b < p->nblocks; b++) {
		const struct block *blk = &sh->blocks[b];
		int state = __atomic_load_n(&blk->state, __ATOMIC_ACQUIRE);
		long lo = b * p->size;
		if (state != BLOCK_DONE && state != BLOCK_STOPPED) {
			/* Not taken or left: only an interrupt leaves a block unrun
			 * before the first failure. */
			m.stopped_at = lo;
			break;
		}
		res->runs += blk->runs;
		res->kept += blk->kept;
		res->aside += blk->aside;
		res->broken += blk->broken;
		if (m.aside_at < 0 && blk->first_aside >= 0)
			m.aside_at = lo + blk->first_aside;
		if (m.broken_at < 0 && blk->first_broken >= 0) {
			m.broken_at = lo + blk->first_broken;
			if (opt->stop_at_first)
				break;
		}
		if (state == BLOCK_STOPPED) {
			m.stopped_at = lo + blk->runs;
			break;
		}
	}
	return m;
}

/* The schedule of the run at index i, and its judge's failure, into f
 * (also for the run an interrupt left unrun: its schedule and seed). */
static int record_found(struct explorer *x, const struct ex_options *opt, long i,
                        struct ex_found *f)
{
	struct cl_schedule rec;
	cl_schedule_init(&rec);
	struct ex_failure key;
	memset(&key, 0, sizeof key);
	uint64_t seed = opt->seed + (uint64_t)i;
	int rc = ex_record_seed(x, opt, seed, opt->strategy, &rec, &key);
	if (rc == 0)
		ex_set_found(f, i, seed, opt->strategy, opt, &key, &rec);
	cl_schedule_free(&rec);
	return rc;
}

/* Waits for every worker (the pipe's write ends close as they exit),
 * reporting progress and passing an interrupt on; then reaps them.  0, or
 * -1 with x->error set when a worker died. */
static int wait_workers(struct explorer *x, const struct ex_options *opt, struct shared *sh,
                        int done_fd, const pid_t *pids, int nworkers)
{
	struct pollfd pfd = {.fd = done_fd, .events = POLLIN};
	for (;;) {
		pass_on(opt, sh);
		int n = poll(&pfd, 1, 20);
		if (n > 0)
			break;   /* POLLHUP: every write end is closed */
		if (n < 0 && errno != EINTR)
			break;
	}
	int rc = 0;
	for (int w = 0; w < nworkers; w++) {
		int status;
		while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR)
			;
		if (rc == 0 && WIFSIGNALED(status)) {
			snprintf(x->error, x->error_size, "an explore worker process died of signal %d (%s)",
			         WTERMSIG(status), strsignal(WTERMSIG(status)));
			rc = -1;
		} else if (rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) != 0) {
			snprintf(x->error, x->error_size, "an explore worker process exited with status %d",
			         WEXITSTATUS(status));
			rc = -1;
		}
	}
	return rc;
}

int ex_explore_seeds_parallel(struct explorer *x, const struct ex_options *opt,
                              struct ex_result *res)
{
	int workers = opt->processes;
	struct plan p = plan_of(opt->runs, workers);
	if (workers > p.nblocks)
		workers = (int)p.nblocks;
	size_t bytes = sizeof(struct shared) + (size_t)p.nblocks * sizeof(struct block);
	struct shared *sh = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
	                         MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (sh == MAP_FAILED) {
		snprintf(x->error, x->error_size, "cannot map %zu bytes for the explore workers: %s",
		         bytes, strerror(errno));
		return -1;
	}
	sh->limit = p.nblocks;
	int fds[2];
	pid_t *pids = calloc((size_t)workers, sizeof *pids);
	if (!pids || pipe2(fds, O_CLOEXEC) != 0) {
		snprintf(x->error, x->error_size, "cannot start the explore workers: %s",
		         strerror(errno));
		free(pids);
		munmap(sh, bytes);
		return -1;
	}
	/* Buffered output would be written once by each worker too. */
	fflush(NULL);
	pid_t self = getpid();
	int started = 0;
	/* This process is one of the workers: one fork fewer, and its memory
	 * is warm (a forked worker's first runs copy the pages they write). */
	for (; started < workers - 1; started++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			close(fds[0]);
			worker(x, opt, sh, &p, self);
		}
		pids[started] = pid;
	}
	close(fds[1]);
	res->processes = started + 1;
	take_blocks(x, opt, sh, &p, opt);
	int rc = wait_workers(x, opt, sh, fds[0], pids, started);
	close(fds[0]);
	free(pids);
	if (rc == 0 && sh->failed) {
		snprintf(x->error, x->error_size, "%s", sh->error);
		rc = -1;
	}
	if (rc == 0) {
		struct merged m = merge(sh, &p, opt, res);
		struct ex_progress pr = {.phase = "explore", .done = res->runs, .total = p.runs,
		                         .kept = res->kept};
		ex_progress_report(opt, &pr);
		if (m.aside_at >= 0)
			rc = record_found(x, opt, m.aside_at, &res->first_aside);
		if (rc == 0 && m.broken_at >= 0)
			rc = record_found(x, opt, m.broken_at, &res->first);
		if (rc == 0 && m.stopped_at >= 0) {
			res->interrupted = true;
			struct ex_found cur = {0};
			rc = record_found(x, opt, m.stopped_at, &cur);
			res->current = cur.schedule;
			res->current_seed = cur.seed;
		}
	}
	munmap(sh, bytes);
	return rc;
}
