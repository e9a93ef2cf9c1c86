/*
 * test.c - 16-startup-barrier: the checks.  Two children (few, so that
 * every schedule with two preemptions fits the checker's cap) take 0-4 ms
 * to initialise; in some schedules one of them fails (coach_choose: the
 * schedule decides, so the exhaustive phase sees both kinds).  On success every child
 * is serving when start_all returns; on failure start_all returns that
 * error and no child is serving any more; stop_all leaves none serving;
 * no task is left behind.
 */
#include "api.h"
#include "coach/coach.h"

#define CHILDREN 2

static const char err_init[] = "child failed to initialise";

cl_error child_init(struct fleet *f, int i)
{
	cl_sleep((cl_time)cl_rand_below(5) * CL_MS);
	return i == f->failing ? err_init : NULL;
}

void child_serve(struct fleet *f, int i)
{
	f->running[i] = true;
	cl_recv(f->stop, NULL);
	f->running[i] = false;
}

static int serving(const struct fleet *f)
{
	int n = 0;
	for (int i = 0; i < CHILDREN; i++)
		n += f->running[i];
	return n;
}

static void check_main(void *arg)
{
	(void)arg;
	/* The schedule decides whether a child fails (a draw here would be
	 * fixed by the latency seed); which one is drawn after that choice. */
	int failing = coach_choose(2) ? (int)cl_rand_below(CHILDREN) : -1;
	struct fleet f = {{false}, failing, NULL, NULL, NULL};
	cl_error err = start_all(&f, CHILDREN);
	if (f.failing < 0) {
		coach_expect(err == NULL, "with no failure start_all succeeds (got \"%s\")", err);
		coach_expect(serving(&f) == CHILDREN, "start_all returns only when every child is "
		             "ready (%d of %d serving)", serving(&f), CHILDREN);
		stop_all(&f);
		coach_expect(serving(&f) == 0, "stop_all returns only when every child has stopped");
	} else {
		coach_expect(err == err_init, "start_all returns the child's failure (got \"%s\")",
		             err ? err : "no error");
		coach_expect(serving(&f) == 0, "after a failed start no child is left serving "
		             "(%d are)", serving(&f));
	}
}

const struct coach_exercise coach_exercise = {
	.name = "16-startup-barrier",
	.main_fn = check_main,
};
