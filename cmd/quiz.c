/*
 * quiz.c - the 'quiz' subcommand: with no subcommand a drill session (the
 * REPL) or, with --exam, an exam; `stats` and `grade` here; `lint`,
 * `export` and `import` in cmd/quiz_bank.c.  This file turns options into a
 * struct quiz_repl_opts, opens the banks and the progress database, and
 * hands the REPL a function that runs a pattern for :demo.
 */
#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/outfile.h"
#include "quiz/grade.h"
#include "quiz/present.h"
#include "quiz/repl.h"
#include "quiz/stats.h"
#include "quiz/store.h"

#if __has_include("cmd/quiz_bank.h")
#include "cmd/quiz_bank.h"
#include "cmd/quiz_demo.h"
#define HAVE_QUIZ_BANK 1
#else
#define HAVE_QUIZ_BANK 0
#endif

static const char quiz_usage[] =
	"usage: chanlab quiz [options]            drill questions (new and due ones)\n"
	"       chanlab quiz --exam [--count N] [--seed S] [filters] [--name NAME]\n"
	"                    [--result FILE [--force]]\n"
	"       chanlab quiz stats [--db PATH] [--bank FILE]...\n"
	"       chanlab quiz grade [--csv] [--answers] [--bank FILE]... RESULT.json...\n"
	"       chanlab quiz lint [--strict] [FILES...]\n"
	"       chanlab quiz export --format gift|anki|markdown [filters] [--out FILE]\n"
	"       chanlab quiz import FILE.gift [--out FILE.yaml | --out-dir DIR]\n"
	"                           [--name BANK]\n"
	"\n"
	"Drill the question bank with spaced repetition (FSRS-6); progress is kept in\n"
	"$XDG_DATA_HOME/chanlab/progress.db, one transaction per answer.\n"
	"\n"
	"filters:\n"
	"  --level L       junior, middle, senior or staff\n"
	"  --topic T       questions with this topic\n"
	"  --type T        single, multi, truefalse, short or code\n"
	"  --pattern P     questions linked to pattern P (NAME or NAME:VARIANT)\n"
	"options:\n"
	"  --count N       ask at most N questions (default 20; 0 = all)\n"
	"  --seed N        question and choice order (default: from the clock)\n"
	"  --bank FILE     use this bank file instead of the shipped ones (repeatable)\n"
	"  --db PATH       progress database (created if missing)\n"
	"  --retention R   desired retention for scheduling, 0 < R < 1 (default 0.9)\n"
	"modes:\n"
	"  (default)       due questions first, then new ones\n"
	"  --review        only due questions\n"
	"  --mistakes      questions last answered wrong\n"
	"  --cram          any matching question, scheduling left alone\n"
	"  --exam          a fixed paper from --seed (tell the class the seed; default\n"
	"                  from the clock): no hints or explanations until the\n"
	"                  end, then the score; ids and topics are not shown until\n"
	"                  then; --name NAME (default $USER, else asked for),\n"
	"                  --result FILE writes the answers as JSON for 'quiz grade'\n"
	"                  (an existing FILE is kept unless --force is given)\n"
	"\n"
	"Answer with a letter (b), letters (a,c), t or f; for short and code questions\n"
	"type an answer, read the model answer and grade yourself 1-4 (Enter = 3).\n"
	"Commands: :hint :skip :follow :demo :undo :stats :help :quit.\n"
	"When stdin is not a terminal, answers are read one per line and, once each\n"
	"answer is saved, a line of the ASCII ACK character (0x06) then 'ok <id>'\n"
	"(in an exam 'ok <n>', the question's place on the paper) is printed.\n";

static const char stats_usage[] =
	"usage: chanlab quiz stats [--db PATH] [--bank FILE]...\n"
	"\n"
	"Answers, accuracy and questions due now, by level and topic, as a bar chart.\n";

static const char grade_usage[] =
	"usage: chanlab quiz grade [--csv] [--answers] [--bank FILE]... RESULT.json...\n"
	"\n"
	"Grade a class from the result files of 'chanlab quiz --exam --result FILE':\n"
	"every answer is graded again against the banks (the shipped ones, or --bank),\n"
	"then each student's score and each question with the share of students who\n"
	"got it right, hardest first.  --csv prints the same as CSV; --answers prints\n"
	"the short and code answers per question instead, for reading.\n"
	"A result that does not match the banks (an unknown id, a question changed\n"
	"since, a right/wrong flag that disagrees with the answer) is flagged, one\n"
	"line each on stderr, and the exit status is 1.  Papers of different seeds or\n"
	"filters, a student twice and a file twice are warned about.\n";

