/*
 * harness.c - runs test.c's coach_exercise over every schedule inside the
 * student's process and reports to the parent (protocol in harness.h).
 *
 * The event rules of the exercise are one sink; their state lives in the
 * harness's context and is reset before each schedule, so nothing carries
 * over from one schedule to the next.  A task cap is watched by the same
 * sink: past it the run is asked to stop (cl_config.interrupt) and the
 * schedule fails as a limit; the parent's memory watch backs it up.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coach/coach.h"
#include "coach/crash.h"
#include "coach/explore.h"
#include "coach/harness.h"
#include "render/render.h"

/* The set of live task ids a rule follows (task ids grow from 1). */
struct idset {
	unsigned char *in;
	size_t cap;
	int count;
};

static void idset_put(struct idset *s, int id, bool on)
{
	if (id <= 0)
		return;
	if ((size_t)id >= s->cap) {
		if (!on)
			return;
		size_t cap = s->cap ? s->cap : 64;
		while (cap <= (size_t)id)
			cap *= 2;
		unsigned char *in = realloc(s->in, cap);
		if (!in)
			abort();
		memset(in + s->cap, 0, cap - s->cap);
		s->in = in;
		s->cap = cap;
	}
	if (s->in[id] != on) {
		s->in[id] = on;
		s->count += on ? 1 : -1;
	}
}

static void idset_clear(struct idset *s)
{
	if (s->in)
		memset(s->in, 0, s->cap);
	s->count = 0;
}

struct rule_state {
	struct idset tasks;   /* tasks named b (or a) alive */
	int open;             /* notes opened and not closed */
	int closes;
};

struct harness {
	const struct coach_exercise *ex;
	int nrules, nchecks;
	struct rule_state *rs;
	void **check_state;
	char failure[512];    /* the first broken event rule of this schedule */
	long spawned;
	long task_cap;
	volatile int stop;    /* cl_config.interrupt: set when the task cap is passed */
	bool capped;
	bool panicked;        /* a panic (or failed coach_expect) was seen: rules stop judging */
	bool end_failure;     /* the failure was found when the run ended (it comes after the outcome) */
	FILE *out;            /* the report pipe */
	struct cl_sink sink;
};

static bool prefix(const char *s, const char *p)
{
	return p && strncmp(s, p, strlen(p)) == 0;
}

