/*
 * test_repl.c - `chanlab quiz` driven through pipes, as a script would: the
 * answers it records in SQLite, `ok <id>` only after commit (checked by a
 * SIGKILL after the k-th ok), refusing a foreign database untouched, and
 * exams giving the same paper for the same seed.  The binary is
 * CHANLAB_BIN; banks are written to a temporary directory.  Nothing here
 * sleeps: the driver blocks on the child's output.
 */
#include <check.h>
#include <sched.h>
#include <termios.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "quiz/present.h"
#include "quiz/repl.h"
#include "tests/testlib.h"

/* Choices in file order (shuffle: false), so the right letter is known. */
static const char bank_a[] =
	"bank: fixa\n"
	"questions:\n"
	"  - id: fixa.nil-send\n"
	"    level: junior\n"
	"    topics: [channels]\n"
	"    type: single\n"
	"    shuffle: false\n"
	"    prompt: What does a send on a nil channel do?\n"
	"    choices:\n"
	"      - text: It panics.\n"
	"        why: Only close of a nil channel panics.\n"
	"      - text: It blocks forever.\n"
	"        correct: true\n"
	"      - text: It is dropped.\n"
	"        why: Nothing drops a value silently.\n"
	"    explanation: Send and receive on a nil channel block forever.\n"
	"    hint: Think of select.\n"
	"    follow_up:\n"
	"      prompt: And close?\n"
	"      answer: It panics.\n"
	"  - id: fixa.closed-recv\n"
	"    level: middle\n"
	"    topics: [channels, close]\n"
	"    type: multi\n"
	"    shuffle: false\n"
	"    prompt: Which hold for a receive from a closed, empty channel?\n"
	"    choices:\n"
	"      - text: It returns the zero value at once.\n"
	"        correct: true\n"
	"      - text: It panics.\n"
	"        why: Only a send on a closed channel panics.\n"
	"      - text: The comma-ok form gives false.\n"
	"        correct: true\n"
	"    explanation: A closed channel is always ready to receive.\n"
	"  - id: fixa.unbuffered\n"
	"    level: senior\n"
	"    topics: [sync]\n"
	"    type: truefalse\n"
	"    prompt: An unbuffered send completes only when a receiver takes the value.\n"
	"    answer: true\n"
	"    explanation: Unbuffered channels synchronise the two tasks.\n";

static const char bank_b[] =
	"bank: fixb\n"
	"questions:\n"
	"  - id: fixb.why-buffer\n"
	"    level: staff\n"
	"    topics: [design]\n"
	"    type: short\n"
	"    prompt: When is a buffer of one the right choice?\n"
	"    answer: When the sender must not block on a receiver that left.\n"
	"    explanation: A buffer of one lets the sender leave.\n"
	"  - id: fixb.select-default\n"
	"    level: middle\n"
	"    topics: [select]\n"
	"    type: single\n"
	"    prompt: What does a default case do in select?\n"
	"    choices:\n"
	"      - text: Runs when no other case is ready.\n"
	"        correct: true\n"
	"      - text: Runs after every other case.\n"
	"        why: Only one case runs.\n"
	"      - text: Runs first, always.\n"
	"        why: It runs only when nothing else can.\n"
	"      - text: Makes select block.\n"
	"        why: It does the opposite.\n"
	"    explanation: default makes select non-blocking.\n"
	"  - id: fixb.close-twice\n"
	"    level: junior\n"
	"    topics: [close]\n"
	"    type: truefalse\n"
	"    prompt: Closing a closed channel panics.\n"
	"    answer: true\n"
	"    explanation: close of closed channel panics.\n";

static char dir[64];
static char path_a[128], path_b[128], db[128];

