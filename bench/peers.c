/*
 * peers.c - the C peers of `chanlab bench` (see peers.h): what the same work
 * costs without the runtime, so each row says how far chanlab is from the
 * best thing this machine can do, not only from Go.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/peers.h"

/* ---- a bounded queue under one mutex and two condition variables ------------------------ */

#define QCAP_MAX 128

struct queue {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	long items[QCAP_MAX];
	int cap, head, len;
	bool closed;
};

static void queue_init(struct queue *q, int cap)
{
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->not_full, NULL);
	q->cap = cap < 1 ? 1 : cap > QCAP_MAX ? QCAP_MAX : cap;
	q->head = q->len = 0;
	q->closed = false;
}

static void queue_destroy(struct queue *q)
{
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
}

static void queue_put(struct queue *q, long v)
{
	pthread_mutex_lock(&q->mu);
	while (q->len == q->cap)
		pthread_cond_wait(&q->not_full, &q->mu);
	q->items[(q->head + q->len++) % q->cap] = v;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
}

/* False once the queue is closed and empty. */
static bool queue_get(struct queue *q, long *v)
{
	pthread_mutex_lock(&q->mu);
	while (q->len == 0 && !q->closed)
		pthread_cond_wait(&q->not_empty, &q->mu);
	bool ok = q->len > 0;
	if (ok) {
		*v = q->items[q->head];
		q->head = (q->head + 1) % q->cap;
		q->len--;
		pthread_cond_signal(&q->not_full);
	}
	pthread_mutex_unlock(&q->mu);
	return ok;
}

