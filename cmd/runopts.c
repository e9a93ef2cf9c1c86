/*
 * runopts.c - option parsing shared by 'run' and 'explore' (see runopts.h):
 * every option is "--name VALUE" or "--name=VALUE"; the first word that is
 * not an option is the pattern; an option the command does not know is
 * taken as one of the pattern's parameters and checked against the
 * registry once the pattern is known.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/runopts.h"
#include "render/render.h"

/* A strict unsigned decimal in [min, max]: digits only (strtoull alone
 * would skip leading spaces and take " -1" as 2^64-1). */
static int parse_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	if (!text || *text < '0' || *text > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* A size in bytes: a decimal with an optional K, M or G suffix (binary
 * units: 64K is 65536), in [min, max]. */
static int parse_size(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	if (!text || !*text || *text < '0' || *text > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno)
		return -1;
	unsigned shift = 0;
	if (*end) {
		const char *units = "KMG", *u = strchr(units, *end >= 'a' ? *end - 32 : *end);
		if (!u || !*u || end[1])
			return -1;
		shift = 10 * (unsigned)(u - units + 1);
	}
	if (v > (max >> shift) || (v << shift) < min)
		return -1;
	*out = v << shift;
	return 0;
}

static int bad_value(const struct cmd_runopts *o, const char *opt, const char *value,
                     const char *valid)
{
	return cmd_fail(CL_EXIT_USAGE, "%s: bad value '%s' for --%s (valid: %s)", o->command, value,
	                opt, valid);
}

/* The valid formats as "text, lanes, ...". */
static const char *formats_list(char *buf, size_t size)
{
	const char *const *f = render_formats();
	buf[0] = '\0';
	for (int i = 0; f[i]; i++) {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", i ? ", " : "", f[i]);
	}
	return buf;
}

bool cmd_runopts_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (cmd_is_help(argv[i]))
			return true;
	return false;
}

void cmd_runopts_pattern_help(int argc, char **argv, FILE *out)
{
	for (int i = 1; i < argc; i++) {
		const struct pattern *p = pattern_find(argv[i]);
		if (!p)
			continue;
		fprintf(out, "\n%s: variants\n", p->name);
		for (int v = 0; v < p->nvariants; v++)
			fprintf(out, "  %-20s %s\n", p->variants[v].name, p->variants[v].outcome);
		fprintf(out, "\n%s: parameters\n", p->name);
		if (!p->nparams)
			fprintf(out, "  (none)\n");
		for (int k = 0; k < p->nparams; k++) {
			const struct pattern_param *pp = &p->params[k];
			char name[64], text[600];
			snprintf(name, sizeof name, "  --%s %s", pp->name, pp->choices ? "CHOICE" : "N");
			snprintf(text, sizeof text, "%s (default %s)", pp->help, pp->def);
			cmd_print_item(out, name, 23, text, 79);
		}
		return;
	}
}

/* The options a command knows, and whether each takes a value. */
struct optdef {
	const char *name;
	unsigned flags;     /* 0: both commands */
	bool value;
};

static const struct optdef optdefs[] = {
	{"variant", 0, true},     {"seed", 0, true},      {"strategy", 0, true},
	{"depth", 0, true},       {"max-steps", 0, true}, {"sched", CMD_RUNOPT_RUN, true},
	{"procs", CMD_RUNOPT_RUN, true}, {"starve-warn", CMD_RUNOPT_RUN, true},
	{"format", CMD_RUNOPT_RUN, true},
	{"out", CMD_RUNOPT_RUN, true},   {"pace", CMD_RUNOPT_RUN, true},
	{"step", CMD_RUNOPT_RUN, false}, {"quiet", CMD_RUNOPT_RUN, false},
	{"runs", CMD_RUNOPT_EXPLORE, true},
	{"race", 0, false},       {"no-race", 0, false},
	{"schedule", CMD_RUNOPT_RUN, true}, {"print-schedule", CMD_RUNOPT_RUN, false},
	{"preemptions", CMD_RUNOPT_EXPLORE, true}, {"latency-seeds", CMD_RUNOPT_EXPLORE, true},
	{"no-shrink", CMD_RUNOPT_EXPLORE, false}, {"html", CMD_RUNOPT_EXPLORE, true},
	{"stack-size", 0, true},
	{"no-prune", CMD_RUNOPT_EXPLORE, false},
	{"json", CMD_RUNOPT_EXPLORE, false},
	{"parallel", CMD_RUNOPT_EXPLORE, true},
};

