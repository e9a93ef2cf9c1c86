/*
 * store.h - exercise progress in the quiz's SQLite file (quiz/store.h):
 * per exercise the folder it was started in, attempts, passes, hints used,
 * whether the solution was shown before a pass, and the time from start to
 * the first pass; and one row per check.
 *
 * coach_store_migrate(db) creates or upgrades the exercise tables inside
 * the caller's transaction.  It keeps its own version in the table
 * coach_schema and never touches PRAGMA user_version, which belongs to the
 * quiz's schema chain: the integrator can call it as one more migration
 * step after the quiz's, or (as now) coach_store_open calls it after the
 * quiz store has opened and checked the file.
 */
#ifndef CHANLAB_COACH_STORE_H
#define CHANLAB_COACH_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#define COACH_STORE_VERSION 1

struct coach_progress {
	char dir[1024];          /* where it was started ("" if never) */
	int64_t started;         /* Unix seconds, 0 if never */
	int attempts, passes, hints;
	bool solution_forced;    /* the solution was shown before a pass */
	int64_t first_pass;      /* Unix seconds, 0 if never passed */
};

/* Creates or upgrades the exercise tables; 0, or -1 with a message in err. */
int coach_store_migrate(sqlite3 *db, char *err, size_t errsize);

struct coach_store;

/* Opens an existing chanlab database (the quiz store has created and
 * checked it) and migrates the exercise tables. */
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
