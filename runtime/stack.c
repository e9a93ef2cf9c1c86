/*
 * stack.c - task stacks: mmap'd, lazily committed, reused through a free list.
 *
 * Stacks come in slabs of SLAB_STACKS mappings, one mmap each, so spawning
 * a million tasks costs thousands of mmap calls, not millions.  A mapping
 * holds, from low to high addresses: a guard page, the stack, then the task
 * record (struct rt_task) and the stack record (struct rt_stack).  The
 * kernel commits a page only when it is first touched, so a task blocked
 * after a few calls costs one page: the top one.
 *
 * Every stack has a guard page, so running off the bottom of a stack faults
 * at the first byte outside it (fault.c reports it by task) and can never
 * write into the mapping below.  Frames larger than a page cannot jump the
 * guard: the whole program is built with -fstack-clash-protection, which
 * touches every page of a large frame in order, top down (Makefile).
 *
 * Guard pages must not cost a mapping each: the kernel allows only
 * vm.max_map_count of them (65,530 by default), and an mprotect'd page
 * splits a mapping in two.  Linux 6.13's MADV_GUARD_INSTALL makes a page
 * fault without splitting anything, so a million tasks need no more
 * mappings than their slabs.  On older kernels (and where the call is
 * refused, e.g. under valgrind) stacks get an mprotect'd guard page while
 * the map limit leaves room (half of what is left when the first slab is
 * made); beyond that a spawn is refused with a clear error rather than
 * started without a guard.
 *
 * A new slab's work is done per slab, not per stack, where the kernel lets
 * a process advise itself with process_madvise: one call installs its 64
 * guard pages, another commits its 64 top pages (MADV_POPULATE_WRITE),
 * which the stack records are written into next and a task's record and
 * first frames share.  A million stacks then cost 31,250 calls instead of
 * a million madvise calls and a million page faults (the page allocation
 * itself, zeroing and charging it, is the same; that is what the bench's
 * page-touch floor measures).
 *
 * The free list is per OS thread and outlives a run: the explorer runs
 * thousands of programs a second on the same stacks.  rt_stack_trim, at the
 * end of a run, unmaps whole free slabs beyond a reserve, so a run of a
 * million tasks does not keep its memory; adjacent slabs go in one
 * munmap.  Under par a processor's own cache takes and gives back half of
 * its PROC_STACKS at a time, so bursts of spawns or exits rarely take the
 * shared lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "runtime/rt.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define RT_HAVE_VALGRIND 1
#endif
#endif

#define SLAB_STACKS 64
#define KEEP_STACKS 1024               /* free stacks rt_stack_trim keeps */
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102         /* Linux 6.13 */
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23         /* Linux 5.14 */
#endif
#define PIDFD_SELF_THREAD (-10000)     /* process_madvise on the calling thread's process */

struct rt_slab {
	char *base;
	size_t bytes;
	int nfree;                /* stacks of this slab on the free list */
	bool doomed;              /* being unmapped by rt_stack_trim */
	bool mprotected;          /* its guard pages are mprotect'd ones (a mapping each) */
	struct rt_slab *prev, *next;
};

struct stack_cache {
	struct rt_stack *free;
	long nfree;
	size_t map_size;          /* every cached stack has this size */
	int guard_kind;           /* 0 unknown, 1 madvise guards, 2 mprotect within budget */
	int batch;                /* process_madvise on ourselves: 0 untried, 1 works, -1 refused */
	long mprotected;          /* stacks guarded by mprotect, alive or free */
	long mprotect_budget;     /* how many the map limit allows (guard_kind 2) */
	struct rt_slab *slabs;
	long nslabs;
	bool registered;          /* the thread-exit destructor is set (cache_free clears it) */
};

/* Per OS thread; only the runtime touches it.  A par run's processors all
 * use the cache of the thread that called cl_run, under a lock. */
static _Thread_local struct stack_cache thread_cache;

/* Address ranges to unmap, joined while they are adjacent: the slabs of a
 * big run were mapped one below the other and go in a few munmap calls
 * rather than one each (each of which split the mapping they had merged
 * into). */
struct unmapping {
	char *lo, *hi;
};

