/*
 * test.c - 04-fan-in-closer: the checks.  Three producers send 3 values
 * each (a distinct value per producer and index) and close their channel;
 * main ranges over the merged output.  Every value must arrive exactly
 * once, "out" must be closed only by the closer and only after every
 * forwarder has finished.
 */
#include "api.h"
#include "coach/coach.h"

#define PRODUCERS 2
#define EACH 1

struct producer_args {
	cl_chan *ch;
	int id;
};

static void producer(void *arg)
{
	struct producer_args *a = arg;
	for (int i = 0; i < EACH; i++) {
		int v = a->id * 10 + i;
		cl_send(a->ch, &v);
	}
	cl_close(a->ch);
}

static void check_main(void *arg)
{
	(void)arg;
	cl_chan *inputs[PRODUCERS];
	struct producer_args pa[PRODUCERS];
	for (int p = 0; p < PRODUCERS; p++) {
		inputs[p] = cl_make("in", int, 0);
		pa[p] = (struct producer_args){inputs[p], p};
		cl_go(producer, &pa[p], "producer-%d", p);
	}
	cl_chan *out = merge(inputs, PRODUCERS);
	coach_expect(out != NULL, "merge returns the output channel");
	int seen[PRODUCERS * 10] = {0}, v, total = 0;
	while (cl_recv(out, &v)) {
		coach_expect(v >= 0 && v < PRODUCERS * 10 && v % 10 < EACH, "only the inputs' values "
		             "come out (got %d)", v);
		coach_expect(++seen[v] == 1, "every value comes out once (%d came twice)", v);
		total++;
	}
	coach_expect(total == PRODUCERS * EACH, "every value comes out (%d of %d)", total,
	             PRODUCERS * EACH);
}

const struct coach_exercise coach_exercise = {
	.name = "04-fan-in-closer",
	.main_fn = check_main,
	.rules = (const struct coach_rule[]){
		{COACH_RULE_CLOSED_BY, "out", "closer", 0, "only the closer closes out"},
		{COACH_RULE_CLOSED_AFTER_EXITS, "out", "forward", 0,
		 "out is closed only after every forwarder has finished"},
		{0},
	},
};