const char *cmd_runopts_option(unsigned flags, int i)
{
	for (size_t k = 0; k < sizeof optdefs / sizeof optdefs[0]; k++)
		if (!optdefs[k].flags || (optdefs[k].flags & flags))
			if (i-- == 0)
				return optdefs[k].name;
	return NULL;
}

static const struct optdef *optdef_find(const char *name, size_t len, unsigned flags)
{
	for (size_t i = 0; i < sizeof optdefs / sizeof optdefs[0]; i++)
		if (strlen(optdefs[i].name) == len && strncmp(optdefs[i].name, name, len) == 0 &&
		    (!optdefs[i].flags || (optdefs[i].flags & flags)))
			return &optdefs[i];
	return NULL;
}

/* Applies one known option. */
static int apply(struct cmd_runopts *o, const char *name, const char *value,
                 const char **variant_name)
{
	uint64_t u;
	if (strcmp(name, "variant") == 0) {
		*variant_name = value;
	} else if (strcmp(name, "seed") == 0) {
		if (parse_u64(value, 0, UINT64_MAX, &u))
			return bad_value(o, name, value, "an integer from 0 to 18446744073709551615");
		o->seed = u;
		o->seed_set = true;
	} else if (strcmp(name, "strategy") == 0) {
		if (strcmp(value, "exhaustive") == 0 && strcmp(o->command, "explore") == 0)
			o->exhaustive = true;
		else if (strcmp(value, "random") == 0)
			o->strategy = CL_STRATEGY_RANDOM;
		else if (strcmp(value, "pct") == 0)
			o->strategy = CL_STRATEGY_PCT;
		else
			return bad_value(o, name, value, "random, pct");
	} else if (strcmp(name, "depth") == 0) {
		if (parse_u64(value, 1, 16, &u))   /* the runtime's most change points + 1 */
			return bad_value(o, name, value, "an integer from 1 to 16");
		o->depth = (int)u;
	} else if (strcmp(name, "max-steps") == 0) {
		if (parse_u64(value, 1, UINT64_MAX, &u))
			return bad_value(o, name, value, "a positive integer");
		o->max_steps = u;
	} else if (strcmp(name, "sched") == 0) {
		o->sched_set = true;
		if (strcmp(value, "det") == 0)
			o->par = false;
		else if (strcmp(value, "par") == 0)
			o->par = true;
		else
			return bad_value(o, name, value, "det, par");
	} else if (strcmp(name, "procs") == 0) {
		if (parse_u64(value, 1, 1024, &u))
			return bad_value(o, name, value, "an integer from 1 to 1024");
		o->procs = (int)u;
	} else if (strcmp(name, "starve-warn") == 0) {
		if (parse_u64(value, 1, 3600000, &u))
			return bad_value(o, name, value, "milliseconds from 1 to 3600000");
		o->starve_warn_ms = (int)u;
	} else if (strcmp(name, "format") == 0) {
		char list[80];
		if (!render_format_summary(value))
			return bad_value(o, name, value, formats_list(list, sizeof list));
		o->format = value;
	} else if (strcmp(name, "html") == 0) {
		if (!*value)
			return bad_value(o, name, value, "a file name");
		o->html = value;
	} else if (strcmp(name, "out") == 0) {
		if (!*value)
			return bad_value(o, name, value, "a file name");
		o->out = value;
	} else if (strcmp(name, "pace") == 0) {
		char *end;
		errno = 0;
		double f = strtod(value, &end);
		if (errno || end == value || *end || !(f > 0) || f > 1e6)
			return bad_value(o, name, value, "a number above 0, e.g. 1 for real time, 10 for 10x slower");
		o->pace = f;
	} else if (strcmp(name, "step") == 0) {
		o->step = true;
	} else if (strcmp(name, "quiet") == 0) {
		o->quiet = true;
	} else if (strcmp(name, "race") == 0) {
		o->race = true;
		o->race_set = true;
	} else if (strcmp(name, "no-race") == 0) {
		o->race = false;
		o->race_set = true;
	} else if (strcmp(name, "runs") == 0) {
		if (parse_u64(value, 1, 1000000000, &u))
			return bad_value(o, name, value, "an integer from 1 to 1000000000");
		o->runs = (long)u;
		o->runs_set = true;
	} else if (strcmp(name, "schedule") == 0) {
		if (!*value)
			return bad_value(o, name, value, "a schedule (S1-...) or @FILE");
		o->schedule = value;
	} else if (strcmp(name, "print-schedule") == 0) {
		o->print_schedule = true;
	} else if (strcmp(name, "preemptions") == 0) {
		if (parse_u64(value, 0, 20, &u))
			return bad_value(o, name, value, "an integer from 0 to 20");
		o->preemptions = (int)u;
	} else if (strcmp(name, "latency-seeds") == 0) {
		if (parse_u64(value, 1, 1000000, &u))
			return bad_value(o, name, value, "an integer from 1 to 1000000");
		o->latency_seeds = (int)u;
	} else if (strcmp(name, "no-shrink") == 0) {
		o->no_shrink = true;
	} else if (strcmp(name, "no-prune") == 0) {
		o->no_prune = true;
	} else if (strcmp(name, "json") == 0) {
		o->json = true;
	} else if (strcmp(name, "parallel") == 0) {
		if (parse_u64(value, 1, 256, &u))
			return bad_value(o, name, value, "a number of processes from 1 to 256");
		o->processes = (int)u;
	} else if (strcmp(name, "stack-size") == 0) {
		if (parse_size(value, 16 * 1024, 1024 * 1024 * 1024, &u))
			return bad_value(o, name, value, "bytes from 16K to 1G, with an optional K, M or G suffix");
		o->stack_size = (size_t)u;
	}
	return 0;
}

