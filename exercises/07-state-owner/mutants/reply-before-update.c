/* chanlab exercise 07-state-owner */
/* expect: result */
/*
 * MISTAKE: the owner answers before it applies the operation, so an add
 * returns the value from before it and a get can miss an add that a
 * client already saw acknowledged.
 */
#include "api.h"

static void owner(void *arg)
{
	struct counter *c = arg;
	int value = 0;
	struct op op;
	/* Go: for op := range ops { ... op.reply <- value } */
	while (cl_recv(c->ops, &op)) {
		cl_send(op.reply, &value);
		if (op.kind == OP_ADD)
			value += op.delta;
	}
	/* Go: close(done) */
	cl_close(c->done);
}

void counter_start(struct counter *c)
{
	c->ops = cl_make("ops", struct op, 0);
	c->done = cl_make("done", char, 0);
	cl_go(owner, c, "owner");
}

static int call(struct counter *c, enum op_kind kind, int delta)
{
	struct op op = {kind, delta, cl_make("reply", int, 1)};
	cl_send(c->ops, &op);
	int v;
	cl_recv(op.reply, &v);
	return v;
}

int counter_add(struct counter *c, int delta)
{
	return call(c, OP_ADD, delta);
}

int counter_get(struct counter *c)
{
	return call(c, OP_GET, 0);
}

void counter_stop(struct counter *c)
{
	cl_close(c->ops);
	cl_recv(c->done, NULL);
}