static void unmap_slab(struct stack_cache *c, struct rt_slab *slab, struct unmapping *u);
static void unmap_flush(struct unmapping *u);

/* A thread's cache goes when the thread does (a thread that called cl_run
 * and then exits is not in a run: every stack of its cache is free). */
static pthread_once_t cache_key_once = PTHREAD_ONCE_INIT;
static pthread_key_t cache_key;

static void cache_free(void *arg)
{
	struct stack_cache *c = arg;
	struct unmapping u = {NULL, NULL};
	while (c->slabs)
		unmap_slab(c, c->slabs, &u);
	unmap_flush(&u);
	c->free = NULL;
	c->nfree = 0;
	c->registered = false;   /* a later run on this thread (another destructor's) sets it again */
}

static void cache_key_make(void)
{
	pthread_key_create(&cache_key, cache_free);
}

void *rt_stack_cache_self(void)
{
	if (!thread_cache.registered) {   /* once per thread, not per run */
		pthread_once(&cache_key_once, cache_key_make);
		pthread_setspecific(cache_key, &thread_cache);
		thread_cache.registered = true;
	}
	return &thread_cache;
}

/* The cache to use: on the threads of a parallel run (par) the host
 * thread's, locked (before and after the run the host uses it alone). */
static inline struct stack_cache *cache_lock(bool par)
{
	if (par) {
		struct rt_sched *s = rt_s();
		rt_lock_acquire(&s->stack_lock);
		return s->stack_cache;
	}
	return &thread_cache;
}

static inline void cache_unlock(bool par)
{
	if (par)
		rt_lock_release(&rt_s()->stack_lock);
}

/* The page size, asked once: sysconf was a tenth of a spawn's
 * instructions when every stack allocation asked.  A fact of the process,
 * the same for every run and thread (a racing first call stores the same
 * value), and read from the SIGSEGV handler too. */
static size_t page_size(void)
{
	static size_t page;
	size_t ps = __atomic_load_n(&page, __ATOMIC_RELAXED);
	if (!ps) {
		ps = (size_t)sysconf(_SC_PAGESIZE);
		__atomic_store_n(&page, ps, __ATOMIC_RELAXED);
	}
	return ps;
}

static const char *last_error = "out of memory";

const char *rt_stack_error(void)
{
	return last_error;
}

/* Mappings this process may still create: vm.max_map_count less the ones
 * it has (one line each in /proc/self/maps). */
static long maps_left(void)
{
	long max_maps = 65530, used = 0;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	if (f) {
		if (fscanf(f, "%ld", &max_maps) != 1)
			max_maps = 65530;
		fclose(f);
	}
	f = fopen("/proc/self/maps", "r");
	if (f) {
		int c;
		while ((c = getc(f)) != EOF)
			used += c == '\n';
		fclose(f);
	}
	return max_maps - used;
}

/* Makes the page at map a guard page; false if no guard can be had. */
static bool guard(struct stack_cache *c, char *map, size_t ps)
{
	if (c->guard_kind != 2) {
		if (madvise(map, ps, MADV_GUARD_INSTALL) == 0) {
			c->guard_kind = 1;
			return true;
		}
		if (c->guard_kind == 1)
			return false;   /* worked before: out of memory */
		/* An older kernel: mprotect'd pages, two mappings per stack,
		 * half of what is left for us, the rest for the program. */
		c->guard_kind = 2;
		long left = maps_left();
		c->mprotect_budget = left > 0 ? left / 4 : 0;
	}
	if (c->mprotected >= c->mprotect_budget) {
		last_error = "runtime: no task stack can be guarded any more (the kernel's vm.max_map_count "
		             "is used up and it lacks MADV_GUARD_INSTALL, Linux 6.13); refusing to start "
		             "a task without a guard page";
		return false;
	}
	if (mprotect(map, ps, PROT_NONE) != 0)
		return false;
	c->mprotected++;
	return true;
}

/* Gives the same advice to one page of each stack of a slab, the page at
 * offset in each mapping, with one process_madvise call on ourselves where
 * the kernel allows it (Linux 6.13 took any advice for the calling process,
 * PIDFD_SELF came later); a million stacks then take 15,625 calls, not a
 * million.  False where refused: the caller does it page by page.  Not
 * under valgrind, which would not see the guards (it refuses madvise's,
 * and stacks get mprotect'd ones it knows of). */
