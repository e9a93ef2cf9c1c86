/*
 * test.c - 22-word-count: the checks.  Two lines, 4 words in all
 * (few, so that every schedule with two preemptions fits the checker's
 * cap); every
 * counter finishes before results is closed, and nothing is left behind.
 */
#include <ctype.h>

#include "api.h"
#include "coach/coach.h"

int count_words(const char *line)
{
	int n = 0;
	for (const char *p = line; *p; p++)
		if (!isspace((unsigned char)*p) && (p == line || isspace((unsigned char)p[-1])))
			n++;
	cl_sleep((cl_time)cl_rand_below(3) * CL_MS);
	return n;
}

static void check_main(void *arg)
{
	(void)arg;
	const char *const lines[] = {
		"",
		"channels orchestrate mutexes serialize",
	};
	int total = word_count(lines, 2);
	coach_expect(total == 4, "word_count counts every word of every line (4, got %d)", total);
}

const struct coach_exercise coach_exercise = {
	.name = "22-word-count",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_CLOSED_AFTER_EXITS, "results", "counter", 0,
		 "results is closed only after every counter has finished"},
		{0},
	},
};
