/*
 * choose.c - coach_choose (coach.h): a choice the schedule makes, so that
 * the exhaustive phase explores every branch of a check.
 *
 * A value main draws with cl_rand before its first scheduling decision is
 * fixed by the latency seed: the exhaustive search, which runs one or two
 * seeds, sees one or two of its values.  Here n tasks each put their
 * number into a buffered channel while main waits on it; which runs first
 * is the scheduler's pick at a point where main is blocked, a switch that
 * costs no preemption, so every value comes up in the schedules with no
 * preemption at all.  main takes all n numbers before it returns, so no
 * task is left behind.
 */
#include "coach/coach.h"

#define COACH_CHOOSE_MAX 8

struct chooser {
	cl_chan *ch;
	int value;
};

static void chooser(void *arg)
{
	const struct chooser *c = arg;
	int v = c->value;
	cl_send(c->ch, &v);
}

int coach_choose(int n)
{
	if (n < 2)
		return 0;
	if (n > COACH_CHOOSE_MAX)
		n = COACH_CHOOSE_MAX;
	cl_chan *ch = cl_make("choice", int, n);
	struct chooser c[COACH_CHOOSE_MAX];   /* read by each task before main's recv returns */
	for (int i = 0; i < n; i++) {
		c[i] = (struct chooser){ch, i};
		cl_go(chooser, &c[i], "choice-%d", i);
	}
	int first = 0, v;
	for (int i = 0; i < n; i++) {
		cl_recv(ch, &v);
		if (i == 0)
			first = v;
	}
	return first;
}
