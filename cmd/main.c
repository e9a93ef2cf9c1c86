/*
 * main.c - chanlab's entry point: finds the subcommand in a table and runs it.
 * The table is the single list of commands; `chanlab --help` is built from it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"list", cmd_list, "list the patterns, their levels and variants"},
	{"run", cmd_run, "run a pattern on the runtime and print its trace"},
	{"show", cmd_show, "explain a pattern; print its C source or Go original"},
	{"explore", cmd_explore, "run many schedules of a pattern and check its promise"},
	{"quiz", cmd_quiz, "drill questions, sit an exam; stats, grade, lint, export, import"},
	{"bench", cmd_bench, "measure the runtime's costs on this machine"},
	{"exercise", cmd_exercise, "concurrency exercises checked over every schedule"},
	{"completion", cmd_completion, "print a bash completion script (make install installs it)"},
};

const char *cmd_command_name(int i)
{
	return i >= 0 && (size_t)i < sizeof commands / sizeof commands[0] ? commands[i].name : NULL;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: chanlab <command> [options]\n\n"
	             "Learn concurrency patterns by watching them run on a CSP runtime.\n\n"
	             "commands:\n");
	/* The summaries line up after the longest name. */
	int width = 0;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if ((int)strlen(commands[i].name) > width)
			width = (int)strlen(commands[i].name);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-*s  %s\n", width, commands[i].name, commands[i].summary);
	fprintf(out, "\n'chanlab <command> --help' describes a command;\n"
	             "'chanlab --version' prints the version.\n");
}

/* Everything a command printed must have reached stdout: a full disk or a
 * closed pipe under `chanlab show --source > file` is an error, not exit 0.
 * The one check for every command; one that failed has said why already. */
static int flushed(int rc)
{
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc == CL_EXIT_OK)
		return cmd_fail(CL_EXIT_ERROR, "cannot write stdout: %s", strerror(errno));
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CL_EXIT_USAGE;
	}
	if (cmd_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return flushed(CL_EXIT_OK);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("chanlab %s\n", CHANLAB_VERSION);
		return flushed(CL_EXIT_OK);
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return flushed(commands[i].fn(argc - 1, argv + 1));
	return cmd_fail(CL_EXIT_USAGE, "unknown command '%s' (try 'chanlab --help')", argv[1]);
}