static void write_text(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	strcpy(dir, "/tmp/chanlab-repl-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path_a, sizeof path_a, "%s/a.yaml", dir);
	snprintf(path_b, sizeof path_b, "%s/b.yaml", dir);
	snprintf(db, sizeof db, "%s/progress.db", dir);
	write_text(path_a, bank_a);
	write_text(path_b, bank_b);
}

static void teardown(void)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* --- a child on two pipes ------------------------------------------------------ */

struct child {
	pid_t pid;
	FILE *to;     /* its stdin */
	FILE *from;   /* its stdout */
};

static struct child spawn(char *const argv[])
{
	int in[2], out[2];
	ck_assert_int_eq(pipe(in), 0);
	ck_assert_int_eq(pipe(out), 0);
	struct child c;
	c.pid = fork();
	ck_assert_int_ge(c.pid, 0);
	if (c.pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		setenv("NO_COLOR", "1", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c.to = fdopen(in[1], "w");
	c.from = fdopen(out[0], "r");
	return c;
}

static int finish(struct child *c)
{
	if (c->to)
		fclose(c->to);
	c->to = NULL;
	char buf[512];
	while (fgets(buf, sizeof buf, c->from))
		;
	fclose(c->from);
	int st;
	ck_assert_int_eq(waitpid(c->pid, &st, 0), c->pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void say(struct child *c, const char *line)
{
	fprintf(c->to, "%s\n", line);
	fflush(c->to);
}

/* The id in a question header "[n/m] ID (level; topics)", or NULL. */
static const char *header_id(const char *line, char *id, size_t size)
{
	if (line[0] != '[')
		return NULL;
	const char *sp = strchr(line, ' ');
	if (!sp)
		return NULL;
	size_t n = strcspn(sp + 1, " ");
	if (n >= size)
		return NULL;
	memcpy(id, sp + 1, n);
	id[n] = '\0';
	return id;
}

/* The id of the fixture question whose prompt starts line (an exam shows
 * no ids), or NULL. */
static const char *prompt_id(const char *line)
{
	static const char *const map[][2] = {
		{"What does a send on a nil", "fixa.nil-send"},
		{"Which hold for a receive", "fixa.closed-recv"},
		{"An unbuffered send", "fixa.unbuffered"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strncmp(line, map[i][0], strlen(map[i][0])) == 0)
			return map[i][1];
	return NULL;
}

/* The right answer to each fixture question. */
static const char *right_answer(const char *id)
{
	if (strcmp(id, "fixa.nil-send") == 0)
		return "b";
	if (strcmp(id, "fixa.closed-recv") == 0)
		return "c, a";
	if (strcmp(id, "fixa.unbuffered") == 0)
		return "t";
	if (strcmp(id, "fixb.close-twice") == 0)
		return "true";
	if (strcmp(id, "fixb.why-buffer") == 0)
		return "so the sender can leave\n2";  /* free text, then self-grade hard */
	return NULL; /* fixb.select-default is shuffled: answered by reading the choices */
}

static sqlite3 *open_db(void)
{
	sqlite3 *d;
	ck_assert_int_eq(sqlite3_open_v2(db, &d, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	return d;
}

static long query_long(sqlite3 *d, const char *sql)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(d, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	long v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A scripted session over fixa: nil-send answered wrong first (it comes
 * back later and is then answered right), the others right; the log and the
 * cards say exactly that. */
START_TEST(test_scripted_session)
{
	char *argv[] = {(char *)test_chanlab_bin(), "quiz", "--bank", path_a, "--db", db,
	                "--seed", "7", NULL};
	struct child c = spawn(argv);
	char line[512], id[128];
	int oks = 0, asked_nil = 0;
	while (fgets(line, sizeof line, c.from)) {
		if (strncmp(line, QUIZ_ACK_PREFIX, 4) == 0) {
			oks++;
			continue;
		}
		if (!header_id(line, id, sizeof id))
			continue;
		if (strcmp(id, "fixa.nil-send") == 0 && asked_nil++ == 0) {
			say(&c, ":hint");
			say(&c, "x");      /* not an answer: asked again */
			say(&c, "a");      /* wrong */
			continue;
		}
		say(&c, right_answer(id));
	}
	ck_assert_int_eq(finish(&c), 0);
	ck_assert_int_eq(oks, 4);
	ck_assert_int_eq(asked_nil, 2);

	sqlite3 *d = open_db();
	ck_assert_int_eq(query_long(d, "PRAGMA application_id"), 0x43686c62);
	ck_assert_int_eq(query_long(d, "SELECT count(*) FROM answers"), 4);
	ck_assert_int_eq(query_long(d, "SELECT count(*) FROM answers WHERE qid = 'fixa.nil-send'"
	                               " AND given = 'a' AND correct = 0 AND rating = 1"), 1);
	ck_assert_int_eq(query_long(d, "SELECT count(*) FROM answers WHERE qid = 'fixa.nil-send'"
	                               " AND given = 'b' AND correct = 1 AND rating = 3"), 1);
	ck_assert_int_eq(query_long(d, "SELECT count(*) FROM answers WHERE qid = 'fixa.closed-recv'"
	                               " AND given = 'a,c' AND correct = 1"), 1);
	ck_assert_int_eq(query_long(d, "SELECT count(*) FROM answers WHERE qid = 'fixa.unbuffered'"
	                               " AND given = 't' AND correct = 1"), 1);
	/* The wrong answer came first, on the same session id. */
	ck_assert_int_eq(query_long(d, "SELECT count(DISTINCT session) FROM answers"), 1);
	ck_assert_int_eq(query_long(d, "SELECT correct FROM answers WHERE qid = 'fixa.nil-send'"
	                               " ORDER BY id LIMIT 1"), 0);
	ck_assert_int_eq(query_long(d, "SELECT count(*) FROM cards"), 3);
	ck_assert_int_eq(query_long(d, "SELECT reps FROM cards WHERE qid = 'fixa.nil-send'"), 2);
	ck_assert_int_eq(query_long(d, "SELECT lapses FROM cards WHERE qid = 'fixa.nil-send'"), 0);
	ck_assert_int_eq(query_long(d, "SELECT count(*) FROM answers WHERE elapsed_ms < 0"), 0);
	sqlite3_close(d);

	/* Nothing is new or due now: a second default session asks nothing. */
	int status;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "%s quiz --bank %s --db %s </dev/null", test_chanlab_bin(),
	         path_a, db);
	char *out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "nothing new or due"));
	free(out);

	/* stats counts every graded answer by level and topic. */
	snprintf(cmd, sizeof cmd, "%s quiz stats --bank %s --db %s", test_chanlab_bin(), path_a,
	         db);
	out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "answered 4, right 3 (75%), due now 0\n"), "stats: %s", out);
	const char *jr = strstr(out, "  junior ");
	ck_assert_ptr_nonnull(jr);
	int answered = -1, accuracy = -1, due = -1;
	char bar[64];
	ck_assert_int_eq(sscanf(jr, " junior %d %63s %d%% %d", &answered, bar, &accuracy, &due), 4);
	ck_assert_int_eq(answered, 2);
	ck_assert_int_eq(accuracy, 50);
	ck_assert_int_eq(due, 0);
	free(out);

	/* --mistakes finds none (nil-send's last answer was right). */
	snprintf(cmd, sizeof cmd, "%s quiz --mistakes --bank %s --db %s </dev/null",
	         test_chanlab_bin(), path_a, db);
	out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "no mistakes"));
	free(out);
}
END_TEST

/* :undo takes back the last answer: row deleted, card restored, and the
 * question is asked again. */
START_TEST(test_undo)
{
	char *argv[] = {(char *)test_chanlab_bin(), "quiz", "--bank", path_a, "--db", db,
	                "--seed", "7", "--type", "truefalse", NULL};
	struct child c = spawn(argv);
	char line[512], id[128];
	int asked = 0, oks = 0;
	while (fgets(line, sizeof line, c.from)) {
		if (strncmp(line, QUIZ_ACK_PREFIX, 4) == 0) {
			oks++;
			continue;
		}
		if (!header_id(line, id, sizeof id))
			continue;
		ck_assert_str_eq(id, "fixa.unbuffered");
		if (asked++ == 0) {
			say(&c, "f");  /* wrong: its re-ask is queued */
			continue;
		}
		if (asked == 2) {
			say(&c, ":undo");  /* on the re-ask: the wrong answer is taken back */
			continue;
		}
		say(&c, "t");
	}
	ck_assert_int_eq(finish(&c), 0);
	ck_assert_int_eq(asked, 3); /* first, the re-ask (undone), the undone one again */
	ck_assert_int_eq(oks, 2);
	sqlite3 *d = open_db();
	ck_assert_int_eq(query_long(d, "SELECT count(*) FROM answers"), 1);
	ck_assert_int_eq(query_long(d, "SELECT correct FROM answers"), 1);
	ck_assert_int_eq(query_long(d, "SELECT reps FROM cards"), 1);
	sqlite3_close(d);
}
END_TEST

/* A question missed again and again comes back twice, not forever, and
 * the others are asked before its second return: --cram over three
 * questions, every answer wrong, ends after nine asks. */
START_TEST(test_missed_comes_back_twice)
{
	char *argv[] = {(char *)test_chanlab_bin(), "quiz", "--cram", "--bank", path_a, "--db", db,
	                "--seed", "7", NULL};
	struct child c = spawn(argv);
	static const char *const wrong[][2] = {
		{"fixa.nil-send", "a"}, {"fixa.closed-recv", "b"}, {"fixa.unbuffered", "f"},
	};
	char line[512], id[128], order[16][128];
	int asked = 0;
	while (fgets(line, sizeof line, c.from)) {
		if (!header_id(line, id, sizeof id))
			continue;
		ck_assert_msg(asked < 16, "asked forever");
		snprintf(order[asked++], sizeof order[0], "%s", id);
		for (size_t i = 0; i < 3; i++)
			if (strcmp(id, wrong[i][0]) == 0)
				say(&c, wrong[i][1]);
	}
	ck_assert_int_eq(finish(&c), 0);
	ck_assert_int_eq(asked, 9);
	for (int i = 0; i < 3; i++) {
		int times = 0;
		for (int k = 0; k < asked; k++)
			times += strcmp(order[k], order[i]) == 0;
		ck_assert_msg(times == 3, "%s asked %d times", order[i], times);
	}
	/* The first three asks are the three questions: none waits behind a re-ask. */
	for (int i = 0; i < 3; i++)
		for (int k = 0; k < i; k++)
			ck_assert_str_ne(order[i], order[k]);
	sqlite3 *d = open_db();
	ck_assert_int_eq(query_long(d, "SELECT count(*) FROM answers"), 9);
	ck_assert_int_eq(query_long(d, "SELECT count(*) FROM cards"), 0);   /* cram schedules nothing */
	sqlite3_close(d);
}
END_TEST

/* A NUL byte in an answer line does not cut the answer short: "t\0x" is
 * not an answer (it was read as "t"). */
START_TEST(test_nul_is_not_an_answer)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "printf 't\\000x\\n:quit\\n' | NO_COLOR=1 %s quiz --cram --bank %s "
	         "--db %s --seed 7 --type truefalse", test_chanlab_bin(), path_a, db);
	int status;
	char *out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "not an answer") && !strstr(out, "right"), "%s", out);
	free(out);
}
END_TEST