int cmd_runopts_parse(int argc, char **argv, unsigned flags, struct cmd_runopts *o)
{
	const char *command = o->command ? o->command : argv[0];
	memset(o, 0, sizeof *o);
	o->command = command;
	o->seed = 1;
	o->strategy = CL_STRATEGY_RANDOM;
	o->depth = 3;
	o->format = "text";
	o->runs = 1000;
	/* The race detector: off for run (--race), on for explore (--no-race). */
	o->race = (flags & CMD_RUNOPT_EXPLORE) != 0;
	o->preemptions = 2;
	o->latency_seeds = 10;

	const char *pattern_name = NULL, *variant_name = "correct";
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (arg[0] != '-' || arg[1] == '\0') {
			if (pattern_name)
				return cmd_fail(CL_EXIT_USAGE, "%s: unexpected argument '%s' (one pattern at a time)",
				                command, arg);
			pattern_name = arg;
			continue;
		}
		if (arg[1] != '-' || arg[2] == '\0')
			return cmd_fail(CL_EXIT_USAGE, "%s: unknown option '%s' (see 'chanlab %s --help')",
			                command, arg, command);
		const char *name = arg + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct optdef *d = optdef_find(name, len, flags);
		const char *value = eq ? eq + 1 : NULL;
		if (d && !d->value) {
			if (value)
				return cmd_fail(CL_EXIT_USAGE, "%s: --%s takes no value", command, d->name);
			if (apply(o, d->name, NULL, &variant_name))
				return CL_EXIT_USAGE;
			continue;
		}
		if (!value) {
			bool missing = i + 1 >= argc || strncmp(argv[i + 1], "--", 2) == 0;
			if (missing && !d)   /* a typo of a flag, most likely */
				return cmd_fail(CL_EXIT_USAGE, "%s: unknown option '%s' (see 'chanlab %s --help')",
				                command, arg, command);
			if (missing)
				return cmd_fail(CL_EXIT_USAGE, "%s: --%.*s needs a value", command, (int)len, name);
			value = argv[++i];
		}
		if (d) {
			if (apply(o, d->name, value, &variant_name))
				return CL_EXIT_USAGE;
			continue;
		}
		/* Not the command's: one of the pattern's parameters (checked below). */
		if (o->nparams == CMD_RUNOPT_MAX_PARAMS)
			return cmd_fail(CL_EXIT_USAGE, "%s: too many parameters", command);
		if (len >= sizeof o->param_name[0])
			return cmd_fail(CL_EXIT_USAGE, "%s: unknown option '%s'", command, arg);
		memcpy(o->param_name[o->nparams], name, len);
		o->param_name[o->nparams][len] = '\0';
		o->param_value[o->nparams++] = value;
	}

	char list[PATTERN_NAMES_SIZE];
	if (!pattern_name)
		return cmd_fail(CL_EXIT_USAGE, "%s: which pattern? (valid: %s)", command,
		                pattern_names_list(list, sizeof list));
	o->pattern = pattern_find(pattern_name);
	if (!o->pattern)
		return cmd_fail(CL_EXIT_USAGE, "%s: unknown pattern '%s' (valid: %s)", command, pattern_name,
		                pattern_names_list(list, sizeof list));
	o->variant = pattern_variant_find(o->pattern, variant_name);
	if (!o->variant)
		return cmd_fail(CL_EXIT_USAGE, "%s: unknown variant '%s' of %s (valid: %s)", command,
		                variant_name, o->pattern->name,
		                pattern_variants_list(o->pattern, list, sizeof list));
	/* A par-only pattern (gmp, false-sharing ...) shows what only real
	 * threads do: run uses par for it; det and explore cannot show it. */
	if (o->pattern->sched == PATTERN_SCHED_PAR) {
		if (flags & CMD_RUNOPT_EXPLORE)
			return cmd_fail(CL_EXIT_USAGE, "%s: %s runs only under the par scheduler (it shows "
			                "real threads and processors), and par runs are not replayable, so "
			                "there are no schedules to explore; try 'chanlab run %s'", command,
			                o->pattern->name, o->pattern->name);
		if (o->sched_set && !o->par)
			return cmd_fail(CL_EXIT_USAGE, "%s: %s runs only under --sched par: it shows real "
			                "threads and processors, which det's one thread and virtual time "
			                "cannot (leave out --sched)", command, o->pattern->name);
		o->par = true;
	}
	/* A variant whose declared outcome is a data race is shown with the
	 * detector on, so `run P --variant V` demonstrates it (det only; issue 16). */
	if (!o->race_set && !o->par && strcmp(o->variant->outcome, "race") == 0)
		o->race = true;
	for (int k = 0; k < o->nparams; k++) {
		if (pattern_param_find(o->pattern, o->param_name[k]))
			continue;
		char params[300] = "";
		for (int j = 0; j < o->pattern->nparams; j++) {
			size_t l = strlen(params);
			snprintf(params + l, sizeof params - l, "%s--%s", j ? ", " : "",
			         o->pattern->params[j].name);
		}
		return cmd_fail(CL_EXIT_USAGE,
		                "%s: unknown option --%s (see 'chanlab %s --help'; %s's parameters: %s)",
		                command, o->param_name[k], command, o->pattern->name,
		                o->pattern->nparams ? params : "none");
	}
	if (o->step && o->pace > 0)
		return cmd_fail(CL_EXIT_USAGE, "%s: choose --pace or --step, not both", command);
	if (!o->par && (o->procs || o->starve_warn_ms))
		return cmd_fail(CL_EXIT_USAGE, "%s: --procs and --starve-warn apply to --sched par only",
		                command);
	if (o->par && o->race)
		return cmd_fail(CL_EXIT_USAGE, "%s: --race needs --sched det (the detector follows the "
		                "det scheduler's order)", command);
	if (o->par && (o->schedule || o->print_schedule))
		return cmd_fail(CL_EXIT_USAGE, "%s: schedules are the det scheduler's decisions; "
		                "--schedule and --print-schedule need --sched det", command);
	if (o->par && o->strategy == CL_STRATEGY_PCT)
		return cmd_fail(CL_EXIT_USAGE, "%s: --strategy pct needs --sched det (par picks no "
		                "schedule: the operating system does)", command);
	return 0;
}

