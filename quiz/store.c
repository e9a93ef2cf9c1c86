/*
 * store.c - the progress database (see store.h).
 *
 * Before SQLite is given an existing file, its 100-byte header is read by
 * hand: the magic string and the application_id (offset 68) must be ours,
 * so a foreign or garbage file is refused without SQLite ever writing to it
 * (opening in WAL mode would otherwise create side files or rewrite the
 * header).  A new database gets its application_id and schema in the
 * rollback-journal mode it is created in, and only then switches to WAL, so
 * the header on disk always carries the id.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "quiz/store.h"

struct quiz_store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *get_card;
	sqlite3_stmt *put_card;
	sqlite3_stmt *del_card;
	sqlite3_stmt *add_answer;
	sqlite3_stmt *del_answer;
	sqlite3_stmt *last_result;
};

/*
 * migrations[v] takes the schema from user_version v to v + 1, inside one
 * transaction that also bumps user_version.  This array is the one place
 * the progress database's schema is defined, for the quiz and for any other
 * module storing its own progress here (the exercises add their tables as
 * the next step): to change the schema, append a step (never edit a shipped
 * one) and raise QUIZ_STORE_VERSION in store.h.  A database opened by an
 * older chanlab is migrated step by step on its next read-write open; a
 * newer one is refused.
 *
 *   1: cards (FSRS state per question) and answers (every answer given,
 *      free text included, in `given`).
 *   2: answers.mode (the session's mode, so an exam's answers are told from
 *      a drill's), and an index of cards by due time (when the next card is
 *      due, for stats and "nothing is due").
 *   3: the exercises' progress (coach/store.c): exercise_progress (per
 *      exercise: folder, attempts, passes, hints, solution shown early,
 *      first pass) and exercise_checks (one row per check).  Earlier
 *      builds kept these tables under their own version in coach_schema;
 *      a database that has them keeps their rows and loses coach_schema.
 */
static const char *const migrations[QUIZ_STORE_VERSION] = {
	"CREATE TABLE cards("
	"  qid TEXT PRIMARY KEY,"
	"  stability REAL NOT NULL, difficulty REAL NOT NULL,"
	"  due INTEGER NOT NULL, last_review INTEGER NOT NULL,"
	"  reps INTEGER NOT NULL, lapses INTEGER NOT NULL,"
	"  state INTEGER NOT NULL, step INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE answers("
	"  id INTEGER PRIMARY KEY,"
	"  qid TEXT NOT NULL, time INTEGER NOT NULL, given TEXT NOT NULL,"
	"  correct INTEGER,"           /* 1, 0, NULL = ungraded */
	"  rating INTEGER NOT NULL,"   /* 1..4, 0 = none */
	"  elapsed_ms INTEGER NOT NULL, session TEXT NOT NULL);"
	"CREATE INDEX answers_by_qid ON answers(qid, id);",

	"ALTER TABLE answers ADD COLUMN mode TEXT NOT NULL DEFAULT '';"
	"CREATE INDEX cards_by_due ON cards(due);",

	"CREATE TABLE IF NOT EXISTS exercise_progress("
	"  name TEXT PRIMARY KEY, dir TEXT NOT NULL DEFAULT '',"
	"  started INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"
	"  passes INTEGER NOT NULL DEFAULT 0, hints INTEGER NOT NULL DEFAULT 0,"
	"  solution_forced INTEGER NOT NULL DEFAULT 0, first_pass INTEGER NOT NULL DEFAULT 0,"
	"  last_used INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS exercise_checks("
	"  id INTEGER PRIMARY KEY, name TEXT NOT NULL, time INTEGER NOT NULL,"
	"  verdict TEXT NOT NULL, schedule TEXT NOT NULL);"
	"DROP TABLE IF EXISTS coach_schema;",
};

