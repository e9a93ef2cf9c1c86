/*
 * test_store_faults.c - the progress database when the disk fills up or
 * memory runs out while an answer is being saved: the answer is saved whole
 * or not at all, every answer saved before stays, the error is one line
 * naming the file and saying what happened, and the quiz exits 1.
 *
 * A full disk is simulated without root in two ways: in this process, a
 * SQLite VFS that passes everything to the default one but refuses the
 * Nth write with SQLITE_FULL (every N, so each write of a commit -- the
 * WAL frames, the commit frame, the index -- is the one that fails once);
 * for the whole program, a child started under a file size limit
 * (RLIMIT_FSIZE, SIGXFSZ ignored), where the kernel itself refuses the
 * write.  Memory runs out through sqlite3_hard_heap_limit64, which makes
 * every SQLite allocation beyond the limit fail.
 */
#include <check.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "quiz/store.h"
#include "tests/testlib.h"

static char dir[64];
static char path[128];

static void setup(void)
{
	strcpy(dir, "/tmp/chanlab-faults-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/progress.db", dir);
}

static void teardown(void)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* ---- a VFS that refuses writes on demand --------------------------------------- */

struct fault_vfs {
	sqlite3_vfs base;
	sqlite3_vfs *real;
	long writes_left;             /* writes that succeed before they all fail; -1: none fail */
	long refused;                 /* writes refused so far */
};

struct fault_file {
	sqlite3_file base;
	sqlite3_io_methods methods;   /* ours, at the real file's version */
	struct fault_vfs *vfs;
	sqlite3_file *real;           /* the real file's struct, right after this one */
};

#define REAL(f) (((struct fault_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}
static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}
static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	struct fault_vfs *v = ((struct fault_file *)f)->vfs;
	if (v->writes_left == 0) {
		v->refused++;
		return SQLITE_FULL;
	}
	if (v->writes_left > 0)
		v->writes_left--;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xLock(REAL(f), level);
}
static int f_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}
static int f_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), page, size, extend, out);
}
static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}
static void f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, out);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
	struct fault_vfs *v = vfs->pAppData;
	struct fault_file *f = (struct fault_file *)file;
	f->base.pMethods = NULL;
	f->vfs = v;
	f->real = (sqlite3_file *)(f + 1);
	int rc = v->real->xOpen(v->real, name, f->real, flags, out);
	if (rc != SQLITE_OK || !f->real->pMethods)
		return rc;
	f->methods = (sqlite3_io_methods){
		f->real->pMethods->iVersion, f_close, f_read, f_write, f_truncate, f_sync, f_size,
		f_lock, f_unlock, f_reserved, f_control, f_sector, f_device, f_shm_map, f_shm_lock,
		f_shm_barrier, f_shm_unmap, f_fetch, f_unfetch,
	};
	f->base.pMethods = &f->methods;
	return SQLITE_OK;
}
static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
	struct fault_vfs *v = vfs->pAppData;
	return v->real->xDelete(v->real, name, sync);
}
static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	struct fault_vfs *v = vfs->pAppData;
	return v->real->xAccess(v->real, name, flags, out);
}
static int v_fullpath(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	struct fault_vfs *v = vfs->pAppData;
	return v->real->xFullPathname(v->real, name, n, out);
}

/* Registers v as the default VFS (quiz_store_open uses the default). */
static void fault_install(struct fault_vfs *v)
{
	memset(v, 0, sizeof *v);
	v->real = sqlite3_vfs_find(NULL);
	ck_assert_ptr_nonnull(v->real);
	v->base = *v->real;
	v->base.szOsFile = (int)sizeof(struct fault_file) + v->real->szOsFile;
	v->base.zName = "chanlab-fault";
	v->base.pAppData = v;
	v->base.pNext = NULL;
	v->base.xOpen = v_open;
	v->base.xDelete = v_delete;
	v->base.xAccess = v_access;
	v->base.xFullPathname = v_fullpath;
	v->writes_left = -1;
	ck_assert_int_eq(sqlite3_vfs_register(&v->base, 1), SQLITE_OK);
}

static void fault_remove(struct fault_vfs *v)
{
	ck_assert_int_eq(sqlite3_vfs_unregister(&v->base), SQLITE_OK);
}

/* ---- helpers ---------------------------------------------------------------------- */

