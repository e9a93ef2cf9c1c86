/*
 * test.c - 24-supervisor-restart: the checks.  The child crashes on its
 * first 0-4 starts.  Up to two crashes, supervise returns NULL after
 * crashes + 1 starts; with three or more it gives up after 3 starts.  No
 * panic may end the program.
 */
#include "api.h"
#include "coach/coach.h"

const char err_gave_up[] = "restart intensity exceeded";

void child_body(struct supervisor *s)
{
	int attempt = s->starts++;
	cl_sleep((cl_time)cl_rand_below(2) * CL_MS);
	if (attempt < s->crashes)
		cl_panic("child crashed on start %d", attempt + 1);
}

static void check_main(void *arg)
{
	(void)arg;
	/* The schedule decides between a child that recovers (0-2 crashes) and
	 * one that keeps crashing (3 or 4): a draw here would be fixed by the
	 * latency seed.  The count is drawn after that choice's steps. */
	int crashes = coach_choose(2) ? 3 + (int)cl_rand_below(2) : (int)cl_rand_below(3);
	struct supervisor s = {0, crashes};
	cl_error err = supervise(&s);
	if (s.crashes <= MAX_RESTARTS) {
		coach_expect(err == NULL, "a child that recovers within the restarts is kept (got "
		             "\"%s\")", err);
		coach_expect(s.starts == s.crashes + 1, "the child is restarted after each crash "
		             "(%d starts for %d crashes)", s.starts, s.crashes);
	} else {
		coach_expect(err == err_gave_up, "a child that keeps crashing is given up on (got "
		             "\"%s\")", err ? err : "no error");
		coach_expect(s.starts == MAX_RESTARTS + 1, "the child is started at most %d times "
		             "(it was started %d times)", MAX_RESTARTS + 1, s.starts);
	}
}

const struct coach_exercise coach_exercise = {
	.name = "24-supervisor-restart",
	.main_fn = check_main,
};
