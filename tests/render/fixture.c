/* fixture.c - synthetic event streams for the render tests (fixture.h). */
#include <stdio.h>
#include <stdlib.h>

#include "tests/render/fixture.h"

struct cl_event fixture_event(uint64_t seq, int64_t time, enum cl_event_kind kind, int task,
                              const char *task_name)
{
	struct cl_event e = {
		.seq = seq, .time = time, .kind = kind, .task = task, .task_name = task_name,
		.obj_name = "", .value = "", .text = "", .file = "", .ok = 0,
	};
	return e;
}

#define JOBS CL_OBJ_CHAN, .obj_id = 1, .obj_name = "jobs"
#define RESULTS CL_OBJ_CHAN, .obj_id = 2, .obj_name = "results"
#define EV(s_, t_, k_, id_, name_) .seq = s_, .time = t_, .kind = k_, .task = id_, .task_name = name_

/* The runtime starts main; main starts worker-1 and worker-2; hands job 5 to worker-1 over the
 * unbuffered "jobs" (worker-1 was waiting: its RECV comes before main's
 * SEND); worker-1 puts 10 into the buffered "results" while main waits in a
 * select; main closes jobs; worker-1 drains the close and exits; worker-2
 * wakes from a sleep and panics. */
static const struct cl_event exchange[] = {
	{EV(0, 0, CL_EV_SPAWN, 0, "runtime"), .peer = 1, .text = "main"},
	{EV(1, 0, CL_EV_SPAWN, 1, "main"), .peer = 2, .text = "worker-1"},
	{EV(2, 0, CL_EV_SPAWN, 1, "main"), .peer = 3, .text = "worker-2"},
	{EV(3, 0, CL_EV_BLOCK, 2, "worker-1"), .wait = CL_WAIT_CHAN_RECV, .obj_kind = JOBS},
	{EV(4, 0, CL_EV_SLEEP, 3, "worker-2"), .arg = 2000000},
	{EV(5, 0, CL_EV_BLOCK, 3, "worker-2"), .wait = CL_WAIT_SLEEP},
	{EV(6, 1000, CL_EV_RECV, 2, "worker-1"), .obj_kind = JOBS, .value = "5", .flow = 1, .peer = 1,
	 .ok = 1, .file = "patterns/workers.c", .line = 20},
	{EV(7, 1000, CL_EV_SEND, 1, "main"), .obj_kind = JOBS, .value = "5", .flow = 1, .peer = 2,
	 .file = "patterns/workers.c", .line = 41},
	{EV(8, 1000, CL_EV_WAKE, 2, "worker-1"), .peer = 1},
	{EV(9, 1000, CL_EV_BLOCK, 1, "main"), .wait = CL_WAIT_SELECT},
	{EV(10, 250000, CL_EV_NOTE, 2, "worker-1"), .text = "worker 1 takes job 5"},
	{EV(11, 1250000, CL_EV_SEND, 2, "worker-1"), .obj_kind = RESULTS, .value = "10", .flow = 2},
	{EV(12, 1250000, CL_EV_WAKE, 1, "main"), .peer = 2},
	{EV(13, 1250000, CL_EV_SELECT, 1, "main"), .arg = 1, .count = 2, .ok = 1},
	{EV(14, 1250000, CL_EV_RECV, 1, "main"), .obj_kind = RESULTS, .value = "10", .flow = 2,
	 .peer = 2, .ok = 1},
	{EV(15, 1500000, CL_EV_CLOSE, 1, "main"), .obj_kind = JOBS},
	{EV(16, 1500000, CL_EV_RECV, 2, "worker-1"), .obj_kind = JOBS, .value = "0", .ok = 0},
	{EV(17, 1500000, CL_EV_EXIT, 2, "worker-1")},
	{EV(18, 2000000, CL_EV_TIMER, 0, "runtime"), .obj_kind = CL_OBJ_TIMER, .obj_id = 3},
	{EV(19, 2000000, CL_EV_WAKE, 3, "worker-2"), .peer = 0},
	{EV(20, 2000000, CL_EV_PANIC, 3, "worker-2"), .text = "send on closed channel",
	 .file = "patterns/workers.c", .line = 30},
	{EV(21, 2000000, CL_EV_END, 0, "runtime"), .text = "panic"},
};

const struct cl_event *fixture_exchange(size_t *n)
{
	static struct cl_event evs[sizeof exchange / sizeof exchange[0]];
	/* Strings left NULL by the initializers become "" (event.h: never NULL). */
	for (size_t i = 0; i < sizeof exchange / sizeof exchange[0]; i++) {
		evs[i] = exchange[i];
		evs[i].seq = i + 1;
		const char **s[] = {&evs[i].task_name, &evs[i].obj_name, &evs[i].value, &evs[i].text,
		                    &evs[i].file};
		for (size_t k = 0; k < sizeof s / sizeof s[0]; k++)
			if (!*s[k])
				*s[k] = "";
	}
	*n = sizeof exchange / sizeof exchange[0];
	return evs;
}

const struct cl_event *fixture_par_exchange(size_t *n)
{
	size_t m;
	const struct cl_event *det = fixture_exchange(&m);
	static struct cl_event evs[sizeof exchange / sizeof exchange[0] + 1];
	size_t k = 0;
	for (size_t i = 0; i < m; i++) {
		struct cl_event e = det[i];
		if (e.kind == CL_EV_PANIC) {
			/* P1, idle, takes worker-2 from P0's queue: then it panics there. */
			struct cl_event steal = fixture_event(0, e.time, CL_EV_STEAL, e.task, e.task_name);
			steal.proc = 2;
			steal.arg = 1;
			steal.count = 1;
			steal.text = "runq";
			evs[k++] = steal;
		}
		e.proc = e.task == 0 ? 0 : e.task == 2 || e.kind == CL_EV_PANIC ? 2 : 1;
		evs[k++] = e;
	}
	for (size_t i = 0; i < k; i++)
		evs[i].seq = i + 1;
	*n = k;
	return evs;
}

char *fixture_render(const char *format, int width, const struct cl_event *evs, size_t n)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	if (!out)
		return NULL;
	struct render_opts ro = {.out = out, .color = false, .width = width};
	struct cl_sink sink;
	char err[200];
	if (render_open(format, &ro, &sink, err, sizeof err) < 0) {
		fclose(out);
		free(buf);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		sink.event(sink.ctx, &evs[i]);
	if (sink.end)
		sink.end(sink.ctx);
	render_close(&sink);
	fclose(out);
	return buf;
}
