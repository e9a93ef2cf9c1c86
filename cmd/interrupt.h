/*
 * interrupt.h - Ctrl-C for the long-running commands (run, explore, bench,
 * quiz import/export, exercise check/watch).
 *
 * A command that can be interrupted calls cmd_interrupt_install() once; the
 * handler only sets a flag.  The command polls cmd_interrupted() between
 * units of work (a schedule, a round, a record) and hands
 * cmd_interrupt_flag() to cl_config.interrupt so that a run in progress
 * stops at its next scheduling decision.  It then finishes what it was
 * writing (a Chrome trace gets its closing ']'), removes its temporary
 * files, says what it did so far, and returns CL_EXIT_INTERRUPTED (130).
 */
#ifndef CHANLAB_CMD_INTERRUPT_H
#define CHANLAB_CMD_INTERRUPT_H

#include <signal.h>
#include <stdbool.h>

/* Catches SIGINT (and SIGTERM) by setting the flag; idempotent. */
void cmd_interrupt_install(void);
/* Restores the default actions (before exec'ing a child, or when done). */
void cmd_interrupt_restore(void);
bool cmd_interrupted(void);
/* The flag itself, for cl_config.interrupt. */
volatile sig_atomic_t *cmd_interrupt_flag(void);

#endif