/* SIGKILL right after the k-th ok: the database is intact and holds at least
 * k answers (ok is printed only after the commit). */
START_TEST(test_kill_after_ok)
{
	const int k = 3;
	char *argv[] = {(char *)test_chanlab_bin(), "quiz", "--cram", "--bank", path_a,
	                "--bank", path_b, "--db", db, "--seed", "11", NULL};
	struct child c = spawn(argv);
	char line[512], id[128];
	int oks = 0;
	char letters[8] = "";
	while (fgets(line, sizeof line, c.from)) {
		if (strncmp(line, QUIZ_ACK_PREFIX, 4) == 0 && ++oks == k) {
			kill(c.pid, SIGKILL);
			break;
		}
		if (header_id(line, id, sizeof id)) {
			letters[0] = '\0';
			const char *a = right_answer(id);
			if (a)
				say(&c, a);
			continue;
		}
		/* fixb.select-default: find the letter of the right text. */
		if (strstr(line, ") Runs when no other case is ready.")) {
			snprintf(letters, sizeof letters, "%c", line[2]);
			say(&c, letters);
		}
	}
	ck_assert_int_eq(oks, k);
	fclose(c.to);
	fclose(c.from);
	int st;
	ck_assert_int_eq(waitpid(c.pid, &st, 0), c.pid);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

	sqlite3 *d;
	ck_assert_int_eq(sqlite3_open(db, &d), SQLITE_OK);
	sqlite3_stmt *s;
	ck_assert_int_eq(sqlite3_prepare_v2(d, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(s, 0), "ok");
	sqlite3_finalize(s);
	ck_assert_int_ge(query_long(d, "SELECT count(*) FROM answers"), k);
	sqlite3_close(d);

	/* And chanlab opens it again. */
	char cmd[512];
	int status;
	snprintf(cmd, sizeof cmd, "%s quiz stats --bank %s --bank %s --db %s", test_chanlab_bin(),
	         path_a, path_b, db);
	char *out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "answered"));
	free(out);
}
END_TEST

