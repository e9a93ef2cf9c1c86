/*
 * explore.c - the explorer (explore.h): random and PCT schedules by seed,
 * exhaustive search up to a preemption bound by stateless depth-first
 * search with replay, and shrinking of the first failing schedule.
 *
 * Every run records its decisions (runtime/schedule.h), so whatever fails
 * is at once a schedule string.  Exhaustive search keeps a stack of the
 * contended steps of the last run, each with its runnable tasks; the next
 * schedule changes the deepest step that has an untried choice within the
 * bound, replays the steps above it and lets the run continue without
 * preemption from there (the runtime's rule when a replay runs out), so
 * each run is one new leaf of the tree of schedules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "explore/explore.h"
#include "explore/internal.h"
#include "runtime/schedule.h"

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ex_options_init(struct ex_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->strategy = EX_RANDOM;
	opt->runs = 0;             /* 0: the strategy's default */
	opt->seed = 1;
	opt->pct_depth = 3;
	opt->preemptions = 2;
	opt->latency_seeds = 10;
	opt->shrink = true;
	opt->prune = true;
	opt->race = true;
	opt->stop_at_first = true;
}

bool ex_failure_same(const struct ex_failure *a, const struct ex_failure *b)
{
	return a->outcome == b->outcome && strcmp(a->kind, b->kind) == 0 &&
	       strcmp(a->name, b->name) == 0 && strcmp(a->panic_msg, b->panic_msg) == 0;
}

uint64_t ex_schedule_hash(const char *identity, uint64_t seed, enum ex_strategy strategy,
                          int pct_depth)
{
	uint64_t h = cl_schedule_hash_str(CL_SCHEDULE_HASH_INIT, identity);
	h = cl_schedule_hash_u64(h, seed);
	h = cl_schedule_hash_u64(h, strategy == EX_PCT ? 1 : 0);
	if (strategy == EX_PCT)
		h = cl_schedule_hash_u64(h, (uint64_t)pct_depth);
	return h;
}

void ex_config(const struct ex_options *opt, uint64_t seed, enum ex_strategy strategy,
               struct cl_config *cfg)
{
	cl_config_init(cfg);
	cfg->seed = seed;
	cfg->strategy = strategy == EX_PCT ? CL_STRATEGY_PCT : CL_STRATEGY_RANDOM;
	cfg->pct_depth = opt->pct_depth;
	if (opt->pct_steps)
		cfg->pct_steps = opt->pct_steps;
	if (opt->max_steps)
		cfg->max_steps = opt->max_steps;
	if (opt->stack_size)
		cfg->stack_size = opt->stack_size;
	cfg->stack_advice = opt->stack_advice;
	cfg->race = opt->race;
	cfg->interrupt = opt->interrupt;
	cfg->sinks = opt->sinks;
	cfg->nsinks = opt->nsinks;
	if (opt->max_time)
		cfg->max_time = opt->max_time;
}

void ex_result_free(struct ex_result *res)
{
	free(res->first.schedule);
	free(res->first_aside.schedule);
	free(res->shrunk);
	free(res->current);
	res->first.schedule = res->first_aside.schedule = res->shrunk = res->current = NULL;
}

int ex_replay(const struct ex_program *prog, const char *schedule, uint64_t schedule_hash,
              const struct cl_config *cfg, struct cl_result *res)
{
	struct cl_schedule sch;
	char err[256];
	if (cl_schedule_parse(schedule, true, schedule_hash, &sch, err, sizeof err) != 0) {
		memset(res, 0, sizeof *res);
		res->report = strdup(err);
		return -1;
	}
	struct cl_config c = *cfg;
	c.replay = &sch;
	if (prog->reset)
		prog->reset(prog->arg);
	int rc = cl_run(prog->main_fn, prog->arg, &c, res);
	cl_schedule_free(&sch);
	return rc;
}

/* ---- one run ---------------------------------------------------------------------------- */

bool ex_interrupted(const struct ex_options *opt)
{
	return opt->interrupt && *opt->interrupt;
}

/* Runs once under cfg (with its replay and record), judges the run.
 * Returns 0, or -1 when the runtime could not start (error set). */
int ex_run_once(struct explorer *x, struct cl_config *cfg, enum ex_judgement *judgement,
                struct ex_failure *key, bool *stopped)
{
	struct cl_result res;
	if (x->prog->reset)
		x->prog->reset(x->prog->arg);
	if (cl_run(x->prog->main_fn, x->prog->arg, cfg, &res) != 0) {
		snprintf(x->error, x->error_size, "cannot start the runtime: %s",
		         res.report ? res.report : "?");
		cl_result_free(&res);
		return -1;
	}
	memset(key, 0, sizeof *key);
	*stopped = ex_interrupted(x->opt) || strcmp(res.limit_reason, "interrupted") == 0;
	if (res.schedule_refused) {
		/* A strict replay that does not fit: not a schedule of this program. */
		*judgement = EX_ASIDE;
		snprintf(key->kind, sizeof key->kind, "refused");
	} else {
		*judgement = x->judge(x->judge_ctx, &res, key);
	}
	cl_result_free(&res);
	return 0;
}

void ex_progress_report(const struct ex_options *opt, const struct ex_progress *p)
{
	if (opt->progress)
		opt->progress(opt->progress_ctx, p);
}

/* The decisions of rec that matter: without the trailing ones the
 * continuation rule would take anyway. */
static size_t trimmed(const struct cl_schedule *rec)
{
	size_t n = rec->n;
	while (n > 0 && rec->d[n - 1].task == rec->d[n - 1].dflt)
		n--;
	return n;
}

void ex_set_found(struct ex_found *f, long index, uint64_t seed, enum ex_strategy strategy,
                  const struct ex_options *opt, const struct ex_failure *key,
                  struct cl_schedule *rec)
{
	f->set = true;
	f->index = index;
	f->seed = seed;
	f->strategy = strategy;
	f->pct_depth = opt->pct_depth;
	f->pct_steps = opt->pct_steps;
	f->failure = *key;
	f->schedule = cl_schedule_format(rec, rec->n);
	f->decisions = rec->n;
	f->preemptions = cl_schedule_preemptions(rec, rec->n);
}

/* ---- random and PCT ----------------------------------------------------------------------- */

/* Runs seed again, recorded, for the schedule of a run that matters (a
 * failure, or the run an interrupt stopped): the runs that keep the promise,
 * nearly all of them, are not recorded (a seed fixes its run).  false if it
 * could not start (error set). */
