/*
 * load.c - the busy threads of `chanlab bench --load N` (load.h).  Each
 * computes without a system call or a shared write until told to stop: a
 * thread the kernel has to share a core with, nothing more (no memory
 * traffic that would slow the measured program another way).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/load.h"

struct busy {
	struct bench_load *l;
	pthread_t thread;
	uint64_t result;   /* the computation's result, so it is not optimized away */
};

struct bench_load {
	int stop;          /* set once to end every busy thread */
	int n;
	struct busy *threads;
};

static void *busy_loop(void *arg)
{
	struct busy *b = arg;
	uint64_t x = (uint64_t)(uintptr_t)b | 1;
	while (!__atomic_load_n(&b->l->stop, __ATOMIC_RELAXED))
		for (int i = 0; i < 4096; i++)
			x = x * 6364136223846793005u + 1442695040888963407u;
	b->result = x;
	return NULL;
}

struct bench_load *bench_load_start(int n, char *err, size_t errsize)
{
	struct bench_load *l = calloc(1, sizeof *l);
	struct busy *threads = calloc((size_t)(n > 0 ? n : 1), sizeof *threads);
	if (!l || !threads) {
		free(l);
		free(threads);
		snprintf(err, errsize, "--load: out of memory");
		return NULL;
	}
	l->threads = threads;
	for (int i = 0; i < n; i++) {
		threads[i].l = l;
		int rc = pthread_create(&threads[i].thread, NULL, busy_loop, &threads[i]);
		if (rc != 0) {
			snprintf(err, errsize, "--load: cannot start busy thread %d of %d: %s", i + 1, n,
			         strerror(rc));
			bench_load_stop(l);
			return NULL;
		}
		l->n = i + 1;
	}
	return l;
}

void bench_load_stop(struct bench_load *l)
{
	if (!l)
		return;
	__atomic_store_n(&l->stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < l->n; i++)
		pthread_join(l->threads[i].thread, NULL);
	free(l->threads);
	free(l);
}