int cmd_runopts_start(int argc, char **argv, unsigned flags, void (*usage)(FILE *),
                      struct cmd_runopts *o, struct pattern_run **run, struct cl_config *cfg)
{
	*run = NULL;
	if (cmd_runopts_wants_help(argc, argv)) {
		usage(stdout);
		cmd_runopts_pattern_help(argc, argv, stdout);
		return -1;
	}
	int rc = cmd_runopts_parse(argc, argv, flags, o);
	if (rc)
		return rc;
	if (!(*run = cmd_runopts_new_run(o)))
		return CL_EXIT_USAGE;
	if ((rc = cmd_runopts_config(o, *run, cfg))) {
		pattern_run_free(*run);
		*run = NULL;
	}
	return rc;
}

struct pattern_run *cmd_runopts_new_run(const struct cmd_runopts *o)
{
	struct pattern_run *run = pattern_run_new(o->pattern, o->variant);
	for (int k = 0; k < o->nparams; k++) {
		char err[300];
		if (pattern_run_set(run, o->param_name[k], o->param_value[k], err, sizeof err)) {
			cmd_fail(CL_EXIT_USAGE, "%s: %s", o->command, err);
			pattern_run_free(run);
			return NULL;
		}
	}
	return run;
}

uint64_t cmd_pct_measure(struct pattern_run *run, const struct cl_config *cfg)
{
	struct cl_config m = *cfg;
	struct cl_result res;
	m.strategy = CL_STRATEGY_RANDOM;
	m.seed = 1;
	m.sinks = NULL;
	m.nsinks = 0;
	pattern_run_reset(run);
	if (cl_run(pattern_entry, run, &m, &res) != 0) {
		cmd_fail(CL_EXIT_ERROR, "cannot start the runtime: %s", res.report ? res.report : "?");
		cl_result_free(&res);
		return 0;
	}
	/* PCT counts only contended steps when it places its change points. */
	uint64_t steps = res.contended_steps ? res.contended_steps : 1;
	cl_result_free(&res);
	pattern_run_reset(run);
	return steps;
}