int ex_record_seed(struct explorer *x, const struct ex_options *opt, uint64_t seed,
                   enum ex_strategy strategy, struct cl_schedule *rec, struct ex_failure *key)
{
	struct cl_config cfg;
	ex_config(opt, seed, strategy, &cfg);
	cfg.record = rec;
	cfg.interrupt = NULL;
	rec->hash = ex_schedule_hash(x->prog->identity, seed, strategy, opt->pct_depth);
	enum ex_judgement j;
	struct ex_failure ignored;
	bool stopped;
	return ex_run_once(x, &cfg, &j, key ? key : &ignored, &stopped);
}

static int explore_seeds(struct explorer *x, struct ex_options *opt, struct ex_result *res)
{
	struct cl_schedule rec;
	cl_schedule_init(&rec);
	enum ex_strategy strategy = opt->strategy;
	int rc = 0;
	for (long i = 0; i < opt->runs; i++) {
		uint64_t seed = opt->seed + (uint64_t)i;
		struct cl_config cfg;
		ex_config(opt, seed, strategy, &cfg);
		enum ex_judgement j;
		struct ex_failure key;
		bool stopped;
		if ((rc = ex_run_once(x, &cfg, &j, &key, &stopped)) != 0)
			break;
		if (stopped) {
			res->interrupted = true;
			if ((rc = ex_record_seed(x, opt, seed, strategy, &rec, NULL)) != 0)
				break;
			res->current = cl_schedule_format(&rec, rec.n);
			res->current_seed = seed;
			break;
		}
		res->runs++;
		if (j == EX_KEPT) {
			res->kept++;
		} else if (j == EX_ASIDE) {
			res->aside++;
			if (!res->first_aside.set) {
				if ((rc = ex_record_seed(x, opt, seed, strategy, &rec, NULL)) != 0)
					break;
				ex_set_found(&res->first_aside, i, seed, strategy, opt, &key, &rec);
			}
		} else {
			res->broken++;
			if (!res->first.set) {
				if ((rc = ex_record_seed(x, opt, seed, strategy, &rec, NULL)) != 0)
					break;
				ex_set_found(&res->first, i, seed, strategy, opt, &key, &rec);
			}
		}
		struct ex_progress p = {.phase = "explore", .done = res->runs, .total = opt->runs,
		                        .kept = res->kept};
		ex_progress_report(opt, &p);
		if (res->first.set && opt->stop_at_first)
			break;
	}
	cl_schedule_free(&rec);
	return rc;
}

/* ---- exhaustive -------------------------------------------------------------------------- */

/* With pruning, a task asleep at a step: its next step was explored from
 * an earlier step, and every step since commuted with it, so running it
 * here would only reorder what was already run.  kind is what that step was
 * in the run that explored it (LOCAL, READ or WRITE: nothing else sleeps);
 * its variable is not kept: it is read again, in each run, from what the
 * task announces it will touch (cl_choice.next_addr), since a variable the
 * program allocates can sit at another address in another run. */
struct sleeper {
	int task;
	enum cl_step_kind kind;
};

/* A contended step of the last run, with what is left to try there. */
struct node {
	int current, dflt, chosen;
	int first_choice;             /* the choice the run that reached it took (the default,
	                                 or with pruning the task run in place of a sleeping one) */
	uint32_t first, n;            /* runnable ids in ids[first .. first+n), sorted */
	uint32_t next_alt;            /* the next index of ids to try */
	int pre_before;               /* preemptions of the steps above */
	/* pruning: the tasks asleep here, sleep[sleep_first .. +sleep_n) */
	uint32_t sleep_first, sleep_n;
	/* pruning: the first choice explored here was the current task, which
	 * could go on after its step (of first_kind): then it sleeps in the
	 * subtrees of the other choices (each a preemption) */
	bool first_entry;
	enum cl_step_kind first_kind;
};

struct dfs {
	struct node *nodes;
	size_t n, cap;
	int *ids;
	size_t nids, cap_ids;
	struct sleeper *sleep;
	size_t nsleep, cap_sleep;
	long pruned;                  /* choices skipped as asleep, runs cut where all were */
};

static int dfs_reserve(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 256;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

/* Pushes a step: who reached it (current, if it could go on), the
 * default, the choice taken, the runnable ids (sorted).  -1 out of memory. */
static int dfs_push(struct dfs *t, int current, int dflt, int chosen, const int *runnable,
                    uint32_t nrunnable)
{
	if (dfs_reserve((void **)&t->nodes, &t->cap, t->n + 1, sizeof *t->nodes) ||
	    dfs_reserve((void **)&t->ids, &t->cap_ids, t->nids + nrunnable, sizeof *t->ids))
		return -1;
	struct node *nd = &t->nodes[t->n];
	nd->current = current;
	nd->dflt = dflt;
	nd->chosen = chosen;
	nd->first_choice = chosen;
	nd->first = (uint32_t)t->nids;
	nd->n = nrunnable;
	nd->next_alt = 0;
	nd->sleep_first = (uint32_t)t->nsleep;
	nd->sleep_n = 0;
	nd->first_entry = false;
	nd->first_kind = CL_STEP_OTHER;
	nd->pre_before = t->n ? t->nodes[t->n - 1].pre_before +
	                        (t->nodes[t->n - 1].current &&
	                         t->nodes[t->n - 1].chosen != t->nodes[t->n - 1].current)
	                      : 0;
	memcpy(t->ids + t->nids, runnable, nrunnable * sizeof *t->ids);
	t->nids += nrunnable;
	t->n++;
	return 0;
}

/* Extends the stack with the steps of rec below it, up to n (without
 * pruning: the run was recorded with each step's runnable set). */
static int dfs_extend(struct dfs *t, const struct cl_schedule *rec, size_t n)
{
	for (size_t i = t->n; i < n && i < rec->n; i++) {
		const struct cl_decision *d = &rec->d[i];
		if (dfs_push(t, d->current, d->dflt, d->task, rec->runnable + d->first,
		             d->nrunnable) != 0)
			return -1;
	}
	return 0;
}

/* The schedule the stack's steps make (with pruning, where runs are not
 * recorded: for a failure's schedule, or the one an interrupt stopped). */
static int dfs_schedule(const struct dfs *t, uint64_t hash, struct cl_schedule *out)
{
	cl_schedule_clear(out);
	out->hash = hash;
	for (size_t i = 0; i < t->n; i++) {
		if (cl_schedule_push(out, t->nodes[i].chosen) != 0)
			return -1;
		out->d[i].current = t->nodes[i].current;
		out->d[i].dflt = t->nodes[i].dflt;
	}
	return 0;
}

static bool asleep(const struct sleeper *s, size_t n, int task)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].task == task)
			return true;
	return false;
}

/* Whether a sleeping step and the step that just ran commute: neither did
 * something unknown, and they touched different variables, or only read. */
