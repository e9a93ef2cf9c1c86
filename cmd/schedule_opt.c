/*
 * schedule_opt.c - schedules on the command line (schedule_opt.h): what a
 * schedule's header hashes for a pattern run, --schedule STR or @FILE, and
 * the `chanlab run ... --schedule` command that replays one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/schedule_opt.h"
#include "explore/explore.h"
#include "runtime/schedule.h"

char *cmd_schedule_identity(const struct pattern_run *run, char *buf, size_t size)
{
	char args[400];
	snprintf(buf, size, "%s %s", run->pattern->name, pattern_replay_args(run, args, sizeof args));
	return buf;
}

uint64_t cmd_schedule_hash(const struct pattern_run *run, const struct cl_config *cfg)
{
	char id[512];
	return ex_schedule_hash(cmd_schedule_identity(run, id, sizeof id), cfg->seed,
	                        cfg->strategy == CL_STRATEGY_PCT ? EX_PCT : EX_RANDOM, cfg->pct_depth);
}

/* Schedule files may be long (a long run has a long schedule); this is
 * far above any run the step limit allows to be replayed by hand. */
#define SCHEDULE_FILE_MAX (256u << 20)

char *cmd_schedule_text(const char *arg)
{
	if (arg[0] != '@')
		return strdup(arg);
	const char *path = arg + 1;
	FILE *f = fopen(path, "r");
	if (!f) {
		cmd_fail(CL_EXIT_USAGE, "run: --schedule: cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (len + 1 >= cap) {
			if (cap >= SCHEDULE_FILE_MAX) {
				cmd_fail(CL_EXIT_USAGE, "run: --schedule: '%s' is larger than %u MiB", path,
				         SCHEDULE_FILE_MAX >> 20);
				free(buf);
				buf = NULL;
				break;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	if (buf && ferror(f)) {
		cmd_fail(CL_EXIT_USAGE, "run: --schedule: cannot read '%s'", path);
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

int cmd_schedule_load(const char *arg, const struct pattern_run *run, const struct cl_config *cfg,
                      struct cl_schedule *out)
{
	char *text = cmd_schedule_text(arg);
	if (!text)
		return CL_EXIT_USAGE;
	char err[300];
	int rc = cl_schedule_parse(text, true, cmd_schedule_hash(run, cfg), out, err, sizeof err);
	free(text);
	if (rc != 0)
		return cmd_fail(CL_EXIT_USAGE, "run: --schedule: %s", err);
	return 0;
}

char *cmd_schedule_command(const char *replay, const char *schedule, bool race, char *buf,
                           size_t size)
{
	/* One argument is capped at 128 KiB by the kernel: a longer schedule
	 * goes to a file, and the command names it. */
	if (strlen(schedule) > 100000)
		snprintf(buf, size, "%s%s --schedule @FILE (FILE holding the %zu-byte schedule)", replay,
		         race ? " --race" : "", strlen(schedule));
	else
		snprintf(buf, size, "%s%s --schedule %s", replay, race ? " --race" : "", schedule);
	return buf;
}