static bool advise_slab(struct stack_cache *c, char *base, size_t map_size, size_t offset,
                        int advice)
{
#if defined(SYS_process_madvise)
	if (c->batch < 0)
		return false;
#ifdef RT_HAVE_VALGRIND
	if (RUNNING_ON_VALGRIND) {
		c->batch = -1;
		return false;
	}
#endif
	size_t ps = page_size();
	struct iovec pages[SLAB_STACKS];
	for (int i = 0; i < SLAB_STACKS; i++) {
		pages[i].iov_base = base + (size_t)i * map_size + offset;
		pages[i].iov_len = ps;
	}
	long done = syscall(SYS_process_madvise, PIDFD_SELF_THREAD, pages, SLAB_STACKS, advice, 0u);
	if (done == (long)(SLAB_STACKS * ps)) {
		c->batch = 1;
		return true;
	}
	if (c->batch == 0)
		c->batch = -1;   /* never worked here: not tried again */
	return false;
#else
	(void)c, (void)base, (void)map_size, (void)offset, (void)advice;
	return false;
#endif
}

static size_t records_size(void)
{
	return (sizeof(struct rt_task) + sizeof(struct rt_stack) + 63) & ~(size_t)63;
}

static void stack_init(struct rt_stack *st, struct rt_slab *slab, char *map, size_t map_size,
                       bool mprotected)
{
	size_t ps = page_size();
	char *records = map + map_size - records_size();
	st->slab = slab;
	st->map_size = map_size;
	st->guarded = mprotected;
	st->lo = map + ps;
	st->size = (size_t)(records - (char *)st->lo) & ~(size_t)15;
	st->task = (struct rt_task *)records;
#ifdef RT_HAVE_VALGRIND
	st->valgrind_id = VALGRIND_STACK_REGISTER(st->lo, (char *)st->lo + st->size);
#endif
}

static struct rt_stack *stack_of(char *map, size_t map_size)
{
	return (struct rt_stack *)(map + map_size - records_size() + sizeof(struct rt_task));
}

