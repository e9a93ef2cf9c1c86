/*
 * stack.c - task stacks: mmap'd, lazily committed, reused through a free list.
 *
 * Stacks come in slabs of SLAB_STACKS mappings, one mmap each, so spawning
 * a million tasks costs thousands of system calls, not millions.  A mapping
 * holds, from low to high addresses: the stack, the task record (struct
 * rt_task) and the stack record (struct rt_stack), then a canary word at
 * the very top.  The kernel commits a page only when it is first touched,
 * so a task blocked after a few calls costs one page: the top one.
 *
 * Overflow must never corrupt memory silently.  Running off the bottom of
 * a stack lands either in a guard page (a PROT_NONE page at the bottom:
 * SIGSEGV at the faulting instruction) or in the top of the mapping below,
 * where its canary sits above that mapping's records.  The scheduler checks
 * the canary below a task's stack every time it switches away from the task.
 * The canary lives on a page that is resident anyway (the neighbour's
 * records), so checking it costs no page fault.  The first mapping of every
 * slab gets a guard page, since whatever lies below a slab is not ours.
 *
 * Guard pages are bounded: each splits a mapping in two, and the kernel
 * allows only vm.max_map_count mappings (65,530 by default); each also costs
 * an mprotect call.  The first GUARD_BUDGET stacks get one, which covers
 * every pattern and test; the hundred-thousand-task programs rely on the
 * canaries beyond that.
 *
 * The free list is per OS thread and outlives a run: the explorer runs
 * thousands of programs a second on the same stacks.  rt_stack_trim, at the
 * end of a run, unmaps whole free slabs beyond a reserve, so a run of a
 * million tasks does not keep its memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/rt.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define RT_HAVE_VALGRIND 1
#endif
#endif

#define SLAB_STACKS 64
#define GUARD_BUDGET 4096
#define CANARY 0x21626c6e6168632dull   /* "-chanlb!" */
#define KEEP_STACKS 1024               /* free stacks rt_stack_trim keeps */

struct rt_slab {
	char *base;
	size_t bytes;
	int nfree;                /* stacks of this slab on the free list */
	bool doomed;              /* being unmapped by rt_stack_trim */
	struct rt_slab *prev, *next;
};

struct stack_cache {
	struct rt_stack *free;
	long nfree;
	size_t map_size;          /* every cached stack has this size */
	long guarded;             /* stacks with a guard page, alive or free */
	long guard_budget;
	struct rt_slab *slabs;
	long nslabs;
};

/* Per OS thread; only the runtime touches it.  A par run's processors all
 * use the cache of the thread that called cl_run, under a lock. */
static _Thread_local struct stack_cache thread_cache;

void *rt_stack_cache_self(void)
{
	return &thread_cache;
}

/* The cache to use, locked if the run is parallel. */
static struct stack_cache *cache_lock(void)
{
	struct rt_sched *s = rt_s();
	if (s && s->par) {
		rt_lock_acquire(&s->stack_lock);
		return s->stack_cache;
	}
	return &thread_cache;
}

static void cache_unlock(void)
{
	struct rt_sched *s = rt_s();
	if (s && s->par)
		rt_lock_release(&s->stack_lock);
}

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static long read_guard_budget(void)
{
	long max_maps = 65530;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	if (f) {
		if (fscanf(f, "%ld", &max_maps) != 1)
			max_maps = 65530;
		fclose(f);
	}
	/* Two mappings per guarded stack; leave most of them to the program. */
	long budget = max_maps / 4;
	return budget < GUARD_BUDGET ? budget : GUARD_BUDGET;
}

static size_t records_size(void)
{
	return (sizeof(struct rt_task) + sizeof(struct rt_stack) + sizeof(uint64_t) + 63) &
	       ~(size_t)63;
}

static uint64_t *canary_of(char *map, size_t map_size)
{
	return (uint64_t *)(map + map_size) - 1;
}

static void stack_init(struct rt_stack *st, struct rt_slab *slab, char *map, size_t map_size,
                       bool guard)
{
	size_t ps = page_size();
	char *records = map + map_size - records_size();
	st->slab = slab;
	st->map_size = map_size;
	st->guarded = guard;
	st->lo = guard ? map + ps : map;
	st->size = (size_t)(records - (char *)st->lo) & ~(size_t)15;
	st->task = (struct rt_task *)records;
	*canary_of(map, map_size) = CANARY;
	if (guard)
		mprotect(map, ps, PROT_NONE);
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
	if (!c->guard_budget)
		c->guard_budget = read_guard_budget();
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
	slab->next = c->slabs;
	if (c->slabs)
		c->slabs->prev = slab;
	c->slabs = slab;
	c->nslabs++;
	/* Pushed from the top down, so the lowest stack is used first and each
	 * later one has a neighbour below whose canary page is resident. */
	for (int i = SLAB_STACKS - 1; i >= 0; i--) {
		char *map = slab->base + (size_t)i * map_size;
		struct rt_stack *st = stack_of(map, map_size);
		bool guard = i == 0 || c->guarded < c->guard_budget;
		if (guard)
			c->guarded++;
		stack_init(st, slab, map, map_size, guard);
		st->next = c->free;
		c->free = st;
		c->nfree++;
		slab->nfree++;
	}
	return true;
}

static void trim(struct stack_cache *c);

struct rt_stack *rt_stack_get(size_t map_size)
{
	struct stack_cache *c = cache_lock();
	size_t ps = page_size();
	map_size = (map_size + ps - 1) & ~(ps - 1);
	if (map_size < 4 * ps)
		map_size = 4 * ps;
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
		if (!refill(c, map_size)) {
			cache_unlock();
			return NULL;
		}
		pp = &c->free;
	}
	struct rt_stack *st = *pp;
	*pp = st->next;
	c->nfree--;
	st->slab->nfree--;
	st->next = NULL;
	cache_unlock();
	return st;
}

void rt_stack_put(struct rt_stack *st)
{
	struct stack_cache *c = cache_lock();
	st->next = c->free;
	c->free = st;
	c->nfree++;
	st->slab->nfree++;
	cache_unlock();
}

bool rt_stack_intact(const struct rt_stack *st)
{
	if (st->guarded)
		return true;
	/* The mapping below is the previous one of the same slab. */
	return ((const uint64_t *)st->lo)[-1] == CANARY;
}

static void unmap_slab(struct stack_cache *c, struct rt_slab *slab)
{
	size_t map_size = slab->bytes / SLAB_STACKS;
	for (int i = 0; i < SLAB_STACKS; i++) {
		struct rt_stack *st = stack_of(slab->base + (size_t)i * map_size, map_size);
		if (st->guarded)
			c->guarded--;
#ifdef RT_HAVE_VALGRIND
		VALGRIND_STACK_DEREGISTER(st->valgrind_id);
#endif
	}
	if (slab->prev)
		slab->prev->next = slab->next;
	else
		c->slabs = slab->next;
	if (slab->next)
		slab->next->prev = slab->prev;
	c->nslabs--;
	munmap(slab->base, slab->bytes);
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
	while (s) {
		struct rt_slab *next = s->next;
		unmap_slab(c, s);
		s = next;
	}
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
	struct rt_slab *s = c->slabs;
	while (s) {
		struct rt_slab *next = s->next;
		if (s->doomed)
			unmap_slab(c, s);
		s = next;
	}
}
