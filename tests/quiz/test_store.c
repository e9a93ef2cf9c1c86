/*
 * test_store.c - the progress database: creation, one transaction per
 * answer, undo, reopening, and refusing damaged or foreign files untouched.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quiz/store.h"
#include "tests/testlib.h"

static char dir[64];
static char path[128];

static void setup(void)
{
	strcpy(dir, "/tmp/chanlab-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sub/dir/progress.db", dir);
}

static void teardown(void)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static struct quiz_store *open_ok(void)
{
	struct quiz_store *s;
	struct quiz_err err = {{0}};
	int rc = quiz_store_open(path, &s, &err);
	ck_assert_msg(rc == 0, "open failed: %s", err.msg);
	return s;
}

static struct quiz_answer answer(const char *qid, int correct, int rating)
{
	struct quiz_answer a = {
		.qid = qid, .time = 1700000000, .given = "b", .correct = correct,
		.rating = rating, .elapsed_ms = 1234, .session = "s1",
	};
	return a;
}

/* A new database is created with its directories, and answers persist. */
START_TEST(test_create_record_reopen)
{
	struct quiz_store *s = open_ok();
	struct quiz_err err;
	struct quiz_card c;
	bool found = true;
	ck_assert_int_eq(quiz_store_card(s, "a.one", &c, &found, &err), 0);
	ck_assert(!found);
	ck_assert_int_eq(c.state, QUIZ_CARD_NEW);

	struct quiz_fsrs f;
	quiz_fsrs_init(&f, 0.9);
	quiz_fsrs_review(&f, &c, QUIZ_GOOD, 1700000000);
	struct quiz_answer a = answer("a.one", 1, QUIZ_GOOD);
	int64_t id = 0;
	ck_assert_int_eq(quiz_store_record(s, &a, &c, &id, &err), 0);
	ck_assert_int_gt(id, 0);
	a = answer("a.two", -1, 0);
	ck_assert_int_eq(quiz_store_record(s, &a, NULL, NULL, &err), 0);
	quiz_store_close(s);

	s = open_ok();
	struct quiz_card back;
	ck_assert_int_eq(quiz_store_card(s, "a.one", &back, &found, &err), 0);
	ck_assert(found);
	ck_assert_double_eq_tol(back.stability, c.stability, 1e-12);
	ck_assert_int_eq(back.due, c.due);
	ck_assert_int_eq(back.state, c.state);
	ck_assert_int_eq(quiz_store_count_answers(s, &err), 2);
	int last;
	ck_assert_int_eq(quiz_store_last_result(s, "a.one", &last, &err), 0);
	ck_assert_int_eq(last, 1);
	ck_assert_int_eq(quiz_store_last_result(s, "a.two", &last, &err), 0);
	ck_assert_int_eq(last, -1); /* ungraded */
	quiz_store_close(s);

	/* The file says it is ours, at the current schema, in WAL mode. */
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), QUIZ_STORE_APP_ID);
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), QUIZ_STORE_VERSION);
	sqlite3_finalize(st);
	sqlite3_close(db);
}
END_TEST

/* Undo deletes the answer row and restores (or removes) the card. */
START_TEST(test_undo)
{
	struct quiz_store *s = open_ok();
	struct quiz_err err;
	struct quiz_fsrs f;
	quiz_fsrs_init(&f, 0.9);
	struct quiz_card c, first;
	bool found;
	quiz_card_init(&c);
	quiz_fsrs_review(&f, &c, QUIZ_GOOD, 1700000000);
	first = c;
	struct quiz_answer a = answer("a.one", 1, QUIZ_GOOD);
	int64_t id1, id2;
	ck_assert_int_eq(quiz_store_record(s, &a, &c, &id1, &err), 0);
	quiz_fsrs_review(&f, &c, QUIZ_AGAIN, 1700000100);
	a = answer("a.one", 0, QUIZ_AGAIN);
	ck_assert_int_eq(quiz_store_record(s, &a, &c, &id2, &err), 0);

	ck_assert_int_eq(quiz_store_undo(s, id2, "a.one", true, &first, &err), 0);
	struct quiz_card back;
	quiz_store_card(s, "a.one", &back, &found, &err);
	ck_assert(found);
	ck_assert_int_eq(back.due, first.due);
	ck_assert_int_eq(back.reps, 1);
	ck_assert_int_eq(quiz_store_count_answers(s, &err), 1);

	ck_assert_int_eq(quiz_store_undo(s, id1, "a.one", true, NULL, &err), 0);
	quiz_store_card(s, "a.one", &back, &found, &err);
	ck_assert(!found);
	ck_assert_int_eq(quiz_store_count_answers(s, &err), 0);
	quiz_store_close(s);
}
END_TEST

static void write_file(const char *p, const void *data, size_t n)
{
	FILE *f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	fclose(f);
}

/* A refused file is byte-identical afterwards and leaves no side files. */
static void assert_refused(const char *p, const char *want_in_msg)
{
	size_t n0, n1;
	char *before = test_read_file(p, &n0);
	ck_assert_ptr_nonnull(before);
	struct quiz_store *s = (struct quiz_store *)1;
	struct quiz_err err = {{0}};
	ck_assert_int_eq(quiz_store_open(p, &s, &err), -1);
	ck_assert_ptr_null(s);
	ck_assert_msg(strstr(err.msg, p) != NULL, "message does not name the file: %s", err.msg);
	ck_assert_msg(strstr(err.msg, want_in_msg) != NULL, "unexpected message: %s", err.msg);
	ck_assert_ptr_null(strchr(err.msg, '\n'));
	char *after = test_read_file(p, &n1);
	ck_assert_uint_eq(n0, n1);
	ck_assert(memcmp(before, after, n0) == 0);
	char wal[200];
	snprintf(wal, sizeof wal, "%s-wal", p);
	ck_assert_int_ne(access(wal, F_OK), 0);
	free(before);
	free(after);
}