static bool commute(enum cl_step_kind ak, const void *aa, enum cl_step_kind bk, const void *ba)
{
	if (ak == CL_STEP_OTHER || bk == CL_STEP_OTHER)
		return false;
	if (ak == CL_STEP_LOCAL || bk == CL_STEP_LOCAL)
		return true;
	return aa != ba || (ak == CL_STEP_READ && bk == CL_STEP_READ);
}

/* Moves to the next schedule: the deepest step with an untried choice
 * within the bound takes it; the steps above are the replay prefix (not
 * built when prefix is NULL: with pruning, prune_choose replays from the
 * nodes).  false when the tree is done. */
static bool dfs_next(struct dfs *t, int bound, struct cl_schedule *prefix)
{
	while (t->n) {
		struct node *nd = &t->nodes[t->n - 1];
		while (nd->next_alt < nd->n) {
			int alt = t->ids[nd->first + nd->next_alt++];
			if (alt == nd->first_choice)
				continue;   /* run already, by the run that reached this step */
			int cost = nd->current && alt != nd->current;
			if (nd->pre_before + cost > bound)
				continue;
			if (asleep(t->sleep + nd->sleep_first, nd->sleep_n, alt)) {
				t->pruned++;
				continue;
			}
			nd->chosen = alt;
			if (!prefix)
				return true;
			cl_schedule_clear(prefix);
			for (size_t i = 0; i < t->n; i++)
				if (cl_schedule_push(prefix, t->nodes[i].chosen) != 0)
					return false;
			return true;
		}
		t->nids = nd->first;
		t->nsleep = nd->sleep_first;
		t->n--;
	}
	return false;
}

/* Sleep sets (Godefroid's) under the preemption bound.  A choice is
 * skipped where it would only reorder commuting steps of a schedule run
 * already.  Plain sleep sets lose schedules under a bound (Coons, Musuvathi
 * and McKinley, "Bounded partial-order reduction", 2013): the reordered twin
 * may need more preemptions than the bound allows.  So a task goes to sleep
 * only in one case: at a step where it was current and its step (explored
 * first, as the default) let it go on, in the subtrees of the other choices,
 * each a preemption.  The twin that runs its step first then pays that
 * preemption where the skipped one paid it (switching to the other task),
 * so it is within the bound whenever the skipped one is; and with the task
 * runnable throughout, both orders make the same contended steps, so the
 * seed's stream (which every contended step draws from) stays in step.
 *
 * The invariant, which every rule below keeps: a task T is asleep at a
 * step N only if the search has run, earlier in its order, a schedule that
 * ran T's next step s at an ancestor A of N where T was current and went
 * on, and every step on the path from A's other choice down to N commutes
 * with s.  Then every schedule through T at N equals (the same steps, two
 * commuting ones swapped: the same final state and outcome) one with s
 * moved up to A, which has no more preemptions, so it is within the bound
 * and was run (or skipped by the same rule for a twin still earlier).
 *
 * Two steps commute when each is one segment from a cl_rd/cl_wr, an atomic
 * or a yield to the next scheduling point that drew no randomness (cl_rand
 * included), made no task runnable and ended no task (cl_choice.step), and
 * they touch different variables or only read.  "Different variables" is
 * judged inside one run only: a sleeper keeps its task and the kind of its
 * step, and its variable is the one the task announces in the run at hand
 * (cl_choice.next_addr).  Memory a program allocates moves between runs (a
 * pattern's pool is pattern_alloc'd anew each run), so an address kept from
 * the run that explored the step named another variable, or none, in the
 * next: with that, a write to the sleeper's own variable passed for a write
 * to another one, and lock-free-stack aba was found after more schedules
 * with pruning than without. */
struct pruner {
	struct dfs *t;
	size_t m;                     /* the prefix: nodes[0 .. m) (the last with its new choice) */
	struct sleeper *cur;          /* the tasks asleep at the decision being made */
	size_t ncur, cap_cur;
	struct sleeper *tmp;
	size_t cap_tmp;
	/* the steps after the prefix: their sleep sets, then what their first
	 * choice's step did */
	struct pending { uint32_t first, n; bool entry; enum cl_step_kind kind; } *pn;
	size_t npn, cap_pn;
	struct sleeper *ps;
	size_t nps, cap_ps;
	int prev_chosen, prev_current;
	bool aborted, oom;
	size_t abort_at;
	volatile int stop;            /* cfg.interrupt: an abort, or the caller's interrupt */
	volatile int *user;
};

/* Whether sleeper z stays asleep across the step that ended at c: its
 * next op, as this run's c announces it (the same op the sleeper's kind was
 * recorded for, or it wakes), commutes with that step. */
static bool stays_asleep(const struct sleeper *z, const struct cl_choice *c)
{
	if (!c->next_step)
		return false;
	int lo = 0, hi = c->nrunnable;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (c->runnable[mid] < z->task)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == c->nrunnable || c->runnable[lo] != z->task || c->next_step[lo] != z->kind)
		return false;
	return commute(z->kind, c->next_addr[lo], c->step, c->step_addr);
}

/* cur = the sleepers of from[0 .. n) (and extra, if any) that stay asleep at c. */
static int sleep_filter(struct pruner *p, const struct sleeper *from, size_t n,
                        const struct sleeper *extra, const struct cl_choice *c)
{
	if (dfs_reserve((void **)&p->tmp, &p->cap_tmp, n + 1, sizeof *p->tmp) != 0)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (stays_asleep(&from[i], c))
			p->tmp[k++] = from[i];
	if (extra && stays_asleep(extra, c))
		p->tmp[k++] = *extra;
	if (dfs_reserve((void **)&p->cur, &p->cap_cur, k + 1, sizeof *p->cur) != 0)
		return -1;
	if (k)
		memcpy(p->cur, p->tmp, k * sizeof *p->cur);
	p->ncur = k;
	return 0;
}

