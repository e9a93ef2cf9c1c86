/*
 * verdict.c - the verdict of a pattern's run (verdict.h): the outcome, what
 * went wrong, the variant's lesson, its MISTAKE lines in the C source and
 * the Go original, and where to read more; printed for people and sent to
 * the trace's sink as the version-2 `verdict` event.
 */
#include <inttypes.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/embedded.h"
#include "cmd/verdict.h"

/* "path:line: words" of variant's marker in the embedded file path, or "". */
static void find_marker(const char *path, const char *variant, char *buf, size_t size)
{
	buf[0] = '\0';
	const struct cl_embedded *e = path ? cl_embedded_find(path) : NULL;
	if (!e)
		return;
	char words[300];
	int line;
	if (pattern_mistake_find(e->data, variant, &line, words, sizeof words) > 0)
		snprintf(buf, size, "%s:%d: %s", path, line, words);
}

/* The first line of the runtime's report: "fatal error: all goroutines are
 * asleep - deadlock!", "panic: send on closed channel". */
static void first_line(const char *report, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!report)
		return;
	while (*report == '\n')
		report++;
	size_t n = strcspn(report, "\n");
	if (n >= size)
		n = size - 1;
	memcpy(buf, report, n);
	buf[n] = '\0';
}

void cmd_verdict_make(struct cmd_verdict *v, const struct pattern_run *run,
                      const struct cl_result *res, const struct cl_config *cfg)
{
	memset(v, 0, sizeof *v);
	const struct pattern_variant *var = run->variant;
	v->verdict = pattern_verdict(run, res);
	v->exit = pattern_verdict_exit(v->verdict);
	v->broken = strcmp(var->outcome, "ok") != 0;
	v->kept = pattern_promise_kept(run, res);
	v->clean = v->broken && v->verdict == PATTERN_VERDICT_OK;
	snprintf(v->outcome, sizeof v->outcome, "%s", pattern_verdict_name(v->verdict));
	int64_t value;
	const struct pattern_metric *m;
	if (v->verdict == PATTERN_VERDICT_METRIC && (m = pattern_metric_failed(run, res, &value)))
		pattern_metric_sentence(m, value, v->what, sizeof v->what);
	else if (v->verdict == PATTERN_VERDICT_INVARIANT)
		pattern_explain(run, res, v->what, sizeof v->what);
	else if (v->verdict != PATTERN_VERDICT_OK)
		first_line(res->report, v->what, sizeof v->what);
	v->lesson = var->lesson ? var->lesson : "";
	if (v->broken) {
		find_marker(run->pattern->source, var->name, v->mistake, sizeof v->mistake);
		find_marker(run->pattern->go_source, var->name, v->go_mistake, sizeof v->go_mistake);
	}
	snprintf(v->read_more, sizeof v->read_more, "chanlab show %s", run->pattern->name);
	if (v->clean) {
		char args[400];
		snprintf(v->explore, sizeof v->explore, "chanlab explore %s %s%s", run->pattern->name,
		         pattern_replay_args(run, args, sizeof args),
		         cfg && cfg->strategy == CL_STRATEGY_PCT ? " --strategy pct" : "");
		snprintf(v->what, sizeof v->what,
		         "this schedule (seed %" PRIu64 ") ran clean: %s's mistake did not show",
		         cfg ? cfg->seed : 0, var->name);
		/* A par-only pattern has no schedules to explore: each run differs. */
		if (run->pattern->sched == PATTERN_SCHED_PAR) {
			char args[400];
			snprintf(v->explore, sizeof v->explore, "nothing to explore under par; run it again "
			         "(chanlab run %s %s), with --procs 2 or more, on a machine not busy "
			         "with other work",
			         run->pattern->name, pattern_replay_args(run, args, sizeof args));
			snprintf(v->what, sizeof v->what, "this run ran clean: %s's mistake did not show",
			         var->name);
		}
	}
}

/* Prints label (bold on colour) and text wrapped at 78 columns, the
 * continuation lines under the text. */
static void print_wrapped(FILE *out, bool color, const char *label, const char *text)
{
	int indent = (int)strlen(label);
	fprintf(out, "%s%s%s", color ? "\033[1m" : "", label, color ? "\033[0m" : "");
	int col = indent;
	for (const char *s = text; *s;) {
		while (*s == ' ')
			s++;
		size_t n = strcspn(s, " ");
		if (!n)
			break;
		if (col > indent && col + 1 + (int)n > 78) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fwrite(s, 1, n, out);
		col += (int)n;
		s += n;
	}
	fputc('\n', out);
}

void cmd_verdict_print(FILE *out, const struct cmd_verdict *v, bool color)
{
	if (!v->broken && v->verdict == PATTERN_VERDICT_OK)
		return;
	if (v->clean) {
		print_wrapped(out, color, "note:      ", v->what);
		print_wrapped(out, color, "explore:   ", v->explore);
	}
	/* The lesson is the variant's: it explains its declared failure, not
	 * another one a schedule happened to show. */
	if (v->lesson[0] && (v->kept || v->clean))
		print_wrapped(out, color, "lesson:    ", v->lesson);
	if (v->mistake[0])
		print_wrapped(out, color, "mistake:   ", v->mistake);
	if (v->go_mistake[0])
		print_wrapped(out, color, "in Go:     ", v->go_mistake);
	print_wrapped(out, color, "read more: ", v->read_more);
}

struct cl_event cmd_verdict_event(const struct cmd_verdict *v, uint64_t seq, int64_t time)
{
	struct cl_event ev;
	memset(&ev, 0, sizeof ev);
	ev.seq = seq;
	ev.time = time;
	ev.kind = CL_EV_VERDICT;
	ev.task_name = "runtime";
	ev.obj_name = "";
	ev.value = v->what;
	ev.ok = v->kept;
	ev.arg = v->exit;
	ev.text = v->outcome;
	ev.file = "";
	ev.lesson = v->lesson;
	ev.mistake = v->mistake;
	ev.go_mistake = v->go_mistake;
	return ev;
}

/* ---- the holding sink ------------------------------------------------------------ */

static void hold_event(void *ctx, const struct cl_event *ev)
{
	struct cmd_verdict_sink *h = ctx;
	h->last_seq = ev->seq;
	h->last_time = ev->time;
	if (ev->kind == CL_EV_END) {
		h->have_end = true;
		return;
	}
	if (h->inner.event)
		h->inner.event(h->inner.ctx, ev);
}

const struct cl_sink *cmd_verdict_sink_wrap(struct cmd_verdict_sink *h, struct cl_sink inner)
{
	memset(h, 0, sizeof *h);
	h->inner = inner;
	h->self = (struct cl_sink){hold_event, NULL, h};
	return &h->self;
}

void cmd_verdict_sink_finish(struct cmd_verdict_sink *h, const struct cmd_verdict *v)
{
	if (h->inner.event) {
		struct cl_event ev = cmd_verdict_event(v, h->last_seq + (h->have_end ? 0 : 1), h->last_time);
		h->inner.event(h->inner.ctx, &ev);
		/* The end event, as the runtime sent it but naming the verdict. */
		struct cl_event end = ev;
		end.seq = ev.seq + 1;
		end.kind = CL_EV_END;
		end.value = end.lesson = end.mistake = end.go_mistake = "";
		end.ok = 0;
		end.arg = 0;
		h->inner.event(h->inner.ctx, &end);
	}
	if (h->inner.end)
		h->inner.end(h->inner.ctx);
}
