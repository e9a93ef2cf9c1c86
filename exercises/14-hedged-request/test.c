/*
 * test.c - 14-hedged-request: the checks.  The primary takes 0-14 ms, the
 * backup 2 ms; the hedge delay is 5 ms.  The answer (n + 1000) must be
 * right; it must come within 5 + 2 ms (plus a millisecond); the backup
 * must be asked only when the primary had not answered in 5 ms; and both
 * replicas must finish when main closes their request channels.
 */
#include "api.h"
#include "coach/coach.h"

#define HEDGE (5 * CL_MS)

struct replica {
	cl_chan *requests;
	cl_chan *done;
	bool slow;            /* the primary: 0-14 ms; the backup: 2 ms */
	int asked;
};

static void replica(void *arg)
{
	struct replica *r = arg;
	struct hreq q;
	while (cl_recv(r->requests, &q)) {
		r->asked++;
		cl_sleep(r->slow ? (cl_time)cl_rand_below(15) * CL_MS : 2 * CL_MS);
		int answer = q.n + 1000;
		cl_send(q.reply, &answer);
	}
	cl_close(r->done);
}

static void check_main(void *arg)
{
	(void)arg;
	struct replica p = {cl_make("primary", struct hreq, 1), cl_make("primary-done", char, 0),
	                    true, 0};
	struct replica b = {cl_make("backup", struct hreq, 1), cl_make("backup-done", char, 0),
	                    false, 0};
	cl_go(replica, &p, "replica-primary");
	cl_go(replica, &b, "replica-backup");
	cl_time start = cl_now();
	int v = hedged(p.requests, b.requests, 7, HEDGE);
	cl_time took = cl_now() - start;
	coach_expect(v == 1007, "hedged returns the replicas' answer (1007, got %d)", v);
	coach_expect(took <= HEDGE + 3 * CL_MS, "the answer comes within the hedge delay plus the "
	             "backup's time (it took %lld ms)", (long long)(took / CL_MS));
	coach_expect(took >= HEDGE || b.asked == 0, "the backup is asked only when the primary has "
	             "not answered within the hedge delay");
	cl_close(p.requests);
	cl_close(b.requests);
	cl_recv(p.done, NULL);
	cl_recv(b.done, NULL);
}

const struct coach_exercise coach_exercise = {
	.name = "14-hedged-request",
	.main_fn = check_main,
};