static struct quiz_store *open_ok(void)
{
	struct quiz_store *s;
	struct quiz_err err = {{0}};
	ck_assert_msg(quiz_store_open(path, &s, &err) == 0, "open failed: %s", err.msg);
	return s;
}

static struct quiz_answer answer(const char *qid)
{
	return (struct quiz_answer){.qid = qid, .time = 1700000000, .given = "b", .correct = 1,
	                            .rating = 3, .elapsed_ms = 1000, .session = "s1"};
}

static struct quiz_card card(int reps)
{
	return (struct quiz_card){.stability = 2.5, .difficulty = 5, .due = 1700086400,
	                          .last_review = 1700000000, .reps = reps,
	                          .state = QUIZ_CARD_REVIEW};
}

static void record_ok(struct quiz_store *s, const char *qid)
{
	struct quiz_answer a = answer(qid);
	struct quiz_card c = card(1);
	struct quiz_err err = {{0}};
	ck_assert_msg(quiz_store_record(s, &a, &c, NULL, &err) == 0, "%s", err.msg);
}

/* What a fresh open of the file holds: answers, and whether qid has a card. */
static long saved_answers(const char *qid, bool *has_card)
{
	struct quiz_store *s = open_ok();
	struct quiz_err err = {{0}};
	long n = quiz_store_count_answers(s, &err);
	ck_assert_msg(n >= 0, "%s", err.msg);
	struct quiz_card c;
	ck_assert_int_eq(quiz_store_card(s, qid, &c, has_card, &err), 0);
	quiz_store_close(s);
	return n;
}

/* The message is one line: it names the file and says why. */
static void one_line_naming(const struct quiz_err *err, const char *why)
{
	ck_assert_msg(!strchr(err->msg, '\n'), "not one line: %s", err->msg);
	ck_assert_msg(strncmp(err->msg, path, strlen(path)) == 0, "no file named: %s", err->msg);
	ck_assert_msg(strstr(err->msg, why), "'%s' does not say '%s'", err->msg, why);
}

/* ---- the tests ----------------------------------------------------------------- */

/* The disk fills up at every write of a commit in turn: each time the
 * answer is refused with "the disk is full", the three saved before stay,
 * and the refused one is not there, neither its answer row nor its card.
 * Once there is room again the same store saves the next answer. */