static int prune_choose(void *ctx, const struct cl_choice *c)
{
	struct pruner *p = ctx;
	struct dfs *t = p->t;
	size_t j = (size_t)c->index;
	if (p->user && *p->user)
		p->stop = 1;
	if (j < p->m) {
		p->prev_chosen = t->nodes[j].chosen;
		p->prev_current = c->current;
		return t->nodes[j].chosen;
	}
	if (p->aborted || p->oom)
		return c->dflt;
	int rc = 0;
	if (j == 0) {
		p->ncur = 0;
	} else if (j == p->m) {
		/* The step of the prefix's new choice: the first choice of that node
		 * sleeps here if it may. */
		const struct node *nd = &t->nodes[j - 1];
		struct sleeper e = {nd->current, nd->first_kind};
		rc = sleep_filter(p, t->sleep + nd->sleep_first, nd->sleep_n,
		                  nd->first_entry && nd->first_kind != CL_STEP_OTHER ? &e : NULL, c);
	} else {
		struct pending *prev = &p->pn[p->npn - 1];
		prev->kind = c->step;
		prev->entry = p->prev_chosen == p->prev_current && c->current == p->prev_chosen;
		rc = sleep_filter(p, p->ps + prev->first, prev->n, NULL, c);
	}
	int chosen = c->dflt;
	if (rc == 0 && asleep(p->cur, p->ncur, chosen)) {
		/* Only when nothing could go on (the current task never sleeps):
		 * any other task costs no preemption. */
		chosen = 0;
		for (int i = 0; i < c->nrunnable && !chosen; i++)
			if (!asleep(p->cur, p->ncur, c->runnable[i]))
				chosen = c->runnable[i];
		if (!chosen) {
			p->aborted = true;
			p->abort_at = j;
			p->stop = 1;
			return c->dflt;
		}
	}
	if (rc == 0 && (dfs_reserve((void **)&p->pn, &p->cap_pn, p->npn + 1, sizeof *p->pn) ||
	                dfs_reserve((void **)&p->ps, &p->cap_ps, p->nps + p->ncur + 1, sizeof *p->ps)))
		rc = -1;
	if (rc != 0) {
		p->oom = true;
		p->stop = 1;
		return c->dflt;
	}
	/* The step itself, on the stack (runs with pruning are not recorded). */
	if (dfs_push(t, c->current, c->dflt, chosen, c->runnable, (uint32_t)c->nrunnable) != 0) {
		p->oom = true;
		p->stop = 1;
		return c->dflt;
	}
	p->pn[p->npn++] = (struct pending){(uint32_t)p->nps, (uint32_t)p->ncur, false, CL_STEP_OTHER};
	if (p->ncur)   /* cur may be NULL while no task ever slept */
		memcpy(p->ps + p->nps, p->cur, p->ncur * sizeof *p->ps);
	p->nps += p->ncur;
	p->prev_chosen = chosen;
	p->prev_current = c->current;
	return chosen;
}

/* After a pruned run: the new nodes m .. n take their sleep sets and first
 * steps from the pending list. */
static int prune_store(struct pruner *p, size_t n)
{
	struct dfs *t = p->t;
	for (size_t i = p->m, k = 0; i < n && i < t->n && k < p->npn; i++, k++) {
		const struct pending *pd = &p->pn[k];
		if (dfs_reserve((void **)&t->sleep, &t->cap_sleep, t->nsleep + pd->n + 1, sizeof *t->sleep))
			return -1;
		struct node *nd = &t->nodes[i];
		nd->sleep_first = (uint32_t)t->nsleep;
		nd->sleep_n = pd->n;
		if (pd->n)
			memcpy(t->sleep + t->nsleep, p->ps + pd->first, pd->n * sizeof *t->sleep);
		t->nsleep += pd->n;
		nd->first_entry = pd->entry;
		nd->first_kind = pd->kind;
	}
	return 0;
}

static int explore_exhaustive(struct explorer *x, struct ex_options *opt, struct ex_result *res)
{
	struct cl_schedule rec, prefix;
	cl_schedule_init(&rec);
	cl_schedule_init(&prefix);
	/* Without pruning the search reads each step's runnable set off the
	 * recording; with it, a recording (record_runs) is its decisions only. */
	rec.detail = !opt->prune;
	struct dfs t = {0};
	struct pruner pr = {.t = &t};
	int rc = 0;
	bool stop = false;
	for (int ls = 1; ls <= opt->latency_seeds && !stop; ls++) {
		uint64_t seed = (uint64_t)ls;
		uint64_t hash = ex_schedule_hash(x->prog->identity, seed, EX_RANDOM, 0);
		t.n = t.nids = t.nsleep = 0;
		cl_schedule_clear(&prefix);
		bool more = true;
		while (more) {
			if (res->runs >= opt->runs) {
				res->cap_hit = true;
				stop = true;
				break;
			}
			struct cl_config cfg;
			ex_config(opt, seed, EX_RANDOM, &cfg);
			cfg.replay = &prefix;
			cfg.record = &rec;
			rec.hash = hash;
			if (opt->prune) {
				/* prune_choose replays the nodes, then pushes the new steps
				 * with their sleep sets; nothing is recorded unless asked. */
				cfg.record = opt->record_runs ? &rec : NULL;
				pr.m = t.n;
				pr.ncur = pr.npn = pr.nps = 0;
				pr.aborted = pr.oom = false;
				pr.stop = 0;
				pr.user = opt->interrupt;
				cfg.replay = NULL;
				cfg.choose = prune_choose;
				cfg.choose_ctx = &pr;
				cfg.interrupt = &pr.stop;
			}
			enum ex_judgement j;
			struct ex_failure key;
			bool stopped;
			if ((rc = ex_run_once(x, &cfg, &j, &key, &stopped)) != 0) {
				stop = true;
				break;
			}
			if (opt->prune && pr.oom) {
				snprintf(x->error, x->error_size, "out of memory");
				rc = -1;
				stop = true;
				break;
			}
			if (opt->prune && pr.aborted && !ex_interrupted(opt)) {
				/* Every choice at abort_at was asleep: the run only reordered
				 * one already made.  Its steps above that are still to branch. */
				t.pruned++;
				if (prune_store(&pr, pr.abort_at) != 0) {
					snprintf(x->error, x->error_size, "out of memory");
					rc = -1;
					stop = true;
					break;
				}
				more = dfs_next(&t, opt->preemptions, opt->prune ? NULL : &prefix);
				continue;
			}
			if (opt->prune && (stopped || j != EX_KEPT) && dfs_schedule(&t, hash, &rec) != 0) {
				snprintf(x->error, x->error_size, "out of memory");
				rc = -1;
				stop = true;
				break;
			}
			if (stopped) {
				res->interrupted = true;
				res->current = cl_schedule_format(&rec, rec.n);
				res->current_seed = seed;
				stop = true;
				break;
			}
			res->runs++;
			if (j == EX_KEPT) {
				res->kept++;
			} else if (j == EX_ASIDE) {
				res->aside++;
				if (!res->first_aside.set)
					ex_set_found(&res->first_aside, res->runs - 1, seed, EX_RANDOM, opt, &key,
					          &rec);
			} else {
				res->broken++;
				if (!res->first.set)
					ex_set_found(&res->first, res->runs - 1, seed, EX_RANDOM, opt, &key, &rec);
				if (opt->stop_at_first) {
					stop = true;
					break;
				}
			}
			struct ex_progress p = {.phase = "explore", .done = res->runs, .total = opt->runs,
			                        .kept = res->kept, .latency_seed = ls};
			ex_progress_report(opt, &p);
			if (opt->prune ? prune_store(&pr, t.n) != 0 : dfs_extend(&t, &rec, rec.n) != 0) {
				snprintf(x->error, x->error_size, "out of memory");
				rc = -1;
				stop = true;
				break;
			}
			more = dfs_next(&t, opt->preemptions, opt->prune ? NULL : &prefix);
		}
		if (!more)
			res->latency_seeds_done = ls;
	}
	res->complete = !res->cap_hit && !res->interrupted && rc == 0 && !res->first.set;
	res->pruned = t.pruned;
	free(t.nodes);
	free(t.ids);
	free(t.sleep);
	free(pr.cur);
	free(pr.tmp);
	free(pr.pn);
	free(pr.ps);
	cl_schedule_free(&rec);
	cl_schedule_free(&prefix);
	return rc;
}