int cmd_runopts_config(const struct cmd_runopts *o, struct pattern_run *run, struct cl_config *cfg)
{
	cl_config_init(cfg);
	cfg->sched = o->par ? CL_SCHED_PAR : CL_SCHED_DET;
	cfg->procs = o->procs;
	cfg->starve_warn_ms = o->starve_warn_ms;
	cfg->seed = o->seed;
	cfg->strategy = o->strategy;
	cfg->pct_depth = o->depth;
	cfg->race = o->race;
	if (o->max_steps)
		cfg->max_steps = o->max_steps;
	if (o->stack_size)
		cfg->stack_size = o->stack_size;
	cfg->stack_advice = "raise it with --stack-size";
	if (o->strategy == CL_STRATEGY_PCT) {
		uint64_t steps = cmd_pct_measure(run, cfg);
		if (!steps)
			return CL_EXIT_ERROR;
		cfg->pct_steps = steps;
	}
	return 0;
}

char *cmd_replay_command(const struct pattern_run *run, const struct cl_config *cfg,
                         uint64_t max_steps_given, char *buf, size_t size)
{
	char args[400];
	size_t len;
	snprintf(buf, size, "chanlab run %s %s --seed %" PRIu64, run->pattern->name,
	         pattern_replay_args(run, args, sizeof args), cfg->seed);
	if (cfg->strategy == CL_STRATEGY_PCT) {
		len = strlen(buf);
		snprintf(buf + len, size - len, " --strategy pct --depth %d", cfg->pct_depth);
	}
	if (cfg->race) {
		len = strlen(buf);
		snprintf(buf + len, size - len, " --race");
	}
	if (max_steps_given) {
		len = strlen(buf);
		snprintf(buf + len, size - len, " --max-steps %" PRIu64, max_steps_given);
	}
	struct cl_config defaults;
	cl_config_init(&defaults);
	if (cfg->stack_size && cfg->stack_size != defaults.stack_size) {
		len = strlen(buf);
		snprintf(buf + len, size - len, " --stack-size %zu", cfg->stack_size);
	}
	return buf;
}

char *cmd_format_ms(char *buf, size_t size, int64_t ns)
{
	snprintf(buf, size, "%s%" PRId64 ".%03" PRId64 "ms", ns < 0 ? "-" : "",
	         (ns < 0 ? -ns : ns) / 1000000, (ns < 0 ? -ns : ns) % 1000000 / 1000);
	return buf;
}

double cmd_now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
