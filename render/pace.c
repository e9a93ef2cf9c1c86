/*
 * pace.c - the pacing sink behind --pace F and --step: plays a det-mode run
 * back in wall-clock time so a class can watch it unfold.  It forwards each
 * event to an inner sink (any renderer, opened with opts.live so it flushes)
 * after sleeping the virtual time since the previous event times F, never
 * less than a minimum so that events of one instant still come one by one;
 * or, stepping, after the user presses Enter ("q" Enter stops stepping).
 *
 * The sleep is injectable (render_pace_opts.sleep_ns) so tests check the
 * delays without sleeping.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "render/internal.h"

struct paced {
	struct render_base base;
	struct cl_sink inner;
	struct render_pace_opts o;
	bool have_prev;
	int64_t prev;
};

int64_t render_pace_delay(const struct render_pace_opts *opts, int64_t prev, int64_t time)
{
	double dt = time > prev ? (double)(time - prev) : 0.0;
	double d = opts->factor > 0 && isfinite(opts->factor) ? dt * opts->factor : 0.0;
	int64_t ns = d >= 9.0e18 ? INT64_MAX : (int64_t)d;
	if (ns < opts->min_delay_ns)
		ns = opts->min_delay_ns;
	if (opts->max_delay_ns > 0 && ns > opts->max_delay_ns)
		ns = opts->max_delay_ns;
	return ns < 0 ? 0 : ns;
}

/* One nanosleep: a signal (Ctrl-C) cuts it short, and the run goes on to
 * notice the interrupt. */
static void sleep_real(void *ctx, int64_t ns)
{
	(void)ctx;
	struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000), .tv_nsec = (long)(ns % 1000000000)};
	nanosleep(&ts, NULL);
}

/* Step mode: waits for a line on tty_in.  "q" or EOF turns stepping off. */
static void wait_enter(struct paced *p)
{
	if (p->o.prompt) {
		fputs("-- Enter: next event, q Enter: play to the end --", p->o.prompt);
		fflush(p->o.prompt);
	}
	char line[64];
	if (!p->o.tty_in || !fgets(line, sizeof line, p->o.tty_in) || line[0] == 'q') {
		p->o.step = false;
	}
	if (p->o.prompt && isatty(fileno(p->o.prompt))) {
		/* The prompt goes away, and the line the Enter echoed with it. */
		fputs("\r\033[K\033[1A\033[K", p->o.prompt);
		fflush(p->o.prompt);
	}
}

static void paced_event(void *ctx, const struct cl_event *ev)
{
	struct paced *p = ctx;
	if (p->o.step) {
		wait_enter(p);
	} else {
		int64_t ns = render_pace_delay(&p->o, p->have_prev ? p->prev : ev->time, ev->time);
		if (ns > 0)
			p->o.sleep_ns(p->o.sleep_ctx, ns);
	}
	p->have_prev = true;
	p->prev = ev->time;
	if (p->inner.event)
		p->inner.event(p->inner.ctx, ev);
}

static void paced_finish(struct render_base *base)
{
	struct paced *p = (struct paced *)base;
	if (p->inner.end)
		p->inner.end(p->inner.ctx);
}

static void paced_destroy(struct render_base *base)
{
	free(base);
}

int render_paced(struct cl_sink inner, const struct render_pace_opts *opts, struct cl_sink *sink,
                 char *err, size_t errsize)
{
	if (sink)
		memset(sink, 0, sizeof *sink);
	if (!sink || !opts || !inner.event || (opts->step && !opts->tty_in) || opts->factor < 0 ||
	    opts->min_delay_ns < 0 || opts->max_delay_ns < 0) {
		snprintf(err, errsize, "render_paced: %s",
		         !sink || !inner.event ? "no sink"
		         : opts && opts->step  ? "step mode needs a terminal to read Enter from"
		                               : "bad pace (factor and delays must be >= 0)");
		return RENDER_E_ARG;
	}
	struct paced *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errsize, "render_paced: out of memory");
		return RENDER_E_NOMEM;
	}
	p->base.finish = paced_finish;
	p->base.destroy = paced_destroy;
	p->inner = inner;
	p->o = *opts;
	if (!p->o.sleep_ns)
		p->o.sleep_ns = sleep_real;
	sink->event = paced_event;
	sink->end = render_base_end;
	sink->ctx = p;
	return 0;
}