/* Garbage is refused as not SQLite. */
START_TEST(test_refuse_garbage)
{
	char p[160];
	snprintf(p, sizeof p, "%s/garbage.db", dir);
	char junk[3000];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 7 + 3);
	write_file(p, junk, sizeof junk);
	assert_refused(p, "not a SQLite database");
}
END_TEST

/* Another program's SQLite database is refused as foreign. */
START_TEST(test_refuse_foreign)
{
	char p[160];
	snprintf(p, sizeof p, "%s/other.db", dir);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(p, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES('hi');",
	                              NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_refused(p, "not chanlab's");
}
END_TEST

/* Our header on a damaged body is refused by the integrity check. */
START_TEST(test_refuse_damaged)
{
	struct quiz_store *s = open_ok();
	struct quiz_err err;
	for (int i = 0; i < 200; i++) {
		struct quiz_answer a = answer("a.one", 1, 3);
		ck_assert_int_eq(quiz_store_record(s, &a, NULL, NULL, &err), 0);
	}
	quiz_store_close(s); /* checkpoints the WAL into the file */
	size_t n;
	char *data = test_read_file(path, &n);
	ck_assert_uint_gt(n, 4096);
	for (size_t i = 4096 + 8; i < n; i++)
		data[i] = (char)0xa5;
	write_file(path, data, n);
	free(data);
	assert_refused(path, "damaged");
}
END_TEST

static void make_db(const char *p, const char *sql)
{
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(p, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Ours at schema 0 (an empty file stamped with our id) is migrated forward;
 * ours from a newer chanlab is refused untouched. */
START_TEST(test_versions)
{
	char p[160];
	snprintf(p, sizeof p, "%s/v0.db", dir);
	char sql[128];
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d; CREATE TABLE keep(x);",
	         QUIZ_STORE_APP_ID);
	make_db(p, sql);
	struct quiz_store *s;
	struct quiz_err err = {{0}};
	ck_assert_msg(quiz_store_open(p, &s, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(quiz_store_count_answers(s, &err), 0);
	quiz_store_close(s);

	snprintf(p, sizeof p, "%s/v99.db", dir);
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = 99;"
	         " CREATE TABLE future(x);", QUIZ_STORE_APP_ID);
	make_db(p, sql);
	assert_refused(p, "newer chanlab");
}
END_TEST

/* A directory in the way is an error, not a crash. */
START_TEST(test_refuse_directory)
{
	struct quiz_store *s;
	struct quiz_err err;
	ck_assert_int_eq(quiz_store_open(dir, &s, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, dir));
}
END_TEST

/* A schema-1 database (as the first release wrote it) is read by the
 * read-only open as it is, and migrated to the newest on a read-write open,
 * its answers kept; new answers record their mode. */
START_TEST(test_migrate_v1)
{
	snprintf(path, sizeof path, "%s/v1.db", dir);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	char sql[2048];
	snprintf(sql, sizeof sql,
	         "PRAGMA application_id = %d;"
	         "CREATE TABLE cards(qid TEXT PRIMARY KEY, stability REAL NOT NULL,"
	         " difficulty REAL NOT NULL, due INTEGER NOT NULL, last_review INTEGER NOT NULL,"
	         " reps INTEGER NOT NULL, lapses INTEGER NOT NULL, state INTEGER NOT NULL,"
	         " step INTEGER NOT NULL) WITHOUT ROWID;"
	         "CREATE TABLE answers(id INTEGER PRIMARY KEY, qid TEXT NOT NULL,"
	         " time INTEGER NOT NULL, given TEXT NOT NULL, correct INTEGER,"
	         " rating INTEGER NOT NULL, elapsed_ms INTEGER NOT NULL, session TEXT NOT NULL);"
	         "CREATE INDEX answers_by_qid ON answers(qid, id);"
	         "INSERT INTO answers(qid, time, given, correct, rating, elapsed_ms, session)"
	         " VALUES ('a.b', 1, 'free text', NULL, 0, 5, 's');"
	         "PRAGMA user_version = 1;", QUIZ_STORE_APP_ID);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	struct quiz_store *s;
	struct quiz_err err = {{0}};
	ck_assert_msg(quiz_store_open_readonly(path, &s, &err) == 0, "%s", err.msg);
	int last = 9;
	ck_assert_int_eq(quiz_store_last_result(s, "a.b", &last, &err), 0);
	ck_assert_int_eq(last, -1);
	quiz_store_close(s);

	s = open_ok();
	struct quiz_answer a = {.qid = "a.b", .time = 2, .given = "b", .correct = 1, .rating = 3,
	                        .elapsed_ms = 1, .session = "t", .mode = "exam"};
	ck_assert_int_eq(quiz_store_record(s, &a, NULL, NULL, &err), 0);
	quiz_store_close(s);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM pragma_user_version),"
	                                    " group_concat(given || ':' || mode, ',') FROM answers",
	                                    -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), QUIZ_STORE_VERSION);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 1), "free text:,b:exam");
	sqlite3_finalize(st);
	sqlite3_close(db);
}
END_TEST

Suite *suite_quiz_store(void)
{
	Suite *s = suite_create("quiz_store");
	TCase *tc = tcase_create("store");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_create_record_reopen);
	tcase_add_test(tc, test_undo);
	tcase_add_test(tc, test_refuse_garbage);
	tcase_add_test(tc, test_refuse_foreign);
	tcase_add_test(tc, test_refuse_damaged);
	tcase_add_test(tc, test_refuse_directory);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_migrate_v1);
	suite_add_tcase(s, tc);
	return s;
}