static int fail(struct quiz_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct quiz_err *err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* What SQLite's last error means for the person at the keyboard: a
 * read-only place or a full disk is not a damaged database.  sys is errno
 * as it was when the call failed: SQLite does not always keep the
 * system's reason for a failed write (sqlite3_system_errno is 0 then). */
static const char *why_sys(sqlite3 *db, int sys)
{
	switch (sqlite3_errcode(db)) {
	case SQLITE_READONLY:
		return "read-only (the file or its folder cannot be written)";
	case SQLITE_FULL:
		return "the disk is full";
	case SQLITE_CANTOPEN:
		return "cannot open or create the file (read-only or missing folder?)";
	case SQLITE_PERM:
		return "permission denied";
	case SQLITE_NOMEM:
		return "out of memory";
	case SQLITE_IOERR:
		/* The operating system's reason, where it is one a person can act
		 * on; errno only when SQLite failed a write (it is the write's). */
		if (sqlite3_system_errno(db))
			sys = sqlite3_system_errno(db);
		else if (sqlite3_extended_errcode(db) != SQLITE_IOERR_WRITE &&
		         sqlite3_extended_errcode(db) != SQLITE_IOERR_FSYNC &&
		         sqlite3_extended_errcode(db) != SQLITE_IOERR_TRUNCATE)
			sys = 0;
		switch (sys) {
		case ENOSPC:
			return "the disk is full";
		case EDQUOT:
			return "the disk quota is exceeded";
		case EFBIG:
			return "the file is larger than this process may write (file size limit)";
		case EROFS:
			return "read-only file system";
		case EIO:
			return "input/output error (a failing disk?)";
		}
		return sqlite3_errmsg(db);
	default:
		return sqlite3_errmsg(db);
	}
}

static const char *why(sqlite3 *db)
{
	return why_sys(db, 0);
}

static int db_fail(struct quiz_store *s, struct quiz_err *err, const char *what)
{
	int sys = errno;
	return fail(err, "%s: %s: %s", s->path, what, why_sys(s->db, sys));
}

/* The folder of path ("." when it has none), in buf. */
static const char *dir_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return ".";
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= size)
		n = size - 1;
	memcpy(buf, path, n);
	buf[n] = '\0';
	return buf;
}

int quiz_store_default_path(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && *xdg == '/')
		n = snprintf(buf, size, "%s/chanlab/progress.db", xdg);
	else if (home && *home)
		n = snprintf(buf, size, "%s/.local/share/chanlab/progress.db", home);
	else
		return -1;
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* mkdir -p of the directory part of path. */
static int make_parent_dirs(const char *path, struct quiz_err *err)
{
	char *dir = strdup(path);
	if (!dir)
		return fail(err, "out of memory");
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	for (char *p = dir + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
				int e = errno;
				fail(err, "%s: cannot create directory: %s", dir, strerror(e));
				free(dir);
				return -1;
			}
			*p = c;
			if (c == '\0')
				break;
		}
	}
	free(dir);
	return 0;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Checks an existing file's header.  *fresh is set for an empty file (SQLite
 * treats it as a new database).
 */
