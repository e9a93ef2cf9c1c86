/*
 * render.h - renderers: turn the runtime's event stream (runtime/event.h)
 * into text lines, terminal swimlanes, JSON lines, Chrome trace JSON or a
 * Mermaid sequence diagram, and a pacing wrapper for --pace / --step.
 *
 * Use:
 *
 *	struct render_opts ro = { .out = stdout, .color = true, .width = 100 };
 *	struct cl_sink sink;
 *	char err[160];
 *	if (render_open("lanes", &ro, &sink, err, sizeof err) < 0)
 *		return cmd_fail(CL_EXIT_USAGE, "%s", err);
 *	config.sinks = &sink; config.nsinks = 1;
 *	cl_run(...);               // the runtime calls sink.end() at the end
 *	render_close(&sink);       // finishes the document if end() was not
 *	                           // called, flushes, frees
 *
 * A renderer writes only to opts->out and never closes it.  A sink serves
 * one run at a time and is not locked: it relies on the runtime never
 * calling it concurrently (events come in one total order, event.h), even
 * when they come from several OS threads under par.  Renderers keep no
 * global mutable state: open as many as you like.
 *
 * Errors: render_open and render_paced return a negative RENDER_E_* code
 * with a one-line message in err (err may be NULL only if errsize is 0).
 * Output errors are not reported per event; check ferror(opts->out) after
 * render_close.
 */
#ifndef CHANLAB_RENDER_H
#define CHANLAB_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "runtime/event.h"

#define RENDER_E_FORMAT (-1)   /* unknown format name */
#define RENDER_E_NOMEM  (-2)
#define RENDER_E_ARG    (-3)   /* bad argument (NULL out, ...) */

struct render_opts {
	FILE *out;      /* where the rendering goes (required) */
	bool color;     /* ANSI colour (text, lanes); the caller decides (cmd_use_color) */
	int width;      /* terminal columns for lanes; <= 0 means 80 */
	bool live;      /* flush opts->out after every event (--pace, --step, tail -f) */
	const char *title; /* html: the page's title, e.g. the command that made the run (may be NULL) */
	bool markdown;  /* mermaid: each diagram in its own ```mermaid fenced block (a .md file) */
};

/* The format names, NULL-terminated: "text", "lanes", "jsonl", "chrome",
 * "mermaid", "html". */
const char *const *render_formats(void);

/* A one-line description of a format, or NULL if the name is unknown. */
const char *render_format_summary(const char *format);

/* Opens a renderer of the named format writing to opts->out, and fills
 * *sink.  Returns 0, or a negative RENDER_E_* code with a message in err
 * (e.g. "unknown format 'x' (choose text, lanes, jsonl, chrome, mermaid)").
 * On error *sink is zeroed and nothing needs closing. */
int render_open(const char *format, const struct render_opts *opts, struct cl_sink *sink,
                char *err, size_t errsize);

/* Finishes the document if sink->end() has not run (chrome's closing
 * bracket, mermaid's last block), flushes opts->out, frees the renderer and
 * zeroes *sink.  Also closes a sink made by render_paced (not its inner sink,
 * which the caller closes).  A zeroed sink is ignored. */
void render_close(struct cl_sink *sink);

/* Gives a sink made by render_open the runtime's report of its run
 * (cl_result.report: the fatal error, panic or leak line and the task dump,
 * exactly as the terminal prints it), before render_close.  The html page
 * shows it in its dump panel; the other formats ignore it (the CLI prints it
 * on stderr).  NULL or "" means the run left no report. */
void render_report(struct cl_sink *sink, const char *report);

/* ---- pacing (--pace F, --step) --------------------------------------------
 *
 * A sink that forwards every event to an inner sink after a pause: the
 * virtual time since the previous event times factor (at least min_delay_ns,
 * at most max_delay_ns when that is > 0), or, in step mode, until a line
 * (Enter) is read from tty_in.  At EOF on tty_in step mode turns itself off.
 * sleep_ns is injectable for tests; NULL means nanosleep.
 */
#define RENDER_PACE_MIN_DELAY_NS ((int64_t)40 * 1000 * 1000)    /* 40 ms an event */
#define RENDER_PACE_MAX_DELAY_NS ((int64_t)5 * 1000 * 1000 * 1000)

struct render_pace_opts {
	double factor;          /* wall-clock ns per virtual ns (1 = real time) */
	bool step;              /* wait for Enter before each event */
	FILE *tty_in;           /* where Enter is read in step mode */
	FILE *prompt;           /* step mode: where the prompt goes (NULL: none) */
	int64_t min_delay_ns;   /* e.g. RENDER_PACE_MIN_DELAY_NS */
	int64_t max_delay_ns;   /* 0 = no cap */
	void (*sleep_ns)(void *ctx, int64_t ns);
	void *sleep_ctx;
};

/* The pause before an event at time `time` when the previous one was at
 * `prev` (the first event: prev == time): pure, for tests. */
int64_t render_pace_delay(const struct render_pace_opts *opts, int64_t prev, int64_t time);

/* Wraps inner into *sink.  Returns 0 or a negative RENDER_E_* code with a
 * message in err. */
int render_paced(struct cl_sink inner, const struct render_pace_opts *opts, struct cl_sink *sink,
                 char *err, size_t errsize);

/* ---- helpers shared by the renderers, public for cmd/ and tests ---------- */

/* Schema names of the enums, as jsonl and docs/events.md spell them:
 * kinds "spawn", "send" ...; wait reasons in Go's words "chan receive" ...;
 * object kinds "channel", "mutex" ...  "?" when out of range. */
const char *render_kind_name(enum cl_event_kind kind);
const char *render_wait_name(enum cl_wait wait);
const char *render_obj_kind_name(enum cl_obj_kind kind);

/* Formats ns as milliseconds with microsecond precision, right-aligned in
 * 9 columns plus "ms": "    1.250ms".  buf needs 32 bytes.  Returns buf. */
char *render_format_time(char *buf, size_t size, int64_t ns);

/* Formats a duration in the largest unit it reaches: exact values as
 * integers ("2ms", "3s", "7ns"), others with up to three decimals,
 * truncated ("219.638us", "4.9ms").  Returns buf. */
char *render_format_duration(char *buf, size_t size, int64_t ns);

#endif