/* Options shared by the session and stats. */
struct quiz_args {
	const char *level, *topic, *type, *pattern;
	long count;
	bool seeded;
	uint64_t seed;
	char **banks;
	size_t nbanks;
	const char *db;
	double retention;
	enum quiz_mode mode;
	int nmodes;
	const char *name, *result;
	bool force;
};

static int parse_ulong(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		return -1;
	*out = strtoull(s, &end, 10);
	return *end || errno ? -1 : 0;
}

static int set_mode(struct quiz_args *a, enum quiz_mode m)
{
	a->mode = m;
	a->nmodes++;
	return 0;
}

/* Parses argv[1..]; returns -1 after printing a usage error. */
static int parse_args(int argc, char **argv, struct quiz_args *a, const char *who)
{
	a->count = -1;
	a->retention = 0.9;
	a->banks = calloc((size_t)argc + 1, sizeof *a->banks);
	if (!a->banks)
		return cmd_fail(CL_EXIT_ERROR, "out of memory"), -1;
	for (int i = 1; i < argc; i++) {
		bool bad = false;
		const char *v;
		const char *arg = argv[i];
		if ((v = cmd_opt_value(argc, argv, &i, "--level", &bad))) {
			a->level = v;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--topic", &bad))) {
			a->topic = v;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--type", &bad))) {
			a->type = v;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--pattern", &bad))) {
			a->pattern = v;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--count", &bad))) {
			unsigned long long n;
			if (parse_ulong(v, &n) || n > 100000)
				return cmd_fail(CL_EXIT_USAGE, "%s: bad --count '%s'", who, v), -1;
			a->count = (long)n;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--seed", &bad))) {
			unsigned long long n;
			if (parse_ulong(v, &n))
				return cmd_fail(CL_EXIT_USAGE, "%s: bad --seed '%s'", who, v), -1;
			a->seed = n;
			a->seeded = true;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--bank", &bad))) {
			a->banks[a->nbanks++] = (char *)v;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--db", &bad))) {
			a->db = v;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--retention", &bad))) {
			char *end;
			a->retention = strtod(v, &end);
			if (*end || !(a->retention > 0 && a->retention < 1))
				return cmd_fail(CL_EXIT_USAGE, "%s: --retention must be between 0 and 1, "
				                "not '%s'", who, v), -1;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--name", &bad))) {
			a->name = v;
		} else if ((v = cmd_opt_value(argc, argv, &i, "--result", &bad))) {
			a->result = v;
		} else if (!bad && strcmp(arg, "--review") == 0) {
			set_mode(a, QUIZ_MODE_REVIEW);
		} else if (!bad && strcmp(arg, "--mistakes") == 0) {
			set_mode(a, QUIZ_MODE_MISTAKES);
		} else if (!bad && strcmp(arg, "--cram") == 0) {
			set_mode(a, QUIZ_MODE_CRAM);
		} else if (!bad && strcmp(arg, "--exam") == 0) {
			set_mode(a, QUIZ_MODE_EXAM);
		} else if (!bad && strcmp(arg, "--force") == 0) {
			a->force = true;
		} else if (!bad) {
			return cmd_fail(CL_EXIT_USAGE, "%s: unknown option '%s' (try --help)", who, arg),
			       -1;
		}
		if (bad)
			return cmd_fail(CL_EXIT_USAGE, "%s: option '%s' needs a value", who, arg), -1;
	}
	if (a->nmodes > 1)
		return cmd_fail(CL_EXIT_USAGE, "%s: choose one of --review, --mistakes, --cram, "
		                "--exam", who), -1;
	if (a->mode != QUIZ_MODE_EXAM && (a->name || a->result || a->force))
		return cmd_fail(CL_EXIT_USAGE, "%s: --name, --result and --force go with --exam", who),
		       -1;
	if (a->force && !a->result)
		return cmd_fail(CL_EXIT_USAGE, "%s: --force goes with --result", who), -1;
	if (a->db && (!*a->db || strcmp(a->db, ":memory:") == 0))
		return cmd_fail(CL_EXIT_USAGE, "%s: --db needs a file (not '%s'): progress would be "
		                "kept nowhere", who, a->db), -1;
	return 0;
}

