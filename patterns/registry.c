/*
 * registry.c - the table of patterns, parameters of a run, and the helpers
 * through which a pattern reports invariants, metrics and figures (see
 * registry.h and pattern.h).  The only state is in struct pattern_run.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns/pattern.h"

extern const struct pattern pattern_rendezvous;
extern const struct pattern pattern_reply_channel;
extern const struct pattern pattern_fan_in;
extern const struct pattern pattern_worker_pool;
extern const struct pattern pattern_pub_sub;
extern const struct pattern pattern_hedged_request;
extern const struct pattern pattern_lock_free_stack;
/* Part 1 (issue 15): the handshakes and lifecycles. */
extern const struct pattern pattern_started;
extern const struct pattern pattern_stop_stopped;
extern const struct pattern pattern_barrier;
extern const struct pattern pattern_drain;
extern const struct pattern pattern_shutdown;
extern const struct pattern pattern_step_down;
extern const struct pattern pattern_config_reload;
extern const struct pattern pattern_supervisor;
extern const struct pattern pattern_safe_go;
/* Part 2 (issue 16): the interview page's patterns. */
extern const struct pattern pattern_pipeline;
extern const struct pattern pattern_semaphore;
extern const struct pattern pattern_errgroup;
extern const struct pattern pattern_cond_queue;
extern const struct pattern pattern_data_race;
extern const struct pattern pattern_dining_philosophers;
extern const struct pattern pattern_singleflight;
extern const struct pattern pattern_priority_select;
extern const struct pattern pattern_loop_capture;
extern const struct pattern pattern_word_count;
extern const struct pattern pattern_waitgroup_mistakes;
extern const struct pattern pattern_once_and_rwmutex;
extern const struct pattern pattern_nil_channel_merge;
extern const struct pattern pattern_lock_during_io;
extern const struct pattern pattern_rate_limit;
extern const struct pattern pattern_timers;
/* Part 2 (issue 16): sharded map and livelock. */
extern const struct pattern pattern_sharded_map;
extern const struct pattern pattern_livelock;
/* Part 2 (issue 16): the par-only patterns. */
extern const struct pattern pattern_gmp;
extern const struct pattern pattern_syscall_handoff;
extern const struct pattern pattern_starvation;
extern const struct pattern pattern_false_sharing;

/* In teaching order: junior first. */
static const struct pattern *const all_patterns[] = {
	&pattern_rendezvous,
	&pattern_reply_channel,
	&pattern_fan_in,
	&pattern_worker_pool,
	&pattern_pub_sub,
	&pattern_hedged_request,
	&pattern_lock_free_stack,
/* Part 1 (issue 15): the handshakes and lifecycles. */
	&pattern_started,
	&pattern_stop_stopped,
	&pattern_barrier,
	&pattern_drain,
	&pattern_shutdown,
	&pattern_step_down,
	&pattern_config_reload,
	&pattern_supervisor,
	&pattern_safe_go,
	/* Part 2 (issue 16): the interview page's patterns. */
	&pattern_pipeline,
	&pattern_semaphore,
	&pattern_errgroup,
	&pattern_cond_queue,
	&pattern_data_race,
	&pattern_dining_philosophers,
	&pattern_singleflight,
	&pattern_priority_select,
	&pattern_loop_capture,
	&pattern_word_count,
	&pattern_waitgroup_mistakes,
	&pattern_once_and_rwmutex,
	&pattern_nil_channel_merge,
	&pattern_lock_during_io,
	&pattern_rate_limit,
	&pattern_timers,
	/* Part 2 (issue 16): sharded map and livelock. */
	&pattern_sharded_map,
	&pattern_livelock,
	/* Part 2 (issue 16): the par-only patterns. */
	&pattern_gmp,
	&pattern_syscall_handoff,
	&pattern_starvation,
	&pattern_false_sharing,
	NULL,
};

static _Noreturn void bug(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "chanlab: BUG: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p)
		bug("out of memory");
	return p;
}

