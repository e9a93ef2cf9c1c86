/*
 * load.h - `chanlab bench --load N`: N busy threads that the bench keeps
 * running while it measures a row, for chanlab and every peer alike, so a
 * row can be read on a machine whose cores are not all free (the case
 * where a spin lock's holder loses its core to another thread).
 */
#ifndef CHANLAB_BENCH_LOAD_H
#define CHANLAB_BENCH_LOAD_H

#include <stddef.h>

struct bench_load;

/* Starts n busy threads (n >= 1).  Returns the handle, or NULL with a
 * one-line reason in err (any thread already started is stopped). */
struct bench_load *bench_load_start(int n, char *err, size_t errsize);

/* Stops and joins the threads of l and frees it; NULL does nothing. */
void bench_load_stop(struct bench_load *l);

#endif
