/*
 * steal.c - the hypervisor's share of CPU time while the bench ran
 * (steal.h), from the first line of /proc/stat: "cpu" and then user,
 * nice, system, idle, iowait, irq, softirq, steal, guest and guest_nice
 * ticks.  guest and guest_nice are already counted in user and nice, so
 * the total is the first eight.
 */
#include <inttypes.h>
#include <stdio.h>

#include "bench/steal.h"

enum { STAT_FIELDS = 8, STEAL_FIELD = 7 };

bool bench_cpu_time_now(struct bench_cpu_time *t)
{
	*t = (struct bench_cpu_time){0};
	FILE *f = fopen("/proc/stat", "r");
	if (!f)
		return false;
	uint64_t v[STAT_FIELDS];
	int got = fscanf(f, "cpu %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
	                 " %" SCNu64 " %" SCNu64 " %" SCNu64,
	                 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (got != STAT_FIELDS)
		return false;
	for (int i = 0; i < STAT_FIELDS; i++)
		t->total += v[i];
	t->steal = v[STEAL_FIELD];
	return true;
}

double bench_steal_share(const struct bench_cpu_time *a, const struct bench_cpu_time *b)
{
	if (!a->total || !b->total || b->total <= a->total || b->steal < a->steal)
		return -1;
	return (double)(b->steal - a->steal) / (double)(b->total - a->total);
}