/* ---- the registry ------------------------------------------------------------ */

const struct pattern *const *pattern_all(void)
{
	return all_patterns;
}

const struct pattern *pattern_find(const char *name)
{
	for (int i = 0; name && all_patterns[i]; i++)
		if (strcmp(all_patterns[i]->name, name) == 0)
			return all_patterns[i];
	return NULL;
}

const struct pattern_variant *pattern_variant_find(const struct pattern *p, const char *name)
{
	for (int i = 0; p && name && i < p->nvariants; i++)
		if (strcmp(p->variants[i].name, name) == 0)
			return &p->variants[i];
	return NULL;
}

const struct pattern_param *pattern_param_find(const struct pattern *p, const char *name)
{
	for (int i = 0; p && name && i < p->nparams; i++)
		if (p->params[i].name == name)   /* the table's own literal, stored once: no strcmp */
			return &p->params[i];
	return pattern_param_named(p, name);
}

static const char *const level_names[] = {"junior", "middle", "senior", "staff"};

const char *pattern_level_name(enum pattern_level level)
{
	return (unsigned)level < 4 ? level_names[level] : "?";
}

int pattern_level_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (name && strcmp(name, level_names[i]) == 0)
			return i;
	return -1;
}

static void copy_span(char *dst, size_t size, const char *src, size_t len)
{
	if (!size)
		return;
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int pattern_expect_parse(const char *outcome, char *name, size_t name_size,
                         char *limit_expr, size_t limit_size)
{
	copy_span(name, name_size, "", 0);
	copy_span(limit_expr, limit_size, "", 0);
	if (!outcome)
		return -1;
	if (strcmp(outcome, "ok") == 0)
		return PATTERN_EXPECT_OK;
	if (strcmp(outcome, "deadlock") == 0)
		return PATTERN_EXPECT_DEADLOCK;
	if (strcmp(outcome, "leak") == 0)
		return PATTERN_EXPECT_LEAK;
	if (strcmp(outcome, "panic") == 0)
		return PATTERN_EXPECT_PANIC;
	if (strcmp(outcome, "race") == 0)
		return PATTERN_EXPECT_RACE;
	if (strcmp(outcome, "fatal") == 0)
		return PATTERN_EXPECT_FATAL;
	if (strcmp(outcome, "limit") == 0)
		return PATTERN_EXPECT_LIMIT;
	if (strncmp(outcome, "limit:", 6) == 0 && outcome[6]) {
		copy_span(name, name_size, outcome + 6, strlen(outcome + 6));
		return PATTERN_EXPECT_LIMIT;
	}
	if (strncmp(outcome, "invariant:", 10) == 0 && outcome[10]) {
		copy_span(name, name_size, outcome + 10, strlen(outcome + 10));
		return PATTERN_EXPECT_INVARIANT;
	}
	if (strncmp(outcome, "metric:", 7) == 0) {
		const char *n = outcome + 7, *gt = strchr(n, '>');
		if (!gt || gt == n || !gt[1])
			return -1;
		copy_span(name, name_size, n, (size_t)(gt - n));
		copy_span(limit_expr, limit_size, gt + 1, strlen(gt + 1));
		return PATTERN_EXPECT_METRIC;
	}
	return -1;
}

/* Appends s to buf (truncating), keeping it NUL-terminated. */
static void append(char *buf, size_t size, const char *s)
{
	size_t len = strnlen(buf, size);
	if (len + 1 < size)
		copy_span(buf + len, size - len, s, strlen(s));
}

char *pattern_names_list(char *buf, size_t size)
{
	copy_span(buf, size, "", 0);
	for (int i = 0; all_patterns[i]; i++) {
		append(buf, size, i ? ", " : "");
		append(buf, size, all_patterns[i]->name);
	}
	return buf;
}

char *pattern_variants_list(const struct pattern *p, char *buf, size_t size)
{
	copy_span(buf, size, "", 0);
	for (int i = 0; i < p->nvariants; i++) {
		append(buf, size, i ? ", " : "");
		append(buf, size, p->variants[i].name);
	}
	return buf;
}

/* ---- parameters ---------------------------------------------------------------- */

/* Parses text as a value of param; 0 and *out, or -1 with a message in err. */
static int parse_param(const struct pattern_param *param, const char *text, long *out,
                       char *err, size_t err_size)
{
	if (param->choices) {
		char list[160] = "";
		for (int i = 0; param->choices[i]; i++) {
			if (strcmp(param->choices[i], text) == 0) {
				*out = i;
				return 0;
			}
			append(list, sizeof list, i ? "|" : "");
			append(list, sizeof list, param->choices[i]);
		}
		snprintf(err, err_size, "bad value '%s' for --%s (valid: %s)", text, param->name, list);
		return -1;
	}
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < param->min || v > param->max) {
		snprintf(err, err_size, "bad value '%s' for --%s (valid: an integer from %ld to %ld)",
		         text, param->name, param->min, param->max);
		return -1;
	}
	*out = v;
	return 0;
}