static bool refill(struct stack_cache *c, size_t map_size)
{
	last_error = "runtime: cannot allocate a task stack (out of memory)";
	struct rt_slab *slab = calloc(1, sizeof *slab);
	if (!slab)
		return false;
	slab->bytes = map_size * SLAB_STACKS;
	slab->base = mmap(NULL, slab->bytes, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (slab->base == MAP_FAILED) {
		free(slab);
		return false;
	}
	size_t ps = page_size();
	long mprotected_before = c->mprotected;
	bool batched = c->guard_kind != 2 && advise_slab(c, slab->base, map_size, 0, MADV_GUARD_INSTALL);
	if (batched)
		c->guard_kind = 1;
	for (int i = 0; !batched && i < SLAB_STACKS; i++) {
		if (!guard(c, slab->base + (size_t)i * map_size, ps)) {
			c->mprotected = mprotected_before;
			munmap(slab->base, slab->bytes);
			free(slab);
			return false;
		}
	}
	/* The top page of every stack is written next (its stack record, then
	 * the task record and the first frames): committed in one call rather
	 * than by 64 page faults.  If refused, the writes fault them in. */
	(void)advise_slab(c, slab->base, map_size, map_size - ps, MADV_POPULATE_WRITE);
	bool mprotected = c->guard_kind == 2;
	slab->mprotected = mprotected;
	slab->next = c->slabs;
	if (c->slabs)
		c->slabs->prev = slab;
	c->slabs = slab;
	c->nslabs++;
	/* Pushed from the top down, so the lowest stack is used first. */
	for (int i = SLAB_STACKS - 1; i >= 0; i--) {
		char *map = slab->base + (size_t)i * map_size;
		struct rt_stack *st = stack_of(map, map_size);
		stack_init(st, slab, map, map_size, mprotected);
		st->next = c->free;
		c->free = st;
		c->nfree++;
		slab->nfree++;
	}
	return true;
}

static void trim(struct stack_cache *c);
static struct rt_stack *take(struct stack_cache *c, size_t map_size, bool may_refill);

/* Under par each processor keeps up to PROC_STACKS free stacks of its
 * own, touched only by the thread holding it (a spawn on it, an exit on
 * its g0): most spawns and exits take no shared lock.  in_par_run: this
 * thread works for a par run (rt_proc_self() is then its processor, or
 * NULL on the host thread). */
#define PROC_STACKS 16

static inline bool in_par_run(void)
{
	return rt_par_active && rt_s();
}

struct rt_stack *rt_stack_get(size_t map_size)
{
	size_t ps = page_size();
	map_size = (map_size + ps - 1) & ~(ps - 1);
	if (map_size < 4 * ps)
		map_size = 4 * ps;
	bool par = in_par_run();
	struct rt_proc *p = par ? rt_proc_self() : NULL;
	if (p && p->stacks && p->stacks->map_size == map_size) {
		struct rt_stack *st = p->stacks;
		p->stacks = st->next;
		p->nstacks--;
		st->next = NULL;
		return st;
	}
	struct stack_cache *c = cache_lock(par);
	struct rt_stack *st = take(c, map_size, true);
	/* A processor takes up to half its cache's worth at once (Go's
	 * stackcache refill), of the free ones (no new slab for that): a burst
	 * of spawns takes the shared lock once per PROC_STACKS / 2 of them. */
	for (int i = 1; st && p && !p->stacks && i < PROC_STACKS / 2; i++) {
		struct rt_stack *more = take(c, map_size, false);
		if (!more)
			break;
		more->next = p->stacks;
		p->stacks = more;
		p->nstacks++;
	}
	cache_unlock(par);
	return st;
}

/* A free stack of map_size from c, or, if there is none and may_refill,
 * from a new slab; NULL if none. */
static struct rt_stack *take(struct stack_cache *c, size_t map_size, bool may_refill)
{
	/* A slab must fit the address space: 64 stacks of at most 1 GiB. */
	if (c->map_size != map_size) {
		/* Another size: new stacks from new slabs; the old free ones are
		 * unmapped by the next trim once all of their slab is free. */
		trim(c);
		c->map_size = map_size;
	}
	struct rt_stack **pp = &c->free;
	while (*pp && (*pp)->map_size != map_size)
		pp = &(*pp)->next;
	if (!*pp) {
		if (!may_refill || !refill(c, map_size))
			return NULL;
		pp = &c->free;
	}
	struct rt_stack *st = *pp;
	*pp = st->next;
	c->nfree--;
	st->slab->nfree--;
	st->next = NULL;
	return st;
}

/* Puts st on c's free list. */
static void give(struct stack_cache *c, struct rt_stack *st)
{
	st->next = c->free;
	c->free = st;
	c->nfree++;
	st->slab->nfree++;
}

void rt_stack_put(struct rt_stack *st)
{
	bool par = in_par_run();
	struct rt_proc *p = par ? rt_proc_self() : NULL;
	if (p && p->nstacks < PROC_STACKS) {
		st->next = p->stacks;
		p->stacks = st;
		p->nstacks++;
		return;
	}
	struct stack_cache *c = cache_lock(par);
	if (!p) {
		give(c, st);
		cache_unlock(par);
		return;
	}
	/* A full processor cache gives its older half back at once (Go's
	 * stackcache release), so a burst of exits takes the shared lock once
	 * per PROC_STACKS / 2 of them, and keeps the stacks freed last. */
	struct rt_stack **keep = &p->stacks;
	for (int i = 0; *keep && i < PROC_STACKS / 2; i++)
		keep = &(*keep)->next;
	while (*keep) {
		struct rt_stack *back = *keep;
		*keep = back->next;
		p->nstacks--;
		give(c, back);
	}
	cache_unlock(par);
	st->next = p->stacks;
	p->stacks = st;
	p->nstacks++;
}

void rt_stack_procs_flush(struct rt_sched *s)
{
	for (int i = 0; s->procs && i < s->nprocs; i++) {
		struct rt_proc *p = &s->procs[i];
		while (p->stacks) {
			struct rt_stack *st = p->stacks;
			p->stacks = st->next;
			rt_stack_put(st);   /* the host's cache: no processor here */
		}
		p->nstacks = 0;
	}
}

long rt_stack_slabs(void)
{
	return thread_cache.nslabs;
}

bool rt_stack_guard_hit(const struct rt_stack *st, const void *addr)
{
	const char *a = addr, *lo = st->lo;
	return a < lo && a >= lo - page_size();
}

static void unmap_flush(struct unmapping *u)
{
	if (u->lo)
		munmap(u->lo, (size_t)(u->hi - u->lo));
	u->lo = u->hi = NULL;
}

static void unmap_add(struct unmapping *u, char *base, size_t bytes)
{
	if (u->lo && base == u->hi) {
		u->hi = base + bytes;
	} else if (u->lo && base + bytes == u->lo) {
		u->lo = base;
	} else {
		unmap_flush(u);
		u->lo = base;
		u->hi = base + bytes;
	}
}

/* Takes slab out of c and queues its memory on u.  Its stacks' pages are
 * not read (a million of them at the end of a big run, each a TLB miss):
 * the guard kind is the slab's, and valgrind's registrations are only
 * dropped under valgrind. */
static void unmap_slab(struct stack_cache *c, struct rt_slab *slab, struct unmapping *u)
{
	if (slab->mprotected)
		c->mprotected -= SLAB_STACKS;
#ifdef RT_HAVE_VALGRIND
	if (RUNNING_ON_VALGRIND) {
		size_t map_size = slab->bytes / SLAB_STACKS;
		for (int i = 0; i < SLAB_STACKS; i++)
			VALGRIND_STACK_DEREGISTER(stack_of(slab->base + (size_t)i * map_size, map_size)->valgrind_id);
	}
#endif
	if (slab->prev)
		slab->prev->next = slab->next;
	else
		c->slabs = slab->next;
	if (slab->next)
		slab->next->prev = slab->prev;
	c->nslabs--;
	unmap_add(u, slab->base, slab->bytes);
	free(slab);
}

/* Every stack is free (the usual case at the end of a run): keep the first
 * slabs, unmap the rest, and rebuild the free list from the kept ones only,
 * without walking a million free stacks. */
static void trim_all_free(struct stack_cache *c)
{
	long keep = KEEP_STACKS / SLAB_STACKS;
	struct rt_slab *s = c->slabs;
	for (long i = 0; s && i < keep; i++)
		s = s->next;
	struct unmapping u = {NULL, NULL};
	while (s) {
		struct rt_slab *next = s->next;
		unmap_slab(c, s, &u);
		s = next;
	}
	unmap_flush(&u);
	c->free = NULL;
	c->nfree = 0;
	for (s = c->slabs; s; s = s->next) {
		size_t map_size = s->bytes / SLAB_STACKS;
		for (int i = SLAB_STACKS - 1; i >= 0; i--) {
			struct rt_stack *st = stack_of(s->base + (size_t)i * map_size, map_size);
			st->next = c->free;
			c->free = st;
			c->nfree++;
		}
	}
}

void rt_stack_trim(void)
{
	trim(&thread_cache);
}

static void trim(struct stack_cache *c)
{
	long excess = c->nfree - KEEP_STACKS;
	if (excess < SLAB_STACKS)
		return;
	if (c->nfree == c->nslabs * SLAB_STACKS) {
		trim_all_free(c);
		return;
	}
	int doomed = 0;
	for (struct rt_slab *s = c->slabs; s && excess >= SLAB_STACKS; s = s->next) {
		if (s->nfree == SLAB_STACKS) {
			s->doomed = true;
			excess -= SLAB_STACKS;
			doomed++;
		}
	}
	if (!doomed)
		return;
	struct rt_stack **pp = &c->free;
	while (*pp) {
		if ((*pp)->slab->doomed) {
			*pp = (*pp)->next;
			c->nfree--;
		} else {
			pp = &(*pp)->next;
		}
	}
	struct unmapping u = {NULL, NULL};
	struct rt_slab *s = c->slabs;
	while (s) {
		struct rt_slab *next = s->next;
		if (s->doomed)
			unmap_slab(c, s, &u);
		s = next;
	}
	unmap_flush(&u);
}
