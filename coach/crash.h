/*
 * crash.h - the schedule a crash happened in, for the parent to replay.
 *
 * A signal that kills the student's program (a bad pointer, a division by
 * zero, abort, the CPU limit) leaves the parent only the last "at" line of
 * the report pipe.  A random or PCT schedule replays by that name (its
 * seed); an exhaustive one ("exhaustive-k2-17") does not.  So a handler
 * writes the decisions of the run in progress, as explore's schedule
 * string, before the signal takes its course:
 *
 *	crash LEN\n<LEN bytes>\n      random:SEED:S1-HASH-DECISIONS, or
 *	                              pct:DEPTH:STEPS:SEED:S1-HASH-DECISIONS
 *
 * which `exercise check --replay` runs again (it crashes the same way).
 * Nothing is written for a crash outside a run that records its decisions.
 */
#ifndef CHANLAB_COACH_CRASH_H
#define CHANLAB_COACH_CRASH_H

/* Installs the handlers (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
 * SIGXCPU), which write to fd.  Call once, before the first cl_run: the
 * runtime's own SIGSEGV handler (stack overflows, runtime/fault.c) passes
 * every other fault on to the handler it found, this one.  After writing,
 * each handler hands the signal to the disposition it replaced (a
 * sanitizer's, or the default, which kills the process). */
void coach_crash_report_install(int fd);

#endif