/* ---- shrinking ---------------------------------------------------------------------------- */

/* The longest schedule whose decisions are swept one by one (shrink_pass). */
#define SHRINK_SWEEP_MAX 1000

struct shrinker {
	struct explorer *x;
	const struct ex_found *found;
	struct cl_config cfg;
	struct cl_schedule best;      /* the recorded run of the best candidate */
	size_t best_n;                /* its decisions that matter */
	int best_pre;
	struct cl_schedule cand, rec;
	struct ex_shrink_stats *stats;
	bool stop;
	long pct_next[6];             /* shrink_by_pct: the last seed run at each depth */
	uint64_t pct_steps;           /* shrink_by_pct: the steps PCT spreads its change points over */
};

/* Runs cand (lenient or strict); if it fails the same way and is smaller
 * (fewer preemptions, then fewer decisions), it becomes the best. */
static int try_candidate(struct shrinker *k, bool lenient, bool *better)
{
	*better = false;
	struct cl_config c = k->cfg;
	c.replay = &k->cand;
	c.replay_lenient = lenient;
	c.record = &k->rec;
	enum ex_judgement j;
	struct ex_failure key;
	bool stopped;
	if (ex_run_once(k->x, &c, &j, &key, &stopped) != 0)
		return -1;
	k->stats->runs++;
	if (stopped) {
		k->stop = true;
		return 0;
	}
	if (j != EX_BROKEN || !ex_failure_same(&key, &k->found->failure))
		return 0;
	size_t n = trimmed(&k->rec);
	int pre = cl_schedule_preemptions(&k->rec, n);
	if (pre < k->best_pre || (pre == k->best_pre && n < k->best_n)) {
		struct cl_schedule tmp = k->best;
		k->best = k->rec;
		k->rec = tmp;
		k->best_n = n;
		k->best_pre = pre;
		*better = true;
		struct ex_progress p = {.phase = "shrink", .done = k->stats->runs,
		                        .decisions = n, .preemptions = pre};
		ex_progress_report(k->x->opt, &p);
	}
	return 0;
}

/* cand = best's first n decisions with decision i replaced by task (task 0:
 * deleted); swap: decisions i and i+1 exchanged. */
static int make_candidate(struct shrinker *k, size_t i, int task, bool swap)
{
	cl_schedule_clear(&k->cand);
	for (size_t m = 0; m < k->best_n; m++) {
		int v = k->best.d[m].task;
		if (m == i && swap)
			v = k->best.d[i + 1].task;
		else if (m == i + 1 && swap)
			v = k->best.d[i].task;
		else if (m == i && task == 0)
			continue;
		else if (m == i)
			v = task;
		if (cl_schedule_push(&k->cand, v) != 0)
			return -1;
	}
	return 0;
}

/* The shortest failing prefix of best: doubling, then bisection. */
static int shrink_prefix(struct shrinker *k)
{
	size_t hi = 0, lo = 0;
	bool better;
	for (size_t len = 0;; len = len ? len * 2 : 1) {
		if (len >= k->best_n)
			return 0;   /* no shorter prefix fails: best stays */
		if (cl_schedule_copy_prefix(&k->cand, &k->best, len) || try_candidate(k, false, &better))
			return -1;
		if (k->stop)
			return 0;
		if (better) {
			hi = len;
			break;
		}
		lo = len + 1;
	}
	/* The prefix of length hi fails (and is the best now); look below it. */
	struct cl_schedule keep;
	cl_schedule_init(&keep);
	if (cl_schedule_copy_prefix(&keep, &k->best, hi) != 0)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cl_schedule_copy_prefix(&k->cand, &keep, mid) || try_candidate(k, false, &better)) {
			cl_schedule_free(&keep);
			return -1;
		}
		if (k->stop)
			break;
		if (better)
			hi = mid;
		else
			lo = mid + 1;
	}
	cl_schedule_free(&keep);
	return 0;
}

/* Positional edits of the best.  Preemptions: let the task that was
 * switched away from go on, one step at a time, until one is taken.
 * Decisions: delete one, or swap two neighbours, in one sweep that goes on
 * from the edit it took (so a sweep costs a run per decision, not one per
 * decision for each decision taken).  True in *improved if one was taken. */
static int shrink_pass(struct shrinker *k, bool decisions, bool *improved)
{
	bool better;
	*improved = false;
	if (!decisions) {
		for (size_t i = 0; i < k->best_n && !k->stop; i++) {
			const struct cl_decision *d = &k->best.d[i];
			if (!d->current || d->task == d->current)
				continue;
			if (make_candidate(k, i, d->current, false) || try_candidate(k, true, &better))
				return -1;
			if (better) {
				*improved = true;
				return 0;
			}
		}
		return 0;
	}
	for (size_t i = k->best_n; i-- > 0 && !k->stop;) {
		if (i >= k->best_n)
			continue;
		if (make_candidate(k, i, 0, false) || try_candidate(k, true, &better))
			return -1;
		if (better)
			*improved = true;
	}
	for (size_t i = 0; i + 1 < k->best_n && !k->stop; i++) {
		if (k->best.d[i].task == k->best.d[i + 1].task)
			continue;
		if (make_candidate(k, i, 0, true) || try_candidate(k, true, &better))
			return -1;
		if (better)
			*improved = true;
	}
	return 0;
}

/* ---- shrinking by anchored switches -------------------------------------------------------- */

/* A decision that is not the default, named by where it happens: when task
 * `from` reaches its from_points-th scheduling point, `to` runs.  Unlike a
 * position in the list of decisions, the anchor keeps its meaning when a
 * switch elsewhere is dropped, so "remove one preemption" is one edit. */
