/*
 * bench_extra.c - the figures of `chanlab bench`'s second table (see
 * bench_extra.h): run end to end, explore throughput, jsonl rendering and
 * loading a 1,000-question bank.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/buf.h"
#include "cmd/bench_extra.h"
#include "bench/go_driver.h"
#include "bench/programs.h"
#include "cmd/cmd.h"
#include "explore/explore.h"
#include "patterns/registry.h"
#include "quiz/bank.h"
#include "render/render.h"

/* ---- chanlab run, end to end ------------------------------------------------------------ */

static int run_once(const char *self_exe, const char *pattern, double *ms, int *status, char *err,
                    size_t errsize)
{
	fflush(NULL);
	double t0 = bench_now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errsize, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		char *argv[] = {"chanlab", "run", (char *)pattern, "--quiet", "--format", "text", NULL};
		execv(self_exe, argv);
		_exit(127);
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
	}
	*ms = (bench_now_ns() - t0) / 1e6;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	if (*status == 127) {
		snprintf(err, errsize, "cannot run %s", self_exe);
		return -1;
	}
	return 0;
}

int bench_run_ms(const char *self_exe, const char *pattern, int samples, double *ms,
                     int *status, char *err, size_t errsize)
{
	double v[32], warm;
	if (samples > 32)
		samples = 32;
	if (run_once(self_exe, pattern, &warm, status, err, errsize) != 0)
		return -1;
	for (int i = 0; i < samples; i++)
		if (run_once(self_exe, pattern, &v[i], status, err, errsize) != 0)
			return -1;
	*ms = bench_median(v, samples);
	return 0;
}

/* ---- explore ------------------------------------------------------------------------------ */

static void reset_run(void *arg)
{
	pattern_run_reset(arg);
}

/* Any run that breaks the promise: the bench explores correct variants. */
static enum ex_judgement promise_judge(void *ctx, const struct cl_result *res,
                                       struct ex_failure *key)
{
	if (pattern_promise_kept(ctx, res))
		return EX_KEPT;
	key->outcome = res->outcome;
	snprintf(key->kind, sizeof key->kind, "promise");
	return EX_BROKEN;
}

/* Explores count schedules from seed first on through explore/'s API, as
 * `chanlab explore` does (random strategy, no shrinking), with the race
 * detector on or off; returns the seconds taken, or -1 with err. */
static double explore_batch(struct pattern_run *run, long count, uint64_t first, bool race,
                            int processes, char *err, size_t errsize)
{
	char identity[128];
	snprintf(identity, sizeof identity, "%s --variant %s", run->pattern->name, run->variant->name);
	struct ex_program prog = {pattern_entry, run, reset_run, identity};
	struct ex_options opt;
	ex_options_init(&opt);
	opt.runs = count;
	opt.seed = first;
	opt.race = race;
	opt.processes = processes;
	opt.shrink = false;
	struct ex_result res;
	double t0 = bench_now_ns();
	int rc = ex_explore(&prog, promise_judge, run, &opt, &res);
	double secs = (bench_now_ns() - t0) / 1e9;
	if (rc != 0)
		snprintf(err, errsize, "explore could not run: %s", res.error);
	else if (res.broken)
		snprintf(err, errsize, "%s %s broke its promise at seed %llu", run->pattern->name,
		         run->variant->name, (unsigned long long)res.first.seed);
	else if (res.runs != count)
		snprintf(err, errsize, "explore ran %ld schedules of %ld", res.runs, count);
	bool ok = rc == 0 && !res.broken && res.runs == count;
	ex_result_free(&res);
	return ok ? secs : -1;
}

int bench_explore_rate(int samples, double batch_s, double *per_s, char *err, size_t errsize)
{
	return bench_explore_rate_of("worker-pool", "correct", false, 1, samples, batch_s, per_s,
	                             err, errsize);
}

