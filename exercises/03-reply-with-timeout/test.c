/*
 * test.c - 03-reply-with-timeout: the checks.  The server takes 0-19 ms a
 * request; ask's timeout is 10 ms.  An answer must be right; a give-up
 * must come at the timeout, not before or long after; and when main has
 * asked everything it closes requests and waits for the server to finish,
 * so a server stuck on a reply nobody takes is a deadlock.  requests is
 * buffered, so handing over a request never waits for the server.
 */
#include "api.h"
#include "coach/coach.h"

#define TIMEOUT (10 * CL_MS)

struct server_args {
	cl_chan *requests;
	cl_chan *done;
};

static void server(void *arg)
{
	struct server_args *a = arg;
	struct request r;
	while (cl_recv(a->requests, &r)) {
		cl_sleep((cl_time)cl_rand_below(20) * CL_MS);
		int sq = r.n * r.n;
		cl_send(r.reply, &sq);
	}
	cl_close(a->done);
}

static void check_main(void *arg)
{
	(void)arg;
	struct server_args a = {cl_make("requests", struct request, 4), cl_make("done", char, 0)};
	cl_go(server, &a, "server");
	for (int n = 2; n <= 4; n++) {
		int answer = -1;
		cl_time start = cl_now();
		bool ok = ask(a.requests, n, TIMEOUT, &answer);
		cl_time took = cl_now() - start;
		if (ok)
			coach_expect(answer == n * n, "ask(%d) answers %d, not %d", n, n * n, answer);
		else
			coach_expect(took >= TIMEOUT, "ask gives up only when its timeout has passed");
		coach_expect(took <= TIMEOUT, "ask returns within its timeout (it took %lld ms)",
		             (long long)(took / CL_MS));
	}
	cl_close(a.requests);
	cl_recv(a.done, NULL);
}

const struct coach_exercise coach_exercise = {
	.name = "03-reply-with-timeout",
	.main_fn = check_main,
};
