/*
 * quiz_bank.h - the bank subcommands of `chanlab quiz` (lint, export,
 * import), called by cmd/quiz.c's dispatcher, and the loading of the
 * shipped banks for every quiz command.
 */
#ifndef CHANLAB_CMD_QUIZ_BANK_H
#define CHANLAB_CMD_QUIZ_BANK_H

#include <stdbool.h>
#include <stddef.h>

#include "quiz/bank.h"

/* `chanlab quiz lint [--strict] [FILES...]`: argv[0] is "lint".  Problems
 * on stderr as file:line:col: message and a count; 0 clean, 1 problems,
 * 64 usage. */
int cmd_quiz_lint(int argc, char **argv);

/* `chanlab quiz export --format gift|anki|markdown [--level L] [--topic T]
 * [--type T] [--pattern P] [--bank FILE]... [--out FILE]`: argv[0] is
 * "export". */
int cmd_quiz_export(int argc, char **argv);

/* `chanlab quiz import FILE.gift [--out FILE.yaml] [--name BANK]`: argv[0]
 * is "import". */
int cmd_quiz_import(int argc, char **argv);

/*
 * Appends the shipped banks to b: the data/NAME.yaml files compiled into the
 * binary, or, when it has none, CHANLAB_DATADIR/NAME.yaml.  Loads only (no
 * lint).  Returns 0, or -1 with the problems in diag.
 */
int cmd_quiz_load_shipped(struct quiz_bank *b, struct quiz_diag *diag);

/*
 * What a quiz session uses: loads the bank files given (nfiles of them), and
 * the shipped banks too when with_shipped or nfiles is 0, then lints the lot
 * (pattern links checked against cmd_pattern_link_names(); strict adds the
 * `why` rule).  Returns 0 when clean; otherwise -1, b left empty and every
 * problem in diag, for the caller to print (quiz_diag_print) and refuse.
 */
int cmd_quiz_load_banks(struct quiz_bank *b, char *const *files, size_t nfiles,
                        bool with_shipped, bool strict, struct quiz_diag *diag);

/* The shipped exercise pack's folder (defined in cmd/exercise.c). */
void cmd_exercise_shipped_pack(char *buf, size_t size);

/*
 * The names of the shipped pack's exercises ("01-started-channel"), what a
 * question's `exercises:` key may name: a malloc'd NULL-terminated list to
 * free with cmd_quiz_names_free, or NULL when no pack is installed (lint
 * then skips the check).
 */
char **cmd_quiz_exercise_names(void);
void cmd_quiz_names_free(char **names);

#endif
