/*
 * context.c - context.Context: a tree of cancellation scopes.
 *
 * Cancelling a context closes its done channel (so every task selecting on
 * it wakes, now and later), records why (canceled or deadline exceeded) and
 * cancels every descendant; it is idempotent.  A child of an already
 * cancelled parent is born cancelled.  A deadline is a timer that cancels
 * with "context deadline exceeded"; a child never outlives its parent's
 * deadline (Go keeps the earlier one).
 *
 * Background is never cancelled and its done channel is nil, which a select
 * treats as a case that is never ready: exactly Go's behaviour.
 *
 * The links of every tree and each context's err are guarded by one lock,
 * sched->ctx_lock (a no-op under det).  As Go's cancelCtx, a cancel sets
 * the error, closes done and cancels every descendant under that lock, and
 * Err reads under it too: no processor can see an error without a closed
 * done, or a cancelled parent with a child not yet cancelled.  Lock order:
 * ctx_lock, then a channel's lock (closing done), then timer_lock.
 */
#include <stddef.h>

#include "runtime/race.h"
#include "runtime/rt.h"
#include "runtime/taskq.h"

const char cl_err_canceled[] = "context canceled";
const char cl_err_deadline[] = "context deadline exceeded";

struct cl_ctx {
	struct rt_obj obj;
	struct cl_ctx *parent;
	struct cl_ctx *first_child, *next_sibling, *prev_sibling;
	cl_chan *done;            /* NULL for background */
	cl_error err;
	bool has_deadline;
	cl_time deadline;
	struct rt_timer timer;    /* deadline contexts */
};

cl_ctx *cl_background(void)
{
	return rt_obj_new(sizeof(struct cl_ctx), CL_OBJ_CONTEXT, "background");
}

/* Takes c out of its parent's list of children; ctx_lock held. */
static void unlink_child_locked(struct cl_ctx *c)
{
	rt_lock_assert_held(&rt_s()->ctx_lock);
	struct cl_ctx *p = c->parent;
	if (!p)
		return;
	if (c->prev_sibling)
		c->prev_sibling->next_sibling = c->next_sibling;
	else
		p->first_child = c->next_sibling;
	if (c->next_sibling)
		c->next_sibling->prev_sibling = c->prev_sibling;
	c->parent = NULL;
}

/* Cancels c and its descendants; ctx_lock held.  The order of the events
 * (c first, then each child's subtree) is the trace's. */
static void cancel_locked(struct cl_ctx *c, cl_error err)
{
	if (c->err || !c->done)
		return;
	rt_race_release(c);   /* cancel happens before Err() != nil is seen */
	__atomic_store_n(&c->err, err, __ATOMIC_RELEASE);
	unlink_child_locked(c);
	struct cl_ctx *children = c->first_child;
	c->first_child = NULL;
	for (struct cl_ctx *k = children; k; k = k->next_sibling)
		k->parent = NULL;
	rt_timer_cancel(&c->timer);
	rt_emit_sync(CL_EV_CANCEL, &c->obj, err, 0, NULL, 0);
	rt_chan_close_quiet(c->done);
	while (children) {
		struct cl_ctx *next = children->next_sibling;
		cancel_locked(children, err);
		children = next;
	}
}

static void cancel(struct cl_ctx *c, cl_error err)
{
	struct rt_sched *s = rt_s();
	rt_lock_acquire(&s->ctx_lock);
	cancel_locked(c, err);
	rt_lock_release(&s->ctx_lock);
}

static void deadline_fired(void *arg)
{
	cancel(arg, cl_err_deadline);
}

static struct cl_ctx *child_of(cl_ctx *parent, const char *name)
{
	struct rt_sched *s = rt_s();
	struct cl_ctx *c = rt_obj_new(sizeof *c, CL_OBJ_CONTEXT, name);
	c->timer.heap_index = -1;
	c->done = cl_chan_make(name, 0, 0);
	cl_error born_cancelled = NULL;
	if (parent) {
		rt_lock_acquire(&s->ctx_lock);
		c->has_deadline = parent->has_deadline;
		c->deadline = parent->deadline;
		if (parent->err) {
			born_cancelled = parent->err;
		} else if (parent->done) {
			c->parent = parent;
			c->next_sibling = parent->first_child;
			if (parent->first_child)
				parent->first_child->prev_sibling = c;
			parent->first_child = c;
		}
			if (born_cancelled)
			cancel_locked(c, born_cancelled);
		rt_lock_release(&s->ctx_lock);
	}
	return c;
}

cl_ctx *cl_with_cancel(cl_ctx *parent)
{
	return child_of(parent, "ctx");
}

cl_ctx *cl_with_deadline(cl_ctx *parent, cl_time deadline)
{
	if (parent && parent->has_deadline && parent->deadline <= deadline)
		return child_of(parent, "ctx");   /* the parent's deadline comes first */
	struct cl_ctx *c = child_of(parent, "ctx.deadline");
	if (cl_ctx_err(c))
		return c;
	c->has_deadline = true;
	c->deadline = deadline;
	if (deadline <= cl_now()) {
		cancel(c, cl_err_deadline);
		return c;
	}
	c->timer.kind = RT_TIMER_FUNC;
	c->timer.fn = deadline_fired;
	c->timer.arg = c;
	c->timer.obj.id = c->obj.id;
	rt_timer_start(&c->timer, deadline);
	return c;
}

cl_ctx *cl_with_timeout(cl_ctx *parent, cl_time d)
{
	return cl_with_deadline(parent, rt_time_after(cl_now(), d));
}

void cl_cancel(cl_ctx *ctx)
{
	rt_sched_point(NULL, 0);
	cancel(ctx, cl_err_canceled);
}

cl_chan *cl_ctx_done(cl_ctx *ctx)
{
	return ctx->done;
}

cl_error cl_ctx_err(cl_ctx *ctx)
{
	struct rt_sched *s = rt_s();
	rt_lock_acquire(&s->ctx_lock);   /* a no-op under det */
	cl_error err = ctx->err;
	rt_lock_release(&s->ctx_lock);
	if (err)
		rt_race_acquire(ctx);   /* cancel happens before Err() != nil is seen */
	return err;
}

bool cl_ctx_deadline(cl_ctx *ctx, cl_time *deadline)
{
	if (ctx->has_deadline && deadline)
		*deadline = ctx->deadline;
	return ctx->has_deadline;
}