/* A file that is not our database is refused with one line naming it, exit
 * 1, and left byte-identical. */
START_TEST(test_foreign_db_refused)
{
	sqlite3 *d;
	ck_assert_int_eq(sqlite3_open(db, &d), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(d, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", NULL,
	                              NULL, NULL), SQLITE_OK);
	sqlite3_close(d);
	size_t n0, n1;
	char *before = test_read_file(db, &n0);
	char cmd[512];
	int status;
	snprintf(cmd, sizeof cmd, "echo b | %s quiz --bank %s --db %s 2>&1 >/dev/null",
	         test_chanlab_bin(), path_a, db);
	char *err = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_msg(strncmp(err, "chanlab: ", 9) == 0 && strstr(err, db) &&
	              strchr(err, '\n') == err + strlen(err) - 1, "bad message: %s", err);
	char *after = test_read_file(db, &n1);
	ck_assert_uint_eq(n0, n1);
	ck_assert(memcmp(before, after, n0) == 0);
	free(before);
	free(after);
	free(err);

	/* Garbage too, and stats refuses it the same way. */
	write_text(db, "this is not a database at all, just some text.\n");
	before = test_read_file(db, &n0);
	snprintf(cmd, sizeof cmd, "%s quiz stats --bank %s --db %s 2>&1 >/dev/null",
	         test_chanlab_bin(), path_a, db);
	err = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_ptr_nonnull(strstr(err, "not a SQLite database"));
	after = test_read_file(db, &n1);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	free(err);
}
END_TEST

static char *exam_paper(const char *seed, const char *b1, const char *b2, const char *dbname)
{
	char cmd[1024];
	int status;
	/* Every question skipped: the output is the paper and the review. */
	snprintf(cmd, sizeof cmd,
	         "yes :skip | head -n 20 | %s quiz --exam --count 4 --seed %s --bank %s --bank %s"
	         " --db %s/%s --name Ann", test_chanlab_bin(), seed, b1, b2, dir, dbname);
	char *out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	return out;
}

/* Same seed, same paper (questions and choice order), whatever the progress
 * or the order the banks are given in; another seed, another paper. */
START_TEST(test_exam_same_paper)
{
	char *p1 = exam_paper("42", path_a, path_b, "one.db");
	char *p2 = exam_paper("42", path_b, path_a, "two.db");
	char *p3 = exam_paper("43", path_a, path_b, "three.db");
	/* The header names the paper's level: the fixture banks mix them. */
	ck_assert_msg(strstr(p1, "exam: 4 questions, level mixed ("), "%s", p1);
	ck_assert_ptr_nonnull(strstr(p1, "), seed 42; answers are shown at the end\n"));
	ck_assert_ptr_nonnull(strstr(p1, "[4/4]"));
	ck_assert_ptr_nonnull(strstr(p1, "score: 0/"));
	ck_assert_str_eq(p1, p2);
	ck_assert_str_ne(p1, p3);
	free(p1);
	free(p2);
	free(p3);
}
END_TEST

/* The exam's header names the level: one level when the paper has one
 * (--level senior), else each level with its count. */
START_TEST(test_exam_header_level)
{
	char cmd[1024];
	int status;
	snprintf(cmd, sizeof cmd, "yes :skip | head -n 20 | %s quiz --exam --count 0 --seed 7 "
	         "--level senior --bank %s --bank %s --db %s --name Ann", test_chanlab_bin(), path_a,
	         path_b, db);
	char *out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	const char *want = "exam: 1 question, level senior, seed 7; answers are shown at the end\n";
	ck_assert_msg(strncmp(out, want, strlen(want)) == 0, "%s", out);
	free(out);
	snprintf(cmd, sizeof cmd, "yes :skip | head -n 20 | %s quiz --exam --count 0 --seed 7 "
	         "--bank %s --bank %s --db %s --name Ann", test_chanlab_bin(), path_a, path_b, db);
	out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "exam: 6 questions, level mixed (2 junior, 2 middle, 1 senior, "
	                          "1 staff), seed 7;"), "%s", out);
	free(out);
}
END_TEST

