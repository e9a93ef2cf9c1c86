/* chanlab exercise 22-word-count */
/*
 * Concurrent word count: a counter per line, a results channel, a closer,
 * and a sum over the channel.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include <stdlib.h>

#include "api.h"

struct job {
	const char *line;
	cl_chan *results;
	cl_waitgroup *wg;
};

static void counter(void *arg)
{
	struct job *j = arg;
	int n = count_words(j->line);
	/* TODO: send n on results and say this counter is done. */
	(void)n;
}

int word_count(const char *const *lines, int n)
{
	(void)lines;
	(void)n;
	(void)counter;
	/* TODO: start a counter per line (wg.Add before each), a closer that
	 * closes results after Wait, and sum everything that comes out. */
	return 0;
}
