/*
 * schedule_opt.h - schedules on the command line: the hash a pattern run's
 * schedule header carries, reading --schedule STR or @FILE, and the replay
 * command with --schedule (run and explore share them).
 */
#ifndef CHANLAB_CMD_SCHEDULE_OPT_H
#define CHANLAB_CMD_SCHEDULE_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patterns/registry.h"

struct cl_schedule;

/* "fan-in --variant add-inside --producers 3": what a schedule is for. */
char *cmd_schedule_identity(const struct pattern_run *run, char *buf, size_t size);
/* The header hash for run under cfg (seed, strategy, depth). */
uint64_t cmd_schedule_hash(const struct pattern_run *run, const struct cl_config *cfg);
/* The schedule text of --schedule ARG: ARG itself, or the contents of FILE
 * for @FILE (malloc'd), or NULL after one line on stderr. */
char *cmd_schedule_text(const char *arg);
/* Reads and parses --schedule ARG for run under cfg (the hash must match).
 * 0, or CL_EXIT_USAGE after one line on stderr. */
int cmd_schedule_load(const char *arg, const struct pattern_run *run, const struct cl_config *cfg,
                      struct cl_schedule *out);
/* replay + " [--race] --schedule STR" (or @FILE for a schedule too long for one argument). */
char *cmd_schedule_command(const char *replay, const char *schedule, bool race, char *buf,
                           size_t size);

#endif