struct pattern_run *pattern_run_new(const struct pattern *p, const struct pattern_variant *v)
{
	if (!p || !v || p->nparams > PATTERN_MAX_PARAMS)
		bug("pattern_run_new: bad pattern or variant");
	struct pattern_run *run = xcalloc(1, sizeof *run);
	run->pattern = p;
	run->variant = v;
	for (int i = 0; i < p->nparams; i++) {
		char err[200];
		if (parse_param(&p->params[i], p->params[i].def, &run->params[i], err, sizeof err))
			bug("pattern %s: default: %s", p->name, err);
	}
	return run;
}

int pattern_run_set(struct pattern_run *run, const char *name, const char *value,
                    char *err, size_t err_size)
{
	const struct pattern *p = run->pattern;
	const struct pattern_param *param = pattern_param_find(p, name);
	if (!param) {
		char list[200] = "";
		for (int i = 0; i < p->nparams; i++) {
			append(list, sizeof list, i ? ", --" : "--");
			append(list, sizeof list, p->params[i].name);
		}
		snprintf(err, err_size, "pattern '%s' has no parameter --%s (valid: %s)", p->name, name,
		         p->nparams ? list : "none");
		return -1;
	}
	int i = (int)(param - p->params);
	if (parse_param(param, value, &run->params[i], err, err_size))
		return -1;
	run->param_set[i] = true;
	return 0;
}

long pattern_param(struct pattern_run *run, const char *name)
{
	for (int i = 0; i < run->pattern->nparams; i++)   /* called in patterns' loops: kept short */
		if (run->pattern->params[i].name == name)   /* the table's own literal: no strcmp */
			return run->params[i];
	return pattern_param_by_text(run, name);
}

char *pattern_replay_args(const struct pattern_run *run, char *buf, size_t size)
{
	const struct pattern *p = run->pattern;
	snprintf(buf, size, "--variant %s", run->variant->name);
	for (int i = 0; i < p->nparams; i++) {
		const struct pattern_param *param = &p->params[i];
		char value[32];
		if (param->choices)
			snprintf(value, sizeof value, "%s", param->choices[run->params[i]]);
		else
			snprintf(value, sizeof value, "%ld", run->params[i]);
		if (strcmp(value, param->def) != 0 || run->param_set[i]) {
			append(buf, size, " --");
			append(buf, size, param->name);
			append(buf, size, " ");
			append(buf, size, value);
		}
	}
	return buf;
}

/* ---- the run's lock and memory ------------------------------------------------------- */

/* A spin lock: held only for a few instructions, never across a scheduling
 * point, so under det it is never contended and under par only briefly. */
static void run_lock(struct pattern_run *run)
{
	while (__atomic_test_and_set(&run->lock, __ATOMIC_ACQUIRE))
		;
}

static void run_unlock(struct pattern_run *run)
{
	__atomic_clear(&run->lock, __ATOMIC_RELEASE);
}

