/*
 * fixture.h - synthetic event streams for the render tests (the runtime is
 * not run): a three-task exchange covering hand-off, buffered send/receive,
 * blocks and wakes, a select, a note, a close, a panic, spawn/exit and END;
 * and a helper that renders events to a string.
 */
#ifndef CHANLAB_TEST_RENDER_FIXTURE_H
#define CHANLAB_TEST_RENDER_FIXTURE_H

#include <stddef.h>

#include "render/render.h"

/* The exchange (seq 1..n, as the runtime would emit it). */
const struct cl_event *fixture_exchange(size_t *n);

/* The same exchange as a par run would emit it: main and worker-2 on P0
 * (proc 1), worker-1 on P1 (proc 2), the runtime's timer and end on no
 * processor, and worker-2 stolen by P1 before its panic (a steal event,
 * then its panic on P1).  Deterministic: built from the exchange. */
const struct cl_event *fixture_par_exchange(size_t *n);

/* An event with every string "" and the given basics. */
struct cl_event fixture_event(uint64_t seq, int64_t time, enum cl_event_kind kind, int task,
                              const char *task_name);

/* Renders events through a fresh renderer of format (color off, the given
 * width) and returns the output (malloc'd; NULL if the format failed to
 * open).  The sink's end() is called, then render_close. */
char *fixture_render(const char *format, int width, const struct cl_event *evs, size_t n);

#endif
