/*
 * errgroup.c - golang.org/x/sync/errgroup: run tasks, wait for all, keep
 * the first error; the first error cancels the group's context so the
 * others can stop early.  With a limit, Go blocks until a slot is free.
 */
#include <stdarg.h>
#include <stdio.h>

#include "runtime/rt.h"

struct cl_group {
	struct rt_obj obj;
	cl_ctx *ctx;
	cl_waitgroup *wg;
	cl_sema *limit;
	cl_error err;
};

/* What a group task needs; an object of the run, so nobody frees it. */
struct group_job {
	struct rt_obj obj;
	struct cl_group *g;
	cl_error (*fn)(void *);
	void *arg;
};

cl_group *cl_group_new(cl_ctx *parent, cl_ctx **ctx)
{
	struct cl_group *g = rt_obj_new(sizeof *g, CL_OBJ_NONE, "errgroup");
	g->ctx = cl_with_cancel(parent ? parent : cl_background());
	g->wg = cl_wg_new("errgroup");
	if (ctx)
		*ctx = g->ctx;
	return g;
}

void cl_group_set_limit(cl_group *g, int n)
{
	g->limit = n > 0 ? cl_sema_new("errgroup.limit", n) : NULL;
}

static void group_task(void *arg)
{
	struct group_job *job = arg;
	struct cl_group *g = job->g;
	cl_error err = job->fn(job->arg);
	cl_error none = NULL;
	if (err && __atomic_compare_exchange_n(&g->err, &none, err, false, __ATOMIC_ACQ_REL,
	                                       __ATOMIC_ACQUIRE))
		cl_cancel(g->ctx);
	if (g->limit)
		cl_sema_release(g->limit, 1);
	cl_wg_done(g->wg);
}

void cl_group_go_at(const char *file, int line, cl_group *g, cl_error (*fn)(void *), void *arg,
                    const char *name_fmt, ...)
{
	char name[RT_NAME_MAX];
	va_list ap;
	va_start(ap, name_fmt);
	vsnprintf(name, sizeof name, name_fmt, ap);
	va_end(ap);
	if (g->limit)
		cl_sema_acquire_at(file, line, g->limit, 1);
	cl_wg_add(g->wg, 1);
	struct group_job *job = rt_obj_new(sizeof *job, CL_OBJ_NONE, "errgroup.job");
	job->g = g;
	job->fn = fn;
	job->arg = arg;
	cl_spawn_at(file, line, group_task, job, "%s", name);
}

cl_error cl_group_wait_at(const char *file, int line, cl_group *g)
{
	cl_wg_wait_at(file, line, g->wg);
	cl_cancel(g->ctx);
	return __atomic_load_n(&g->err, __ATOMIC_ACQUIRE);
}
