/*
 * test.c - 13-pipeline-stop: the checks.  The consumer takes both
 * squares (two: few, so that every schedule with two preemptions fits the
 * checker's cap), none or only the first, as the schedule decides
 * (coach_choose), and then closes done.  The values must be 1, 4; after
 * done is closed no stage may be left
 * blocked (a leak when main returns); the output channels are closed by
 * their own stage only.
 */
#include "api.h"
#include "coach/coach.h"

#define N 2

static void check_main(void *arg)
{
	(void)arg;
	/* All N, or none or one of them: the schedule decides (coach_choose;
	 * a draw main made here would be fixed by the latency seed in the
	 * schedules with no preemption before it).  Before the stages start,
	 * so the choices' tasks do not mix with theirs; two coins cost fewer
	 * schedules than coach_choose(N + 1). */
	int take = coach_choose(2) ? N : coach_choose(2);
	cl_chan *done = cl_make("done", char, 0);
	cl_chan *out = square(done, gen(done, N));
	int v, got = 0;
	while (got < take && cl_recv(out, &v)) {
		got++;
		coach_expect(v == got * got, "the pipeline yields the squares in order (value %d is "
		             "%d)", got, v);
	}
	coach_expect(got == take, "the pipeline yields all %d squares (only %d came)", N, got);
	cl_close(done);
	cl_sleep(5 * CL_MS);   /* let the stages see done and leave */
}

const struct coach_exercise coach_exercise = {
	.name = "13-pipeline-stop",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_CLOSED_BY, "done", "main", 0, "only the consumer closes done"},
		{0},
	},
};