static void queue_close(struct queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->closed = true;
	pthread_cond_broadcast(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
}

/* ---- the pthread programs ---------------------------------------------------------------- */

struct pctx {
	struct queue a, b;
	long n, per_thread;
	pthread_mutex_t mu;
	long counter;
	atomic_long held;            /* mutex_contended: locks that found the mutex held */
};

static void *echo_thread(void *arg)
{
	struct pctx *c = arg;
	long v;
	while (queue_get(&c->a, &v))
		queue_put(&c->b, v);
	return NULL;
}

static void *drain_thread(void *arg)
{
	struct pctx *c = arg;
	long v;
	while (queue_get(&c->a, &v)) {
	}
	return NULL;
}

static void *produce_thread(void *arg)
{
	struct pctx *c = arg;
	for (long i = 0; i < c->per_thread; i++)
		queue_put(&c->a, i);
	return NULL;
}

static void *nothing_thread(void *arg)
{
	return arg;
}

static void *lock_thread(void *arg)
{
	struct pctx *c = arg;
	long held = 0;
	for (long i = 0; i < c->per_thread; i++) {
		bench_busy_ns(MUTEX_OUTSIDE_NS);   /* mutex_contended's work (programs.h) */
		if (pthread_mutex_trylock(&c->mu) != 0) {
			held++;
			pthread_mutex_lock(&c->mu);
		}
		c->counter++;
		bench_busy_ns(MUTEX_HOLD_NS);
		pthread_mutex_unlock(&c->mu);
	}
	atomic_fetch_add(&c->held, held);
	return NULL;
}

static int start_threads(pthread_t *t, int k, void *(*fn)(void *), void *arg)
{
	for (int i = 0; i < k; i++)
		if (pthread_create(&t[i], NULL, fn, arg) != 0) {
			for (int j = 0; j < i; j++)
				pthread_join(t[j], NULL);
			return -1;
		}
	return 0;
}

static void join_threads(pthread_t *t, int k)
{
	for (int i = 0; i < k; i++)
		pthread_join(t[i], NULL);
}

enum bench_peer_rc bench_pthread_run(enum bench_prog prog, long n, int threads,
                                     struct bench_sample *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof *out);
	out->overlap = -1;
	out->held = -1;
	out->cross = -1;
	if (threads < 1)
		threads = 2;
	if (threads > 16)
		threads = 16;
	struct pctx *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errsize, "out of memory");
		return BENCH_PEER_FAILED;
	}
	c->n = n;
	pthread_t t[16];
	enum bench_peer_rc rc = BENCH_PEER_OK;
	double t0 = bench_now_ns();
	switch (prog) {
	case BENCH_PINGPONG:
	case BENCH_PINGPONG_CROSS:
		queue_init(&c->a, 1);
		queue_init(&c->b, 1);
		if (start_threads(t, 1, echo_thread, c) != 0)
			goto no_thread;
		for (long i = 0; i < n; i++) {
			long v;
			queue_put(&c->a, i);
			queue_get(&c->b, &v);
		}
		queue_close(&c->a);
		join_threads(t, 1);
		break;
	case BENCH_SPSC:
	case BENCH_MPMC4X4: {
		int k = prog == BENCH_SPSC ? 1 : 4;
		queue_init(&c->a, prog == BENCH_SPSC ? 128 : 64);
		c->per_thread = n / k;
		if (start_threads(t, k, drain_thread, c) != 0)
			goto no_thread;
		if (start_threads(t + k, k, produce_thread, c) != 0) {
			queue_close(&c->a);
			join_threads(t, k);
			goto no_thread;
		}
		join_threads(t + k, k);
		queue_close(&c->a);
		join_threads(t, k);
		n = c->per_thread * k;
		break;
	}
	case BENCH_SPAWN_JOIN:
		for (long i = 0; i < n; i++) {
			if (pthread_create(&t[0], NULL, nothing_thread, NULL) != 0)
				goto no_thread;
			pthread_join(t[0], NULL);
		}
		break;
	case BENCH_MUTEX_CONTENDED:
		pthread_mutex_init(&c->mu, NULL);
		c->per_thread = n / threads;
		if (start_threads(t, threads, lock_thread, c) != 0)
			goto no_thread;
		join_threads(t, threads);
		pthread_mutex_destroy(&c->mu);
		n = c->per_thread * threads;
		out->held = n ? (double)atomic_load(&c->held) / (double)n : 0;
		break;
	default:
		rc = BENCH_PEER_NONE;
		break;
	}
	out->ns = bench_now_ns() - t0;
	out->ops = (uint64_t)n;
	out->procs = threads;
	if (prog != BENCH_SPAWN_JOIN && prog != BENCH_MUTEX_CONTENDED && rc == BENCH_PEER_OK) {
		queue_destroy(&c->a);
		if (prog == BENCH_PINGPONG || prog == BENCH_PINGPONG_CROSS)
			queue_destroy(&c->b);
	}
	free(c);
	return rc;
no_thread:
	snprintf(err, errsize, "pthread_create failed");
	free(c);
	return BENCH_PEER_FAILED;
}

/* ---- the floors -------------------------------------------------------------------------- */

struct spin {
	_Alignas(64) atomic_long turn;   /* odd: the echo thread's turn */
	long n;
};

static void *spin_echo(void *arg)
{
	struct spin *s = arg;
	for (long i = 0; i < s->n; i++) {
		while (atomic_load_explicit(&s->turn, memory_order_acquire) != 2 * i + 1) {
		}
		atomic_store_explicit(&s->turn, 2 * i + 2, memory_order_release);
	}
	return NULL;
}

static int spin_pingpong(long n, struct bench_sample *out, char *err, size_t errsize)
{
	struct spin *s = aligned_alloc(64, sizeof *s);
	if (!s) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	atomic_init(&s->turn, 0);
	s->n = n;
	pthread_t t;
	if (pthread_create(&t, NULL, spin_echo, s) != 0) {
		free(s);
		snprintf(err, errsize, "pthread_create failed");
		return -1;
	}
	double t0 = bench_now_ns();
	for (long i = 0; i < n; i++) {
		atomic_store_explicit(&s->turn, 2 * i + 1, memory_order_release);
		while (atomic_load_explicit(&s->turn, memory_order_acquire) != 2 * i + 2) {
		}
	}
	out->ns = bench_now_ns() - t0;
	out->ops = (uint64_t)n;
	pthread_join(t, NULL);
	free(s);
	return 0;
}

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102   /* Linux 6.13 */
#endif
#define GUARD_BATCH 64           /* slots per process_madvise, as the runtime's slabs */
#define PIDFD_SELF_THREAD (-10000)   /* process_madvise on the calling thread's process */