int bench_explore_rate_of(const char *pattern, const char *variant, bool race, int processes,
                          int samples, double batch_s, double *per_s, char *err, size_t errsize)
{
	const struct pattern *p = pattern_find(pattern);
	const struct pattern_variant *v = p ? pattern_variant_find(p, variant) : NULL;
	if (!v) {
		snprintf(err, errsize, "pattern %s (variant %s) is not registered", pattern, variant);
		return -1;
	}
	struct pattern_run *run = pattern_run_new(p, v);
	uint64_t seed = 1;
	long count = 20;
	double secs = explore_batch(run, count, seed, race, 1, err, errsize);   /* calibrates */
	seed += (uint64_t)count;
	int rc = secs < 0 ? -1 : 0;
	double rates[32];
	if (samples > 32)
		samples = 32;
	if (!rc) {
		/* Sized by one process's rate: more processes take less time. */
		count = secs > 0 ? (long)(batch_s * (double)count / secs) : 1000;
		if (count < 20)
			count = 20;
	}
	for (int i = 0; !rc && i < samples; i++) {
		secs = explore_batch(run, count, seed, race, processes, err, errsize);
		seed += (uint64_t)count;
		if (secs < 0)
			rc = -1;
		else
			rates[i] = secs > 0 ? (double)count / secs : 0;
	}
	pattern_run_free(run);
	if (!rc)
		*per_s = bench_median(rates, samples);
	return rc;
}

/* ---- jsonl -------------------------------------------------------------------------------- */

static struct cl_event event_of(enum cl_event_kind kind, int task, const char *name)
{
	struct cl_event ev = {
		.kind = kind, .task = task, .task_name = name, .obj_name = "", .value = "",
		.text = "", .file = "patterns/worker_pool.c", .line = 42,
	};
	return ev;
}

/* A worker pool's events, in a cycle: spawn, send, receive, block, wake,
 * note, select, sleep. */
static int synthetic_events(struct cl_event *evs)
{
	static const char *const names[] = {"main", "worker-1", "worker-2", "worker-3"};
	int n = 0;
	for (int t = 0; t < 4; t++) {
		struct cl_event ev = event_of(CL_EV_SEND, t + 1, names[t]);
		ev.obj_kind = CL_OBJ_CHAN;
		ev.obj_id = 3;
		ev.obj_name = "jobs";
		ev.value = "17";
		ev.peer = t % 3 + 2;
		evs[n++] = ev;
		ev.kind = CL_EV_RECV;
		ev.ok = 1;
		ev.task = ev.peer;
		ev.task_name = names[ev.peer - 1];
		ev.peer = t + 1;
		evs[n++] = ev;
		ev = event_of(CL_EV_BLOCK, t + 1, names[t]);
		ev.obj_kind = CL_OBJ_CHAN;
		ev.obj_id = 4;
		ev.obj_name = "results";
		ev.wait = CL_WAIT_CHAN_RECV;
		evs[n++] = ev;
		ev.kind = CL_EV_WAKE;
		ev.peer = 1;
		evs[n++] = ev;
		ev = event_of(CL_EV_NOTE, t + 1, names[t]);
		ev.text = "worker takes job 17 \"quoted\"";
		evs[n++] = ev;
		ev = event_of(CL_EV_SELECT, t + 1, names[t]);
		ev.arg = 1;
		ev.count = 2;
		ev.ok = 1;
		evs[n++] = ev;
		ev = event_of(CL_EV_SLEEP, t + 1, names[t]);
		ev.arg = 1500000;
		evs[n++] = ev;
		ev = event_of(CL_EV_LOCK, t + 1, names[t]);
		ev.obj_kind = CL_OBJ_MUTEX;
		ev.obj_id = 5;
		ev.obj_name = "mu";
		evs[n++] = ev;
	}
	return n;
}

