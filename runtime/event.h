/*
 * event.h - the runtime's event record and sinks: what render/ reads.
 *
 * Every scheduling point emits one event to every registered sink, in one
 * total order (seq).  The record is a versioned schema, documented in
 * docs/events.md; change a field's meaning only with a version bump.
 *
 * Rendezvous order: on an unbuffered channel the receiver's CL_EV_RECV is
 * emitted before the sender's CL_EV_SEND (the send completes only when the
 * value has been taken); on a buffered channel CL_EV_SEND is emitted when the
 * value enters the buffer, before any receive of it.  A send and its receive
 * carry the same flow id.
 */
#ifndef CHANLAB_EVENT_H
#define CHANLAB_EVENT_H

#include <stdint.h>

/* Version 2 (docs/events.md, "Versions") is one bump for the whole wave of
 * additions: the verdict, the chosen select case, an atomic's or shared
 * variable's name, and the kinds other parts append below (races, steals,
 * hand-offs).  Later additions extend version 2; they do not bump it. */
#define CL_EVENT_SCHEMA_VERSION 2

enum cl_event_kind {
	CL_EV_SPAWN,    /* task started; peer = the new task's id, text = its name */
	CL_EV_EXIT,     /* task's function returned (or it panicked and was recovered) */
	CL_EV_BLOCK,    /* task parked; wait = why, obj = on what */
	CL_EV_WAKE,     /* task made runnable; peer = the task that woke it (0 = runtime/timer) */
	CL_EV_SEND,     /* send completed; value, flow; peer = receiver if handed directly */
	CL_EV_RECV,     /* receive completed; value, flow, ok; peer = sender if known */
	CL_EV_CLOSE,    /* channel closed */
	CL_EV_SELECT,   /* select chose case `index` (-1 = default) of `count` */
	CL_EV_SLEEP,    /* task sleeps until time + arg */
	CL_EV_TIMER,    /* a timer fired (task 0) */
	CL_EV_LOCK,     /* mutex/rwmutex acquired (text "r" for a read lock) */
	CL_EV_UNLOCK,
	CL_EV_CANCEL,   /* context canceled; text = the error */
	CL_EV_PANIC,    /* text = the message */
	CL_EV_RECOVER,  /* a deferred function recovered; text = the message */
	CL_EV_NOTE,     /* the pattern's own words, in text */
	CL_EV_YIELD,    /* explicit yield */
	CL_EV_ATOMIC,   /* atomic operation through the runtime; text = op, arg = value */
	CL_EV_SYNC,     /* other sync operations: wg add/done/wait-return, once, cond signal */
	CL_EV_END,      /* the run ended; text = the outcome name */
	/* ---- version 2: append new kinds here, after the last one, never between ---- */
	CL_EV_RACE,     /* a data race: obj_name = the variable, peer = the earlier access's task,
	                   text = what raced with what, file:line = this access (version 2) */
	CL_EV_VERDICT,  /* (task 0) emitted by the CLI after the run, before `end`: text = outcome,
	                   value = what went wrong in one line, ok = 1 if the variant's declared
	                   outcome showed, arg = exit status, lesson, mistake, go_mistake */
	CL_EV_STEAL,    /* par: an idle processor took work from another's queue; task = the task it
	                   runs first, proc = the thief, arg = the victim (as proc: number + 1),
	                   count = tasks taken, text = "runq" or "runnext" (version 2) */
	CL_EV_HANDOFF,  /* par: a task entering a blocking system call gave its processor to another
	                   thread; proc = that processor, text = "spare thread" or "new thread"
	                   (version 2) */
	CL_EV_KIND_COUNT
};

