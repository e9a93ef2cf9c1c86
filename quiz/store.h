/*
 * store.h - the quiz's progress database (SQLite): the log of answers and
 * each question's FSRS card, keyed by question id.
 *
 * One transaction per answer: the answer row and the card's new state are
 * committed together, so a crash or Ctrl-C never leaves half an answer.
 * The schema is versioned with PRAGMA user_version and migrated forward;
 * PRAGMA application_id marks the file as ours.  A file that is not a SQLite
 * database, is damaged, or belongs to another program is refused and never
 * written.  Errors: functions return 0 on success and -1 with a one-line
 * message (naming the file) in the caller's buffer, saying what it means
 * ("the disk is full", "out of memory", "... (file size limit)") rather
 * than SQLite's wording; a failed save leaves no transaction open, so the
 * store can be used again once there is room (tests/quiz/test_store_faults.c).
 */
#ifndef CHANLAB_QUIZ_STORE_H
#define CHANLAB_QUIZ_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quiz/fsrs.h"

#define QUIZ_STORE_APP_ID 0x43686c62  /* "Chlb" */
#define QUIZ_STORE_VERSION 3          /* user_version of the newest schema */

struct quiz_store;

/* One answered question. */
struct quiz_answer {
	const char *qid;          /* question id */
	int64_t time;             /* Unix seconds */
	const char *given;        /* what the student typed ("b", "a,c", "t", free text) */
	int correct;              /* 1 right, 0 wrong, -1 ungraded (short/code in an exam) */
	int rating;               /* 1..4, 0 if none */
	long elapsed_ms;          /* time spent on the question */
	const char *session;      /* session id */
	const char *mode;         /* "drill", "review", "mistakes", "cram", "exam"; NULL = "" */
};

/* Error messages are written here (NUL-terminated, one line). */
struct quiz_err {
	char msg[512];
};

/*
 * The default path: $XDG_DATA_HOME/chanlab/progress.db, else
 * $HOME/.local/share/chanlab/progress.db.  Returns -1 if neither is set
 * or buf is too small.
 */
int quiz_store_default_path(char *buf, size_t size);

/*
 * Opens (creating it and its directories if needed) the database at path,
 * checks it is ours and intact, migrates it to QUIZ_STORE_VERSION and
 * switches it to WAL.  On error *out is NULL and the file is untouched.
 */
int quiz_store_open(const char *path, struct quiz_store **out, struct quiz_err *err);
/*
 * Opens an existing database for reading only (`quiz stats`): no migration,
 * nothing written, and on a read-only folder, file or mount it is opened
 * immutable.  Writing through it fails.
 */
int quiz_store_open_readonly(const char *path, struct quiz_store **out, struct quiz_err *err);
void quiz_store_close(struct quiz_store *s);
const char *quiz_store_path(const struct quiz_store *s);

/* The card of qid into *card; *found false (and a new card) if none. */
int quiz_store_card(struct quiz_store *s, const char *qid, struct quiz_card *card,
                    bool *found, struct quiz_err *err);

/*
 * In one transaction: appends the answer row and, when card is not NULL,
 * writes qid's card.  *answer_id (if not NULL) gets the row's id for undo.
 */
int quiz_store_record(struct quiz_store *s, const struct quiz_answer *a,
                      const struct quiz_card *card, int64_t *answer_id, struct quiz_err *err);

/*
 * In one transaction: deletes answer row answer_id and puts qid's card back
 * to prev (deletes it when prev is NULL: the card did not exist before).
 * When restore_card is false the card is left alone.
 */
int quiz_store_undo(struct quiz_store *s, int64_t answer_id, const char *qid,
                    bool restore_card, const struct quiz_card *prev, struct quiz_err *err);

/* The last graded answer to qid: *last 1 right, 0 wrong, -1 never graded. */
int quiz_store_last_result(struct quiz_store *s, const char *qid, int *last,
                           struct quiz_err *err);

/* Per-question totals, for stats. */
struct quiz_store_tally {
	const char *qid;
	int answered;             /* graded answers */
	int right;
	bool has_card;
	int64_t due;
};

/* Calls fn once per question id with answers or a card; stops and returns
 * fn's value if it is non-zero. */
int quiz_store_foreach(struct quiz_store *s,
                       int (*fn)(const struct quiz_store_tally *t, void *ctx), void *ctx,
                       struct quiz_err *err);

/* Number of answer rows (all questions); -1 on error. */
long quiz_store_count_answers(struct quiz_store *s, struct quiz_err *err);

#endif