static int jsonl_once(long events, double *secs, char *err, size_t errsize)
{
	FILE *out = fopen("/dev/null", "w");
	if (!out) {
		snprintf(err, errsize, "/dev/null: %s", strerror(errno));
		return -1;
	}
	struct cl_event evs[40];
	int nev = synthetic_events(evs);
	struct render_opts ro = {.out = out};
	struct cl_sink sink;
	double t0 = bench_now_ns();
	if (render_open("jsonl", &ro, &sink, err, errsize) < 0) {
		fclose(out);
		return -1;
	}
	for (int t = 0; t < 4; t++) {   /* the tasks' spawns first */
		struct cl_event ev = event_of(CL_EV_SPAWN, 1, "main");
		ev.peer = t + 1;
		ev.text = evs[8 * t].task_name;
		ev.seq = (uint64_t)t + 1;
		sink.event(sink.ctx, &ev);
	}
	for (long i = 4; i < events; i++) {
		struct cl_event ev = evs[i % nev];
		ev.seq = (uint64_t)i + 1;
		ev.time = (int64_t)i * 250;
		if (ev.kind == CL_EV_SEND || ev.kind == CL_EV_RECV)
			ev.flow = (uint64_t)i / 2 + 1;
		sink.event(sink.ctx, &ev);
	}
	if (sink.end)
		sink.end(sink.ctx);
	render_close(&sink);
	*secs = (bench_now_ns() - t0) / 1e9;
	bool bad = ferror(out) != 0;
	fclose(out);
	if (bad) {
		snprintf(err, errsize, "writing to /dev/null failed");
		return -1;
	}
	return 0;
}

int bench_jsonl(long events, int samples, double *secs, char *err, size_t errsize)
{
	double v[32];
	if (samples > 32)
		samples = 32;
	for (int i = 0; i < samples; i++)
		if (jsonl_once(events, &v[i], err, errsize) != 0)
			return -1;
	*secs = bench_median(v, samples);
	return 0;
}

/* ---- a bank of 1,000 questions ---------------------------------------------------------------- */

/* A bank in the shipped banks' style: single, multi, truefalse and short
 * questions in turn, every wrong choice with its reason, some linked to
 * patterns. */
static char *generate_bank(int questions, size_t *len)
{
	static const char *const levels[] = {"junior", "middle", "senior", "staff"};
	static const char *const topics[] = {"channels", "select", "sync", "context", "scheduler"};
	struct bench_buf t = {0};
	bench_buf_printf(&t, "bank: bench\nquestions:\n");
	for (int i = 0; i < questions; i++) {
		const char *topic = topics[i % 5];
		/* words of this question only: the lint merges prompts that share
		 * most of their words, and the template's words are the same */
		char tags[128];
		snprintf(tags, sizeof tags, "case k%da k%db k%dc k%dd k%de", i, i, i, i, i);
		bench_buf_printf(&t, "  - id: bench.q-%04d\n    level: %s\n    topics: [%s, bench]\n", i,
		    levels[i % 4], topic);
		switch (i % 4) {
		case 0:
			bench_buf_printf(&t, "    type: single\n"
			        "    prompt: Question %d on %s (%s) - what does a send on a nil channel do?\n"
			        "    choices:\n"
			        "      - text: It blocks forever.\n        correct: true\n"
			        "      - text: It panics with \"send on nil channel\".\n"
			        "        why: A nil channel panics only on close.\n"
			        "      - text: It returns at once and drops the value.\n"
			        "        why: Only a select with a default case skips an operation.\n",
			    i, topic, tags);
			break;
		case 1:
			bench_buf_printf(&t, "    type: multi\n"
			        "    prompt: Question %d on %s (%s) - which of these block a goroutine?\n"
			        "    choices:\n"
			        "      - text: A receive on an empty channel.\n        correct: true\n"
			        "      - text: A send on a full buffered channel.\n        correct: true\n"
			        "      - text: A call of len() on a channel that holds no values.\n"
			        "        why: len reads the buffer count without blocking.\n",
			    i, topic, tags);
			break;
		case 2:
			/* half true, half false, as the lint asks of a bank */
			if (i % 8 == 2)
				bench_buf_printf(&t, "    type: truefalse\n"
				        "    prompt: Question %d on %s (%s) - closing a channel twice panics.\n"
				        "    answer: true\n"
				        "    why: The second close panics with \"close of closed channel\".\n",
				    i, topic, tags);
			else
				bench_buf_printf(&t, "    type: truefalse\n"
				        "    prompt: Question %d on %s (%s) - a receive from a closed channel panics.\n"
				        "    answer: false\n"
				        "    why: It returns the zero value at once, with ok false.\n",
				    i, topic, tags);
			break;
		default:
			bench_buf_printf(&t, "    type: short\n"
			        "    prompt: Question %d on %s (%s) - who should close a channel?\n"
			        "    answer: The sender, once it knows no more values will be sent.\n",
			    i, topic, tags);
			break;
		}
		bench_buf_printf(&t, "    explanation: >\n      Explanation of question %d: the runtime parks the goroutine\n"
		        "      on the channel's wait queue until a partner arrives.\n", i);
		if (i % 10 == 0)
			bench_buf_printf(&t, "    patterns: [worker-pool, fan-in:never-close]\n");
		bench_buf_printf(&t, "    hint: Think of what the runtime can do with the value.\n");
	}
	if (t.oom) {
		bench_buf_free(&t);
		return NULL;
	}
	*len = t.len;
	return t.data;
}

