/*
 * stack.c - task stacks: mmap'd, lazily committed, reused through a free list.
 *
 * A mapping holds, from low to high addresses: an optional guard page, the
 * stack, and the task record (struct rt_task) at the very top.  The kernel
 * commits a page only when it is first touched, so a task blocked after a
 * few calls costs one or two pages however large its mapping.
 *
 * Stack overflow must not corrupt memory silently.  A PROT_NONE guard page
 * turns it into a SIGSEGV at the faulting instruction, but each guard splits
 * the mapping in two, and the kernel allows only vm.max_map_count mappings
 * (65,530 by default).  So the first stacks get guard pages, up to half that
 * budget; later ones get a canary at their lowest address, which the
 * scheduler checks every time it switches away from a task.  The canary is
 * CANARY_BYTES of zeros that nothing writes: an untouched page reads as the
 * kernel's shared zero page, so checking it costs no memory, and a stack
 * that grew into it leaves return addresses and saved registers there.
 *
 * Stacks are allocated in slabs of SLAB_STACKS so that spawning a million
 * tasks costs thousands, not millions, of system calls.  The free list is
 * per OS thread and outlives a run: the explorer runs thousands of programs
 * a second and reuses the same stacks.
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
#define CANARY_BYTES 64
#define KEEP_RESIDENT 256              /* cached stacks kept in memory by rt_stack_trim */

struct stack_cache {
	struct rt_stack *free;
	size_t map_size;      /* all cached stacks have this size */
	long nfree;
	long guarded;         /* stacks with a guard page ever made */
	long guard_budget;
	bool budget_read;
};

/* Per OS thread; only the runtime touches it. */
static _Thread_local struct stack_cache cache;

static long page_size(void)
{
	static long ps;   /* set once, same value for every thread */
	if (!ps)
		ps = sysconf(_SC_PAGESIZE);
	return ps;
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
	/* Two mappings per guarded stack; leave half for everything else. */
	return max_maps / 4;
}

static void stack_init(struct rt_stack *st, char *map, size_t map_size, bool guard)
{
	size_t ps = (size_t)page_size();
	char *top = map + map_size;
	size_t rec = (sizeof(struct rt_task) + sizeof(struct rt_stack) + 63) & ~(size_t)63;
	st->map_size = map_size;
	st->guarded = guard;
	st->lo = guard ? map + ps : map;
	st->size = (size_t)(top - rec - (char *)st->lo);
	st->task = (struct rt_task *)(top - rec);
	if (guard)
		mprotect(map, ps, PROT_NONE);
#ifdef RT_HAVE_VALGRIND
	st->valgrind_id = VALGRIND_STACK_REGISTER(st->lo, (char *)st->lo + st->size);
#endif
}

static bool refill(size_t map_size)
{
	if (!cache.budget_read) {
		cache.guard_budget = read_guard_budget();
		cache.budget_read = true;
	}
	size_t bytes = map_size * SLAB_STACKS;
	char *slab = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (slab == MAP_FAILED)
		return false;
	/* The stack records live in the mappings themselves, just below the
	 * task record (see stack_init), so the cache needs no allocation. */
	for (int i = SLAB_STACKS - 1; i >= 0; i--) {
		char *map = slab + (size_t)i * map_size;
		size_t rec = (sizeof(struct rt_task) + sizeof(struct rt_stack) + 63) & ~(size_t)63;
		struct rt_stack *st = (struct rt_stack *)(map + map_size - rec + sizeof(struct rt_task));
		bool guard = cache.guarded < cache.guard_budget;
		if (guard)
			cache.guarded++;
		stack_init(st, map, map_size, guard);
		st->next = cache.free;
		cache.free = st;
		cache.nfree++;
	}
	return true;
}

static void drop_cache(void)
{
	/* Stacks of another size: forget them.  Their slabs stay mapped (a
	 * slab is unmapped only whole, and its stacks may be scattered); this
	 * happens only when a program changes the stack size between runs. */
	cache.free = NULL;
	cache.nfree = 0;
}

struct rt_stack *rt_stack_get(size_t map_size)
{
	size_t ps = (size_t)page_size();
	map_size = (map_size + ps - 1) & ~(ps - 1);
	if (map_size < 4 * ps)
		map_size = 4 * ps;
	if (cache.map_size != map_size) {
		drop_cache();
		cache.map_size = map_size;
	}
	if (!cache.free && !refill(map_size))
		return NULL;
	struct rt_stack *st = cache.free;
	cache.free = st->next;
	cache.nfree--;
	st->next = NULL;
	return st;
}

void rt_stack_put(struct rt_stack *st)
{
	if (st->map_size != cache.map_size)
		return;   /* from before a size change: abandoned, see drop_cache */
	st->next = cache.free;
	cache.free = st;
	cache.nfree++;
}

bool rt_stack_intact(const struct rt_stack *st)
{
	if (st->guarded)
		return true;
	const uint64_t *w = st->lo;
	uint64_t any = 0;
	for (size_t i = 0; i < CANARY_BYTES / sizeof *w; i++)
		any |= w[i];
	return any == 0;
}

void rt_stack_trim(void)
{
	long kept = 0;
	size_t ps = (size_t)page_size();
	for (struct rt_stack *st = cache.free; st; st = st->next) {
		if (++kept <= KEEP_RESIDENT)
			continue;
		/* Give back the pages between the canary's page and the top page
		 * (which holds the task record and the free-list link); they read
		 * as zeros again, and the next user touches them afresh. */
		char *lo = (char *)(((uintptr_t)st->lo + ps) & ~(uintptr_t)(ps - 1));
		char *hi = (char *)((uintptr_t)st->task & ~(uintptr_t)(ps - 1));
		if (hi > lo)
			madvise(lo, (size_t)(hi - lo), MADV_DONTNEED);
	}
}
