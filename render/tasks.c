/*
 * tasks.c - the renderers' table of task names by id (events carry the
 * acting task's name, but peers only as ids).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/internal.h"

void render_tasks_init(struct render_tasks *t)
{
	t->names = NULL;
	t->cap = 0;
}

void render_tasks_free(struct render_tasks *t)
{
	for (int i = 0; i < t->cap; i++)
		free(t->names[i]);
	free(t->names);
	render_tasks_init(t);
}

bool render_tasks_known(const struct render_tasks *t, int id)
{
	return id >= 0 && id < t->cap && t->names[id] != NULL;
}

int render_tasks_set(struct render_tasks *t, int id, const char *name)
{
	if (id < 0 || !name || !*name)
		return 0;
	if (id >= t->cap) {
		int cap = t->cap ? t->cap : 16;
		while (cap <= id)
			cap *= 2;
		char **names = realloc(t->names, (size_t)cap * sizeof *names);
		if (!names)
			return RENDER_E_NOMEM;
		memset(names + t->cap, 0, (size_t)(cap - t->cap) * sizeof *names);
		t->names = names;
		t->cap = cap;
	}
	if (t->names[id] && strcmp(t->names[id], name) == 0)
		return 0;
	char *copy = strdup(name);
	if (!copy)
		return RENDER_E_NOMEM;
	free(t->names[id]);
	t->names[id] = copy;
	return 0;
}

int render_tasks_learn(struct render_tasks *t, const struct cl_event *ev)
{
	int rc = 0;
	if (!render_tasks_known(t, ev->task))
		rc = render_tasks_set(t, ev->task, ev->task_name);
	if (rc == 0 && ev->kind == CL_EV_SPAWN && ev->peer > 0 && !render_tasks_known(t, ev->peer))
		rc = render_tasks_set(t, ev->peer, ev->text);
	return rc;
}

const char *render_tasks_name(const struct render_tasks *t, int id, char *buf, size_t size)
{
	if (render_tasks_known(t, id))
		return t->names[id];
	if (id == 0)
		return "runtime";
	snprintf(buf, size, "task %d", id);
	return buf;
}