/* An exam writes its result JSON; hints are refused; `quiz grade` reads it. */
START_TEST(test_exam_result)
{
	char result[160];
	snprintf(result, sizeof result, "%s/ann.json", dir);
	char *argv[] = {(char *)test_chanlab_bin(), "quiz", "--exam", "--bank", path_a,
	                "--db", db, "--seed", "5", "--count", "3", "--name", "Ann \"A\"",
	                "--result", result, NULL};
	struct child c = spawn(argv);
	char line[512];
	int refused = 0, headers = 0, acks = 0;
	bool in_review = false, leaked = false;
	while (fgets(line, sizeof line, c.from)) {
		if (strstr(line, "not available during an exam"))
			refused++;
		if (strstr(line, "== exam review"))
			in_review = true;
		/* Neither ids nor topics on screen until the review. */
		if (!in_review && (strstr(line, "fixa.") || strstr(line, "channels")))
			leaked = true;
		if (strncmp(line, QUIZ_ACK_PREFIX, 4) == 0) {
			acks++;
			ck_assert_int_eq(atoi(line + 4), acks);
		}
		if (line[0] == '[') {
			ck_assert_ptr_nonnull(strstr(line, "/3] ("));
			headers++;
		}
		const char *id = prompt_id(line);
		if (!id)
			continue;
		if (strcmp(id, "fixa.nil-send") == 0) {
			say(&c, ":hint");
			say(&c, "c");
		} else {
			say(&c, right_answer(id));
		}
	}
	ck_assert_int_eq(finish(&c), 0);
	ck_assert_int_eq(refused, 1);
	ck_assert_int_eq(headers, 3);
	ck_assert_int_eq(acks, 3);
	ck_assert(!leaked);
	ck_assert(in_review);
	char *json = test_read_file(result, NULL);
	ck_assert_ptr_nonnull(json);
	ck_assert_ptr_nonnull(strstr(json, "\"name\": \"Ann \\\"A\\\"\""));
	ck_assert_ptr_nonnull(strstr(json, "\"seed\": 5"));
	ck_assert_ptr_nonnull(strstr(json, "\"score\": 2"));
	ck_assert_ptr_nonnull(strstr(json, "{\"id\": \"fixa.nil-send\", \"type\": \"single\", "
	                                   "\"answer\": \"c\", \"correct\": false, \"ms\": "));
	free(json);

	char cmd[512];
	int status;
	snprintf(cmd, sizeof cmd, "%s quiz grade --csv --bank %s %s", test_chanlab_bin(), path_a,
	         result);
	char *out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "student,\"Ann \"\"A\"\"\",2,3,67,0,no\n"));
	ck_assert_ptr_nonnull(strstr(out, "question,fixa.nil-send,0,1,0,0,\n"));
	free(out);

	/* The result is not overwritten by a second exam without --force;
	 * that is checked before the exam starts. */
	snprintf(cmd, sizeof cmd, "%s quiz --exam --bank %s --db %s --seed 5 --count 3 --name B "
	         "--result %s </dev/null 2>&1", test_chanlab_bin(), path_a, db, result);
	out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_ptr_nonnull(strstr(out, "exists (--force overwrites it)"));
	ck_assert_ptr_null(strstr(out, "exam:"));
	free(out);
	char *again = test_read_file(result, NULL);
	ck_assert_ptr_nonnull(strstr(again, "\"name\": \"Ann"));
	free(again);
	/* So is a result in a folder that is not there. */
	snprintf(cmd, sizeof cmd, "%s quiz --exam --bank %s --db %s --seed 5 --count 3 --name B "
	         "--result /nonexistent-folder/r.json </dev/null 2>&1", test_chanlab_bin(), path_a, db);
	out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_msg(strstr(out, "folder /nonexistent-folder: No such file"), "%s", out);
	ck_assert_ptr_null(strstr(out, "exam:"));
	free(out);
}
END_TEST

/* The counter counts questions, not re-asks (a wrong answer comes back as
 * [3/3] at most); :undo rolls it back; a partly wrong multi answer names
 * the right choice left out; afterwards "nothing is due" says when the
 * next card is, and so does stats. */
START_TEST(test_counter_and_feedback)
{
	char *argv[] = {(char *)test_chanlab_bin(), "quiz", "--bank", path_a, "--db", db,
	                "--seed", "7", NULL};
	struct child c = spawn(argv);
	char line[512], id[128];
	int headers = 0, missed = 0, over = 0, undone = 0;
	char last[32] = "";
	bool did_undo = false;
	while (fgets(line, sizeof line, c.from)) {
		if (strstr(line, "+c) The comma-ok form gives false. (right too; not picked)"))
			missed++;
		if (strncmp(line, "undone: ", 8) == 0)
			undone++;
		if (!header_id(line, id, sizeof id))
			continue;
		headers++;
		snprintf(last, sizeof last, "%.*s", (int)strcspn(line, " "), line);
		if (strstr(line, "[4/") || strstr(line, "/4]"))
			over++;
		if (strcmp(id, "fixa.closed-recv") == 0 && missed == 0) {
			say(&c, "a");  /* partly right: c missed */
			continue;
		}
		if (!did_undo && headers == 2) {
			/* :undo takes the first answer back: the counter shows [1/3]
			 * for it again. */
			did_undo = true;
			say(&c, ":undo");
			continue;
		}
		say(&c, right_answer(id));
	}
	ck_assert_int_eq(finish(&c), 0);
	ck_assert_int_eq(missed, 1);
	ck_assert_int_eq(undone, 1);
	ck_assert_int_eq(over, 0);
	ck_assert_str_eq(last, "[3/3]");
	ck_assert_int_ge(headers, 5);

	char cmd[512];
	int status;
	snprintf(cmd, sizeof cmd, "%s quiz --review --bank %s --db %s </dev/null", test_chanlab_bin(),
	         path_a, db);
	char *out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "nothing is due; come back later\nthe next card is due in "),
	              "%s", out);
	free(out);
	snprintf(cmd, sizeof cmd, "%s quiz stats --bank %s --db %s", test_chanlab_bin(), path_a, db);
	out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "the next card is due in "), "%s", out);
	free(out);
}
END_TEST