static int build_filter(const struct quiz_args *a, struct quiz_filter *f)
{
	quiz_filter_init(f);
	if (a->level) {
		enum quiz_level l;
		if (quiz_level_parse(a->level, &l))
			return cmd_fail(CL_EXIT_USAGE, "quiz: unknown level '%s' (junior, middle, "
			                "senior, staff)", a->level), -1;
		f->level = (int)l;
	}
	if (a->type) {
		enum quiz_type t;
		if (quiz_type_parse(a->type, &t))
			return cmd_fail(CL_EXIT_USAGE, "quiz: unknown type '%s' (single, multi, "
			                "truefalse, short, code)", a->type), -1;
		f->type = (int)t;
	}
	f->topic = a->topic;
	f->pattern = a->pattern;
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A list of names for a message: "a, b, c" (at most 40, then "..."). */
static void name_list(char *buf, size_t size, const char *const *names, size_t n)
{
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && k < size; i++) {
		if (i == 40) {
			snprintf(buf + k, size - k, ", ...");
			break;
		}
		k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? ", " : "", names[i]);
	}
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* --topic and --pattern must name something the banks have: a typo would
 * otherwise read as "nothing is due".  Exit 64 naming the valid ones. */
static int check_filter_names(const struct quiz_filter *f, const struct quiz_bank *b)
{
	if (!f->topic && !f->pattern)
		return 0;
	const char **names = calloc(b->count * 8 + 1, sizeof *names);
	if (!names)
		quiz_oom();
	int rc = 0;
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		const char *want = pass == 0 ? f->topic : f->pattern;
		if (!want)
			continue;
		size_t n = 0;
		bool found = false;
		for (size_t i = 0; i < b->count; i++) {
			const struct quiz_question *q = &b->questions[i];
			char **v = pass == 0 ? q->topics : q->patterns;
			size_t nv = pass == 0 ? q->ntopics : q->npatterns;
			for (size_t j = 0; j < nv; j++) {
				size_t len = strcspn(v[j], ":");
				if (strcmp(v[j], want) == 0 ||
				    (pass == 1 && strlen(want) == len && strncmp(v[j], want, len) == 0))
					found = true;
				if (n < b->count * 8 && !in_list(names, n, v[j]))
					names[n++] = v[j];
			}
		}
		if (!found) {
			qsort(names, n, sizeof *names, cmp_name);
			char list[2048];
			name_list(list, sizeof list, names, n);
			rc = cmd_fail(CL_EXIT_USAGE, "quiz: no question has %s '%s' (%s: %s)",
			              pass == 0 ? "topic" : "pattern", want,
			              pass == 0 ? "topics" : "patterns", n ? list : "none");
		}
	}
	free(names);
	return rc ? -1 : 0;
}

static int load_banks(const struct quiz_args *a, struct quiz_bank *b)
{
	quiz_bank_init(b);
#if HAVE_QUIZ_BANK
	struct quiz_diag d;
	quiz_diag_init(&d);
	int rc = cmd_quiz_load_banks(b, a->banks, a->nbanks, false, false, &d);
	if (rc) {
		quiz_diag_print(&d, stderr);
		fprintf(stderr, "chanlab: refusing a bank with %zu problem%s\n", d.count,
		        d.count == 1 ? "" : "s");
	}
	quiz_diag_free(&d);
	return rc;
#else
	(void)a;
	return cmd_fail(CL_EXIT_ERROR, "quiz: no bank loader in this build"), -1;
#endif
}

/* The --db path, or the default one (in buf). */
static const char *db_path(const struct quiz_args *a, char *buf, size_t size)
{
	if (a->db)
		return a->db;
	if (quiz_store_default_path(buf, size))
		return NULL;
	return buf;
}

