/*
 * test.c - 18-pubsub-unsubscribe: the checks.  Two subscribers: the
 * stayer's channel has room for every value, and main reads it to its
 * close after the broker is done; a "leaver" task reads 0-2 values and
 * unsubscribes.  Main publishes VALUES values, closes publish and waits
 * for the broker.  The stayer gets them all in order; only the broker
 * closes a subscriber's channel; nobody is left blocked.  (The stayer is
 * not a task and the values are few so that every schedule with two
 * preemptions fits the checker's cap.)
 */
#include "api.h"
#include "coach/coach.h"

#define VALUES 2

struct sub {
	struct broker *b;
	cl_chan *ch;
	int got;
	cl_chan *finished;
};

/* The stayer's values, read after the broker has closed its channel. */
static void read_stayer(struct sub *s)
{
	int v;
	while (s->got <= VALUES && cl_recv(s->ch, &v)) {
		coach_expect(v == s->got, "a subscriber gets every value in order (got %d, expected "
		             "%d)", v, s->got);
		s->got++;
	}
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
	struct sub st = {&b, cl_make("sub", int, VALUES), 0, NULL};
	struct sub lv = {&b, cl_make("sub", int, 0), 0, cl_make("leaver-finished", char, 0)};
	broker_subscribe(&b, st.ch);
	broker_subscribe(&b, lv.ch);
	cl_go(leaver, &lv, "leaver");
	for (int i = 0; i < VALUES; i++)
		cl_send(b.publish, &i);
	cl_close(b.publish);
	cl_recv(b.done, NULL);
	cl_recv(lv.finished, NULL);
	read_stayer(&st);
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