/* Why a task is blocked: Go's wait reasons, with Go's words (cl_wait_name). */
enum cl_wait {
	CL_WAIT_NONE,
	CL_WAIT_CHAN_SEND,      /* "chan send" */
	CL_WAIT_CHAN_RECV,      /* "chan receive" */
	CL_WAIT_CHAN_SEND_NIL,  /* "chan send (nil chan)" */
	CL_WAIT_CHAN_RECV_NIL,  /* "chan receive (nil chan)" */
	CL_WAIT_SELECT,         /* "select" */
	CL_WAIT_SELECT_NO_CASES,/* "select (no cases)" */
	CL_WAIT_SLEEP,          /* "sleep" */
	CL_WAIT_MUTEX,          /* "sync.Mutex.Lock" */
	CL_WAIT_RLOCK,          /* "sync.RWMutex.RLock" */
	CL_WAIT_WLOCK,          /* "sync.RWMutex.Lock" */
	CL_WAIT_COND,           /* "sync.Cond.Wait" */
	CL_WAIT_WAITGROUP,      /* "sync.WaitGroup.Wait" */
	CL_WAIT_ONCE,           /* "sync.Once.Do" */
	CL_WAIT_SEMA,           /* "semaphore.Acquire" */
	CL_WAIT_COUNT
};

/* The kind of object an event is about. */
enum cl_obj_kind {
	CL_OBJ_NONE, CL_OBJ_CHAN, CL_OBJ_MUTEX, CL_OBJ_RWMUTEX, CL_OBJ_COND, CL_OBJ_ONCE,
	CL_OBJ_WAITGROUP, CL_OBJ_SEMA, CL_OBJ_CONTEXT, CL_OBJ_TIMER, CL_OBJ_ATOMIC,
	CL_OBJ_KIND_COUNT
};

/* One event.  Pointers are valid only during the sink call: copy what you
 * keep.  Strings are never NULL ("" when absent). */
struct cl_event {
	uint64_t seq;            /* 1, 2, 3 ... in emission order */
	int64_t time;            /* ns: virtual (det) or since the run began (par) */
	enum cl_event_kind kind;
	int task;                /* acting task id; 0 = the runtime (timers) */
	const char *task_name;   /* "main", "worker-2", "runtime" */
	int peer;                /* the other task, when there is one (0 = none) */
	enum cl_obj_kind obj_kind;
	uint64_t obj_id;         /* unique per object within a run (0 = none) */
	const char *obj_name;    /* the object's name, e.g. "jobs" */
	enum cl_wait wait;       /* BLOCK: why */
	const char *value;       /* SEND/RECV: the value as the channel's formatter shows it */
	uint64_t flow;           /* SEND/RECV: links a send to its receive (0 = none) */
	int ok;                  /* RECV: 0 when the channel was closed; SELECT: 1; VERDICT: promise kept */
	int64_t arg;             /* SELECT: chosen index; SLEEP: duration; ATOMIC: result; SYNC: counter;
	                            VERDICT: exit status */
	int count;               /* SELECT: number of cases */
	const char *text;        /* NOTE, PANIC, CANCEL, SPAWN (child's name), LOCK ("r"), SYNC (op),
	                            SELECT (v2: "send" or "recv", the chosen case's direction, with
	                            obj_* its channel; "" for default), VERDICT (the outcome) */
	const char *file;        /* source location of the operation ("" if unknown) */
	int line;
	/* Version 2.  ATOMIC: obj_name is the variable's name when it has one. */
	const char *lesson;      /* VERDICT: the variant's lesson in plain words ("" if none) */
	const char *mistake;     /* VERDICT: "patterns/fan_in.c:136: words" of the C source's marker */
	const char *go_mistake;  /* VERDICT: the same line of the Go original ("" if none) */
	int proc;                /* par: the processor the event happened on, its number + 1 (Go's P0
	                            is 1); 0 under det and off any processor (version 2) */
};

/* A sink receives every event, and end() once when the run is over. */
struct cl_sink {
	void (*event)(void *ctx, const struct cl_event *ev);
	void (*end)(void *ctx);   /* may be NULL */
	void *ctx;
};

const char *cl_event_kind_name(enum cl_event_kind kind);  /* "send", "recv", ... */
const char *cl_wait_name(enum cl_wait wait);              /* "chan receive", ... */
const char *cl_obj_kind_name(enum cl_obj_kind kind);      /* "channel", "mutex", ... */

#endif
