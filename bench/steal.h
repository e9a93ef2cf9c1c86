/*
 * steal.h - how much of the machine's CPU time a hypervisor gave to
 * others while the bench measured (the steal column of /proc/stat).  On
 * a shared virtual machine this, not the load average, says why a row's
 * absolute figure moved between runs: the guest's load can be zero while
 * the host runs its neighbours on our cores.  Ratios taken in the same
 * rounds move far less.
 */
#ifndef CHANLAB_BENCH_STEAL_H
#define CHANLAB_BENCH_STEAL_H

#include <stdbool.h>
#include <stdint.h>

/* The machine's CPU time so far, summed over its CPUs, in clock ticks. */
struct bench_cpu_time {
	uint64_t total;   /* every state, steal included */
	uint64_t steal;   /* time the hypervisor ran something else */
};

/* Reads the time so far into t; false where /proc/stat cannot be read or
 * has no steal column (not Linux, or a kernel older than 2.6.11). */
bool bench_cpu_time_now(struct bench_cpu_time *t);

/* The share of CPU time stolen between a and b (0 to 1); negative when
 * no time passed or either reading failed. */
double bench_steal_share(const struct bench_cpu_time *a, const struct bench_cpu_time *b);

#endif
