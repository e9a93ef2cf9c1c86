/*
 * store.c - exercise progress tables (see store.h).  Every change is one
 * statement in autocommit mode, so a Ctrl-C never leaves half a record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coach/store.h"

struct coach_store {
	sqlite3 *db;
};

int coach_store_open(const char *path, struct coach_store **out, char *err, size_t errsize)
{
	*out = NULL;
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errsize, "%s: %s", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 2000);
	/* The quiz store owns the schema (and refuses a newer one): here only
	 * that its step COACH_STORE_SINCE, the exercise tables, has run. */
	sqlite3_stmt *st;
	int version = -1, tables = 0;
	if (sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM pragma_user_version), "
	                       "(SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name "
	                       "IN ('exercise_progress', 'exercise_checks'))", -1, &st, NULL) ==
	        SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		version = sqlite3_column_int(st, 0);
		tables = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	if (version < COACH_STORE_SINCE || tables != 2) {
		snprintf(err, errsize, "%s: schema %d has no exercise progress tables (they come with "
		         "schema %d: the quiz store's open migrates the file)", path, version,
		         COACH_STORE_SINCE);
		sqlite3_close(db);
		return -1;
	}
	struct coach_store *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->db = db;
	*out = s;
	return 0;
}

void coach_store_close(struct coach_store *s)
{
	if (s) {
		sqlite3_close(s->db);
		free(s);
	}
}

/* Runs sql with ?1 = name and, when given, ?2 (text) and ?3 (integer). */
static int exec3(struct coach_store *s, const char *sql, const char *name, const char *t2,
                 int64_t i3)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	if (t2)
		sqlite3_bind_text(st, 2, t2, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, i3);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static int ensure(struct coach_store *s, const char *name)
{
	return exec3(s, "INSERT OR IGNORE INTO exercise_progress(name) VALUES(?1)", name, NULL, 0);
}

int coach_store_get(struct coach_store *s, const char *name, struct coach_progress *p)
{
	memset(p, 0, sizeof *p);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT dir, started, attempts, passes, hints, solution_forced, "
	                       "first_pass FROM exercise_progress WHERE name = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(p->dir, sizeof p->dir, "%s", (const char *)sqlite3_column_text(st, 0));
		p->started = sqlite3_column_int64(st, 1);
		p->attempts = sqlite3_column_int(st, 2);
		p->passes = sqlite3_column_int(st, 3);
		p->hints = sqlite3_column_int(st, 4);
		p->solution_forced = sqlite3_column_int(st, 5) != 0;
		p->first_pass = sqlite3_column_int64(st, 6);
	}
	sqlite3_finalize(st);
	return 0;
}

int coach_store_started(struct coach_store *s, const char *name, const char *dir)
{
	int64_t t = (int64_t)time(NULL);
	return ensure(s, name) ||
	       exec3(s, "UPDATE exercise_progress SET dir = ?2, started = ?3, last_used = ?3 "
	             "WHERE name = ?1", name, dir, t);
}

int coach_store_checked(struct coach_store *s, const char *name, const char *verdict,
                        const char *schedule)
{
	int64_t t = (int64_t)time(NULL);
	bool pass = strcmp(verdict, "pass") == 0;
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	int rc = ensure(s, name) ||
	         exec3(s, pass ? "UPDATE exercise_progress SET attempts = attempts + 1, "
	                         "passes = passes + 1, last_used = ?3, first_pass = CASE "
	                         "WHEN first_pass = 0 THEN ?3 ELSE first_pass END WHERE name = ?1"
	                       : "UPDATE exercise_progress SET attempts = attempts + 1, "
	                         "last_used = ?3 WHERE name = ?1",
	               name, NULL, t);
	if (!rc) {
		sqlite3_stmt *st;
		rc = sqlite3_prepare_v2(s->db, "INSERT INTO exercise_checks(name, time, verdict, "
		                        "schedule) VALUES(?1, ?2, ?3, ?4)", -1, &st, NULL) != SQLITE_OK;
		if (!rc) {
			sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 2, t);
			sqlite3_bind_text(st, 3, verdict, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 4, schedule ? schedule : "", -1, SQLITE_TRANSIENT);
			rc = sqlite3_step(st) != SQLITE_DONE;
			sqlite3_finalize(st);
		}
	}
	sqlite3_exec(s->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	return rc ? -1 : 0;
}

int coach_store_hint(struct coach_store *s, const char *name)
{
	return ensure(s, name) ||
	       exec3(s, "UPDATE exercise_progress SET hints = hints + 1, last_used = ?3 "
	             "WHERE name = ?1", name, NULL, (int64_t)time(NULL));
}

int coach_store_solution_forced(struct coach_store *s, const char *name)
{
	return ensure(s, name) ||
	       exec3(s, "UPDATE exercise_progress SET solution_forced = 1 WHERE name = ?1 AND "
	             "passes = 0", name, NULL, 0);
}

int coach_store_current(struct coach_store *s, char *name, size_t size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT name FROM exercise_progress WHERE last_used > 0 "
	                       "ORDER BY last_used DESC, rowid DESC LIMIT 1", -1, &st, NULL) !=
	    SQLITE_OK) {
		/* WITHOUT ROWID: order by name as the tie-break instead. */
		if (sqlite3_prepare_v2(s->db, "SELECT name FROM exercise_progress WHERE last_used > 0 "
		                       "ORDER BY last_used DESC, name DESC LIMIT 1", -1, &st, NULL) !=
		    SQLITE_OK)
			return -1;
	}
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(name, size, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}
