/*
 * flows.c - a map from flow id to the first half of a send/receive pair
 * (open addressing, linear probing, backward-shift deletion).  Pairs
 * complete soon, so the map stays small: its size is the number of values
 * in flight (buffered, or one rendezvous).
 */
#include <stdlib.h>
#include <string.h>

#include "render/internal.h"

void render_flows_init(struct render_flows *m)
{
	m->slots = NULL;
	m->cap = m->len = 0;
}

void render_flows_free(struct render_flows *m)
{
	free(m->slots);
	render_flows_init(m);
}

static size_t hash(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

struct render_flow *render_flows_get(struct render_flows *m, uint64_t flow)
{
	if (!m->cap || flow == 0)
		return NULL;
	for (size_t i = hash(flow) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->slots[i].flow == flow)
			return &m->slots[i];
		if (m->slots[i].flow == 0)
			return NULL;
	}
}

static int grow(struct render_flows *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct render_flow *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t j = 0; j < m->cap; j++) {
		if (m->slots[j].flow == 0)
			continue;
		size_t i = hash(m->slots[j].flow) & (cap - 1);
		while (slots[i].flow != 0)
			i = (i + 1) & (cap - 1);
		slots[i] = m->slots[j];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

struct render_flow *render_flows_put(struct render_flows *m, uint64_t flow)
{
	if (flow == 0)
		return NULL;
	struct render_flow *f = render_flows_get(m, flow);
	if (f)
		return f;
	if ((m->len + 1) * 4 > m->cap * 3 && grow(m) < 0)   /* load <= 3/4 */
		return NULL;
	size_t i = hash(flow) & (m->cap - 1);
	while (m->slots[i].flow != 0)
		i = (i + 1) & (m->cap - 1);
	memset(&m->slots[i], 0, sizeof m->slots[i]);
	m->slots[i].flow = flow;
	m->len++;
	return &m->slots[i];
}

void render_flows_del(struct render_flows *m, uint64_t flow)
{
	struct render_flow *f = render_flows_get(m, flow);
	if (!f)
		return;
	size_t mask = m->cap - 1;
	size_t i = (size_t)(f - m->slots);
	/* Backward shift: pull later entries of the probe run into the hole. */
	for (size_t j = (i + 1) & mask; m->slots[j].flow != 0; j = (j + 1) & mask) {
		size_t home = hash(m->slots[j].flow) & mask;
		/* Move j to i if home is not cyclically in (i, j]. */
		bool in_range = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!in_range) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].flow = 0;
	m->len--;
}