/* The exam's --result, written whole (cmd/outfile.h). */
static int save_result(const struct quiz_exam *e, void *ctx)
{
	const struct quiz_args *a = ctx;
	struct cmd_outfile out;
	if (cmd_outfile_open(&out, a->result, a->force))
		return -1;
	if (quiz_exam_write_json(out.f, e) != 0) {
		cmd_fail(CL_EXIT_ERROR, "%s: cannot write: %s", a->result, strerror(errno));
		cmd_outfile_abort(&out);
		return -1;
	}
	return cmd_outfile_commit(&out) ? -1 : 0;
}

/* :demo: the linked pattern at its variant's demo seed, with the verdict
 * (cmd/quiz_demo.h). */
static int terminal_width(void);
static int run_demo(const char *link, void *ctx, char *summary, size_t summary_size)
{
	(void)ctx;
	struct cmd_quiz_demo d;
	char err[300];
	fflush(stdout);
	if (cmd_quiz_demo_run(link, stdout, stderr, cmd_use_color(stdout), terminal_width(), &d, err,
	                      sizeof err) != 0) {
		snprintf(summary, summary_size, "cannot run %s: %s", link, err);
		return CL_EXIT_USAGE;
	}
	fflush(stdout);
	snprintf(summary, summary_size, "%s", d.summary);
	return d.exit;
}

/* The terminal's width, for wrapping (0 when stdout is not a terminal:
 * the REPL's default then keeps scripted output stable). */
static int terminal_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col > 1 ? ws.ws_col - 1 : ws.ws_col;  /* no wrap at the last column */
	return 0;
}

static uint64_t clock_seed(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^ (uint64_t)getpid()) %
	       1000000u;
}

static int session(int argc, char **argv)
{
	struct quiz_args a = {0};
	struct quiz_filter f;
	struct quiz_bank b;
	int rc = CL_EXIT_USAGE;
	if (parse_args(argc, argv, &a, "quiz") || build_filter(&a, &f))
		goto out;
	rc = CL_EXIT_ERROR;
	if (load_banks(&a, &b))
		goto out;
	char buf[4096], namebuf[256];
	if (check_filter_names(&f, &b)) {
		rc = CL_EXIT_USAGE;
		goto out_bank;
	}
	const char *student = a.name;
	if (a.mode == QUIZ_MODE_EXAM) {
		/* Checked before the exam, so no one answers a paper that cannot be
		 * saved. */
		if (a.result && cmd_outfile_check(a.result, a.force)) {
			rc = CL_EXIT_ERROR;
			goto out_bank;
		}
		if (!student || !*student)
			student = getenv("USER");
		if (!student || !*student) {
			if (!isatty(STDIN_FILENO)) {
				rc = cmd_fail(CL_EXIT_USAGE, "quiz: an exam needs the student's name "
				              "(--name NAME; USER is not set and there is no terminal to ask on)");
				goto out_bank;
			}
			for (;;) {
				fputs("your name: ", stdout);
				fflush(stdout);
				if (!fgets(namebuf, sizeof namebuf, stdin)) {
					rc = cmd_fail(CL_EXIT_USAGE, "quiz: an exam needs the student's name");
					goto out_bank;
				}
				namebuf[strcspn(namebuf, "\r\n")] = '\0';
				if (namebuf[strspn(namebuf, " \t")])
					break;
			}
			student = namebuf;
		}
	}
	const char *path = db_path(&a, buf, sizeof buf);
	struct quiz_store *store = NULL;
	struct quiz_err err = {{0}};
	if (!path) {
		cmd_fail(CL_EXIT_ERROR, "quiz: no place for the progress database "
		         "(set XDG_DATA_HOME or HOME, or use --db PATH)");
		goto out_bank;
	}
	if (quiz_store_open(path, &store, &err)) {
		cmd_fail(CL_EXIT_ERROR, "%s", err.msg);
		goto out_bank;
	}
	struct quiz_fsrs fsrs;
	quiz_fsrs_init(&fsrs, a.retention);
	bool interactive = isatty(STDIN_FILENO);
	if (interactive)
		setlocale(LC_CTYPE, ""); /* libedit reads and writes multibyte text */
	struct quiz_repl_opts o = {
		.bank = &b, .store = store, .fsrs = &fsrs, .filter = &f, .mode = a.mode,
		.seed = a.seeded ? a.seed : clock_seed(),
		.count = a.count < 0 ? 20 : (size_t)a.count,
		.interactive = interactive,
		.color = interactive && cmd_use_color(stdout),
		.width = terminal_width(),
		.in = stdin, .out = stdout,
		.student = student, .save_result = a.result ? save_result : NULL, .result_ctx = &a,
		.result_path = a.result,
		.run_demo = run_demo, .demo_ctx = NULL,
	};
	if (quiz_repl_run(&o, &err) == 0)
		rc = CL_EXIT_OK;
	else
		rc = err.msg[0] ? cmd_fail(CL_EXIT_ERROR, "%s", err.msg) : CL_EXIT_ERROR;
	quiz_store_close(store);
out_bank:
	quiz_bank_free(&b);
out:
	free(a.banks);
	return rc;
}