static int check_header(const char *path, bool *fresh, struct quiz_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return fail(err, "%s: cannot open: %s", path, strerror(errno));
	unsigned char h[100];
	size_t n = fread(h, 1, sizeof h, f);
	fclose(f);
	*fresh = n == 0;
	if (n == 0)
		return 0;
	if (n < sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
		return fail(err, "%s: not a SQLite database (damaged, or not chanlab's); "
		            "refusing to touch it", path);
	uint32_t app = be32(h + 68);
	if (app != QUIZ_STORE_APP_ID)
		return fail(err, "%s: a SQLite database that is not chanlab's progress "
		            "(application_id %#x); refusing to touch it", path, (unsigned)app);
	return 0;
}

static int exec(struct quiz_store *s, const char *sql, struct quiz_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail(err, "%s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* One integer from a query such as "PRAGMA user_version". */
static int query_int(struct quiz_store *s, const char *sql, long *out, struct quiz_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "cannot read the database");
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(s, err, "cannot read the database");
}

/* PRAGMA quick_check must answer a single "ok". */
static int check_intact(struct quiz_store *s, struct quiz_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK) {
		int code = sqlite3_errcode(s->db);
		if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
			return fail(err, "%s: damaged database (%s); refusing to touch it", s->path,
			            sqlite3_errmsg(s->db));
		return fail(err, "%s: cannot read: %s", s->path, why(s->db));
	}
	int rc = sqlite3_step(st);
	bool ok = rc == SQLITE_ROW &&
	          strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	if (!ok)
		return fail(err, "%s: damaged database (integrity check failed); "
		            "refusing to touch it", s->path);
	return 0;
}

static int migrate(struct quiz_store *s, struct quiz_err *err)
{
	long version;
	if (query_int(s, "PRAGMA user_version", &version, err))
		return -1;
	if (version > QUIZ_STORE_VERSION)
		return fail(err, "%s: written by a newer chanlab (schema %ld, this one knows %d)",
		            s->path, version, QUIZ_STORE_VERSION);
	for (long v = version; v < QUIZ_STORE_VERSION; v++) {
		char tail[96];
		snprintf(tail, sizeof tail, "PRAGMA application_id = %d; PRAGMA user_version = %ld;",
		         QUIZ_STORE_APP_ID, v + 1);
		if (exec(s, "BEGIN IMMEDIATE", err))
			return -1;
		if (exec(s, migrations[v], err) || exec(s, tail, err)) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (exec(s, "COMMIT", err))
			return -1;
	}
	return 0;
}

static int prepare(struct quiz_store *s, sqlite3_stmt **st, const char *sql,
                   struct quiz_err *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_fail(s, err, "cannot prepare a statement");
	return 0;
}

static int prepare_all(struct quiz_store *s, struct quiz_err *err)
{
	return prepare(s, &s->get_card,
	               "SELECT stability, difficulty, due, last_review, reps, lapses, state, step"
	               " FROM cards WHERE qid = ?1", err) ||
	       prepare(s, &s->put_card,
	               "INSERT OR REPLACE INTO cards(qid, stability, difficulty, due,"
	               " last_review, reps, lapses, state, step)"
	               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", err) ||
	       prepare(s, &s->del_card, "DELETE FROM cards WHERE qid = ?1", err) ||
	       prepare(s, &s->add_answer,
	               "INSERT INTO answers(qid, time, given, correct, rating, elapsed_ms, session,"
	               " mode) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", err) ||
	       prepare(s, &s->del_answer, "DELETE FROM answers WHERE id = ?1 AND qid = ?2", err) ||
	       prepare(s, &s->last_result,
	               "SELECT correct FROM answers WHERE qid = ?1 AND correct IS NOT NULL"
	               " ORDER BY id DESC LIMIT 1", err)
	           ? -1 : 0;
}

int quiz_store_open(const char *path, struct quiz_store **out, struct quiz_err *err)
{
	*out = NULL;
	bool fresh = true;
	struct stat sb;
	if (stat(path, &sb) == 0) {
		if (!S_ISREG(sb.st_mode))
			return fail(err, "%s: not a regular file", path);
		if (check_header(path, &fresh, err))
			return -1;
	} else if (errno != ENOENT) {
		return fail(err, "%s: %s", path, strerror(errno));
	} else if (make_parent_dirs(path, err)) {
		return -1;
	}

	/* SQLite writes a journal and WAL files next to the database: a
	 * read-only file or folder is said so now, not later as a damaged or
	 * unopenable database (which would invite deleting a good file). */
	char dbuf[4096];
	const char *dir = dir_of(path, dbuf, sizeof dbuf);
	if (!fresh && access(path, W_OK) != 0)
		return fail(err, "%s: cannot save progress there: %s (a read-only file; "
		            "'quiz stats' can still read it)", path, strerror(errno));
	if (access(dir, W_OK) != 0)
		return fail(err, "%s: cannot save progress in folder '%s': %s", path, dir,
		            strerror(errno));

	struct quiz_store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return fail(err, "out of memory");
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		fail(err, "%s: cannot open: %s", path, s->db ? why(s->db) : "no memory");
		quiz_store_close(s);
		return -1;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if ((!fresh && check_intact(s, err)) || migrate(s, err) ||
	    exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", err) ||
	    prepare_all(s, err)) {
		quiz_store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

/* path as an SQLite URI ("file:" and %-escapes for what a URI gives a
 * meaning to), so the immutable flag can be passed. */
static char *file_uri(const char *path, const char *query)
{
	size_t n = strlen(path);
	char *u = malloc(n * 3 + strlen(query) + 8);
	if (!u)
		return NULL;
	char *o = u + sprintf(u, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20)
			o += sprintf(o, "%%%02X", *p);
		else
			*o++ = (char)*p;
	strcpy(o, query);
	return u;
}

int quiz_store_open_readonly(const char *path, struct quiz_store **out, struct quiz_err *err)
{
	*out = NULL;
	bool fresh = false;
	struct stat sb;
	if (stat(path, &sb) != 0)
		return fail(err, "%s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return fail(err, "%s: not a regular file", path);
	if (check_header(path, &fresh, err))
		return -1;
	char dbuf[4096];
	const char *dir = dir_of(path, dbuf, sizeof dbuf);
	/* Where the folder or the file cannot be written (a read-only mount, a
	 * teacher's copy), SQLite cannot make the WAL index it needs even to
	 * read: open the file as immutable, which reads it as it is on disk.
	 * A session that is still writing has its folder writable, so the
	 * normal read-only open (which sees its WAL) applies then. */
	bool immutable = access(dir, W_OK) != 0 || access(path, W_OK) != 0;
	struct quiz_store *s = calloc(1, sizeof *s);
	char *uri = file_uri(path, immutable ? "?immutable=1" : "?mode=ro");
	if (!s || !uri || !(s->path = strdup(path))) {
		free(s);
		free(uri);
		return fail(err, "out of memory");
	}
	int rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		fail(err, "%s: cannot open: %s", path, s->db ? why(s->db) : "no memory");
		quiz_store_close(s);
		return -1;
	}
	long version = 0;
	if (fresh) {
		quiz_store_close(s);
		return fail(err, "%s: an empty file, no progress in it", path);
	}
	if (check_intact(s, err) || query_int(s, "PRAGMA user_version", &version, err)) {
		quiz_store_close(s);
		return -1;
	}
	if (version < 1 || version > QUIZ_STORE_VERSION) {
		fail(err, "%s: schema %ld, this chanlab reads 1 to %d", path, version,
		     QUIZ_STORE_VERSION);
		quiz_store_close(s);
		return -1;
	}
	/* Only what reading needs, which every schema since 1 has: no
	 * migration can run here. */
	if (prepare(s, &s->get_card,
	            "SELECT stability, difficulty, due, last_review, reps, lapses, state, step"
	            " FROM cards WHERE qid = ?1", err) ||
	    prepare(s, &s->last_result,
	            "SELECT correct FROM answers WHERE qid = ?1 AND correct IS NOT NULL"
	            " ORDER BY id DESC LIMIT 1", err)) {
		quiz_store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void quiz_store_close(struct quiz_store *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->get_card);
	sqlite3_finalize(s->put_card);
	sqlite3_finalize(s->del_card);
	sqlite3_finalize(s->add_answer);
	sqlite3_finalize(s->del_answer);
	sqlite3_finalize(s->last_result);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

const char *quiz_store_path(const struct quiz_store *s)
{
	return s->path;
}

int quiz_store_card(struct quiz_store *s, const char *qid, struct quiz_card *card,
                    bool *found, struct quiz_err *err)
{
	sqlite3_stmt *st = s->get_card;
	quiz_card_init(card);
	*found = false;
	sqlite3_bind_text(st, 1, qid, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		card->stability = sqlite3_column_double(st, 0);
		card->difficulty = sqlite3_column_double(st, 1);
		card->due = sqlite3_column_int64(st, 2);
		card->last_review = sqlite3_column_int64(st, 3);
		card->reps = sqlite3_column_int(st, 4);
		card->lapses = sqlite3_column_int(st, 5);
		card->state = sqlite3_column_int(st, 6);
		card->step = sqlite3_column_int(st, 7);
		*found = true;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(s, err, "cannot read a card");
	return 0;
}

/* Runs a bound statement that returns no rows, then resets it. */
static int run(struct quiz_store *s, sqlite3_stmt *st, struct quiz_err *err, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s, err, what);
}

static int put_card(struct quiz_store *s, const char *qid, const struct quiz_card *c,
                    struct quiz_err *err)
{
	sqlite3_stmt *st = s->put_card;
	sqlite3_bind_text(st, 1, qid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(st, 2, c->stability);
	sqlite3_bind_double(st, 3, c->difficulty);
	sqlite3_bind_int64(st, 4, c->due);
	sqlite3_bind_int64(st, 5, c->last_review);
	sqlite3_bind_int(st, 6, c->reps);
	sqlite3_bind_int(st, 7, c->lapses);
	sqlite3_bind_int(st, 8, c->state);
	sqlite3_bind_int(st, 9, c->step);
	return run(s, st, err, "cannot write a card");
}

static int rollback(struct quiz_store *s)
{
	/* SQLite may have rolled the transaction back itself (after SQLITE_FULL
	 * or SQLITE_NOMEM, say); a ROLLBACK then would only fail. */
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* BEGIN IMMEDIATE or COMMIT for a write, the failure said as what it means
 * for the person ("the disk is full"), not as SQLite's wording. */
static int exec_write(struct quiz_store *s, const char *sql, const char *what,
                      struct quiz_err *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(s, err, what);
	return 0;
}

int quiz_store_record(struct quiz_store *s, const struct quiz_answer *a,
                      const struct quiz_card *card, int64_t *answer_id, struct quiz_err *err)
{
	if (exec_write(s, "BEGIN IMMEDIATE", "cannot save the answer", err))
		return rollback(s);
	sqlite3_stmt *st = s->add_answer;
	sqlite3_bind_text(st, 1, a->qid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, a->time);
	sqlite3_bind_text(st, 3, a->given ? a->given : "", -1, SQLITE_TRANSIENT);
	if (a->correct < 0)
		sqlite3_bind_null(st, 4);
	else
		sqlite3_bind_int(st, 4, a->correct ? 1 : 0);
	sqlite3_bind_int(st, 5, a->rating);
	sqlite3_bind_int64(st, 6, a->elapsed_ms);
	sqlite3_bind_text(st, 7, a->session ? a->session : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 8, a->mode ? a->mode : "", -1, SQLITE_TRANSIENT);
	if (run(s, st, err, "cannot save the answer"))
		return rollback(s);
	int64_t id = sqlite3_last_insert_rowid(s->db);
	if (card && put_card(s, a->qid, card, err))
		return rollback(s);
	if (exec_write(s, "COMMIT", "cannot save the answer", err))
		return rollback(s);
	if (answer_id)
		*answer_id = id;
	return 0;
}

int quiz_store_undo(struct quiz_store *s, int64_t answer_id, const char *qid,
                    bool restore_card, const struct quiz_card *prev, struct quiz_err *err)
{
	if (exec_write(s, "BEGIN IMMEDIATE", "cannot undo the answer", err))
		return rollback(s);
	sqlite3_bind_int64(s->del_answer, 1, answer_id);
	sqlite3_bind_text(s->del_answer, 2, qid, -1, SQLITE_TRANSIENT);
	if (run(s, s->del_answer, err, "cannot delete the answer"))
		return rollback(s);
	if (restore_card) {
		if (prev) {
			if (put_card(s, qid, prev, err))
				return rollback(s);
		} else {
			sqlite3_bind_text(s->del_card, 1, qid, -1, SQLITE_TRANSIENT);
			if (run(s, s->del_card, err, "cannot delete the card"))
				return rollback(s);
		}
	}
	if (exec_write(s, "COMMIT", "cannot undo the answer", err))
		return rollback(s);
	return 0;
}

int quiz_store_last_result(struct quiz_store *s, const char *qid, int *last,
                           struct quiz_err *err)
{
	sqlite3_stmt *st = s->last_result;
	sqlite3_bind_text(st, 1, qid, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	*last = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(s, err, "cannot read the answers");
	return 0;
}

int quiz_store_foreach(struct quiz_store *s,
                       int (*fn)(const struct quiz_store_tally *t, void *ctx), void *ctx,
                       struct quiz_err *err)
{
	static const char sql[] =
		"SELECT q.qid, coalesce(a.n, 0), coalesce(a.r, 0), c.qid IS NOT NULL,"
		" coalesce(c.due, 0)"
		" FROM (SELECT qid FROM answers UNION SELECT qid FROM cards) q"
		" LEFT JOIN (SELECT qid, count(*) n, sum(correct) r FROM answers"
		"            WHERE correct IS NOT NULL GROUP BY qid) a ON a.qid = q.qid"
		" LEFT JOIN cards c ON c.qid = q.qid ORDER BY q.qid";
	sqlite3_stmt *st;
	if (prepare(s, &st, sql, err))
		return -1;
	int rc, ret = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct quiz_store_tally t = {
			.qid = (const char *)sqlite3_column_text(st, 0),
			.answered = sqlite3_column_int(st, 1),
			.right = sqlite3_column_int(st, 2),
			.has_card = sqlite3_column_int(st, 3) != 0,
			.due = sqlite3_column_int64(st, 4),
		};
		if ((ret = fn(&t, ctx)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(s, err, "cannot read the progress");
	sqlite3_finalize(st);
	return ret;
}

long quiz_store_count_answers(struct quiz_store *s, struct quiz_err *err)
{
	long n;
	return query_int(s, "SELECT count(*) FROM answers", &n, err) ? -1 : n;
}
