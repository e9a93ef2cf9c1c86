/*
 * coach.h - what an exercise's checks (exercises/NN-name/test.c) are
 * written with: the program the checker runs under every schedule, the
 * assertions on its results, and the rules on its events.
 *
 * A test.c defines one constant descriptor and nothing writable:
 *
 *	static void check_main(void *arg)          // runs as the main task
 *	{
 *		struct cache c = {0};                   // lives as long as the run
 *		cl_chan *started = cl_make("started", char, 0);
 *		start_cache(&c, started);               // the student's function
 *		coach_expect(c.ready, "the cache is ready once started is closed");
 *	}
 *	const struct coach_exercise coach_exercise = {
 *		.name = "01-started-channel",
 *		.main_fn = check_main,
 *		.rules = (const struct coach_rule[]){
 *			{COACH_RULE_CLOSED_BY, "started", "cache", 0, "only the cache closes started"},
 *			{0}},
 *	};
 *
 * Three kinds of check run over every schedule: the runtime's own (no
 * deadlock, leak, panic, fatal error, limit, race), the result assertions
 * (coach_expect) and the event rules (struct coach_rule, or a custom sink).
 * A failed coach_expect panics the task with a message that starts with
 * COACH_EXPECT_PREFIX, which the harness reports as a failed result check
 * (not as a panic of the student's code).
 */
#ifndef CHANLAB_COACH_H
#define CHANLAB_COACH_H

#include <stdbool.h>
#include <stddef.h>

#include "runtime/chanlab.h"

#define COACH_EXPECT_PREFIX "coach: check failed: "

/* A result assertion: when cond is false the check fails with the words
 * given ("every job processed exactly once").  Usable in any task. */
#define coach_expect(cond, ...) \
	((cond) ? (void)0 : cl_panic_at(__FILE__, __LINE__, COACH_EXPECT_PREFIX __VA_ARGS__))

/* A choice among 0 .. n-1 (n at most 8) that the schedule makes: n tasks
 * named "choice-I" race to hand main their number, and every value comes
 * up in the exhaustive phase (at no cost in preemptions).  For a branch of
 * the check ("cancel or not", "one child fails or none"): a cl_rand draw
 * main makes first is fixed by the latency seed, so the exhaustive phase
 * would see only one or two of its values.  Call it from the main task. */
int coach_choose(int n);

/* State a check needs lives on the main task's stack (check_main's locals
 * live until main returns, which ends the run) or in runtime objects, which
 * the runtime frees after each schedule: test.c keeps no writable statics,
 * so thousands of schedules can run in one process. */

/* ---- event rules -----------------------------------------------------------
 *
 * Each rule watches the run's events (a sink: it never changes the
 * schedule) and fails the check with its `what` words when broken.  Names
 * match a channel's name or a task name's prefix ("worker" matches
 * "worker-3").
 */
enum coach_rule_kind {
	COACH_RULE_END = 0,
	COACH_RULE_CLOSED_BY,          /* channel a is closed only by tasks named b... */
	COACH_RULE_CLOSED_AFTER_EXITS, /* channel a is closed only after every task named b... exited */
	COACH_RULE_MAX_NOTES_OPEN,     /* between notes "a" and "b" (prefixes) at most n tasks at once */
	COACH_RULE_CLOSED_ONCE_AT_MOST,/* channel a is closed at most once (no double close) */
	COACH_RULE_MUST_CLOSE,         /* channel a is closed before the run ends */
	COACH_RULE_NO_SLEEP,           /* no task sleeps (a sleep is not a handshake) */
	COACH_RULE_MAX_TASKS_ALIVE,    /* at most n tasks named a... alive at once */
};

struct coach_rule {
	enum coach_rule_kind kind;
	const char *a, *b;
	int n;
	const char *what;              /* the promise in plain words, shown on failure */
};

/* A custom event check: state_size bytes of zeroed state per schedule;
 * event() returns NULL while all is well, else the failure in plain words
 * (a string that lives as long as the state, e.g. written into it). */
struct coach_event_check {
	const char *name;
	size_t state_size;
	const char *(*event)(void *state, const struct cl_event *ev);
	const char *(*end)(void *state);   /* may be NULL: a last word when the run is over */
};

/* ---- the descriptor test.c defines ------------------------------------------ */

struct coach_exercise {
	const char *name;                        /* "01-started-channel" */
	void (*main_fn)(void *arg);              /* the check's main task; arg is NULL */
	const struct coach_rule *rules;          /* ends with a zeroed row; may be NULL */
	const struct coach_event_check *checks;  /* ends with a row whose name is NULL; may be NULL */
	size_t stack_size;                       /* 0: the runtime's default */
};

extern const struct coach_exercise coach_exercise;

#endif