/* Text wraps to the width the CLI measured: no line of a long question is
 * wider than 40 columns at width 40, and the same text is wider at 78. */
START_TEST(test_wraps_to_width)
{
	struct quiz_bank b;
	struct quiz_diag d;
	quiz_bank_init(&b);
	quiz_diag_init(&d);
	ck_assert_int_eq(quiz_bank_load_mem(&b, "a.yaml", bank_a, strlen(bank_a), &d), 0);
	const struct quiz_question *q = quiz_bank_find(&b, "fixa.closed-recv");
	size_t order[3] = {0, 1, 2};
	int widest[2] = {0, 0};
	int widths[2] = {40, 78};
	for (int k = 0; k < 2; k++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		quiz_present_question_as(f, q, order, 1, 1, false, false, widths[k]);
		quiz_present_feedback(f, q, order, "a", 0, false, widths[k]);
		fclose(f);
		for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
			if (line[0] != '[' && (int)strlen(line) > widest[k])  /* the id line stays */
				widest[k] = (int)strlen(line);
		free(text);
	}
	ck_assert_int_le(widest[0], 40);
	ck_assert_int_gt(widest[1], 40);
	quiz_bank_free(&b);
	quiz_diag_free(&d);
}
END_TEST

/* :demo runs the linked pattern through the CLI's callback, then shows
 * the question again. */
START_TEST(test_demo_shows_question_again)
{
	char cmd[512];
	int status;
	snprintf(cmd, sizeof cmd, "printf ':demo\\n:quit\\n' | %s quiz --cram --bank "
	         "tests/quiz/data/good.yaml --pattern fan-in --db %s 2>&1", test_chanlab_bin(), db);
	char *out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	const char *demo = strstr(out, "demo: fan-in correct ran as it should (ok); replay: chanlab run fan-in");
	ck_assert_msg(demo, "%s", out);
	const char *first = strstr(out, "What does a send on a nil channel do?");
	ck_assert_ptr_nonnull(first);
	ck_assert(first < demo);
	ck_assert_ptr_nonnull(strstr(demo, "What does a send on a nil channel do?"));
	free(out);
}
END_TEST

/* :demo of a question linked to a broken variant runs it at the variant's
 * demo seed, so the run fails the way the question says, and prints the
 * verdict: the lesson, the MISTAKE lines of the C and Go sources, where to
 * read more; then one summary line, and the question again. */
START_TEST(test_demo_broken_variant_shows_mistake)
{
	char cmd[512];
	int status;
	snprintf(cmd, sizeof cmd, "printf ':demo\\n:quit\\n' | %s quiz --cram --bank "
	         "tests/quiz/data/good.yaml --pattern reply-channel:unbuffered-reply --db %s 2>&1",
	         test_chanlab_bin(), db);
	char *out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	const char *lesson = strstr(out, "\nlesson:    ");
	ck_assert_msg(lesson, "%s", out);
	const char *mistake = strstr(lesson, "\nmistake:   patterns/reply_channel.c:");
	ck_assert_msg(mistake, "%s", out);
	const char *go = strstr(mistake, "\nin Go:     patterns/go/reply_channel.go:");
	ck_assert_msg(go, "%s", out);
	ck_assert_ptr_nonnull(strstr(go, "\nread more: chanlab show reply-channel\n"));
	const char *summary = strstr(go, "\ndemo: reply-channel unbuffered-reply showed its mistake "
	                                  "(leak) at seed ");
	ck_assert_msg(summary, "%s", out);
	ck_assert_ptr_nonnull(strstr(summary, "; replay: chanlab run reply-channel --variant "
	                                      "unbuffered-reply --seed "));
	ck_assert_ptr_nonnull(strstr(summary, "receive from a closed, empty channel"));
	free(out);
}
END_TEST

/* --db "" and --db :memory: would keep progress nowhere: refused (64). */
START_TEST(test_db_nowhere)
{
	const char *bad[] = {"--db ''", "--db :memory:", "stats --db ''", "stats --db :memory:"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char cmd[512];
		int status;
		snprintf(cmd, sizeof cmd, "echo b | %s quiz %s --bank %s 2>&1", test_chanlab_bin(),
		         bad[i], path_a);
		char *out = test_run_capture(cmd, &status);
		ck_assert_msg(status == 64, "'%s' gave %d: %s", bad[i], status, out);
		ck_assert_ptr_nonnull(strstr(out, "--db needs a file"));
		ck_assert_ptr_null(strstr(out, QUIZ_ACK_PREFIX));
		free(out);
	}
}
END_TEST

/* A database in a read-only folder (file and folder chmod'd; as root the
 * commands run as nobody, since root ignores modes): `quiz stats` reads it
 * (SQLite's immutable open), and a session says it cannot save there, not
 * that the database is damaged; the file is left as it was. */
