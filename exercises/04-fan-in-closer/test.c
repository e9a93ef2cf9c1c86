/*
 * test.c - 04-fan-in-closer: the checks.  INPUTS input channels hold
 * EACH values each (a distinct value per input and index) and are closed;
 * main ranges over the merged output.  The inputs are filled before merge
 * is called (buffered, with no producer tasks) and are few so that every
 * schedule with two preemptions fits the checker's cap.  Every value must
 * arrive exactly once, "out" must be closed only by the closer and only
 * after every forwarder has finished.
 */
#include "api.h"
#include "coach/coach.h"

#define INPUTS 2
#define EACH 1

static void check_main(void *arg)
{
	(void)arg;
	cl_chan *inputs[INPUTS];
	for (int p = 0; p < INPUTS; p++) {
		inputs[p] = cl_make("in", int, EACH);
		for (int i = 0; i < EACH; i++) {
			int v = p * 10 + i;
			cl_send(inputs[p], &v);
		}
		cl_close(inputs[p]);
	}
	cl_chan *out = merge(inputs, INPUTS);
	coach_expect(out != NULL, "merge returns the output channel");
	int seen[INPUTS * 10] = {0}, v, total = 0;
	while (cl_recv(out, &v)) {
		coach_expect(v >= 0 && v < INPUTS * 10 && v % 10 < EACH, "only the inputs' values "
		             "come out (got %d)", v);
		coach_expect(++seen[v] == 1, "every value comes out once (%d came twice)", v);
		total++;
	}
	coach_expect(total == INPUTS * EACH, "every value comes out (%d of %d)", total,
	             INPUTS * EACH);
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
