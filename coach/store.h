/*
 * store.h - exercise progress in the quiz's SQLite file (quiz/store.h):
 * per exercise the folder it was started in, attempts, passes, hints used,
 * whether the solution was shown before a pass, and the time from start to
 * the first pass; and one row per check.
 *
 * One database, one version number: the exercise tables are a step of the
 * quiz store's schema (quiz/store.c's migrations[], step 3), created and
 * upgraded by quiz_store_open like every other table.  coach_store_open
 * therefore opens a file the quiz store has already opened (and so
 * migrated), and refuses one whose schema is older than the exercise
 * tables or newer than this chanlab.
 */
#ifndef CHANLAB_COACH_STORE_H
#define CHANLAB_COACH_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

/* The quiz store's schema version that added the exercise tables. */
#define COACH_STORE_SINCE 3

struct coach_progress {
	char dir[1024];          /* where it was started ("" if never) */
	int64_t started;         /* Unix seconds, 0 if never */
	int attempts, passes, hints;
	bool solution_forced;    /* the solution was shown before a pass */
	int64_t first_pass;      /* Unix seconds, 0 if never passed */
};

struct coach_store;

/* Opens an existing chanlab database that quiz_store_open has created or
 * migrated (its schema COACH_STORE_SINCE or later, with the exercise
 * tables). */
int coach_store_open(const char *path, struct coach_store **out, char *err, size_t errsize);
void coach_store_close(struct coach_store *s);

int coach_store_get(struct coach_store *s, const char *name, struct coach_progress *p);
int coach_store_started(struct coach_store *s, const char *name, const char *dir);
/* One check: verdict "pass" or the failed check's kind. */
int coach_store_checked(struct coach_store *s, const char *name, const char *verdict,
                        const char *schedule);
int coach_store_hint(struct coach_store *s, const char *name);
int coach_store_solution_forced(struct coach_store *s, const char *name);
/* The exercise most recently started or checked, into name; -1 if none. */
int coach_store_current(struct coach_store *s, char *name, size_t size);

#endif