START_TEST(test_readonly_db)
{
	char cmd[1024];
	int status;
	snprintf(cmd, sizeof cmd, "printf 'b\\nc\\nt\\n' | %s quiz --cram --bank %s --db %s --seed 1 "
	         ">/dev/null 2>&1", test_chanlab_bin(), path_a, db);
	char *out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 0);
	free(out);
	ck_assert_int_eq(chmod(db, 0444), 0);
	ck_assert_int_eq(chmod(dir, 0555), 0);
	size_t n0, n1;
	char *before = test_read_file(db, &n0);
	const char *as = geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
	snprintf(cmd, sizeof cmd, "%s%s quiz stats --bank %s --db %s 2>&1", as, test_chanlab_bin(),
	         path_a, db);
	out = test_run_capture(cmd, &status);
	ck_assert_msg(status == 0, "stats gave %d: %s", status, out);
	ck_assert_msg(strstr(out, "answered 3"), "%s", out);
	free(out);
	snprintf(cmd, sizeof cmd, "echo b | %s%s quiz --bank %s --db %s 2>&1", as,
	         test_chanlab_bin(), path_a, db);
	out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_msg(strstr(out, "cannot save progress there"), "%s", out);
	ck_assert_ptr_null(strstr(out, "damaged"));
	free(out);
	char *after = test_read_file(db, &n1);
	ck_assert_uint_eq(n0, n1);
	ck_assert(memcmp(before, after, n0) == 0);
	free(before);
	free(after);
	chmod(dir, 0755);
	chmod(db, 0644);
}
END_TEST

/* With no --name, no USER and no terminal, an exam cannot ask for a name:
 * exit 64 before anything is asked. */
START_TEST(test_exam_needs_name)
{
	char cmd[512];
	int status;
	snprintf(cmd, sizeof cmd, "env -u USER %s quiz --exam --bank %s --db %s --seed 5 "
	         "</dev/null 2>&1", test_chanlab_bin(), path_a, db);
	char *out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 64);
	ck_assert_ptr_nonnull(strstr(out, "needs the student's name"));
	free(out);
	snprintf(cmd, sizeof cmd, "USER= %s quiz --exam --bank %s --db %s --seed 5 "
	         "</dev/null 2>&1", test_chanlab_bin(), path_a, db);
	out = test_run_capture(cmd, &status);
	ck_assert_int_eq(status, 64);
	free(out);
}
END_TEST

/* Usage errors exit 64 with one line; --help exits 0. */
START_TEST(test_usage)
{
	char cmd[512];
	int status;
	const char *bad[] = {"--count x", "--level guru", "--retention 2", "--review --cram",
	                     "--frobnicate", "--name Ann", "nosuchsub"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(cmd, sizeof cmd, "%s quiz %s --db %s </dev/null 2>&1", test_chanlab_bin(),
		         bad[i], db);
		char *out = test_run_capture(cmd, &status);
		ck_assert_msg(status == 64, "'%s' gave %d", bad[i], status);
		ck_assert_msg(strncmp(out, "chanlab: ", 9) == 0, "'%s' said %s", bad[i], out);
		free(out);
	}
	const char *help[] = {"--help", "stats --help", "grade --help", "lint --help"};
	for (size_t i = 0; i < sizeof help / sizeof help[0]; i++) {
		snprintf(cmd, sizeof cmd, "%s quiz %s", test_chanlab_bin(), help[i]);
		char *out = test_run_capture(cmd, &status);
		ck_assert_int_eq(status, 0);
		ck_assert_ptr_nonnull(strstr(out, "usage: chanlab quiz"));
		free(out);
	}
	/* The database is not created by a usage error. */
	ck_assert_int_ne(access(db, F_OK), 0);
}
END_TEST

/* Reads the pty into buf until want appears at or after *from; *from is
 * moved past it.  -1 at end of output. */
static int expect(int fd, char *buf, size_t size, size_t *len, size_t *from, const char *want)
{
	for (;;) {
		char *hit = strstr(buf + *from, want);
		if (hit) {
			*from = (size_t)(hit - buf) + strlen(want);
			return 0;
		}
		if (*len + 1 >= size)
			return -1;
		ssize_t n = read(fd, buf + *len, size - *len - 1);
		if (n <= 0)
			return -1;
		*len += (size_t)n;
		buf[*len] = '\0';
	}
}

/* True once the terminal behind the pseudo-terminal master has left
 * canonical mode (libedit reads keys one by one); false if it never does. */
static bool wait_raw_mode(int master)
{
	for (long i = 0; i < 50000000; i++) {
		struct termios tio;
		if (tcgetattr(master, &tio) != 0)
			return false;
		if (!(tio.c_lflag & ICANON))
			return true;
		sched_yield();
	}
	return false;
}

/* On a terminal (libedit): Ctrl-C drops the line typed so far and prompts
 * again; the answer typed next is the one recorded. */