struct mem_block {
	struct mem_block *next;
	size_t size;          /* bytes of data: a later run reuses a block big enough */
	max_align_t data[];
};

void *pattern_alloc(struct pattern_run *run, size_t size)
{
	struct mem_block *b = pattern_mem_reuse(run, size);   /* the last run's, or a new one */
	run_lock(run);
	b->next = run->mem;
	run->mem = b;
	run_unlock(run);
	return b->data;
}

/* The run's blocks become the next run's spare ones (explore reruns a pattern
 * thousands of times); spare ones left unused are freed: one run's worth kept. */
static void free_mem(struct pattern_run *run)
{
	pattern_mem_free(run->mem_spare);
	run->mem_spare = run->mem;
	run->mem = NULL;
}

void pattern_run_reset(struct pattern_run *run)
{
	free_mem(run);
	run->failed = false;
	run->fail_name[0] = run->fail_msg[0] = '\0';
	run->fail_task = 0;
	run->fail_task_name[0] = '\0';
	run->fail_time = 0;
	/* Metrics and histograms are zeroed when created (metric_locked,
	 * pattern_histogram), and nothing reads past the counts. */
	run->nmetrics = 0;
	run->nfigures = 0;
	run->nhist = 0;
}

void pattern_run_free(struct pattern_run *run)
{
	if (!run)
		return;
	free_mem(run);   /* frees the spare blocks; the run's become spare */
	pattern_mem_free(run->mem_spare);
	free(run);
}

void pattern_entry(void *arg)
{
	struct pattern_run *run = arg;
	run->variant->main(run);
}

/* ---- invariants and metrics --------------------------------------------------------- */

