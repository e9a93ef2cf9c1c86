/* chanlab exercise 22-word-count */
/* expect: event */
/*
 * MISTAKE: the caller closes results right after starting the counters,
 * "since nothing else will be sent" - the counters have not sent yet.
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
		cl_wg_add(wg, 1);
		cl_go(counter, &jobs[i], "counter-%d", i);
	}
	(void)closer;
	cl_close(results);
	int total = 0, v;
	while (cl_recv(results, &v))
		total += v;
	return total;
}