struct anchor {
	int from;
	uint64_t from_points;
	int to;
	bool preempts;            /* from could have gone on */
	bool off;                 /* dropped in the candidate being tried */
};

struct anchors {
	struct anchor *a;
	size_t n, cap;
};

static int anchor_cmp(const void *x, const void *y)
{
	const struct anchor *a = x, *b = y;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	return (a->from_points > b->from_points) - (a->from_points < b->from_points);
}

/* The anchors of rec's first n decisions (those that are not the default). */
static int anchors_of(struct anchors *as, const struct cl_schedule *rec, size_t n)
{
	as->n = 0;
	for (size_t i = 0; i < n && i < rec->n; i++) {
		const struct cl_decision *d = &rec->d[i];
		if (d->task == d->dflt)
			continue;
		if (dfs_reserve((void **)&as->a, &as->cap, as->n + 1, sizeof *as->a) != 0)
			return -1;
		as->a[as->n++] = (struct anchor){d->from, d->from_points, d->task, d->current != 0, false};
	}
	if (as->n > 0)	/* qsort's array may not be NULL, even when empty */
		qsort(as->a, as->n, sizeof *as->a, anchor_cmp);
	return 0;
}

static int choose_by_anchor(void *ctx, const struct cl_choice *c)
{
	const struct anchors *as = ctx;
	struct anchor key = {.from = c->from, .from_points = c->from_points};
	const struct anchor *a = as->n > 0 ? bsearch(&key, as->a, as->n, sizeof *as->a, anchor_cmp) : NULL;
	return a && !a->off ? a->to : c->dflt;
}

/* Runs the anchors (those not off); rec receives the run. */
static int run_anchors(struct shrinker *k, struct anchors *as, enum ex_judgement *j,
                       struct ex_failure *key)
{
	struct cl_config c = k->cfg;
	c.choose = choose_by_anchor;
	c.choose_ctx = as;
	c.record = &k->rec;
	bool stopped;
	if (ex_run_once(k->x, &c, j, key, &stopped) != 0)
		return -1;
	k->stats->runs++;
	if (stopped)
		k->stop = true;
	return 0;
}

/* Takes rec as the new best if it fails the same way and is smaller. */
static bool take_if_better(struct shrinker *k, enum ex_judgement j, const struct ex_failure *key,
                           bool fewer_switches)
{
	if (j != EX_BROKEN || !ex_failure_same(key, &k->found->failure))
		return false;
	size_t n = trimmed(&k->rec);
	int pre = cl_schedule_preemptions(&k->rec, n);
	/* Fewer preemptions, or as many and fewer decisions, or as many of both
	 * and fewer switches: strictly smaller each time, so shrinking ends. */
	if (!(pre < k->best_pre || (pre == k->best_pre && n < k->best_n) ||
	      (pre == k->best_pre && n == k->best_n && fewer_switches)))
		return false;
	struct cl_schedule tmp = k->best;
	k->best = k->rec;
	k->rec = tmp;
	k->best_n = n;
	k->best_pre = pre;
	struct ex_progress p = {.phase = "shrink", .done = k->stats->runs, .decisions = n,
	                        .preemptions = pre};
	ex_progress_report(k->x->opt, &p);
	return true;
}

/* Drops anchors by delta debugging (Zeller's ddmin): chunks of the
 * preemptions first, halves, then quarters ... down to single ones, then
 * the other switches one by one; each drop taken restarts from the new
 * best.  Ends when no single drop keeps the failure: 1-minimal. */
static int shrink_anchors(struct shrinker *k, bool *improved_any)
{
	struct anchors as = {0};
	size_t *pre_idx = NULL;
	int rc = 0;
	*improved_any = false;
	size_t chunks = 2;
	while (!k->stop) {
		if ((rc = anchors_of(&as, &k->best, k->best_n)) != 0)
			break;
		free(pre_idx);
		pre_idx = malloc((as.n + 1) * sizeof *pre_idx);
		if (!pre_idx) {
			rc = -1;
			break;
		}
		size_t np = 0;
		for (size_t i = 0; i < as.n; i++)
			if (as.a[i].preempts)
				pre_idx[np++] = i;
		bool taken = false;
		if (chunks > np)
			chunks = np;
		/* Preemptions in `chunks` chunks: drop each chunk. */
		for (size_t c = 0; c < chunks && !taken && !k->stop; c++) {
			size_t lo = np * c / chunks, hi = np * (c + 1) / chunks;
			for (size_t m = lo; m < hi; m++)
				as.a[pre_idx[m]].off = true;
			enum ex_judgement j;
			struct ex_failure key;
			if ((rc = run_anchors(k, &as, &j, &key)) != 0)
				goto out;
			for (size_t m = lo; m < hi; m++)
				as.a[pre_idx[m]].off = false;
			taken = take_if_better(k, j, &key, false);
		}
		if (taken) {
			*improved_any = true;
			chunks = chunks > 2 ? chunks - 1 : 2;
			continue;
		}
		if (chunks < np) {
			chunks = chunks * 2 < np ? chunks * 2 : np;
			continue;
		}
		/* Single preemptions failed too: the other switches, one by one. */
		for (size_t i = 0; i < as.n && !taken && !k->stop; i++) {
			if (as.a[i].preempts)
				continue;
			as.a[i].off = true;
			enum ex_judgement j;
			struct ex_failure key;
			if ((rc = run_anchors(k, &as, &j, &key)) != 0)
				goto out;
			as.a[i].off = false;
			taken = take_if_better(k, j, &key, true);
		}
		if (!taken)
			break;
		*improved_any = true;
		chunks = 2;
	}
out:
	free(pre_idx);
	free(as.a);
	return rc;
}

/* Keeps only `size` of the best's preemptions (every combination, in
 * order, within a budget of runs), the other switches kept: ddmin drops
 * one at a time and can stall where every single preemption is needed by
 * the others but a few of them together suffice.  True in *taken if one
 * combination failed the same way with fewer preemptions. */
