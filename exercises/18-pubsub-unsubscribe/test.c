/*
 * test.c - 18-pubsub-unsubscribe: the checks.  Two subscribers: "stayer"
 * reads everything until its channel is closed; "leaver" reads 0-2 values
 * and unsubscribes.  Main publishes 5 values, closes publish and waits for
 * the broker.  The stayer gets all 5 in order; only the broker closes a
 * subscriber's channel; nobody is left blocked.
 */
#include "api.h"
#include "coach/coach.h"

#define VALUES 5

struct sub {
	struct broker *b;
	cl_chan *ch;
	int got;
	cl_chan *finished;
};

static void stayer(void *arg)
{
	struct sub *s = arg;
	int v;
	while (cl_recv(s->ch, &v)) {
		coach_expect(v == s->got, "a subscriber gets every value in order (got %d, expected "
		             "%d)", v, s->got);
		s->got++;
	}
	cl_close(s->finished);
}

static void leaver(void *arg)
{
	struct sub *s = arg;
	int keep = (int)cl_rand_below(3), v;
	while (s->got < keep && cl_recv(s->ch, &v))
		s->got++;
	broker_unsubscribe(s->b, s->ch);
	cl_close(s->finished);
}

static void check_main(void *arg)
{
	(void)arg;
	struct broker b = {0};
	broker_start(&b);
	struct sub st = {&b, cl_make("sub", int, 0), 0, cl_make("stayer-finished", char, 0)};
	struct sub lv = {&b, cl_make("sub", int, 0), 0, cl_make("leaver-finished", char, 0)};
	broker_subscribe(&b, st.ch);
	broker_subscribe(&b, lv.ch);
	cl_go(stayer, &st, "stayer");
	cl_go(leaver, &lv, "leaver");
	for (int i = 0; i < VALUES; i++)
		cl_send(b.publish, &i);
	cl_close(b.publish);
	cl_recv(b.done, NULL);
	cl_recv(st.finished, NULL);
	cl_recv(lv.finished, NULL);
	coach_expect(st.got == VALUES, "a subscriber that stays gets every value (%d of %d)", st.got,
	             VALUES);
}

const struct coach_exercise coach_exercise = {
	.name = "18-pubsub-unsubscribe",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_CLOSED_BY, "sub", "broker", 0,
		 "only the broker closes a subscriber's channel"},
		{0},
	},
};
