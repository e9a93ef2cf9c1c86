/*
 * harness.h - the checker's side inside the student's program: the main
 * that coach/harness_main.c provides runs the exercise (test.c's
 * coach_exercise) over every schedule with coach_explore and reports to
 * the parent chanlab over a pipe.
 *
 * Protocol (text lines on the fd named by CHANLAB_COACH_FD):
 *	at SCHEDULE DONE TOTAL        before each schedule (the parent names a
 *	                              crash's schedule from the last one):
 *	                              exhaustive-kK-N (the Nth of the pass with <= K
 *	                              preemptions), pct:D:S:SEED, random:SEED,
 *	                              shrink-N, replay-N
 *	fail KIND STEPS               the failure found, then three blocks:
 *	schedule LEN\n<LEN bytes>\n   its schedule (coach/explore.h), shrunk
 *	why LEN\n<LEN bytes>\n        the failure in plain words
 *	report LEN\n<LEN bytes>\n     the runtime's report (task dump), maybe empty
 *	shrunk 0|1 FROM_D FROM_P TO_D TO_P RUNS
 *	                              whether it was shrunk, its decisions and
 *	                              preemptions before and after, candidate runs
 *	found PHASE INDEX BOUND SEED  where it was found: PHASE exhaustive, pct or random;
 *	                              INDEX its 1-based number in that phase (an exhaustive
 *	                              one among the schedules with <= BOUND preemptions);
 *	                              SEED the latency seed (exhaustive) or the PCT/random seed
 *	shrinking LEN\n<LEN bytes>\n  before shrinking: "KIND SCHEDULE", the failure found and
 *	                              its schedule, replayable, so a crash while shrinking
 *	                              still has a schedule to show
 *	crash LEN\n<LEN bytes>\n      written by a signal handler as the program dies: the
 *	                              schedule it died in, replayable (coach/crash.h)
 *	result NONCE pass|fail SCHEDULES RANDOM PCT EXHAUSTIVE COMPLETE SEEDS BOUND COUNT LAST
 *	                              EXHAUSTIVE: the schedules of the LAST bound tried;
 *	                              COMPLETE: every schedule within the
 *	                              preemption bound ran, for SEEDS latency seeds;
 *	                              BOUND: the largest bound whose COUNT schedules
 *	                              all ran (-1: none)
 * The harness's options: --preemptions K --latency-seeds S --exhaustive-cap
 * N --pct N --depth D --random N --max-steps N --task-cap N [--no-race]
 * [--no-shrink], or --replay SCHEDULE|@FILE with --format, --width, --color.
 * The nonce comes from CHANLAB_COACH_NONCE (read, then removed from the
 * environment before student code runs): a student's exit(0), or a result
 * line printed by student code, is never taken for a pass.
 */
#ifndef CHANLAB_COACH_HARNESS_H
#define CHANLAB_COACH_HARNESS_H

int coach_harness_main(int argc, char **argv);

#endif