static int shrink_subsets(struct shrinker *k, int size, long budget, bool *taken)
{
	struct anchors as = {0};
	size_t *pre_idx = NULL;
	int rc = 0;
	*taken = false;
	if ((rc = anchors_of(&as, &k->best, k->best_n)) != 0)
		return rc;
	pre_idx = malloc((as.n + 1) * sizeof *pre_idx);
	if (!pre_idx) {
		free(as.a);
		return -1;
	}
	size_t np = 0;
	for (size_t i = 0; i < as.n; i++)
		if (as.a[i].preempts)
			pre_idx[np++] = i;
	if (size <= 0 || (size_t)size >= np)
		goto out;
	size_t comb[8];
	for (int i = 0; i < size; i++)
		comb[i] = (size_t)i;
	for (long tries = 0; tries < budget && !k->stop; tries++) {
		for (size_t m = 0; m < np; m++)
			as.a[pre_idx[m]].off = true;
		for (int i = 0; i < size; i++)
			as.a[pre_idx[comb[i]]].off = false;
		enum ex_judgement j;
		struct ex_failure key;
		if ((rc = run_anchors(k, &as, &j, &key)) != 0)
			goto out;
		if (take_if_better(k, j, &key, false)) {
			*taken = true;
			goto out;
		}
		/* The next combination in lexicographic order. */
		int i = size - 1;
		while (i >= 0 && comb[i] == np - (size_t)size + (size_t)i)
			i--;
		if (i < 0)
			break;
		comb[i]++;
		for (int m = i + 1; m < size; m++)
			comb[m] = comb[m - 1] + 1;
	}
out:
	free(pre_idx);
	free(as.a);
	return rc;
}

/* PCT's schedules have few preemptions by construction (d-1 change points,
 * plus wake-ups of higher-priority tasks): a PCT run of depth d that fails
 * the same way, replayed under the found schedule's own seed and strategy,
 * is a candidate the local edits above cannot reach from a random
 * schedule.  Depths from 2, `budget` seeds each. */
static int shrink_by_pct(struct shrinker *k, long budget, bool *taken)
{
	*taken = false;
	struct cl_schedule rec;
	cl_schedule_init(&rec);
	int rc = 0;
	/* Depths in turn, a block of seeds each, so the depth that finds one
	 * finds it early; a seed run once is not run again in a later call (its
	 * run does not depend on the best, so it cannot do better then). */
	for (long block = 0; block < budget && !*taken && !k->stop; block += 100)
		for (int d = 2; d <= k->best_pre && d <= 5 && !*taken && !k->stop; d++)
			for (; k->pct_next[d] < block + 100 && k->pct_next[d] < budget && !*taken && !k->stop;) {
				long seed = ++k->pct_next[d];
				struct cl_config c = k->cfg;
				c.strategy = CL_STRATEGY_PCT;
				c.pct_depth = d;
				c.pct_steps = k->pct_steps;
				c.seed = (uint64_t)seed;
				c.record = &rec;
				enum ex_judgement j;
				struct ex_failure key;
				bool stopped;
				if ((rc = ex_run_once(k->x, &c, &j, &key, &stopped)) != 0)
					goto out;
				k->stats->runs++;
				if (stopped) {
					k->stop = true;
					break;
				}
				if (j != EX_BROKEN || !ex_failure_same(&key, &k->found->failure) ||
				    cl_schedule_preemptions(&rec, rec.n) >= k->best_pre)
					continue;
				if ((rc = cl_schedule_copy_prefix(&k->cand, &rec, trimmed(&rec))) != 0 ||
				    (rc = try_candidate(k, true, taken)) != 0)
					goto out;
			}
out:
	cl_schedule_free(&rec);
	return rc;
}

int ex_without_preemption(const struct ex_program *prog, ex_judge_fn judge, void *judge_ctx,
                          const struct ex_options *opt, const struct ex_found *found, int which,
                          enum ex_judgement *judgement, struct ex_failure *key)
{
	char err[256];
	struct ex_shrink_stats stats = {0};
	struct explorer x = {prog, judge, judge_ctx, opt, err, sizeof err};
	enum ex_judgement j_spare;
	struct ex_failure key_spare;
	if (!judgement)
		judgement = &j_spare;
	if (!key)
		key = &key_spare;
	struct shrinker k = {.x = &x, .found = found, .stats = &stats};
	cl_schedule_init(&k.best);
	cl_schedule_init(&k.cand);
	cl_schedule_init(&k.rec);
	ex_config(opt, found->seed, found->strategy, &k.cfg);
	k.cfg.pct_depth = found->pct_depth;
	if (found->pct_steps)
		k.cfg.pct_steps = found->pct_steps;
	int rc = -1;
	struct anchors as = {0};
	bool stopped;
	/* The schedule itself, recorded, gives the anchors. */
	if (cl_schedule_parse(found->schedule, false, 0, &k.cand, err, sizeof err) != 0)
		goto out;
	struct cl_config c = k.cfg;
	c.replay = &k.cand;
	c.record = &k.best;
	if (ex_run_once(&x, &c, judgement, key, &stopped) != 0 || anchors_of(&as, &k.best, k.best.n))
		goto out;
	for (size_t i = 0, p = 0; i < as.n; i++)
		if (as.a[i].preempts && (int)p++ == which) {
			as.a[i].off = true;
			rc = run_anchors(&k, &as, judgement, key);
			goto out;
		}
out:
	free(as.a);
	cl_schedule_free(&k.best);
	cl_schedule_free(&k.cand);
	cl_schedule_free(&k.rec);
	return rc;
}

static char *shrink_once(const struct ex_program *prog, ex_judge_fn judge, void *judge_ctx,
                         const struct ex_options *opt, const struct ex_found *found, bool race,
                         struct ex_shrink_stats *stats, char *err, size_t err_size)
{
	double start = now_seconds();
	memset(stats, 0, sizeof *stats);
	struct explorer x = {prog, judge, judge_ctx, opt, err, err_size};
	struct shrinker k = {.x = &x, .found = found, .stats = stats};
	cl_schedule_init(&k.best);
	cl_schedule_init(&k.cand);
	cl_schedule_init(&k.rec);
	char *out = NULL;
	if (cl_schedule_parse(found->schedule, false, 0, &k.cand, err, err_size) != 0)
		goto done;
	uint64_t hash = k.cand.hash;
	stats->from_decisions = k.cand.n;
	ex_config(opt, found->seed, found->strategy, &k.cfg);
	k.cfg.race = race;
	k.cfg.pct_depth = found->pct_depth;
	if (found->pct_steps)
		k.cfg.pct_steps = found->pct_steps;
	/* The failing run itself, recorded with what each step could have done. */
	k.best_pre = 1 << 30;
	k.best_n = (size_t)-1;
	bool better;
	if (try_candidate(&k, false, &better) != 0)
		goto done;
	if (!better) {
		snprintf(err, err_size, "the schedule does not fail the same way when replayed "
		         "(is the program deterministic?)");
		goto done;
	}
	stats->from_preemptions = cl_schedule_preemptions(&k.best, k.best.n);
	if (shrink_prefix(&k) != 0)
		goto done;
	k.pct_steps = k.best_n ? k.best_n : 1;   /* about where the failure happens */
	/* The fewest preemptions: anchored drops to a fixed point, positional
	 * ones, then a few preemptions together, then PCT; again while one of
	 * them finds something.  Then the fewest decisions: positional sweeps,
	 * each followed by anchored drops (so the result stays 1-minimal), to a
	 * fixed point, for schedules of at most SHRINK_SWEEP_MAX decisions (a
	 * sweep is a run per decision, and on long schedules it seldom takes
	 * one; the anchored drops have taken off the switches that could go).
	 * (Sweeping decisions inside the first loop cost a run per decision for
	 * every decision it took off.) */
	for (bool improved = true; improved && !k.stop;) {
		bool any;
		if (shrink_anchors(&k, &any) != 0 || shrink_pass(&k, false, &improved) != 0)
			goto done;
		/* A few of the best's preemptions together: while they are few
		 * (C(12, 4) = 495), else PCT does better for the runs. */
		for (int size = 1; !improved && k.best_pre <= 12 && size < k.best_pre && size <= 4 &&
		                   !k.stop; size++)
			if (shrink_subsets(&k, size, 2000, &improved) != 0)
				goto done;
		if (!improved && k.best_pre > 1 && shrink_by_pct(&k, 300, &improved) != 0)
			goto done;
	}
	for (bool improved = true; improved && !k.stop && k.best_n <= SHRINK_SWEEP_MAX;) {
		bool any;
		if (shrink_pass(&k, true, &improved) != 0 || shrink_anchors(&k, &any) != 0)
			goto done;
		improved = improved || any;
	}
	k.best.hash = hash;
	out = cl_schedule_format(&k.best, k.best_n);
	if (!out)
		snprintf(err, err_size, "out of memory");
	stats->to_decisions = k.best_n;
	stats->to_preemptions = k.best_pre;
done:
	stats->seconds = now_seconds() - start;
	cl_schedule_free(&k.best);
	cl_schedule_free(&k.cand);
	cl_schedule_free(&k.rec);
	return out;
}

