/* chanlab exercise 07-state-owner */
/*
 * Request/reply to a state-owning task: the value lives in the owner's
 * locals; everyone else asks.  Read api.h.  Check with
 *	chanlab exercise check
 */
#include "api.h"

static void owner(void *arg)
{
	struct counter *c = arg;
	int value = 0;   /* only this task ever touches it */
	(void)c;
	(void)value;
	/* TODO: serve operations until ops is closed: apply, then reply with the value. */
	/* TODO: say it has finished. */
}

void counter_start(struct counter *c)
{
	c->ops = cl_make("ops", struct op, 0);
	c->done = cl_make("done", char, 0);
	cl_go(owner, c, "owner");
}

int counter_add(struct counter *c, int delta)
{
	(void)c;
	(void)delta;
	/* TODO: send an OP_ADD with a reply channel of its own; return the answer. */
	return 0;
}

int counter_get(struct counter *c)
{
	(void)c;
	/* TODO: as counter_add, with OP_GET. */
	return 0;
}

void counter_stop(struct counter *c)
{
	(void)c;
	/* TODO: close ops and wait for done. */
}