/* --- stats ------------------------------------------------------------------------------- */

struct stats_ctx {
	const struct quiz_bank *bank;
	struct quiz_tally *tally;
	int64_t now;
	int unknown;
	int64_t next_due;        /* earliest due card of these banks, 0 = none */
};

static int stats_row(const struct quiz_store_tally *t, void *ctx)
{
	struct stats_ctx *c = ctx;
	const struct quiz_question *q = quiz_bank_find(c->bank, t->qid);
	if (!q) {
		c->unknown++;
		return 0;
	}
	if (t->has_card && (c->next_due == 0 || t->due < c->next_due))
		c->next_due = t->due;
	return quiz_tally_add(c->tally, q, t->answered, t->right, t->has_card && t->due <= c->now);
}

static int stats(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (cmd_is_help(argv[i])) {
			fputs(stats_usage, stdout);
			return CL_EXIT_OK;
		}
	struct quiz_args a = {0};
	int rc = CL_EXIT_USAGE;
	if (parse_args(argc, argv, &a, "quiz stats"))
		goto out;
	if (a.level || a.topic || a.type || a.pattern || a.count >= 0 || a.seeded || a.nmodes) {
		cmd_fail(CL_EXIT_USAGE, "quiz stats: takes only --db and --bank");
		goto out;
	}
	rc = CL_EXIT_ERROR;
	char buf[4096];
	const char *path = db_path(&a, buf, sizeof buf);
	struct stat sb;
	if (!path) {
		cmd_fail(CL_EXIT_ERROR, "quiz stats: no progress database (use --db PATH)");
		goto out;
	}
	if (stat(path, &sb) != 0) {
		printf("no progress yet (%s)\n", path);
		rc = CL_EXIT_OK;
		goto out;
	}
	struct quiz_bank b;
	if (load_banks(&a, &b))
		goto out;
	struct quiz_store *store;
	struct quiz_err err = {{0}};
	if (quiz_store_open_readonly(path, &store, &err)) {
		cmd_fail(CL_EXIT_ERROR, "%s", err.msg);
		quiz_bank_free(&b);
		goto out;
	}
	struct quiz_tally t;
	quiz_tally_init(&t);
	struct stats_ctx c = {&b, &t, (int64_t)time(NULL), 0, 0};
	if (quiz_store_foreach(store, stats_row, &c, &err)) {
		cmd_fail(CL_EXIT_ERROR, "%s", err.msg[0] ? err.msg : "out of memory");
	} else {
		quiz_tally_print_chart(stdout, &t, cmd_use_color(stdout));
		fputc('\n', stdout);
		quiz_print_next_due(stdout, c.next_due, c.now);
		if (c.unknown)
			printf("\n(%d question%s in the database not in these banks)\n", c.unknown,
			       c.unknown == 1 ? "" : "s");
		rc = CL_EXIT_OK;
	}
	quiz_tally_free(&t);
	quiz_store_close(store);
	quiz_bank_free(&b);
out:
	free(a.banks);
	return rc;
}

/* --- grade ------------------------------------------------------------------------------- */