int bench_quiz_load(int questions, int samples, double *ms, char *err, size_t errsize)
{
	size_t len;
	char *text = generate_bank(questions, &len);
	if (!text) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	struct quiz_lint_opts opts = {.strict = true, .pattern_names = cmd_pattern_link_names()};
	double v[32];
	if (samples > 32)
		samples = 32;
	int rc = 0;
	for (int i = 0; i < samples && !rc; i++) {
		struct quiz_bank bank;
		struct quiz_diag diag;
		quiz_bank_init(&bank);
		quiz_diag_init(&diag);
		double t0 = bench_now_ns();
		int load = quiz_bank_load_mem(&bank, "bench.yaml", text, len, &diag);
		int problems = quiz_lint(&bank, &opts, &diag);
		v[i] = (bench_now_ns() - t0) / 1e6;
		if (load != 0 || problems != 0 || bank.count != (size_t)questions) {
			snprintf(err, errsize, "the generated bank is not clean (%zu questions): %s",
			         bank.count, diag.count ? diag.lines[0] : "?");
			rc = -1;
		}
		quiz_diag_free(&diag);
		quiz_bank_free(&bank);
	}
	free(text);
	if (!rc)
		*ms = bench_median(v, samples);
	return rc;
}

/* ---- the html player's ready time ------------------------------------------------------------ */

/* chromium's path (Debian's chromium, or chromium-browser), or false. */
static bool find_chromium(char *path, size_t size)
{
	FILE *p = popen("command -v chromium || command -v chromium-browser", "r");
	if (!p)
		return false;
	bool ok = fgets(path, (int)size, p) != NULL;
	pclose(p);
	path[strcspn(path, "\n")] = '\0';
	return ok && *path;
}

int bench_html_ready(const char *self_exe, const char *tmpdir, int jobs, double *ms, char *err,
                     size_t errsize)
{
	char chromium[PATH_MAX];
	if (!find_chromium(chromium, sizeof chromium)) {
		snprintf(err, errsize, "chromium is not installed (make deps installs it): no figure");
		return 1;
	}
	char page[PATH_MAX], cmd[4 * PATH_MAX];
	snprintf(page, sizeof page, "%s/ready.html", tmpdir);
	if (access(page, R_OK) != 0) {
		snprintf(cmd, sizeof cmd, "'%s' run worker-pool --jobs %d --format html --out '%s' "
		         ">/dev/null 2>&1", self_exe, jobs, page);
		if (system(cmd) == -1 || access(page, R_OK) != 0) {
			snprintf(err, errsize, "chanlab run worker-pool --format html wrote no page");
			return -1;
		}
	}
	/* the same run as tools/html-ready.sh: the page writes performance.now()
	 * at its first interactive frame into #ready-ms */
	snprintf(cmd, sizeof cmd, "'%s' --headless --no-sandbox --disable-gpu "
	         "--user-data-dir='%s/chromium-profile' --dump-dom 'file://%s' 2>/dev/null",
	         chromium, tmpdir, page);
	FILE *p = popen(cmd, "r");
	if (!p) {
		snprintf(err, errsize, "cannot run chromium");
		return -1;
	}
	struct bench_buf dom = {0};
	bench_buf_append(&dom, "", 0);
	bench_buf_read(&dom, p);
	pclose(p);
	const char *at = dom.data ? strstr(dom.data, "ready-ms\">") : NULL;
	int rc = at && sscanf(at + strlen("ready-ms\">"), "%lf", ms) == 1 ? 0 : -1;
	if (rc)
		snprintf(err, errsize, "chromium's page did not say when it was ready");
	bench_buf_free(&dom);
	return rc;
}