/* Makes the lowest page of each of count (at most GUARD_BATCH) slots,
 * spacing bytes apart from first, a guard page, in one system call where
 * the kernel allows it: the guard every chanlab stack has, and the
 * page-touch floor has not.  False if this kernel cannot (before Linux
 * 6.13). */
static bool guard_slots(char *first, int count, size_t spacing, size_t page)
{
	struct iovec pages[GUARD_BATCH];
	for (int i = 0; i < count; i++) {
		pages[i].iov_base = first + (size_t)i * spacing;
		pages[i].iov_len = page;
	}
#if defined(SYS_process_madvise)
	long got = syscall(SYS_process_madvise, PIDFD_SELF_THREAD, pages, count, MADV_GUARD_INSTALL, 0u);
	if (got == (long)((size_t)count * page))
		return true;
#endif
	for (int i = 0; i < count; i++)   /* no batching here: a call per page */
		if (madvise(pages[i].iov_base, page, MADV_GUARD_INSTALL) != 0)
			return false;
	return true;
}

/* In a child: map n slots of spacing bytes (address space only) and write
 * one byte into the top page of each, as a stack that is used for one frame
 * would; with guarded, first give each slot a guard page, GUARD_BATCH slots
 * at a time, as the runtime's stack slabs do.  The time and the peak RSS
 * growth go back through a pipe. */