static int grade(int argc, char **argv)
{
	bool csv = false, answers = false;
	int nfiles = 0, rc = CL_EXIT_USAGE;
	char **banks = calloc((size_t)argc + 1, sizeof *banks);
	char **files = calloc((size_t)argc + 1, sizeof *files);
	size_t nbanks = 0;
	if (!banks || !files)
		quiz_oom();
	for (int i = 1; i < argc; i++) {
		bool bad = false;
		const char *v;
		if (cmd_is_help(argv[i])) {
			fputs(grade_usage, stdout);
			rc = CL_EXIT_OK;
			goto out;
		}
		if ((v = cmd_opt_value(argc, argv, &i, "--bank", &bad))) {
			banks[nbanks++] = (char *)v;
		} else if (bad) {
			cmd_fail(CL_EXIT_USAGE, "quiz grade: option '--bank' needs a value");
			goto out;
		} else if (strcmp(argv[i], "--csv") == 0) {
			csv = true;
		} else if (strcmp(argv[i], "--answers") == 0) {
			answers = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cmd_fail(CL_EXIT_USAGE, "quiz grade: unknown option '%s'", argv[i]);
			goto out;
		} else {
			files[nfiles++] = argv[i];
		}
	}
	if (nfiles == 0) {
		cmd_fail(CL_EXIT_USAGE, "quiz grade: no result files (try --help)");
		goto out;
	}
	if (csv && answers) {
		cmd_fail(CL_EXIT_USAGE, "quiz grade: choose one of --csv and --answers");
		goto out;
	}
	rc = CL_EXIT_ERROR;
	struct quiz_args a = {.banks = banks, .nbanks = nbanks};
	struct quiz_bank b;
	if (load_banks(&a, &b))
		goto out;
	struct quiz_grade g;
	quiz_grade_init(&g, &b);
	for (int i = 0; i < nfiles; i++) {
		struct quiz_err err = {{0}};
		if (quiz_grade_add_file(&g, files[i], &err)) {
			quiz_grade_print_notes(stderr, &g);
			quiz_grade_free(&g);
			quiz_bank_free(&b);
			fputs("chanlab: ", stderr);
			quiz_safe_fputs(stderr, err.msg, false);
			fputc('\n', stderr);
			goto out;
		}
	}
	quiz_grade_sort(&g);
	/* stderr is unbuffered: thousands of notes would be a write(2) each. */
	static char errbuf[1 << 16];
	setvbuf(stderr, errbuf, _IOFBF, sizeof errbuf);
	if (answers)
		quiz_grade_print_answers(stdout, &g);
	else if (csv)
		quiz_grade_print_csv(stdout, &g);
	else
		quiz_grade_print_table(stdout, &g);
	fflush(stdout);
	quiz_grade_print_notes(stderr, &g);
	rc = quiz_grade_flagged(&g) ? CL_EXIT_ERROR : CL_EXIT_OK;
	if (rc)
		fprintf(stderr, "chanlab: %zu result%s flagged\n", g.nflagged,
		        g.nflagged == 1 ? "" : "s");
	fflush(stderr);
	setvbuf(stderr, NULL, _IONBF, 0);
	quiz_grade_free(&g);
	quiz_bank_free(&b);
out:
	free(banks);
	free(files);
	return rc;
}

/* --- dispatch ------------------------------------------------------------------------------ */

int cmd_quiz(int argc, char **argv)
{
	if (argc > 1 && (cmd_is_help(argv[1]) || strcmp(argv[1], "help") == 0)) {
		fputs(quiz_usage, stdout);
		return CL_EXIT_OK;
	}
	if (argc > 1 && argv[1][0] != '-') {
		const char *sub = argv[1];
		if (strcmp(sub, "stats") == 0)
			return stats(argc - 1, argv + 1);
		if (strcmp(sub, "grade") == 0)
			return grade(argc - 1, argv + 1);
#if HAVE_QUIZ_BANK
		if (strcmp(sub, "lint") == 0)
			return cmd_quiz_lint(argc - 1, argv + 1);
		if (strcmp(sub, "export") == 0)
			return cmd_quiz_export(argc - 1, argv + 1);
		if (strcmp(sub, "import") == 0)
			return cmd_quiz_import(argc - 1, argv + 1);
#endif
		return cmd_fail(CL_EXIT_USAGE, "quiz: unknown subcommand '%s' (try 'chanlab quiz "
		                "--help')", sub);
	}
	for (int i = 1; i < argc; i++)
		if (cmd_is_help(argv[i])) {
			fputs(quiz_usage, stdout);
			return CL_EXIT_OK;
		}
	return session(argc, argv);
}
