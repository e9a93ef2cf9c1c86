/* chanlab exercise 22-word-count */
/* expect: race */
/*
 * MISTAKE (shared-state, sharing memory to communicate): the counters add
 * their counts into one shared total with no lock, and the caller reads it
 * after the wait group.  The two steps of total += n (a read, then a
 * write) interleave between counters, so a count can be lost; the race
 * detector reports the unordered accesses in every schedule, even those
 * where the sum comes out right.
 */
#include <stdlib.h>

#include "api.h"

struct tally {
	cl_shared(int) total;
	cl_waitgroup *wg;
};

struct job {
	const char *line;
	struct tally *t;
};

static void counter(void *arg)
{
	struct job *j = arg;
	int n = count_words(j->line);
	/* MISTAKE: a read and a write of shared memory, not a message. */
	cl_wr(j->t->total, cl_rd(j->t->total) + n);
	cl_wg_done(j->t->wg);
}

int word_count(const char *const *lines, int n)
{
	struct job *jobs = calloc((size_t)n, sizeof *jobs);
	struct tally t = {.total = 0, .wg = cl_wg_new("counters")};
	for (int i = 0; i < n; i++) {
		jobs[i] = (struct job){lines[i], &t};
		cl_wg_add(t.wg, 1);
		cl_go(counter, &jobs[i], "counter-%d", i);
	}
	cl_wg_wait(t.wg);
	free(jobs);
	return cl_rd(t.total);
}