START_TEST(test_terminal_ctrl_c)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
		fprintf(stderr, "test_terminal_ctrl_c: no pseudo-terminal; skipped\n");
		return;
	}
	char slave[128];
	snprintf(slave, sizeof slave, "%s", ptsname(master));
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setsid();
		int fd = open(slave, O_RDWR); /* becomes the controlling terminal */
		if (fd < 0)
			_exit(127);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(master);
		setenv("TERM", "vt100", 1);
		setenv("NO_COLOR", "1", 1);
		setenv("HOME", dir, 1); /* no ~/.editrc */
		execl(test_chanlab_bin(), "chanlab", "quiz", "--bank", path_a, "--db", db,
		      "--type", "truefalse", (char *)NULL);
		_exit(127);
	}
	static char buf[65536];
	size_t len = 0, from = 0;
	buf[0] = '\0';
	ck_assert_int_eq(expect(master, buf, sizeof buf, &len, &from, "t/f> "), 0);
	/* The prompt can appear before libedit has put the terminal in raw
	 * mode; typed before that, ^C would be the line discipline's signal
	 * rather than a key.  Wait for the mode itself, not for time. */
	ck_assert(wait_raw_mode(master));
	ck_assert_int_eq(write(master, "zz\003", 3), 3);
	ck_assert_int_eq(expect(master, buf, sizeof buf, &len, &from, "t/f> "), 0);
	ck_assert_int_eq(write(master, ":hint\r", 6), 6);
	ck_assert_int_eq(expect(master, buf, sizeof buf, &len, &from, "no hint"), 0);
	ck_assert_int_eq(write(master, "t\r", 2), 2);
	ck_assert_int_eq(expect(master, buf, sizeof buf, &len, &from, "right"), 0);
	ck_assert_int_eq(expect(master, buf, sizeof buf, &len, &from, "score: 1/1"), 0);
	expect(master, buf, sizeof buf, &len, &from, "\x01never"); /* read to the end */
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	close(master);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d; output:\n%s", st, buf);
	sqlite3 *d = open_db();
	ck_assert_int_eq(query_long(d, "SELECT count(*) FROM answers WHERE given = 't'"
	                               " AND correct = 1"), 1);
	ck_assert_int_eq(query_long(d, "SELECT count(*) FROM answers"), 1);
	sqlite3_close(d);
}
END_TEST

/* A code block is indented; colour only when asked for: keywords, strings
 * and comments each get theirs. */
START_TEST(test_present_code)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	quiz_present_code(f, "go func() { ch <- \"x\" } // send\nselect {}\n", false);
	fclose(f);
	ck_assert_str_eq(buf, "    go func() { ch <- \"x\" } // send\n    select {}\n");
	free(buf);
	f = open_memstream(&buf, &len);
	quiz_present_code(f, "go f(`raw`) /* c */ 'x' gopher\n", true);
	fclose(f);
	ck_assert_str_eq(buf, "    \033[1;34mgo\033[0m f(\033[32m`raw`\033[0m) "
	                      "\033[2;37m/* c */\033[0m \033[32m'x'\033[0m gopher\n");
	free(buf);
}
END_TEST

/* With no --name and no USER but a terminal, the exam asks for the name
 * (an empty answer is asked again) and records it. */
START_TEST(test_exam_asks_name)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
		fprintf(stderr, "test_exam_asks_name: no pseudo-terminal; skipped\n");
		return;
	}
	char slave[128], result[160];
	snprintf(slave, sizeof slave, "%s", ptsname(master));
	snprintf(result, sizeof result, "%s/named.json", dir);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setsid();
		int fd = open(slave, O_RDWR);
		if (fd < 0)
			_exit(127);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(master);
		setenv("TERM", "vt100", 1);
		setenv("NO_COLOR", "1", 1);
		setenv("HOME", dir, 1);
		unsetenv("USER");
		execl(test_chanlab_bin(), "chanlab", "quiz", "--exam", "--bank", path_a, "--db", db,
		      "--type", "truefalse", "--seed", "1", "--result", result, (char *)NULL);
		_exit(127);
	}
	static char buf[65536];
	size_t len = 0, from = 0;
	buf[0] = '\0';
	ck_assert_int_eq(expect(master, buf, sizeof buf, &len, &from, "your name: "), 0);
	ck_assert_int_eq(write(master, " \r", 2), 2);
	ck_assert_int_eq(expect(master, buf, sizeof buf, &len, &from, "your name: "), 0);
	ck_assert_int_eq(write(master, "Nia\r", 4), 4);
	ck_assert_int_eq(expect(master, buf, sizeof buf, &len, &from, "t/f> "), 0);
	ck_assert(wait_raw_mode(master));
	ck_assert_int_eq(write(master, "t\r", 2), 2);
	ck_assert_int_eq(expect(master, buf, sizeof buf, &len, &from, "result written to"), 0);
	expect(master, buf, sizeof buf, &len, &from, "\x01never");
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	close(master);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d; output:\n%s", st, buf);
	char *json = test_read_file(result, NULL);
	ck_assert_ptr_nonnull(json);
	ck_assert_ptr_nonnull(strstr(json, "\"name\": \"Nia\""));
	free(json);
}
END_TEST

Suite *suite_quiz_repl(void)
{
	Suite *s = suite_create("quiz_repl");
	TCase *tc = tcase_create("repl");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_scripted_session);
	tcase_add_test(tc, test_undo);
	tcase_add_test(tc, test_missed_comes_back_twice);
	tcase_add_test(tc, test_nul_is_not_an_answer);
	tcase_add_test(tc, test_kill_after_ok);
	tcase_add_test(tc, test_foreign_db_refused);
	tcase_add_test(tc, test_exam_same_paper);
	tcase_add_test(tc, test_exam_header_level);
	tcase_add_test(tc, test_exam_result);
	tcase_add_test(tc, test_exam_needs_name);
	tcase_add_test(tc, test_exam_asks_name);
	tcase_add_test(tc, test_db_nowhere);
	tcase_add_test(tc, test_wraps_to_width);
	tcase_add_test(tc, test_demo_shows_question_again);
	tcase_add_test(tc, test_demo_broken_variant_shows_mistake);
	tcase_add_test(tc, test_counter_and_feedback);
	tcase_add_test(tc, test_readonly_db);
	tcase_add_test(tc, test_usage);
	tcase_add_test(tc, test_present_code);
	tcase_add_test(tc, test_terminal_ctrl_c);
	suite_add_tcase(s, tc);
	return s;
}
