/*
 * test_store.c - exercise progress lives in the quiz's database under its
 * one schema version: a database written before the exercise tables were
 * a step of quiz/store.c's migrations (schema 2, the tables kept under
 * their own coach_schema version) upgrades with its rows kept; a quiz-only
 * schema-2 database gains the tables; the coach store refuses a file the
 * quiz store has not migrated.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coach/store.h"
#include "quiz/store.h"

static char dir[64], path[128];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/chanlab-coach-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/progress.db", dir);
}

static void teardown(void)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The quiz's schema 2, as the last release before step 3 wrote it. */
#define QUIZ_V2_SQL                                                                        \
	"CREATE TABLE cards(qid TEXT PRIMARY KEY, stability REAL NOT NULL,"                \
	" difficulty REAL NOT NULL, due INTEGER NOT NULL, last_review INTEGER NOT NULL,"   \
	" reps INTEGER NOT NULL, lapses INTEGER NOT NULL, state INTEGER NOT NULL,"         \
	" step INTEGER NOT NULL) WITHOUT ROWID;"                                           \
	"CREATE TABLE answers(id INTEGER PRIMARY KEY, qid TEXT NOT NULL,"                  \
	" time INTEGER NOT NULL, given TEXT NOT NULL, correct INTEGER,"                    \
	" rating INTEGER NOT NULL, elapsed_ms INTEGER NOT NULL, session TEXT NOT NULL,"    \
	" mode TEXT NOT NULL DEFAULT '');"                                                 \
	"CREATE INDEX answers_by_qid ON answers(qid, id);"                                 \
	"CREATE INDEX cards_by_due ON cards(due);"                                         \
	"INSERT INTO answers(qid, time, given, correct, rating, elapsed_ms, session)"      \
	" VALUES ('a.b', 1, 'x', 1, 3, 5, 's');"

/* The exercise tables as the separate coach_store_migrate made them. */
#define COACH_V1_SQL                                                                       \
	"CREATE TABLE coach_schema(version INTEGER NOT NULL);"                             \
	"INSERT INTO coach_schema VALUES(1);"                                              \
	"CREATE TABLE exercise_progress(name TEXT PRIMARY KEY, dir TEXT NOT NULL DEFAULT '',"\
	" started INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"        \
	" passes INTEGER NOT NULL DEFAULT 0, hints INTEGER NOT NULL DEFAULT 0,"            \
	" solution_forced INTEGER NOT NULL DEFAULT 0, first_pass INTEGER NOT NULL DEFAULT 0,"\
	" last_used INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"                            \
	"CREATE TABLE exercise_checks(id INTEGER PRIMARY KEY, name TEXT NOT NULL,"         \
	" time INTEGER NOT NULL, verdict TEXT NOT NULL, schedule TEXT NOT NULL);"          \
	"INSERT INTO exercise_progress(name, dir, started, attempts, passes, hints)"       \
	" VALUES ('01-started-channel', '/home/ada/ex', 1000, 4, 1, 2);"                   \
	"INSERT INTO exercise_checks(name, time, verdict, schedule)"                       \
	" VALUES ('01-started-channel', 1001, 'result', 'random:1');"

static void make_db(const char *sql)
{
	sqlite3 *db;
	char stamped[8192];
	snprintf(stamped, sizeof stamped, "PRAGMA application_id = %d; %s PRAGMA user_version = 2;",
	         QUIZ_STORE_APP_ID, sql);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, stamped, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* One integer from a query on the file. */
static int query_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void quiz_open_close(void)
{
	struct quiz_store *q;
	struct quiz_err err = {{0}};
	ck_assert_msg(quiz_store_open(path, &q, &err) == 0, "%s", err.msg);
	quiz_store_close(q);
}

/* Schema 2 with the old separately versioned exercise tables: one
 * migration step later the file is at the quiz's version, the rows are
 * kept, coach_schema is gone, and the coach store reads and writes it. */
START_TEST(old_database_upgrades)
{
	make_db(QUIZ_V2_SQL COACH_V1_SQL);
	char err[512];
	struct coach_store *cs;
	/* Not migrated yet: the coach store does not touch it. */
	ck_assert_int_eq(coach_store_open(path, &cs, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "schema 2"));

	quiz_open_close();
	ck_assert_int_eq(query_int("PRAGMA user_version"), QUIZ_STORE_VERSION);
	ck_assert_int_ge(QUIZ_STORE_VERSION, COACH_STORE_SINCE);
	ck_assert_int_eq(query_int("SELECT count(*) FROM sqlite_master WHERE name = 'coach_schema'"),
	                 0);
	ck_assert_int_eq(query_int("SELECT count(*) FROM exercise_checks"), 1);
	ck_assert_int_eq(query_int("SELECT count(*) FROM answers"), 1);

	ck_assert_msg(coach_store_open(path, &cs, err, sizeof err) == 0, "%s", err);
	struct coach_progress p;
	ck_assert_int_eq(coach_store_get(cs, "01-started-channel", &p), 0);
	ck_assert_str_eq(p.dir, "/home/ada/ex");
	ck_assert_int_eq(p.attempts, 4);
	ck_assert_int_eq(p.passes, 1);
	ck_assert_int_eq(p.hints, 2);
	ck_assert_int_eq(coach_store_hint(cs, "01-started-channel"), 0);
	ck_assert_int_eq(coach_store_get(cs, "01-started-channel", &p), 0);
	ck_assert_int_eq(p.hints, 3);
	coach_store_close(cs);

	/* Opening again migrates nothing more. */
	quiz_open_close();
	ck_assert_int_eq(query_int("PRAGMA user_version"), QUIZ_STORE_VERSION);
	ck_assert_int_eq(query_int("SELECT hints FROM exercise_progress"), 3);
}
END_TEST

/* A quiz-only schema-2 database gains the exercise tables. */
START_TEST(quiz_only_database_gains_tables)
{
	make_db(QUIZ_V2_SQL);
	quiz_open_close();
	ck_assert_int_eq(query_int("PRAGMA user_version"), QUIZ_STORE_VERSION);
	char err[512];
	struct coach_store *cs;
	ck_assert_msg(coach_store_open(path, &cs, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(coach_store_started(cs, "02-stop-and-stopped", "/tmp/x"), 0);
	ck_assert_int_eq(coach_store_checked(cs, "02-stop-and-stopped", "pass", ""), 0);
	struct coach_progress p;
	ck_assert_int_eq(coach_store_get(cs, "02-stop-and-stopped", &p), 0);
	ck_assert_str_eq(p.dir, "/tmp/x");
	ck_assert_int_eq(p.passes, 1);
	char name[64];
	ck_assert_int_eq(coach_store_current(cs, name, sizeof name), 0);
	ck_assert_str_eq(name, "02-stop-and-stopped");
	coach_store_close(cs);
}
END_TEST

/* A new database is created at the newest version with every table. */
START_TEST(new_database_has_everything)
{
	quiz_open_close();
	ck_assert_int_eq(query_int("PRAGMA user_version"), QUIZ_STORE_VERSION);
	ck_assert_int_eq(query_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
	                           "name IN ('cards', 'answers', 'exercise_progress', "
	                           "'exercise_checks')"), 4);
}
END_TEST

Suite *suite_coach_store(void)
{
	Suite *s = suite_create("coach_store");
	TCase *tc = tcase_create("store");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, old_database_upgrades);
	tcase_add_test(tc, quiz_only_database_gains_tables);
	tcase_add_test(tc, new_database_has_everything);
	suite_add_tcase(s, tc);
	return s;
}