static void fail_rule(struct harness *h, const struct coach_rule *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail_rule(struct harness *h, const struct coach_rule *r, const char *fmt, ...)
{
	if (h->failure[0])
		return;
	char detail[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	snprintf(h->failure, sizeof h->failure, "%s (%s)", r->what, detail);
}

static void rule_event(struct harness *h, const struct coach_rule *r, struct rule_state *st,
                       const struct cl_event *ev)
{
	switch (r->kind) {
	case COACH_RULE_CLOSED_BY:
		if (ev->kind == CL_EV_CLOSE && strcmp(ev->obj_name, r->a) == 0 &&
		    !prefix(ev->task_name, r->b))
			fail_rule(h, r, "'%s' was closed by task '%s' at %s:%d", r->a, ev->task_name,
			          ev->file, ev->line);
		break;
	case COACH_RULE_CLOSED_AFTER_EXITS:
		if (ev->kind == CL_EV_SPAWN && prefix(ev->text, r->b))
			idset_put(&st->tasks, ev->peer, true);
		else if (ev->kind == CL_EV_EXIT)
			idset_put(&st->tasks, ev->task, false);
		else if (ev->kind == CL_EV_CLOSE && strcmp(ev->obj_name, r->a) == 0 &&
		         st->tasks.count > 0)
			fail_rule(h, r, "'%s' was closed at %s:%d while %d task%s named '%s...' had not "
			          "finished", r->a, ev->file, ev->line, st->tasks.count,
			          st->tasks.count == 1 ? "" : "s", r->b);
		break;
	case COACH_RULE_MAX_NOTES_OPEN:
		if (ev->kind == CL_EV_NOTE && prefix(ev->text, r->a)) {
			if (++st->open > r->n)
				fail_rule(h, r, "%d at once, at most %d allowed: '%s' in task '%s'", st->open,
				          r->n, ev->text, ev->task_name);
		} else if (ev->kind == CL_EV_NOTE && prefix(ev->text, r->b)) {
			st->open--;
		}
		break;
	case COACH_RULE_CLOSED_ONCE_AT_MOST:
	case COACH_RULE_MUST_CLOSE:
		if (ev->kind == CL_EV_CLOSE && strcmp(ev->obj_name, r->a) == 0 &&
		    ++st->closes > 1 && r->kind == COACH_RULE_CLOSED_ONCE_AT_MOST)
			fail_rule(h, r, "'%s' closed a second time by task '%s' at %s:%d", r->a,
			          ev->task_name, ev->file, ev->line);
		break;
	case COACH_RULE_NO_SLEEP:
		if (ev->kind == CL_EV_SLEEP && (!r->a || prefix(ev->task_name, r->a)))
			fail_rule(h, r, "task '%s' sleeps at %s:%d", ev->task_name, ev->file, ev->line);
		break;
	case COACH_RULE_MAX_TASKS_ALIVE:
		if (ev->kind == CL_EV_SPAWN && prefix(ev->text, r->a)) {
			idset_put(&st->tasks, ev->peer, true);
			if (st->tasks.count > r->n)
				fail_rule(h, r, "%d tasks named '%s...' alive at once, at most %d allowed",
				          st->tasks.count, r->a, r->n);
		} else if (ev->kind == CL_EV_EXIT) {
			idset_put(&st->tasks, ev->task, false);
		}
		break;
	case COACH_RULE_END:
		break;
	}
}

static void sink_event(void *ctx, const struct cl_event *ev)
{
	struct harness *h = ctx;
	if (ev->kind == CL_EV_SPAWN && h->task_cap > 0 && ++h->spawned > h->task_cap &&
	    !h->capped) {
		h->capped = true;
		h->stop = 1;
	}
	/* A failure is reported in the order it happened: a rule broken
	 * before a panic wins over it, one after it is not judged. */
	if (ev->kind == CL_EV_PANIC)
		h->panicked = true;
	if (h->panicked)
		return;
	for (int i = 0; i < h->nrules; i++)
		rule_event(h, &h->ex->rules[i], &h->rs[i], ev);
	for (int i = 0; i < h->nchecks && !h->failure[0]; i++) {
		const char *why = h->ex->checks[i].event(h->check_state[i], ev);
		if (why)
			snprintf(h->failure, sizeof h->failure, "%s (%s)", h->ex->checks[i].name, why);
	}
}

static void sink_end(void *ctx)
{
	struct harness *h = ctx;
	if (h->panicked || h->failure[0])
		return;
	h->end_failure = true;   /* whatever is found now is found last */
	for (int i = 0; i < h->nrules; i++) {
		const struct coach_rule *r = &h->ex->rules[i];
		if (r->kind == COACH_RULE_MUST_CLOSE && h->rs[i].closes == 0)
			fail_rule(h, r, "'%s' was never closed", r->a);
	}
	for (int i = 0; i < h->nchecks && !h->failure[0]; i++) {
		if (!h->ex->checks[i].end)
			continue;
		const char *why = h->ex->checks[i].end(h->check_state[i]);
		if (why)
			snprintf(h->failure, sizeof h->failure, "%s (%s)", h->ex->checks[i].name, why);
	}
}

static void before_schedule(void *ctx, const struct cl_sink **sinks, int *nsinks)
{
	struct harness *h = ctx;
	h->failure[0] = '\0';
	h->spawned = 0;
	h->capped = false;
	h->panicked = false;
	h->end_failure = false;
	h->stop = 0;
	for (int i = 0; i < h->nrules; i++) {
		idset_clear(&h->rs[i].tasks);
		h->rs[i].open = h->rs[i].closes = 0;
	}
	for (int i = 0; i < h->nchecks; i++)
		memset(h->check_state[i], 0, h->ex->checks[i].state_size);
	*sinks = &h->sink;
	*nsinks = 1;
}

/* The first line of a report, for the verdict's one-line reason. */
static void first_line(const char *text, char *out, size_t size)
{
	size_t n = text ? strcspn(text, "\n") : 0;
	if (n >= size)
		n = size - 1;
	memcpy(out, text ? text : "", n);
	out[n] = '\0';
}

/* The two accesses of a race report ("Write at f->loaded by task 2
 * "asker-0":" and the file:line under it, then the "Previous ..." one) in
 * one sentence. */
static void race_words(const char *report, char *why, size_t size)
{
	char access[2][200], where[2][200];
	int n = 0;
	for (const char *p = report ? report : ""; *p && n < 2;) {
		size_t len = strcspn(p, "\n");
		const char *next = p + len + (p[len] == '\n');
		if (len > 1 && len < sizeof access[0] && p[len - 1] == ':' && strstr(p, " by task ") &&
		    strstr(p, " at ") && strstr(p, " at ") < p + len) {
			snprintf(access[n], sizeof access[n], "%.*s", (int)len - 1, p);
			size_t wl = strcspn(next, "\n");
			const char *w = next + strspn(next, " \t");
			wl -= (size_t)(w - next);
			snprintf(where[n], sizeof where[n], "%.*s", (int)wl, w);
			n++;
		}
		p = next;
	}
	if (n < 2) {
		char line[300];
		first_line(report, line, sizeof line);
		snprintf(why, size, "a data race: %s", line);
		return;
	}
	/* "Previous read at ..." reads better as "a previous read at ..." */
	char *prev = access[1];
	if (strncmp(prev, "Previous ", 9) == 0)
		prev += 9;
	snprintf(why, size, "a data race: %s (%s), and a %s (%s), with nothing (a lock, a channel, "
	         "a wait) ordering the two", access[0], where[0], prev, where[1]);
}

static bool promise_failed(void *ctx, const struct cl_result *r, char *kind, size_t ksize,
                           char *why, size_t wsize)
{
	struct harness *h = ctx;
	char line[300];
	first_line(r->report, line, sizeof line);
	if (h->capped) {
		snprintf(kind, ksize, "limit");
		snprintf(why, wsize, "the program started more than %ld tasks (the checker's cap)",
		         h->task_cap);
		return true;
	}
	if (h->failure[0] && (!h->end_failure || r->outcome == CL_OUTCOME_OK)) {
		snprintf(kind, ksize, "event");
		snprintf(why, wsize, "%s", h->failure);
		return true;
	}
	switch (r->outcome) {
	case CL_OUTCOME_OK:
		return false;
	case CL_OUTCOME_PANIC:
		if (prefix(r->panic_msg, COACH_EXPECT_PREFIX)) {
			snprintf(kind, ksize, "result");
			snprintf(why, wsize, "%s", r->panic_msg + strlen(COACH_EXPECT_PREFIX));
		} else {
			snprintf(kind, ksize, "panic");
			snprintf(why, wsize, "the program panicked: %s", r->panic_msg);
		}
		return true;
	case CL_OUTCOME_DEADLOCK:
		snprintf(kind, ksize, "deadlock");
		snprintf(why, wsize, "every task is blocked and no timer is pending: a deadlock");
		return true;
	case CL_OUTCOME_LEAK:
		snprintf(kind, ksize, "leak");
		snprintf(why, wsize, "main returned while %d task%s still blocked: %s leaked",
		         r->leaked, r->leaked == 1 ? " was" : "s were", r->leaked == 1 ? "it" : "they");
		return true;
	case CL_OUTCOME_LIMIT:
		snprintf(kind, ksize, "limit");
		snprintf(why, wsize, "the schedule did not end within its limit (%s): a task that "
		         "never stops, or a livelock", r->limit_reason[0] ? r->limit_reason : line);
		return true;
	case CL_OUTCOME_FATAL:
		snprintf(kind, ksize, "fatal");
		/* the report's line already says "fatal error: ..." */
		snprintf(why, wsize, strncmp(line, "fatal error", 11) == 0 ? "%s" : "a fatal error: %s", line);
		return true;
	case CL_OUTCOME_RACE:
		snprintf(kind, ksize, "race");
		race_words(r->report, why, wsize);
		return true;
	}
	snprintf(kind, ksize, "%s", cl_outcome_name(r->outcome));
	snprintf(why, wsize, "%s", line);
	return true;
}

/* Written and flushed before each schedule: if the schedule kills the
 * process (a segfault in student code), the parent knows which it was. */
static void progress(void *ctx, const char *schedule, long done, long total)
{
	FILE *out = ctx;
	fprintf(out, "at %s %ld %ld\n", schedule, done, total);
	fflush(out);
}

static void block(FILE *out, const char *name, const char *text)
{
	size_t n = text ? strlen(text) : 0;
	fprintf(out, "%s %zu\n", name, n);
	if (n)
		fwrite(text, 1, n, out);
	fputc('\n', out);
}

/* Before shrinking: the schedule found, so that a crash while shrinking
 * (whose candidate runs record no replayable name) still has one. */
static void found_schedule(void *ctx, const char *schedule, const char *kind)
{
	struct harness *h = ctx;
	if (!h->out)
		return;
	fprintf(h->out, "shrinking %zu\n%s %s\n", strlen(kind) + 1 + strlen(schedule), kind,
	        schedule);
	fflush(h->out);
}

static long opt_long(int argc, char **argv, const char *name, long def)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return strtol(argv[i + 1], NULL, 10);
	return def;
}

static bool opt_flag(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

/* A --replay argument: the schedule itself, or @FILE holding it (a long
 * schedule does not fit in one argument).  malloc'd, NULL if unreadable. */
static char *replay_text(const char *arg)
{
	if (arg[0] != '@')
		return strdup(arg);
	FILE *f = fopen(arg + 1, "r");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (!buf)
		return NULL;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return buf;
}

static const char *opt_str(int argc, char **argv, const char *name)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

int coach_harness_main(int argc, char **argv)
{
	const char *nonce_env = getenv("CHANLAB_COACH_NONCE");
	char nonce[64];
	snprintf(nonce, sizeof nonce, "%s", nonce_env ? nonce_env : "-");
	unsetenv("CHANLAB_COACH_NONCE");
	const char *fd_env = getenv("CHANLAB_COACH_FD");
	FILE *out = stdout;
	if (fd_env) {
		out = fdopen(atoi(fd_env), "w");
		if (!out) {
			fprintf(stderr, "harness: cannot open the report pipe: %s\n", strerror(errno));
			return 70;
		}
		unsetenv("CHANLAB_COACH_FD");
	}

	struct harness h = {.ex = &coach_exercise, .out = out};
	h.task_cap = opt_long(argc, argv, "--task-cap", 10000);
	while (h.ex->rules && h.ex->rules[h.nrules].kind != COACH_RULE_END)
		h.nrules++;
	while (h.ex->checks && h.ex->checks[h.nchecks].name)
		h.nchecks++;
	h.rs = calloc((size_t)h.nrules + 1, sizeof *h.rs);
	h.check_state = calloc((size_t)h.nchecks + 1, sizeof *h.check_state);
	for (int i = 0; i < h.nchecks; i++)
		h.check_state[i] = calloc(1, h.ex->checks[i].state_size + 1);
	h.sink = (struct cl_sink){sink_event, sink_end, &h};

	char identity[160];
	snprintf(identity, sizeof identity, "exercise %s", h.ex->name ? h.ex->name : "?");
	bool no_race = opt_flag(argc, argv, "--no-race");
	struct coach_program prog = {
		.main_fn = h.ex->main_fn,
		.identity = identity,
		.race = !no_race,
		.stack_size = h.ex->stack_size,
		.max_steps = (uint64_t)opt_long(argc, argv, "--max-steps", 200000),
		.max_time = (cl_time)opt_long(argc, argv, "--max-time-ms", 10000) * CL_MS,
		.before = before_schedule,
		.ctx = &h,
		.interrupt = &h.stop,
		.found = found_schedule,
	};
	struct coach_promise promise = {promise_failed, &h};
	/* Before the first run, so the runtime's fault handler passes crashes on to it. */
	fflush(out);
	coach_crash_report_install(fileno(out));

	const char *replay_arg = opt_str(argc, argv, "--replay");
	if (replay_arg) {
		char *replay = replay_text(replay_arg);
		if (!replay) {
			fprintf(stderr, "harness: cannot read the schedule %s\n", replay_arg);
			return 64;
		}
		/* One schedule with its trace on stdout, then the verdict of it.
		 * Line by line, so a crash leaves the trace up to its step. */
		setvbuf(stdout, NULL, _IOLBF, 0);
		const char *format = opt_str(argc, argv, "--format");
		struct render_opts ro = {.out = stdout, .color = opt_long(argc, argv, "--color", 0) != 0,
		                         .width = (int)opt_long(argc, argv, "--width", 100)};
		struct cl_sink trace;
		char err[512];
		if (render_open(format ? format : "lanes", &ro, &trace, err, sizeof err) < 0) {
			fprintf(stderr, "harness: %s\n", err);
			return 64;
		}
		struct cl_result r;
		int rc = coach_replay(&prog, replay, &trace, 1, &r, err, sizeof err);
		render_close(&trace);
		fflush(stdout);
		if (rc != 0) {
			fprintf(stderr, "chanlab: cannot replay: %s\n", err);
			free(replay);
			return 64;
		}
		char kind[16], why[512];
		bool failed = promise_failed(&h, &r, kind, sizeof kind, why, sizeof why);
		if (failed) {
			fprintf(out, "fail %s %" PRIu64 "\n", kind, r.steps);
			block(out, "schedule", replay);
			block(out, "why", why);
			block(out, "report", r.report);
		}
		fprintf(out, "result %s %s 1 0 0 0 0 0 -1 0 0\n", nonce, failed ? "fail" : "pass");
		cl_result_free(&r);
		free(replay);
		fclose(out);
		return 0;
	}

	struct coach_bounds b = {
		.preemptions = (int)opt_long(argc, argv, "--preemptions", 2),
		.pct = opt_long(argc, argv, "--pct", 2000),
		.pct_depth = (int)opt_long(argc, argv, "--depth", 3),
		.random = opt_long(argc, argv, "--random", 1000),
		.latency_seeds = (int)opt_long(argc, argv, "--latency-seeds", 1),
		.exhaustive_cap = opt_long(argc, argv, "--exhaustive-cap", 20000),
		.max_steps = prog.max_steps,
		.no_race = no_race,
		.no_shrink = opt_flag(argc, argv, "--no-shrink"),
	};
	struct coach_explore_report rep;
	if (coach_explore(&prog, &promise, &b, progress, out, &rep) != 0) {
		fprintf(stderr, "harness: %s\n", rep.why);
		return 70;
	}
	if (rep.failed) {
		fprintf(out, "fail %s %" PRIu64 "\n", rep.kind, rep.steps);
		block(out, "schedule", rep.schedule);
		block(out, "why", rep.why);
		block(out, "report", rep.report);
		fprintf(out, "shrunk %d %zu %d %zu %d %ld\n", rep.shrunk, rep.from_decisions,
		        rep.from_preemptions, rep.to_decisions, rep.to_preemptions, rep.shrink_runs);
		if (rep.found_phase[0])
			fprintf(out, "found %s %ld %d %" PRIu64 "\n", rep.found_phase, rep.found_index,
			        rep.found_bound, rep.found_seed);
	}
	fprintf(out, "result %s %s %ld %ld %ld %ld %d %d %d %ld %d\n", nonce,
	        rep.failed ? "fail" : "pass", rep.schedules, rep.random, rep.pct, rep.exhaustive,
	        rep.exhaustive_complete, rep.latency_seeds, rep.complete_bound, rep.complete_count,
	        rep.exhaustive_bound);
	coach_explore_report_free(&rep);
	fclose(out);
	for (int i = 0; i < h.nrules; i++)
		free(h.rs[i].tasks.in);
	for (int i = 0; i < h.nchecks; i++)
		free(h.check_state[i]);
	free(h.rs);
	free(h.check_state);
	return 0;
}
