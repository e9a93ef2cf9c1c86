/* chanlab exercise 22-word-count */
/* expect: event */
/*
 * MISTAKE (003:q11, 003:q21): wg.Add inside the counter; the closer's Wait
 * can see a zero counter and close results while counters still run.
 */
#include <stdlib.h>

#include "api.h"

struct job {
	const char *line;
	cl_chan *results;
	cl_waitgroup *wg;
};

struct closing {
	cl_chan *results;
	cl_waitgroup *wg;
};

static void counter(void *arg)
{
	struct job *j = arg;
	cl_wg_add(j->wg, 1);
	int n = count_words(j->line);
	cl_send(j->results, &n);
	cl_wg_done(j->wg);
}

static void closer(void *arg)
{
	struct closing *c = arg;
	cl_wg_wait(c->wg);
	cl_close(c->results);
}

int word_count(const char *const *lines, int n)
{
	struct job *jobs = calloc((size_t)n, sizeof *jobs);
	cl_chan *results = cl_make("results", int, 0);
	cl_waitgroup *wg = cl_wg_new("counters");
	for (int i = 0; i < n; i++) {
		jobs[i] = (struct job){lines[i], results, wg};
		cl_go(counter, &jobs[i], "counter-%d", i);
	}
	struct closing c = {results, wg};
	cl_go(closer, &c, "closer");
	int total = 0, v;
	while (cl_recv(results, &v))
		total += v;
	return total;
}