static int page_touch(long n, size_t spacing, bool guarded, struct bench_sample *out, char *err,
                      size_t errsize)
{
	int fds[2];
	if (pipe(fds) != 0) {
		snprintf(err, errsize, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		snprintf(err, errsize, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		struct bench_sample s;
		memset(&s, 0, sizeof s);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		long before = ru.ru_maxrss;
		double t0 = bench_now_ns();
		size_t len = (size_t)n * spacing;
		char *base = mmap(NULL, len, PROT_READ | PROT_WRITE,
		                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (base == MAP_FAILED)
			_exit(2);
		size_t page = (size_t)sysconf(_SC_PAGESIZE);
		for (long i = 0; i < n; i += GUARD_BATCH) {
			long end = i + GUARD_BATCH < n ? i + GUARD_BATCH : n;
			if (guarded && !guard_slots(base + (size_t)i * spacing, (int)(end - i), spacing, page))
				_exit(3);
			for (long j = i; j < end; j++)
				base[(size_t)(j + 1) * spacing - 64] = (char)j;
		}
		s.ns = bench_now_ns() - t0;
		getrusage(RUSAGE_SELF, &ru);
		s.ops = (uint64_t)n;
		s.kib_per_task = n ? (double)(ru.ru_maxrss - before) / (double)n : 0;
		s.rss_mib = (double)(ru.ru_maxrss - before) / 1024.0;
		ssize_t w = write(fds[1], &s, sizeof s);
		_exit(w == (ssize_t)sizeof s ? 0 : 1);
	}
	close(fds[1]);
	size_t got = 0;
	while (got < sizeof *out) {
		ssize_t r = read(fds[0], (char *)out + got, sizeof *out - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fds[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
	if (got != sizeof *out) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 3) {
			snprintf(err, errsize, "this kernel has no MADV_GUARD_INSTALL (Linux 6.13)");
			return 1;
		}
		snprintf(err, errsize, "the page-touch child failed (status %d)", status);
		return -1;
	}
	return 0;
}

enum bench_peer_rc bench_floor_run(enum bench_prog prog, long n, size_t stack_spacing,
                                   struct bench_sample *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof *out);
	out->overlap = out->held = out->cross = -1;
	if (prog == BENCH_PINGPONG || prog == BENCH_PINGPONG_CROSS)
		return spin_pingpong(n, out, err, errsize) ? BENCH_PEER_FAILED : BENCH_PEER_OK;
	if (prog == BENCH_BLOCKED)
		return page_touch(n, stack_spacing ? stack_spacing : 256 * 1024, false, out, err, errsize)
		               ? BENCH_PEER_FAILED
		               : BENCH_PEER_OK;
	return BENCH_PEER_NONE;
}

enum bench_peer_rc bench_floor_guarded_run(enum bench_prog prog, long n, size_t stack_spacing,
                                           struct bench_sample *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof *out);
	out->overlap = out->held = out->cross = -1;
	if (prog != BENCH_BLOCKED)
		return BENCH_PEER_NONE;
	int rc = page_touch(n, stack_spacing ? stack_spacing : 256 * 1024, true, out, err, errsize);
	return rc < 0 ? BENCH_PEER_FAILED : rc > 0 ? BENCH_PEER_NONE : BENCH_PEER_OK;
}

/* ---- Boost.Fiber --------------------------------------------------------------------------- */

static bool executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

bool bench_boost_find(const char *self_exe, char *path, size_t size, char *why, size_t whysize)
{
	const char *env = getenv("CHANLAB_BENCH_BOOST");
	if (env && *env) {
		snprintf(path, size, "%s", env);
		if (executable(path))
			return true;
	}
	char exe[PATH_MAX];
	if (self_exe && realpath(self_exe, exe)) {
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			const char *cands[] = {"/bench-boost-fiber", "/build/release/bench-boost-fiber"};
			for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
				snprintf(path, size, "%s%s", exe, cands[i]);
				if (executable(path))
					return true;
			}
		}
	}
	snprintf(why, whysize, "%s",
	         access("/usr/include/boost/fiber/all.hpp", R_OK) == 0
	                 ? "bench-boost-fiber not built (make bench builds it)"
	                 : "not installed (make deps installs libboost-fiber-dev)");
	return false;
}

enum bench_peer_rc bench_boost_run(const char *path, enum bench_prog prog, long n,
                                   struct bench_sample *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof *out);
	out->overlap = out->held = out->cross = -1;
	const char *name = prog == BENCH_PINGPONG ? "pingpong"
	                   : prog == BENCH_SPSC ? "spsc"
	                   : prog == BENCH_MPMC4X4 ? "mpmc4x4"
	                   : prog == BENCH_SPAWN_JOIN ? "spawn_join"
	                   : prog == BENCH_BLOCKED ? "blocked"
	                   : NULL;
	if (!name)
		return BENCH_PEER_NONE;
	char cmd[PATH_MAX + 128];
	snprintf(cmd, sizeof cmd, "'%s' %s %ld 2>&1", path, name, n);
	FILE *p = popen(cmd, "r");
	if (!p) {
		snprintf(err, errsize, "cannot run %s", path);
		return BENCH_PEER_FAILED;
	}
	char line[256] = "";
	double ns = 0, kib = 0, mib = 0;
	unsigned long long ops = 0;
	bool ok = fgets(line, sizeof line, p) &&
	          sscanf(line, "%lf %llu %lf %lf", &ns, &ops, &kib, &mib) == 4;
	int st = pclose(p);
	if (!ok || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(err, errsize, "bench-boost-fiber %s failed: %.*s", name,
		         (int)strcspn(line, "\n"), line);
		return BENCH_PEER_FAILED;
	}
	out->ns = ns;
	out->ops = ops;
	out->kib_per_task = kib;
	out->rss_mib = mib;
	return BENCH_PEER_OK;
}
