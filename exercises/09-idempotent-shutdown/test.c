/*
 * test.c - 09-idempotent-shutdown: the checks.  Two tasks call
 * server_close at about the same time (CLOSERS: few, so that every
 * schedule with two preemptions fits the checker's cap) and main calls it once more after
 * them.  Each call must return only after the server has cleaned up; quit
 * is closed once (a second close panics).
 */
#include "api.h"
#include "coach/coach.h"

#define CLOSERS 2

void server_loop(void *arg)
{
	struct server *s = arg;
	cl_recv(s->quit, NULL);
	cl_sleep((cl_time)cl_rand_below(3) * CL_MS);   /* cleaning up takes a while */
	s->cleaned = true;
	cl_close(s->stopped);
}

struct closer_args {
	struct server *s;
	cl_waitgroup *wg;
};

static void closer(void *arg)
{
	struct closer_args *a = arg;
	server_close(a->s);
	coach_expect(a->s->cleaned, "server_close returns only after the server has stopped");
	cl_wg_done(a->wg);
}

static void check_main(void *arg)
{
	(void)arg;
	struct server s = {0};
	server_start(&s);
	struct closer_args ca = {&s, cl_wg_new("closers")};
	cl_wg_add(ca.wg, CLOSERS);
	for (int i = 0; i < CLOSERS; i++)
		cl_go(closer, &ca, "closer-%d", i);
	cl_wg_wait(ca.wg);
	server_close(&s);
	coach_expect(s.cleaned, "server_close returns only after the server has stopped");
}

const struct coach_exercise coach_exercise = {
	.name = "09-idempotent-shutdown",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_CLOSED_ONCE_AT_MOST, "quit", NULL, 0, "quit is closed exactly once"},
		{COACH_RULE_MUST_CLOSE, "quit", NULL, 0, "quit is closed exactly once"},
		{0},
	},
};
