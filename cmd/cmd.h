/*
 * cmd.h - chanlab's subcommands and exit codes.
 *
 * Adding a command:
 *   1. write cmd/NAME.c with "int cmd_NAME(int argc, char **argv)"; argv[0]
 *      is the command's name, the return value is the exit status;
 *   2. answer --help (and -h) on stdout with exit 0, print usage errors as one
 *      line on stderr and return CL_EXIT_USAGE;
 *   3. add a row to the table in cmd/main.c and a section to docs/chanlab.1.
 */
#ifndef CHANLAB_CMD_H
#define CHANLAB_CMD_H

#include <stdbool.h>
#include <stdio.h>

/* Exit codes (DESIGN.md, "Outcomes and exit codes"); README.md and
 * docs/chanlab.1 list the same table. */
enum cl_exit {
	CL_EXIT_OK = 0,
	CL_EXIT_ERROR = 1,       /* bad file, bad bank, database, I/O */
	CL_EXIT_PANIC = 2,       /* panic, or outcome fatal (stack overflow, unlock of unlocked mutex) */
	CL_EXIT_DEADLOCK = 3,
	CL_EXIT_LEAK = 4,
	CL_EXIT_INVARIANT = 5,   /* a pattern's invariant or metric failed */
	CL_EXIT_EXPLORE = 6,     /* explore found a schedule that broke the promise */
	CL_EXIT_LIMIT = 7,       /* outcome limit; reason steps, time, livelock or interrupted */
	CL_EXIT_RACE = 8,        /* the race detector found a data race */
	CL_EXIT_USAGE = 64,
	CL_EXIT_BUG = 70,        /* "chanlab: BUG:": an internal invariant of chanlab failed */
	CL_EXIT_INTERRUPTED = 130,
};

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_explore(int argc, char **argv);
int cmd_quiz(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_exercise(int argc, char **argv);
int cmd_completion(int argc, char **argv);

/* The name of command i of main.c's table, NULL past the last (defined in
 * main.c: the completion script is generated from that table). */
const char *cmd_command_name(int i);

/* Prints "chanlab: <message>" on stderr and returns code. */
int cmd_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* If argv[*i] is option name ("--name value" or "--name=value"), returns
 * its value and advances *i past it; otherwise NULL.  *missing is set when
 * the option is there but its value is not. */
const char *cmd_opt_value(int argc, char **argv, int *i, const char *name, bool *missing);

/* A line filled word by word from column col: a word that would pass
 * column CMD_WRAP_WIDTH starts a new line, indented to indent. */
#define CMD_WRAP_WIDTH 79
struct cmd_wrap {
	FILE *out;
	int col, indent;
	bool started;      /* a word is on the line: the next goes one space on */
};
void cmd_wrap_word(struct cmd_wrap *w, const char *word, size_t n);

/* Prints lead, then the comma-separated list wrapped at 79 columns, each
 * further line indented under the list's first item (help texts stay in 80
 * columns however many patterns or figures there are). */
void cmd_print_list(FILE *out, const char *lead, const char *list);

/* Prints head, then text from column indent on, wrapped at width columns
 * with every further line indented as far (a head too long for its column
 * gets a line of its own).  Line breaks in text are kept. */
void cmd_print_item(FILE *out, const char *head, int indent, const char *text, int width);

/* True when argv[i] is -h or --help. */
bool cmd_is_help(const char *arg);

/* NULL-terminated list of "NAME" and "NAME:VARIANT" a question may link to. */
const char *const *cmd_pattern_link_names(void);

/* Colour is used only on a terminal and never when NO_COLOR is set. */
bool cmd_use_color(FILE *stream);

#endif
