/* explore.c - the 'explore' subcommand (not built yet: answers --help and says so). */
#include "cmd/cmd.h"

int cmd_explore(int argc, char **argv)
{
	if (argc > 1 && cmd_is_help(argv[1])) {
		printf("usage: chanlab explore [options]\n\nnot available yet in this build\n");
		return CL_EXIT_OK;
	}
	return cmd_fail(CL_EXIT_USAGE, "'explore' is not available yet in this build");
}