void pattern_fail(struct pattern_run *run, const char *name, const char *fmt, ...)
{
	char msg[sizeof run->fail_msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	run_lock(run);
	bool first = !run->failed;
	if (first) {
		run->failed = true;
		snprintf(run->fail_name, sizeof run->fail_name, "%s", name);
		snprintf(run->fail_msg, sizeof run->fail_msg, "%s", msg);
		run->fail_task = cl_task_id();
		snprintf(run->fail_task_name, sizeof run->fail_task_name, "%s", cl_task_name());
		run->fail_time = cl_now();
	}
	run_unlock(run);
	cl_note("invariant %s failed: %s", name, msg);
}

/* snprintf(dst, size, "%s", src), truncation included, without the format
 * machinery: every run of a pattern with a limit copies a name and a unit
 * here (a tenth of an explored worker-pool schedule's printf time). */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The metric NAME, created if new; call with the lock held. */
static struct pattern_metric *metric_locked(struct pattern_run *run, const char *name)
{
	for (int i = 0; i < run->nmetrics; i++)
		if (strcmp(run->metrics[i].name, name) == 0)
			return &run->metrics[i];
	if (run->nmetrics == PATTERN_MAX_METRICS)
		bug("pattern %s: more than %d metrics", run->pattern->name, PATTERN_MAX_METRICS);
	struct pattern_metric *m = &run->metrics[run->nmetrics++];
	*m = (struct pattern_metric){0};   /* an earlier run's may have been here */
	copy_text(m->name, sizeof m->name, name);
	return m;
}

void pattern_metric(struct pattern_run *run, const char *name, int64_t value)
{
	run_lock(run);
	struct pattern_metric *m = metric_locked(run, name);
	m->value = value;
	m->has_value = true;
	run_unlock(run);
}

void pattern_metric_add(struct pattern_run *run, const char *name, int64_t delta)
{
	run_lock(run);
	struct pattern_metric *m = metric_locked(run, name);
	m->value += delta;
	m->has_value = true;
	run_unlock(run);
}

void pattern_metric_max(struct pattern_run *run, const char *name, int64_t value)
{
	run_lock(run);
	struct pattern_metric *m = metric_locked(run, name);
	if (!m->has_value || value > m->value)
		m->value = value;
	m->has_value = true;
	run_unlock(run);
}

void pattern_limit(struct pattern_run *run, const char *name, int64_t limit, const char *unit)
{
	run_lock(run);
	struct pattern_metric *m = metric_locked(run, name);
	m->limit = limit;
	m->has_limit = true;
	copy_text(m->unit, sizeof m->unit, unit ? unit : "");
	run_unlock(run);
}

void pattern_metric_meaning(struct pattern_run *run, const char *name, const char *sentence)
{
	run_lock(run);
	metric_locked(run, name)->meaning = sentence;
	run_unlock(run);
}

/* The value of metric m after the run: the runtime's for peak_tasks. */
static bool metric_value(const struct pattern_metric *m, const struct cl_result *res, int64_t *value)
{
	if (strcmp(m->name, "peak_tasks") == 0 && !m->has_value && res) {
		*value = (int64_t)res->peak_tasks;
		return true;
	}
	*value = m->value;
	return m->has_value;
}

/* The first metric over its limit, or NULL. */
static const struct pattern_metric *metric_over(const struct pattern_run *run,
                                                const struct cl_result *res, const char *name)
{
	for (int i = 0; i < run->nmetrics; i++) {
		const struct pattern_metric *m = &run->metrics[i];
		int64_t v;
		if (name && strcmp(m->name, name) != 0)
			continue;
		if (m->has_limit && metric_value(m, res, &v) && v > m->limit)
			return m;
	}
	return NULL;
}

const struct pattern_metric *pattern_metric_failed(const struct pattern_run *run,
                                                   const struct cl_result *res, int64_t *value)
{
	const struct pattern_metric *m = metric_over(run, res, NULL);
	if (m && value)
		metric_value(m, res, value);
	return m;
}

/* ---- verdicts ------------------------------------------------------------------------- */

enum pattern_verdict pattern_verdict(const struct pattern_run *run, const struct cl_result *res)
{
	switch (res->outcome) {
	case CL_OUTCOME_PANIC:
		return PATTERN_VERDICT_PANIC;
	case CL_OUTCOME_FATAL:
		return PATTERN_VERDICT_FATAL;
	case CL_OUTCOME_DEADLOCK:
		return PATTERN_VERDICT_DEADLOCK;
	default:
		break;
	}
	if (run->failed)
		return PATTERN_VERDICT_INVARIANT;
	if (metric_over(run, res, NULL))
		return PATTERN_VERDICT_METRIC;
	/* A race does not stop a run: what it did to the result (an invariant,
	 * a metric) is the verdict, and the report still shows the race. */
	if (res->outcome == CL_OUTCOME_RACE)
		return PATTERN_VERDICT_RACE;
	if (res->outcome == CL_OUTCOME_LEAK)
		return PATTERN_VERDICT_LEAK;
	if (res->outcome == CL_OUTCOME_LIMIT)
		return PATTERN_VERDICT_LIMIT;
	return PATTERN_VERDICT_OK;
}

const char *pattern_verdict_name(enum pattern_verdict verdict)
{
	static const char *const names[] = {"ok", "panic", "deadlock", "invariant", "metric", "leak", "limit",
	                                     "fatal", "race"};
	return (unsigned)verdict < sizeof names / sizeof names[0] ? names[verdict] : "?";
}

int pattern_verdict_exit(enum pattern_verdict verdict)
{
	static const int codes[] = {0, 2, 3, 5, 5, 4, 7, 2, 8};
	return (unsigned)verdict < sizeof codes / sizeof codes[0] ? codes[verdict] : 1;
}

bool pattern_promise_kept(const struct pattern_run *run, const struct cl_result *res)
{
	char name[64], limit[64];
	switch (pattern_expect_parse(run->variant->outcome, name, sizeof name, limit, sizeof limit)) {
	case PATTERN_EXPECT_OK:
		return pattern_verdict(run, res) == PATTERN_VERDICT_OK;
	case PATTERN_EXPECT_DEADLOCK:
		return res->outcome == CL_OUTCOME_DEADLOCK;
	case PATTERN_EXPECT_LEAK:
		return res->outcome == CL_OUTCOME_LEAK;
	case PATTERN_EXPECT_PANIC:
		return res->outcome == CL_OUTCOME_PANIC;
	case PATTERN_EXPECT_INVARIANT:
		return run->failed && strcmp(run->fail_name, name) == 0;
	case PATTERN_EXPECT_METRIC:
		return metric_over(run, res, name) != NULL;
	case PATTERN_EXPECT_RACE:
		return res->outcome == CL_OUTCOME_RACE || res->races > 0;
	case PATTERN_EXPECT_FATAL:
		return res->outcome == CL_OUTCOME_FATAL;
	case PATTERN_EXPECT_LIMIT:
		return res->outcome == CL_OUTCOME_LIMIT &&
		       (!name[0] || strcmp(res->limit_reason, name) == 0);
	default:
		bug("pattern %s variant %s: bad outcome '%s'", run->pattern->name, run->variant->name,
		    run->variant->outcome);
	}
}

char *pattern_explain(const struct pattern_run *run, const struct cl_result *res, char *buf,
                      size_t size)
{
	const struct pattern_metric *m;
	int64_t v;
	if (run->failed)
		snprintf(buf, size, "invariant %s failed: %s (%s at %lld.%03lldms)", run->fail_name,
		         run->fail_msg, run->fail_task_name[0] ? run->fail_task_name : "main",
		         (long long)(run->fail_time / CL_MS),
		         (long long)(run->fail_time % CL_MS / CL_US));
	else if ((m = metric_over(run, res, NULL)) && metric_value(m, res, &v))
	{
		int n = snprintf(buf, size, "metric %s = %" PRId64 "%s > limit %" PRId64 "%s", m->name, v,
		                 m->unit, m->limit, m->unit);
		if (m->meaning && n >= 0 && (size_t)n + 3 < size) {
			snprintf(buf + n, size - (size_t)n, ": ");
			pattern_metric_sentence(m, v, buf + n + 2, size - (size_t)n - 2);
		}
	}
	else
		copy_span(buf, size, "", 0);
	return buf;
}

int pattern_failure_count(const struct pattern *p, const struct pattern_variant *v, int seeds)
{
	struct pattern_run *run = pattern_run_new(p, v);
	int kept = 0;
	bool expects_race = pattern_expect_parse(v->outcome, NULL, 0, NULL, 0) == PATTERN_EXPECT_RACE;
	for (int seed = 1; seed <= seeds; seed++) {
		struct cl_config config;
		struct cl_result res;
		cl_config_init(&config);
		config.seed = (uint64_t)seed;
		/* a race shows only to the detector, as `run` turns it on for such a variant */
		config.race = expects_race;
		pattern_run_reset(run);
		if (cl_run(pattern_entry, run, &config, &res) != 0) {
			cl_result_free(&res);
			pattern_run_free(run);
			return -1;
		}
		kept += pattern_promise_kept(run, &res);
		cl_result_free(&res);
	}
	pattern_run_free(run);
	return kept;
}

/* ---- figures ------------------------------------------------------------------------------ */

void pattern_figure(struct pattern_run *run, const char *name, double value, const char *unit)
{
	run_lock(run);
	if (run->nfigures < PATTERN_MAX_FIGURES) {
		struct pattern_figure *f = &run->figures[run->nfigures++];
		snprintf(f->name, sizeof f->name, "%s", name);
		snprintf(f->unit, sizeof f->unit, "%s", unit ? unit : "");
		f->value = value;
	}
	run_unlock(run);
}

struct pattern_histogram *pattern_histogram(struct pattern_run *run, const char *title,
                                            const char *unit, const int64_t *lo, int n)
{
	int max = (int)(sizeof run->hist / sizeof run->hist[0]);
	if (run->nhist == max || n < 1 || n > PATTERN_HIST_BUCKETS)
		bug("pattern %s: bad histogram", run->pattern->name);
	struct pattern_histogram *h = &run->hist[run->nhist++];
	memset(h, 0, sizeof *h);
	snprintf(h->title, sizeof h->title, "%s", title);
	snprintf(h->unit, sizeof h->unit, "%s", unit ? unit : "");
	memcpy(h->lo, lo, (size_t)n * sizeof *lo);
	h->nbuckets = n;
	return h;
}

void pattern_histogram_add(struct pattern_histogram *h, int64_t value)
{
	int i = h->nbuckets - 1;
	while (i > 0 && value < h->lo[i])
		i--;
	h->count[i]++;
}

void pattern_figures_print(const struct pattern_run *run, FILE *out)
{
	for (int i = 0; i < run->nfigures; i++)
		fprintf(out, "  %-28s %10.1f %s\n", run->figures[i].name, run->figures[i].value,
		        run->figures[i].unit);
	for (int k = 0; k < run->nhist; k++) {
		const struct pattern_histogram *h = &run->hist[k];
		long most = 1;
		for (int i = 0; i < h->nbuckets; i++)
			if (h->count[i] > most)
				most = h->count[i];
		fprintf(out, "\n  %s\n", h->title);
		for (int i = 0; i < h->nbuckets; i++) {
			char range[32];
			if (i + 1 < h->nbuckets)
				snprintf(range, sizeof range, "%" PRId64 "-%" PRId64 " %s", h->lo[i],
				         h->lo[i + 1], h->unit);
			else
				snprintf(range, sizeof range, ">= %" PRId64 " %s", h->lo[i], h->unit);
			int bar = (int)((h->count[i] * 40 + most - 1) / most);
			fprintf(out, "  %14s |%-40.*s| %ld\n", range, bar,
			        "########################################", h->count[i]);
		}
	}
}

int pattern_run_figures(struct pattern_run *run, const struct cl_config *base, FILE *out)
{
	if (!run->pattern->figures)
		return 0;
	if (run->pattern->figures(run, base) != 0)
		return -1;
	pattern_figures_print(run, out);
	return 0;
}

/* ---- simulated work --------------------------------------------------------------------------- */

cl_time pattern_latency(cl_time typical)
{
	if (typical <= 0)
		return 0;
	uint64_t t = (uint64_t)typical;
	if (cl_rand_below(10) != 0)
		return (cl_time)cl_rand_below(2 * t);
	return (cl_time)(2 * t + cl_rand_below(8 * t));
}

/* ---- defined here, after the lines golden traces cite (pattern_fail's note) ---- */

const struct pattern_param *pattern_param_named(const struct pattern *p, const char *name)
{
	for (int i = 0; p && name && i < p->nparams; i++)
		if (strcmp(p->params[i].name, name) == 0)
			return &p->params[i];
	return NULL;
}

struct mem_block *pattern_mem_reuse(struct pattern_run *run, size_t size)
{
	run_lock(run);
	struct mem_block *prev = NULL, *b = run->mem_spare;
	while (b && b->size < size) {
		prev = b;
		b = b->next;
	}
	if (b && prev)
		prev->next = b->next;
	else if (b)
		run->mem_spare = b->next;
	run_unlock(run);
	if (b) {
		memset(b->data, 0, size);
	} else {
		b = xcalloc(1, sizeof *b + size);
		b->size = size;
	}
	return b;
}

void pattern_mem_free(struct mem_block *b)
{
	while (b) {
		struct mem_block *next = b->next;
		free(b);
		b = next;
	}
}

/* pattern_param's slow path: name is another copy of the text (a literal the
 * linker did not merge with the table's, or a string built at run time). */
long pattern_param_by_text(struct pattern_run *run, const char *name)
{
	const struct pattern_param *param = pattern_param_named(run->pattern, name);
	if (!param)
		bug("pattern %s reads undeclared parameter '%s'", run->pattern->name, name);
	return run->params[param - run->pattern->params];
}