/* Whether schedule, replayed strictly under opt (the detector as opt says),
 * fails as found did. */
static bool fails_the_same(const struct ex_program *prog, ex_judge_fn judge, void *judge_ctx,
                           const struct ex_options *opt, const struct ex_found *found,
                           const char *schedule)
{
	char err[256];
	struct explorer x = {prog, judge, judge_ctx, opt, err, sizeof err};
	struct cl_schedule sch;
	if (cl_schedule_parse(schedule, false, 0, &sch, err, sizeof err) != 0)
		return false;
	struct cl_config cfg;
	ex_config(opt, found->seed, found->strategy, &cfg);
	cfg.pct_depth = found->pct_depth;
	if (found->pct_steps)
		cfg.pct_steps = found->pct_steps;
	cfg.replay = &sch;
	enum ex_judgement j;
	struct ex_failure key;
	bool stopped;
	bool same = ex_run_once(&x, &cfg, &j, &key, &stopped) == 0 && !stopped && j == EX_BROKEN &&
	            ex_failure_same(&key, &found->failure);
	cl_schedule_free(&sch);
	return same;
}

char *ex_shrink(const struct ex_program *prog, ex_judge_fn judge, void *judge_ctx,
                const struct ex_options *opt, const struct ex_found *found,
                struct ex_shrink_stats *stats, char *err, size_t err_size)
{
	/* The detector costs a third of a run and changes no schedule: the
	 * candidates run without it unless the failure is a race, and the
	 * result is checked with it.  A candidate that only races with the
	 * detector on could have been taken; then shrinking runs again with it. */
	if (opt->race && found->failure.outcome != CL_OUTCOME_RACE) {
		char *out = shrink_once(prog, judge, judge_ctx, opt, found, false, stats, err, err_size);
		if (out && fails_the_same(prog, judge, judge_ctx, opt, found, out)) {
			stats->runs++;
			return out;
		}
		free(out);
		struct ex_shrink_stats first = *stats;
		out = shrink_once(prog, judge, judge_ctx, opt, found, true, stats, err, err_size);
		stats->runs += first.runs + 1;
		stats->seconds += first.seconds;
		return out;
	}
	return shrink_once(prog, judge, judge_ctx, opt, found, opt->race, stats, err, err_size);
}

/* ---- the exploration ------------------------------------------------------------------------- */

int ex_explore(const struct ex_program *prog, ex_judge_fn judge, void *judge_ctx,
               const struct ex_options *opt_in, struct ex_result *res)
{
	memset(res, 0, sizeof *res);
	double start = now_seconds();
	struct ex_options opt = *opt_in;
	if (opt.runs <= 0)
		opt.runs = opt.strategy == EX_EXHAUSTIVE ? 100000 : 1000;
	if (opt.latency_seeds <= 0)
		opt.latency_seeds = 10;
	if (opt.preemptions < 0)
		opt.preemptions = 0;
	struct explorer x = {prog, judge, judge_ctx, &opt, res->error, sizeof res->error};
	if (opt.strategy == EX_PCT && !opt.pct_steps) {
		/* PCT places its change points among the steps it expects: a first
		 * run (random, seed 1) counts them, as cmd_pct_measure does. */
		struct cl_config m;
		struct cl_result r;
		ex_config(&opt, 1, EX_RANDOM, &m);
		if (prog->reset)
			prog->reset(prog->arg);
		if (cl_run(prog->main_fn, prog->arg, &m, &r) != 0) {
			snprintf(res->error, sizeof res->error, "cannot start the runtime: %s",
			         r.report ? r.report : "?");
			cl_result_free(&r);
			return -1;
		}
		opt.pct_steps = r.contended_steps ? r.contended_steps : 1;
		cl_result_free(&r);
	}
	int rc;
	res->processes = 1;
	if (opt.strategy == EX_EXHAUSTIVE)
		rc = explore_exhaustive(&x, &opt, res);
	else if (opt.processes > 1 && opt.runs >= 64L * opt.processes && opt.nsinks == 0)
		rc = ex_explore_seeds_parallel(&x, &opt, res);
	else
		rc = explore_seeds(&x, &opt, res);
	if (rc == 0 && opt.strategy != EX_EXHAUSTIVE && !res->first.set && !res->interrupted)
		res->cap_hit = res->runs >= opt.runs;
	if (rc == 0 && res->first.set && opt.shrink && !res->interrupted) {
		char err[256];
		res->shrunk = ex_shrink(prog, judge, judge_ctx, &opt, &res->first, &res->shrink, err,
		                        sizeof err);
		if (res->shrunk) {
			res->shrunk_decisions = res->shrink.to_decisions;
			res->shrunk_preemptions = res->shrink.to_preemptions;
		}
		if (ex_interrupted(&opt))
			res->interrupted = true;
	}
	res->seconds = now_seconds() - start;
	return rc;
}