START_TEST(test_disk_full_at_every_write)
{
	struct fault_vfs v;
	fault_install(&v);
	{
		struct quiz_store *s = open_ok();
		record_ok(s, "a.one");
		record_ok(s, "a.two");
		record_ok(s, "a.three");
		quiz_store_close(s);
	}
	long refused_runs = 0;
	for (long n = 0; n < 40; n++) {
		struct quiz_store *s = open_ok();
		v.writes_left = n;
		v.refused = 0;
		struct quiz_answer a = answer("a.four");
		struct quiz_card c = card(1);
		struct quiz_err err = {{0}};
		int rc = quiz_store_record(s, &a, &c, NULL, &err);
		v.writes_left = -1;
		bool has_card;
		if (rc == 0) {
			/* Enough writes for the whole commit: saved whole, and the
			 * loop is done. */
			ck_assert_int_eq(v.refused, 0);
			quiz_store_close(s);
			ck_assert_int_eq(saved_answers("a.four", &has_card), 4);
			ck_assert(has_card);
			break;
		}
		refused_runs++;
		one_line_naming(&err, "cannot save the answer");
		ck_assert_msg(strstr(err.msg, "the disk is full"), "%s", err.msg);
		/* With room again, the same connection goes on: no transaction
		 * was left open by the failure. */
		record_ok(s, "a.five");
		struct quiz_err e2 = {{0}};
		struct quiz_card prev;
		bool found;
		ck_assert_int_eq(quiz_store_card(s, "a.five", &prev, &found, &e2), 0);
		ck_assert(found);
		quiz_store_close(s);
		ck_assert_int_eq(saved_answers("a.four", &has_card), 4);  /* three and a.five */
		ck_assert_msg(!has_card, "write %ld: a refused answer left its card", n);
		/* Back to three answers for the next turn. */
		sqlite3 *db;
		ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
		ck_assert_int_eq(sqlite3_exec(db, "DELETE FROM answers WHERE qid = 'a.five';"
		                                  "DELETE FROM cards WHERE qid = 'a.five';",
		                              NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	ck_assert_int_ge(refused_runs, 3);   /* a commit writes several times: each refused once */
	ck_assert_int_lt(refused_runs, 40);  /* and some N let the commit through */
	fault_remove(&v);
}
END_TEST

/* Out of memory while saving: refused with "out of memory", nothing half
 * saved, and the store works again once memory is back. */
START_TEST(test_out_of_memory_while_saving)
{
	struct quiz_store *s = open_ok();
	record_ok(s, "a.one");
	record_ok(s, "a.two");
	/* Below what SQLite holds already: every new allocation fails.  A
	 * statement cached from the saves above may still need none, so the
	 * answer carries text long enough to need memory of its own. */
	static char given[200000];
	memset(given, 'x', sizeof given - 1);
	struct quiz_answer a = answer("a.three");
	a.given = given;
	struct quiz_card c = card(1);
	struct quiz_err err = {{0}};
	sqlite3_int64 before = sqlite3_hard_heap_limit64(-1);
	sqlite3_hard_heap_limit64(1);
	int rc = quiz_store_record(s, &a, &c, NULL, &err);
	sqlite3_hard_heap_limit64(before);
	ck_assert_int_eq(rc, -1);
	one_line_naming(&err, "out of memory");
	record_ok(s, "a.four");
	quiz_store_close(s);
	bool has_card;
	ck_assert_int_eq(saved_answers("a.three", &has_card), 3);
	ck_assert(!has_card);
}
END_TEST

/* The whole program: `chanlab quiz` under a file size limit a little above
 * the database's size.  It acknowledges the answers it saved, then stops
 * at the first one it cannot save with one line on stderr and exit 1; a
 * later open finds exactly the acknowledged answers. */
START_TEST(test_quiz_exits_1_when_the_disk_fills)
{
	/* A database with its schema, so the limit bites on answers. */
	struct quiz_store *s = open_ok();
	quiz_store_close(s);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	char answers[128], errf[128];
	snprintf(answers, sizeof answers, "%s/answers", dir);
	snprintf(errf, sizeof errf, "%s/err", dir);
	FILE *f = fopen(answers, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 400; i++)
		fputs("a\n", f);
	fclose(f);
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* stdout is a pipe (no size limit applies); stderr a file that
		 * stays far below the limit. */
		close(fds[0]);
		if (dup2(fds[1], STDOUT_FILENO) < 0 || !freopen(answers, "r", stdin) ||
		    !freopen(errf, "w", stderr))
			_exit(99);
		signal(SIGXFSZ, SIG_IGN);  /* a write past the limit fails with EFBIG */
		struct rlimit rl = {(rlim_t)st.st_size + 16384, (rlim_t)st.st_size + 16384};
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(98);
		execl(test_chanlab_bin(), "chanlab", "quiz", "--cram", "--type", "single", "--count", "0",
		      "--seed", "1", "--db", path, (char *)NULL);
		_exit(97);
	}
	close(fds[1]);
	FILE *in = fdopen(fds[0], "r");
	ck_assert_ptr_nonnull(in);
	long acks = 0;
	char line[4096];
	while (fgets(line, sizeof line, in))
		acks += strncmp(line, "\006ok ", 4) == 0;
	fclose(in);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "chanlab did not exit (status %d)", status);
	size_t n;
	char *text = test_read_file(errf, &n);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(WEXITSTATUS(status) == 1, "exit %d: %s", WEXITSTATUS(status), text);
	/* One line: "chanlab: PATH: cannot save the answer: the file is larger ..." */
	ck_assert_msg(n > 0 && strchr(text, '\n') == text + n - 1, "not one line:\n%s", text);
	char want[200];
	snprintf(want, sizeof want, "chanlab: %s: cannot ", path);
	ck_assert_msg(strncmp(text, want, strlen(want)) == 0, "%s", text);
	ck_assert_msg(strstr(text, "file size limit"), "%s", text);
	free(text);
	/* Every acknowledged answer is saved, and nothing else. */
	ck_assert_int_gt(acks, 0);
	ck_assert_int_lt(acks, 130);
	bool has_card;
	ck_assert_int_eq(saved_answers("none.such", &has_card), acks);
}
END_TEST

Suite *suite_quiz_store_faults(void)
{
	Suite *s = suite_create("quiz_store_faults");
	TCase *tc = tcase_create("faults");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_disk_full_at_every_write);
	tcase_add_test(tc, test_out_of_memory_while_saving);
	tcase_add_test(tc, test_quiz_exits_1_when_the_disk_fills);
	suite_add_tcase(s, tc);
	return s;
}
